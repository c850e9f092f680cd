#!/bin/sh
# Benchmark: `mastery validate` (XSD + semantic lint) against `xmllint --schema`
# (XSD only) on the same 1,000 generated rubrics, in the same run, release build.
# Targets: mastery within 1.5x of xmllint's time; one rubric under 50 ms wall.
#
# Usage: Benchmarks/validate.sh [COUNT] [RUNS]
set -eu
cd "$(dirname "$0")/.."
count=${1:-1000}
runs=${2:-7}
work=Benchmarks/.work
rm -rf "$work" && mkdir -p "$work"
python3 Benchmarks/generate_rubrics.py "$work/rubrics" "$count"
swift build -c release --product mastery >/dev/null
bin=.build/release/mastery
schema=rubrics/schema/microcredential.xsd
files=$(ls "$work"/rubrics/*.xml)
bytes=$(cat $files | wc -c)

# Both must agree that every generated rubric is valid before timing means anything.
xmllint --noout --schema "$schema" $files 2>"$work/xmllint.log" || { tail "$work/xmllint.log"; exit 1; }
$bin validate --no-run $files 2>"$work/mastery.log" || { cat "$work/mastery.log"; exit 1; }

# --no-run: what xmllint does (XSD) plus the lint, without running the author's Python tests.

# median wall seconds of $runs runs of a command
median() {
  python3 Benchmarks/median.py "$runs" "$@"
}

xmllint_time=$(median xmllint --noout --schema "$schema" $files)
mastery_time=$(median $bin validate --no-run "$work/rubrics")
mastery_list=$(median $bin validate --no-run $files)
mastery_one_job=$(median $bin validate --no-run --jobs 1 "$work/rubrics")
one=$(echo "$files" | head -1)
single_time=$(runs=21 median $bin validate --no-run "$one")
xmllint_single=$(runs=21 median xmllint --noout --schema "$schema" "$one")

python3 - "$count" "$bytes" "$xmllint_time" "$mastery_time" "$mastery_list" "$mastery_one_job" "$single_time" "$xmllint_single" <<'PY'
import sys
count, size = int(sys.argv[1]), int(sys.argv[2])
xmllint, mastery, listed, one_job, single, xmllint_single = map(float, sys.argv[3:])
print(f"rubrics: {count} files, {size / count / 1024:.1f} KiB each on average")
print(f"xmllint --noout --schema FILES (XSD only, 1 core): {xmllint * 1000:8.1f} ms")
print(f"mastery validate FOLDER (XSD + lint, all cores):   {mastery * 1000:8.1f} ms   ratio {mastery / xmllint:.2f}x (target <= 1.5x)")
print(f"mastery validate FILES  (XSD + lint, all cores):   {listed * 1000:8.1f} ms   ratio {listed / xmllint:.2f}x (argument parsing is quadratic in the file count)")
print(f"mastery validate --jobs 1 FOLDER:                  {one_job * 1000:8.1f} ms   ratio {one_job / xmllint:.2f}x")
print(f"one rubric, process start included:                {single * 1000:8.1f} ms   (target < 50 ms; xmllint {xmllint_single * 1000:.1f} ms)")
ok = mastery / xmllint <= 1.5 and single < 0.050
print("targets: " + ("met" if ok else "NOT met"))
PY
