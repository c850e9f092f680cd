#!/bin/sh
# Benchmark: many exercises with few submissions each (a course; one candidate's CI run), where
# the per-rubric costs of python-tests (finding what the author's tests are, running them on the
# reference) weigh most. E generated rubrics, each with its own tests and reference, and P
# submissions to each; release build, sandbox on, --jobs J. Against the floor measured in the same
# run: the bare pytest command on each submission (no engine, no sandbox), J at a time.
#   first run (a new ledger): target at most 1.10x of the floor plus one bare pytest run per reference;
#   reference known (the ledger has seen these tests before): target at most 1.10x of the floor.
#
# Usage: Benchmarks/exercises.sh [E] [P] [J] [ROUNDS]
set -eu
cd "$(dirname "$0")/.."
exercises=${1:-40}
per=${2:-3}
jobs=${3:-2}
rounds=${4:-3}
work=$PWD/Benchmarks/.work/exercises
swift build -c release --product mastery >/dev/null
bin=$PWD/.build/release/mastery
rm -rf "$work" && mkdir -p "$work"
python3 Benchmarks/generate_python_submissions.py "$work" $((exercises * per)) "$exercises" 1
printf '[pytest]\npythonpath = .\naddopts =\n' > "$work/floor.ini"
now() { python3 -c 'import time; print(time.time())'; }

# The floor: each submission's own tests, run by bare pytest in its code folder.
floor_one='c=$(sed -n "s/.*credential=\"\([^\"]*\)\".*/\1/p" "$1/submission.xml"); t="$2/rubrics/$c/tests"
  cd "$1/code" && PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 -I -m pytest -q \
  -p no:cacheprovider -c "$2/floor.ini" --rootdir="$t" --junitxml="/tmp/floor-report-$$.xml" "$t"/test_*.py >/dev/null 2>&1; true'
# One bare pytest run of each rubric's tests on its reference.
reference_one='cd "$1/reference" && PYTEST_DISABLE_PLUGIN_AUTOLOAD=1 PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 -I -m pytest -q \
  -p no:cacheprovider -c "$2/floor.ini" --rootdir="$1/tests" --junitxml="/tmp/floor-report-$$.xml" "$1/tests"/test_*.py >/dev/null 2>&1; true'

# Rounds interleave every measurement, so a slow spell of the machine weighs on all of them alike.
for round in $(seq "$rounds"); do
  start=$(now)
  ls -d "$work"/submissions/* | xargs -P "$jobs" -I{} sh -c "$floor_one" _ {} "$work"
  echo "$start $(now)" >> "$work/floor"
  start=$(now)
  ls -d "$work"/rubrics/* | xargs -P "$jobs" -I{} sh -c "$reference_one" _ {} "$work"
  echo "$start $(now)" >> "$work/references"

  for runner in fresh warm; do
    # First run: a new ledger, so every rubric's tests run on its reference once.
    rm -f "$work"/first.sqlite*
    start=$(now)
    "$bin" grade --jobs "$jobs" --python-runner "$runner" --ledger "$work/first.sqlite" --rubrics "$work/rubrics" \
      --format json --output "$work/first-$runner.json" --fail-on none "$work/submissions"
    echo "$start $(now)" >> "$work/first-$runner"

    # Reference known: the ledger graded other submissions to these rubrics before.
    rm -f "$work"/known.sqlite*
    "$bin" grade --jobs "$jobs" --python-runner "$runner" --ledger "$work/known.sqlite" --rubrics "$work/rubrics" \
      --fail-on none "$work/spare" >/dev/null
    start=$(now)
    "$bin" grade --jobs "$jobs" --python-runner "$runner" --ledger "$work/known.sqlite" --rubrics "$work/rubrics" \
      --format json --output "$work/known-$runner.json" --fail-on none "$work/submissions"
    echo "$start $(now)" >> "$work/known-$runner"
  done
done

python3 - "$exercises" "$per" "$jobs" "$work" "$rounds" <<'PY'
import json, statistics, sys
e, p, jobs = map(int, sys.argv[1:4])
work, rounds = sys.argv[4], int(sys.argv[5])
def median(name):
    spans = [float(b) - float(a) for a, b in (line.split() for line in open(f"{work}/{name}"))]
    return statistics.median(spans)
floor, references = median("floor"), median("references")
def outcomes(name):
    report = json.load(open(f"{work}/{name}.json"))
    summary = report["summary"]
    assert summary["submissions"] == e * p and summary["error"] == 0 and summary["invalid"] == 0, summary
    return {result["submission"]["path"]: result["outcome"] for result in report["results"]}
seen = [outcomes(f"{name}-{runner}") for name in ("first", "known") for runner in ("fresh", "warm")]
assert all(one == seen[0] for one in seen), "the runners' verdicts differ"
print(f"{e} exercises x {p} submissions, --jobs {jobs}, median of {rounds} interleaved rounds; same verdicts from every run")
print(f"floor, bare pytest on each submission:                 {floor:6.2f} s")
print(f"  and on each reference once:                          {references:6.2f} s")
ok = True
for runner in ("fresh", "warm"):
    first, known = median(f"first-{runner}"), median(f"known-{runner}")
    print(f"mastery grade --python-runner {runner}, first run (new ledger): {first:6.2f} s  ratio {first / (floor + references):.2f}x of floor + references (target <= 1.10x)")
    print(f"mastery grade --python-runner {runner}, reference known:        {known:6.2f} s  ratio {known / floor:.2f}x of floor (target <= 1.10x)")
    if runner == "warm":
        ok = first / (floor + references) <= 1.10 and known / floor <= 1.10
print("target (warm, the default): " + ("met" if ok else "NOT met"))
PY
