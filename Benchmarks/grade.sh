#!/bin/sh
# Benchmark: one `mastery grade` process over N checklist-and-text submissions
# (release build), at N = 1,000 and 10,000. Prints submissions per second and
# peak memory, against a baseline measured in the same run: sha256sum over the
# same files (reading and hashing every byte: the floor of any grader that
# records what it judged), with the ledger on (a fresh one per run). Targets: at least 2,000 submissions/s on 2 cores;
# peak memory flat in N (the 10,000 run within a few MiB of the 1,000 run).
#
# Usage: Benchmarks/grade.sh [N1 N2]
set -eu
cd "$(dirname "$0")/.."
small=${1:-1000}
large=${2:-10000}
work=Benchmarks/.work/grade
swift build -c release --product mastery >/dev/null
bin=$PWD/.build/release/mastery

run() {
  n=$1
  dir=$work/$n
  if [ ! -f "$dir/.complete" ]; then
    rm -rf "$dir"
    python3 Benchmarks/generate_submissions.py "$dir" "$n"
    touch "$dir/.complete"
  fi
  # Warm the page cache so both measure CPU, not the disk.
  find "$dir/submissions" -type f -exec cat {} + >/dev/null
  base=$( { /usr/bin/time -f "%e %M" sh -c "find '$dir/submissions' -type f -print0 | xargs -0 sha256sum >/dev/null"; } 2>&1 | tail -1)
  status=0
  rm -f "$dir"/ledger.sqlite*
  out=$( { MASTERY_LEDGER="$dir/ledger.sqlite" /usr/bin/time -f "%e %M" "$bin" grade --rubrics "$dir/rubrics" --format json --output "$dir/results.json" "$dir/submissions"; } 2>&1 | tail -1) || status=$?
  python3 - "$n" "$base" "$out" "$dir/results.json" <<'PY'
import json, sys
n = int(sys.argv[1]); base_s, base_kb = map(float, sys.argv[2].split()); s, kb = map(float, sys.argv[3].split())
summary = json.load(open(sys.argv[4]))["summary"]
assert summary["submissions"] == n, summary
print(f"N={n:>6}: mastery grade {s:6.2f} s = {n / s:7.0f} submissions/s, peak {kb / 1024:6.1f} MiB"
      f" | sha256sum of the same files {base_s:5.2f} s (ratio {s / max(base_s, 0.01):4.1f}x)"
      f" | {summary['earned']} earned, {summary['notYet']} not yet, {summary['invalid']} invalid")
PY
  echo "$out" > "$work/$n.figures"
}

mkdir -p "$work"
run "$small"
run "$large"
python3 - "$small" "$large" "$work" <<'PY'
import sys
small, large, work = sys.argv[1], sys.argv[2], sys.argv[3]
s1, m1 = map(float, open(f"{work}/{small}.figures").read().split())
s2, m2 = map(float, open(f"{work}/{large}.figures").read().split())
rate = int(large) / s2
print(f"peak memory {m1 / 1024:.1f} MiB at N={small}, {m2 / 1024:.1f} MiB at N={large} (growth {(m2 - m1) / 1024:+.1f} MiB)")
print("targets: " + ("met" if rate >= 2000 and m2 - m1 < 16 * 1024 else "NOT met") + f" ({rate:.0f} submissions/s at N={large})")
PY
