#!/bin/sh
# Benchmark: a trivial plugin evaluator (kind="command", protocol mastery-1: a shell script that
# reads the request and prints a level) on N generated submissions, one at a time, measured side by
# side in one run against:
#   (a) the same script run directly on the same request, N times (no engine, no sandbox);
#   (b) the same script run N times in bubblewrap with the engine's own sandbox arguments (the
#       same namespaces, mounts, memory file systems and limits, and as root an unprivileged uid
#       set with setpriv), started from a shell: the sandbox's fixed start-up cost.
# Target: mastery grade within 1.2x of (b), that is, the plugin's cost plus the sandbox's fixed
# start-up cost (stated per run as (b) - (a)) and little more.
#
# (b) and the engine are measured in R rounds, each (b) on N/R runs then the engine on N/R other
# submissions, so that each round's two figures are taken minutes apart at most; on this VM the
# time of one sandboxed run drifts by a third from one minute to the next. The ratio reported is
# the median of the rounds' ratios, and every round's is printed.
#
# Usage: Benchmarks/plugin.sh [N] [R]   (default 500 submissions in 5 rounds: 100 a round keep the
# engine's start-up, about 60 ms a process, near 5% of a round)
set -eu
cd "$(dirname "$0")/.."
n=${1:-500}
rounds=${2:-5}
per=$((n / rounds))
n=$((per * rounds))
work=$PWD/Benchmarks/.work/plugin
swift build -c release --product mastery >/dev/null
bin=$PWD/.build/release/mastery
rm -rf "$work" && mkdir -p "$work/rubrics/bench-plugin/plugin" "$work/submissions"
plugin=$work/rubrics/bench-plugin/plugin/run
printf '#!/bin/sh\ncat > /dev/null\necho '"'"'{"status":"scored","level":"proficient","summary":"ok"}'"'"'\n' > "$plugin"
chmod +x "$plugin"
cat > "$work/rubrics/bench-plugin/rubric.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<microcredential xmlns="urn:mastery:rubric:1" id="bench-plugin" version="1.0.0">
  <title>Plugin benchmark</title>
  <issuer name="Bench"/>
  <competency>Runs a plugin.</competency>
  <levels>
    <level id="not-yet" score="0">Not yet</level>
    <level id="proficient" score="1">Proficient</level>
  </levels>
  <evidence><item id="answer" kind="file" path="answer.txt">An answer</item></evidence>
  <criteria>
    <criterion id="check" evidence="answer">
      <title>Check</title>
      <evaluator kind="command" run="plugin/run" timeout="10s"/>
    </criterion>
  </criteria>
  <mastery><every-criterion at-least="proficient"/></mastery>
</microcredential>
XML
i=0
while [ "$i" -lt "$n" ]; do
  d=$work/submissions/round-$((i / per))/$(printf '%05d' "$i")
  mkdir -p "$d"
  echo "answer $i" > "$d/answer.txt"
  cat > "$d/submission.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<submission xmlns="urn:mastery:submission:1" credential="bench-plugin" version="1.0.0" attempt="1">
  <candidate id="t-$i"/>
  <submitted>2026-12-07T10:00:00Z</submitted>
  <evidence><answer item="answer" path="answer.txt"/></evidence>
</submission>
XML
  i=$((i + 1))
done
mkdir -p "$work/in"
request=$work/in/request.json
echo '{"protocol":"mastery-plugin/1"}' > "$request"
seconds() { python3 -c "import time,sys; print(time.time() - float(sys.argv[1]))" "$1"; }

start=$(date +%s.%N)
i=0; while [ "$i" -lt "$n" ]; do "$plugin" < "$request" > /dev/null; i=$((i + 1)); done
direct=$(seconds "$start")

# As root the engine drops to an unprivileged uid before bubblewrap starts: so does the floor.
as_user=""
if [ "$(id -u)" = 0 ]; then as_user="setpriv --reuid=64999 --regid=64999 --clear-groups --"; fi
chmod -R a+rX "$work"
floor() {
  i=0
  while [ "$i" -lt "$per" ]; do
    $as_user bwrap --unshare-all --unshare-user --disable-userns --die-with-parent --new-session --cap-drop ALL \
      --uid 65534 --gid 65534 --clearenv --setenv HOME /tmp --setenv LANG C.UTF-8 --setenv PATH /usr/bin:/bin \
      --ro-bind /usr /usr --symlink usr/lib /lib --symlink usr/lib64 /lib64 --symlink usr/bin /bin \
      --symlink usr/sbin /sbin --ro-bind-try /etc/alternatives /etc/alternatives \
      --proc /proc --dev /dev --size 16777216 --tmpfs /dev/shm --remount-ro /dev --size 67108864 --tmpfs /tmp \
      --ro-bind "$work/rubrics/bench-plugin/plugin" /box/plugin --ro-bind "$work/submissions/round-0/00000" /box/evidence \
      --ro-bind "$work/in" /box/in --size 67108864 --tmpfs /box/work \
      --remount-ro / --chdir /box/work -- /usr/bin/prlimit --cpu=10:11 --as=536870912 --fsize=16777216 \
      --nofile=256 --nproc=64 --core=0 -- \
      /bin/sh -c 'exec "$0" "$@" < /box/in/request.json' /box/plugin/run > /dev/null
    i=$((i + 1))
  done
}

figures=""
status=0
r=0
while [ "$r" -lt "$rounds" ]; do
  start=$(date +%s.%N)
  floor
  sandboxed=$(seconds "$start")
  start=$(date +%s.%N)
  MASTERY_LEDGER="$work/ledger.sqlite" "$bin" grade --jobs 1 --rubrics "$work/rubrics" --format json \
    --output "$work/results-$r.json" "$work/submissions/round-$r" || status=$?
  engine=$(seconds "$start")
  figures="$figures $sandboxed $engine"
  r=$((r + 1))
done
python3 - "$n" "$rounds" "$direct" "$work" $figures <<'PY'
import json, statistics, sys
n, rounds = int(sys.argv[1]), int(sys.argv[2]); direct = float(sys.argv[3]); work = sys.argv[4]
pairs = [(float(a), float(b)) for a, b in zip(sys.argv[5::2], sys.argv[6::2])]
per = n // rounds
earned = sum(json.load(open(f"{work}/results-{r}.json"))["summary"]["earned"] for r in range(rounds))
assert earned == n, earned
sandboxed = sum(a for a, _ in pairs); engine = sum(b for _, b in pairs)
ratios = [b / a for a, b in pairs]
ratio = statistics.median(ratios)
print(f"{n} submissions, one plugin criterion each, one at a time, in {rounds} rounds of {per}")
print(f"(a) the plugin run directly:           {direct:6.2f} s  ({direct / n * 1000:6.1f} ms each)")
print(f"(b) in the engine's sandbox, from sh: {sandboxed:6.2f} s  ({sandboxed / n * 1000:6.1f} ms each;"
      f" the sandbox's start-up {(sandboxed - direct) / n * 1000:5.1f} ms)")
print(f"mastery grade --jobs 1:                {engine:6.2f} s  ({engine / n * 1000:6.1f} ms each)")
print("ratio of each round: " + ", ".join(f"{r:4.2f}x" for r in ratios))
print(f"median ratio {ratio:4.2f}x of (b) (target <= 1.2x): {'met' if ratio <= 1.2 else 'NOT met'}")
PY
