#!/bin/sh
# Benchmark: `mastery batch` (release build, ledger on, sandbox on).
#
# (a) N generated checklist-and-text submissions (default 10,000, and a tenth
#     of that for memory growth), against sha256sum over the same files in the
#     same run (the floor of any grader that records what it judged); then the
#     same batch again, where every decision stands and is reported from the
#     ledger. Targets: at least 2,000 submissions/s graded; peak memory flat in N.
# (b) M generated Python submissions (default 200) with --jobs 1 and --jobs 2,
#     against the floor measured in the same run: the bare pytest command on
#     each (no engine, no sandbox), run one at a time and two at a time with
#     xargs -P. Targets: within 1.15x of the floor at the same parallelism, and
#     --jobs 2 at least 1.7x faster than --jobs 1.
#
# Usage: Benchmarks/batch.sh [N] [M]
set -eu
cd "$(dirname "$0")/.."
n=${1:-10000}
m=${2:-200}
work=$PWD/Benchmarks/.work/batch
swift build -c release --product mastery >/dev/null
bin=$PWD/.build/release/mastery
mkdir -p "$work"
now() { python3 -c 'import time; print(time.time())'; }

# (a) checklist and text
checklist() {
  count=$1
  dir=$work/checklist-$count
  if [ ! -f "$dir/.complete" ]; then
    rm -rf "$dir"
    python3 Benchmarks/generate_submissions.py "$dir" "$count"
    touch "$dir/.complete"
  fi
  find "$dir/submissions" -type f -exec cat {} + >/dev/null
  base=$( { /usr/bin/time -f "%e %M" sh -c "find '$dir/submissions' -type f -print0 | xargs -0 sha256sum >/dev/null"; } 2>&1 | tail -1)
  rm -f "$dir"/ledger.sqlite*
  first=$( { /usr/bin/time -f "%e %M" "$bin" batch --no-progress --ledger "$dir/ledger.sqlite" --rubrics "$dir/rubrics" \
    --format json --output "$dir/results.json" --fail-on none "$dir/submissions" >/dev/null; } 2>&1 | tail -1)
  again=$( { /usr/bin/time -f "%e %M" "$bin" batch --no-progress --ledger "$dir/ledger.sqlite" --rubrics "$dir/rubrics" \
    --format json --output "$dir/again.json" --fail-on none "$dir/submissions" >/dev/null; } 2>&1 | tail -1)
  python3 - "$count" "$base" "$first" "$again" "$dir" <<'PY'
import json, sys
n = int(sys.argv[1]); base_s, _ = map(float, sys.argv[2].split())
s, kb = map(float, sys.argv[3].split()); s2, kb2 = map(float, sys.argv[4].split())
summary = json.load(open(sys.argv[5] + "/results.json"))["summary"]
assert summary["submissions"] == n, summary
assert json.load(open(sys.argv[5] + "/again.json"))["summary"] == summary
print(f"(a) N={n:>6}: batch {s:6.2f} s = {n / s:6.0f}/s, peak {kb / 1024:5.1f} MiB | resumed, all standing: {s2:5.2f} s = {n / s2:6.0f}/s, peak {kb2 / 1024:5.1f} MiB"
      f" | sha256sum {base_s:4.2f} s (ratio {s / max(base_s, 0.01):4.1f}x)")
open(sys.argv[5] + "/figures", "w").write(f"{s} {kb}")
PY
}
checklist $((n / 10))
checklist "$n"
python3 - "$work/checklist-$((n / 10))/figures" "$work/checklist-$n/figures" "$n" <<'PY'
import sys
s1, m1 = map(float, open(sys.argv[1]).read().split()); s2, m2 = map(float, open(sys.argv[2]).read().split())
n = int(sys.argv[3]); rate = n / s2
print(f"(a) peak memory growth from N={n // 10} to N={n}: {(m2 - m1) / 1024:+.1f} MiB; {rate:.0f} submissions/s; target "
      + ("met" if rate >= 2000 and m2 - m1 < 16 * 1024 else "NOT met"))
PY

# (b) Python
dir=$work/python-$m
if [ ! -f "$dir/.complete" ]; then
  rm -rf "$dir"
  python3 Benchmarks/generate_python_submissions.py "$dir" "$m"
  touch "$dir/.complete"
fi
tests=$dir/rubrics/bench-python/tests
printf '[pytest]\npythonpath = .\naddopts =\n' > "$dir/floor.ini"
floor_one='cd "$1/code" && PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 -I -m pytest -q \
  -p no:cacheprovider -c "$2" --rootdir="$3" --junitxml="/tmp/floor-report-$$.xml" "$3"/test_*.py >/dev/null 2>&1; true'
for jobs in 1 2; do
  start=$(now)
  ls -d "$dir"/submissions/* | xargs -P "$jobs" -I{} sh -c "$floor_one" _ {} "$dir/floor.ini" "$tests"
  end=$(now)
  echo "$start $end" > "$dir/floor-$jobs"
  rm -f "$dir"/ledger.sqlite*
  start=$(now)
  "$bin" batch --no-progress --jobs "$jobs" --ledger "$dir/ledger.sqlite" --rubrics "$dir/rubrics" --format json \
    --output "$dir/results-$jobs.json" --fail-on none "$dir/submissions" >/dev/null
  end=$(now)
  echo "$start $end" > "$dir/batch-$jobs"
done
python3 - "$m" "$dir" <<'PY'
import json, sys
m, d = int(sys.argv[1]), sys.argv[2]
def span(name):
    a, b = map(float, open(f"{d}/{name}").read().split())
    return b - a
for jobs in (1, 2):
    summary = json.load(open(f"{d}/results-{jobs}.json"))["summary"]
    assert summary["submissions"] == m and summary["error"] == 0 and summary["invalid"] == 0, summary
f1, f2, b1, b2 = span("floor-1"), span("floor-2"), span("batch-1"), span("batch-2")
print(f"(b) {m} Python submissions")
print(f"    floor, pytest one at a time (xargs -P1): {f1:6.2f} s | mastery batch --jobs 1: {b1:6.2f} s  ratio {b1 / f1:.2f}x")
print(f"    floor, pytest two at a time (xargs -P2): {f2:6.2f} s | mastery batch --jobs 2: {b2:6.2f} s  ratio {b2 / f2:.2f}x")
print(f"    --jobs 2 is {b1 / b2:.2f}x faster than --jobs 1 (floor: {f1 / f2:.2f}x)")
ok = b1 / f1 <= 1.15 and b2 / f2 <= 1.15 and b1 / b2 >= 1.7
print("(b) targets (<= 1.15x of the floor, >= 1.7x from 2 jobs): " + ("met" if ok else "NOT met"))
PY
