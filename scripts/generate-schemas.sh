#!/bin/sh
# Embeds rubrics/schema/*.xsd in the library so an installed `mastery` binary
# needs no files beside it. Run `make generate` after editing a schema;
# a test fails while the embedded copy differs from the file.
set -eu
cd "$(dirname "$0")/.."
out=Sources/MasteryKit/Schemas/BundledSchema+Generated.swift
{
  echo "// DO NOT EDIT: generated from rubrics/schema/*.xsd by scripts/generate-schemas.sh (make generate)."
  echo ""
  echo "extension BundledSchema {"
  for xsd in rubrics/schema/*.xsd; do
    name=$(basename "$xsd" .xsd)
    echo "  /// The text of rubrics/schema/$name.xsd."
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
