#!/bin/sh
# Benchmark: checking pathological input stays linear. Valid-looking documents at
# their size limits whose every repeated element is a finding (a rubric with one
# <prompt> repeated, a manifest with one <affirm> repeated, a review document with
# one <feedback> repeated), one repeat per line and all on one line, checked by
# mastery (validate, grade, review --import) and by `xmllint --schema` on the same
# file in the same run, release build.
# Bound: mastery within 10x of xmllint --schema on every file (it also lints,
# builds a model and reports findings, capped per rule).
#
# Usage: Benchmarks/pathological.sh [RUNS]
set -eu
cd "$(dirname "$0")/.."
runs=${1:-3}
work=Benchmarks/.work/pathological
rm -rf "$work" && mkdir -p "$work"
python3 Benchmarks/generate_pathological.py "$work" .
swift build -c release --product mastery >/dev/null
bin=$PWD/.build/release/mastery

# median wall seconds of $runs runs of a command (any exit status: these inputs are invalid)
median() {
  python3 Benchmarks/median.py "$runs" --any-status "$@"
}

report=""
for layout in lines one-line; do
  rubric="$work/rubric-$layout.xml"
  manifest="$work/submission-$layout/submission.xml"
  reviews="$work/reviews-$layout.xml"
  a=$(median xmllint --noout --schema rubrics/schema/microcredential.xsd "$rubric")
  b=$(median "$bin" validate "$rubric")
  report="$report rubric-$layout $(wc -c <"$rubric") $a $b"
  a=$(median xmllint --noout --schema rubrics/schema/submission.xsd "$manifest")
  b=$(median "$bin" grade "$work/submission-$layout" --ledger "$work/ledger-$layout.sqlite")
  report="$report manifest-$layout $(wc -c <"$manifest") $a $b"
  a=$(median xmllint --noout --schema rubrics/schema/review.xsd "$reviews")
  b=$(median "$bin" review --import "$reviews" --ledger "$work/reviews-$layout.sqlite")
  report="$report reviews-$layout $(wc -c <"$reviews") $a $b"
done

python3 - $report <<'PY'
import sys
values = sys.argv[1:]
worst = 0.0
print(f"{'input':22} {'size':>9} {'xmllint --schema':>17} {'mastery':>10} {'ratio':>7}")
for i in range(0, len(values), 4):
    name, size, xmllint, mastery = values[i], int(values[i + 1]), float(values[i + 2]), float(values[i + 3])
    ratio = mastery / xmllint
    worst = max(worst, ratio)
    print(f"{name:22} {size / 1048576:7.2f} MiB {xmllint * 1000:14.1f} ms {mastery * 1000:7.1f} ms {ratio:6.2f}x")
print(f"worst ratio {worst:.2f}x (bound <= 10x): " + ("met" if worst <= 10 else "NOT met"))
PY
