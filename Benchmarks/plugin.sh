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
# Usage: Benchmarks/plugin.sh [N]
set -eu
cd "$(dirname "$0")/.."
n=${1:-200}
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
  d=$work/submissions/$(printf '%05d' "$i")
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
start=$(date +%s.%N)
i=0
while [ "$i" -lt "$n" ]; do
  $as_user bwrap --unshare-all --unshare-user --disable-userns --die-with-parent --new-session --cap-drop ALL \
    --uid 65534 --gid 65534 --clearenv --setenv HOME /tmp --setenv LANG C.UTF-8 --setenv PATH /usr/bin:/bin \
    --ro-bind /usr /usr --symlink usr/lib /lib --symlink usr/lib64 /lib64 --symlink usr/bin /bin \
    --symlink usr/sbin /sbin --ro-bind-try /etc/alternatives /etc/alternatives \
    --proc /proc --dev /dev --size 16777216 --tmpfs /dev/shm --remount-ro /dev --size 67108864 --tmpfs /tmp \
    --ro-bind "$work/rubrics/bench-plugin/plugin" /box/plugin --ro-bind "$work/submissions/00000" /box/evidence \
    --ro-bind "$work/in" /box/in --size 67108864 --tmpfs /box/work \
    --remount-ro / --chdir /box/work -- /usr/bin/prlimit --cpu=10:11 --as=536870912 --fsize=16777216 \
    --nofile=256 --nproc=64 --core=0 -- \
    /bin/sh -c 'exec "$0" "$@" < /box/in/request.json' /box/plugin/run > /dev/null
  i=$((i + 1))
done
sandboxed=$(seconds "$start")

start=$(date +%s.%N)
status=0
MASTERY_LEDGER="$work/ledger.sqlite" "$bin" grade --jobs 1 --rubrics "$work/rubrics" --format json \
  --output "$work/results.json" "$work/submissions" || status=$?
engine=$(seconds "$start")
python3 - "$n" "$direct" "$sandboxed" "$engine" "$work/results.json" <<'PY'
import json, sys
n = int(sys.argv[1]); direct, sandboxed, engine = map(float, sys.argv[2:5])
summary = json.load(open(sys.argv[5]))["summary"]
assert summary["earned"] == n, summary
ratio = engine / sandboxed
print(f"{n} submissions, one plugin criterion each, one at a time")
print(f"(a) the plugin run directly:           {direct:6.2f} s  ({direct / n * 1000:6.1f} ms each)")
print(f"(b) in the engine's sandbox, from sh: {sandboxed:6.2f} s  ({sandboxed / n * 1000:6.1f} ms each;"
      f" the sandbox's start-up {(sandboxed - direct) / n * 1000:5.1f} ms)")
print(f"mastery grade --jobs 1:                {engine:6.2f} s  ({engine / n * 1000:6.1f} ms each)"
      f"  ratio {ratio:4.2f}x of (b) (target <= 1.2x): {'met' if ratio <= 1.2 else 'NOT met'}")
PY
