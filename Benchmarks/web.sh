#!/bin/sh
# Benchmark: the web evaluator's static checks (release build) on N generated
# pages of about 50 KB (default 1,000), one submission whose criterion runs
# every built-in check set and three assertions on every page, against
# libxml2's own HTML parse of the same pages in the same run
# (`xmllint --html --noout`, one process for all of them). Target: within 2x
# of the bare parse.
#
# Usage: Benchmarks/web.sh [N]
set -eu
cd "$(dirname "$0")/.."
n=${1:-1000}
work=$PWD/Benchmarks/.work/web-$n
swift build -c release --product mastery >/dev/null
bin=$PWD/.build/release/mastery
if [ ! -f "$work/.complete" ]; then
  rm -rf "$work"
  python3 Benchmarks/generate_web_pages.py "$work" "$n"
  touch "$work/.complete"
fi
# Warm the page cache so both measure CPU, not the disk.
cat "$work"/submission/site/*.html >/dev/null
now() { python3 -c 'import time; print(time.time())'; }
best_parse=999
best_checks=999
for round in 1 2 3; do
  start=$(now)
  xmllint --html --noout "$work"/submission/site/*.html 2>/dev/null || true
  end=$(now)
  best_parse=$(python3 -c "print(min($best_parse, $end - $start))")
  rm -f "$work"/ledger.sqlite*
  start=$(now)
  "$bin" grade --ledger "$work/ledger.sqlite" --rubrics "$work/rubrics" --format json --output "$work/results.json" \
    --fail-on none "$work/submission"
  end=$(now)
  best_checks=$(python3 -c "print(min($best_checks, $end - $start))")
done
python3 - "$n" "$best_parse" "$best_checks" "$work/results.json" <<'PY'
import json, sys
n, parse, checks = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3])
result = json.load(open(sys.argv[4]))["results"][0]
summary = result["criteria"][0]["summary"]
assert f"on {n} pages" in summary, summary
print(f"{n} pages of about 50 KB ({summary}); best of 3 runs")
print(f"xmllint --html --noout (parse only): {parse:6.2f} s ({parse / n * 1000:5.2f} ms a page)")
print(f"mastery grade, all check sets:       {checks:6.2f} s ({checks / n * 1000:5.2f} ms a page)  ratio {checks / parse:.2f}x (target <= 2x)")
print("target: " + ("met" if checks / parse <= 2 else "NOT met"))
PY
