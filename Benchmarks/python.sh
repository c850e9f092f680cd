#!/bin/sh
# Benchmark: `mastery grade` (release build, sandbox on) over N generated Python submissions with
# each Python runner, against the floor measured in the same run: the same pytest command run
# directly on each submission (no engine, no sandbox, same engine-owned ini, same concurrency).
# At --jobs 1 and --jobs 2, in R interleaved rounds (each figure is the median of its rounds), so
# a slow spell of the machine weighs on every measurement alike.
# Targets: --python-runner warm at least 3x the floor's throughput (issue 18); fresh within 1.15x
# of the floor's time. Warm and fresh must reach the same verdict on every submission.
#
# Usage: Benchmarks/python.sh [N] [R]
set -eu
cd "$(dirname "$0")/.."
n=${1:-200}
rounds=${2:-2}
work=$PWD/Benchmarks/.work/python
swift build -c release --product mastery >/dev/null
bin=$PWD/.build/release/mastery
rm -rf "$work" && mkdir -p "$work"
python3 Benchmarks/generate_python_submissions.py "$work" "$n"
tests=$work/rubrics/bench-python/tests
printf '[pytest]\npythonpath = .\naddopts =\n' > "$work/floor.ini"
now() { python3 -c 'import time; print(time.time())'; }

# The floor: what any grader must pay to run these tests at all.
floor_one='cd "$1/code" && PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 -I -m pytest -q \
  -p no:cacheprovider -c "$2" --rootdir="$3" --junitxml="$1/floor-report.xml" "$3"/test_*.py >/dev/null 2>&1; true'

for round in $(seq "$rounds"); do
  for jobs in 1 2; do
    start=$(now)
    ls -d "$work"/submissions/* | xargs -P "$jobs" -I{} sh -c "$floor_one" _ {} "$work/floor.ini" "$tests"
    echo "$start $(now)" >> "$work/floor-$jobs"
    rm -f "$work"/submissions/*/floor-report.xml
    for runner in fresh warm; do
      rm -f "$work"/ledger.sqlite*
      start=$(now)
      MASTERY_LEDGER="$work/ledger.sqlite" "$bin" grade --jobs "$jobs" --python-runner "$runner" \
        --rubrics "$work/rubrics" --format json --output "$work/$runner-$jobs.json" --fail-on none "$work/submissions"
      echo "$start $(now)" >> "$work/$runner-$jobs"
    done
  done
done

python3 - "$n" "$work" "$rounds" <<'PY'
import json, statistics, sys
n, work, rounds = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
def median(name):
    return statistics.median(float(b) - float(a) for a, b in (line.split() for line in open(f"{work}/{name}")))
def verdicts(name):
    report = json.load(open(f"{work}/{name}.json"))
    summary = report["summary"]
    assert summary["submissions"] == n and summary["error"] == 0 and summary["invalid"] == 0, summary
    return {result["submission"]["path"]: result["outcome"] for result in report["results"]}, summary
met = True
print(f"{n} Python submissions, median of {rounds} interleaved rounds")
for jobs in (1, 2):
    fresh, summary = verdicts(f"fresh-{jobs}")
    warm, _ = verdicts(f"warm-{jobs}")
    assert fresh == warm, "warm and fresh verdicts differ: " + str(
        sorted(path for path in fresh if fresh[path] != warm.get(path))[:5])
    floor, fresh_time, warm_time = median(f"floor-{jobs}"), median(f"fresh-{jobs}"), median(f"warm-{jobs}")
    print(f"--jobs {jobs}: {summary['earned']} earned, {summary['notYet']} not yet, same verdicts warm and fresh")
    print(f"  pytest directly (floor, no sandbox): {floor:6.2f} s  ({floor / n * 1000:5.1f} ms each)")
    print(f"  mastery grade, fresh runner:         {fresh_time:6.2f} s  ({fresh_time / n * 1000:5.1f} ms each)  {fresh_time / floor:.2f}x the floor's time (target <= 1.15x)")
    print(f"  mastery grade, warm runner:          {warm_time:6.2f} s  ({warm_time / n * 1000:5.1f} ms each)  {floor / warm_time:.2f}x the floor's throughput (target >= 3x)")
    met = met and floor / warm_time >= 3 and fresh_time / floor <= 1.15
print("targets: " + ("met" if met else "NOT met"))
PY
