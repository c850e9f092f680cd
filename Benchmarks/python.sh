#!/bin/sh
# Benchmark: `mastery grade` (release build, sandbox on) over N generated Python
# submissions, against the floor measured in the same run: the same pytest
# command run directly on each submission (no engine, no sandbox, same
# engine-owned ini, same concurrency). Target: the engine within 1.15x of the floor.
#
# Usage: Benchmarks/python.sh [N] [JOBS]
set -eu
cd "$(dirname "$0")/.."
n=${1:-200}
jobs=${2:-$(nproc)}
work=$PWD/Benchmarks/.work/python
swift build -c release --product mastery >/dev/null
bin=$PWD/.build/release/mastery
rm -rf "$work" && mkdir -p "$work"
python3 Benchmarks/generate_python_submissions.py "$work" "$n"
tests=$work/rubrics/bench-python/tests
printf '[pytest]\npythonpath = .\naddopts =\n' > "$work/floor.ini"

# The floor: what any grader must pay to run these tests at all.
floor_one='cd "$1/code" && PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 -I -m pytest -q \
  -p no:cacheprovider -c "$2" --rootdir="$3" --junitxml="$1/floor-report.xml" "$3"/test_*.py >/dev/null 2>&1; true'
start=$(date +%s.%N)
ls -d "$work"/submissions/* | xargs -P "$jobs" -I{} sh -c "$floor_one" _ {} "$work/floor.ini" "$tests"
floor=$(python3 -c "import time,sys; print(time.time() - float(sys.argv[1]))" "$start")
rm -f "$work"/submissions/*/floor-report.xml

start=$(date +%s.%N)
status=0
MASTERY_LEDGER="$work/ledger.sqlite" "$bin" grade --jobs "$jobs" --rubrics "$work/rubrics" --format json --output "$work/results.json" "$work/submissions" || status=$?
engine=$(python3 -c "import time,sys; print(time.time() - float(sys.argv[1]))" "$start")

python3 - "$n" "$floor" "$engine" "$work/results.json" <<'PY'
import json, sys
n, floor, engine = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
summary = json.load(open(sys.argv[4]))["summary"]
assert summary["submissions"] == n and summary["error"] == 0 and summary["invalid"] == 0, summary
print(f"{n} Python submissions: {summary['earned']} earned, {summary['notYet']} not yet")
print(f"pytest directly (floor, no sandbox): {floor:6.2f} s  ({floor / n * 1000:5.1f} ms each)")
print(f"mastery grade (sandboxed):           {engine:6.2f} s  ({engine / n * 1000:5.1f} ms each)  ratio {engine / floor:.2f}x (target <= 1.15x)")
print("target: " + ("met" if engine / floor <= 1.15 else "NOT met"))
PY
