#!/bin/sh
# Embeds rubrics/schema/*.xsd and *.json in the library so an installed `mastery` binary
# needs no files beside it. Run `make generate` after editing a schema;
# a test fails while the embedded copy differs from the file.
set -eu
cd "$(dirname "$0")/.."
out=Sources/MasteryKit/Schemas/BundledSchema+Generated.swift
{
  echo "// DO NOT EDIT: generated from rubrics/schema/*.xsd and *.json by scripts/generate-schemas.sh (make generate)."
  echo ""
  echo "extension BundledSchema {"
  for xsd in rubrics/schema/*.xsd rubrics/schema/*.json; do
    file=$(basename "$xsd")
    # plugin-request.json -> pluginRequest
    name=$(printf '%s' "${file%.*}" | awk -F- '{ out = $1; for (i = 2; i <= NF; i++) out = out toupper(substr($i, 1, 1)) substr($i, 2); print out }')
    echo "  /// The text of rubrics/schema/$file."
    echo "  static let ${name}Text = ####\"\"\""
    cat "$xsd"
    # A multi-line literal drops the newline before its closing quotes: add one back.
    echo ""
    echo "\"\"\"####"
  done
  echo "}"
} > "$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $out"
