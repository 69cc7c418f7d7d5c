#!/usr/bin/env bash
# Which nftables runner is faster for a one-shot plugin: libnftables in-process, or `nft -j -f -`?
#
#   bench/nft-runner.sh [RUNS] [PERCALL]   (defaults 30 and 500; as root; build first:
#                                           mvn -B -DskipTests package)
#
# In one run, inside a throwaway network namespace (the host's ruleset is never touched):
#  1. fresh JVMs, interleaved: each applies one portmap ADD batch (the worked example's 00-base +
#     10-add-container-a as one batch) and lists the table back, through libnftables, through the
#     nft process, and (baseline) the same JVM work without nftables; the table is deleted between
#     runs, outside the timing, so every run does the same work. Median and p90 wall time.
#  2. the same two steps with the nft CLI from this shell (no JVM), for scale;
#  3. in one warm JVM, the per-call cost of apply and list through each runner.
# The JVMs run exactly as bin/ launchers run plugins: the java and flags of bin/tuning's launcher
# line, with a start-up cache trained for the bench class (both runners exercised).
set -euo pipefail
runs=${1:-30}
percall=${2:-500}
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/bench/lib.sh"
table="inet cni_hostport"

if [ "${NFT_BENCH_INSIDE:-}" != 1 ]; then
  [ "$(id -u)" = 0 ] || { echo "run as root (namespaces)" >&2; exit 1; }
  # The JVM script: bin/tuning itself where it is one, else (native launchers) bin/lib/jvm/tuning.
  launcher=$here/bin/tuning
  [ -f "$here/bin/lib/jvm/tuning" ] && launcher=$here/bin/lib/jvm/tuning
  [ -x "$launcher" ] || { echo "missing $launcher: run mvn -B -DskipTests package" >&2; exit 1; }
  command -v nft >/dev/null || { echo "nft missing: deploy/install-deps.sh" >&2; exit 1; }
  ns=jcni-bench-nft-$$
  work=$(mktemp -d)
  cleanup() { ip netns del "$ns" 2>/dev/null || true; rm -rf "$work"; }
  trap cleanup EXIT
  ip netns add "$ns"
  ip -n "$ns" link set lo up
  # The whole measurement runs inside the namespace, so each timed exec is the JVM alone.
  NFT_BENCH_INSIDE=1 NFT_BENCH_WORK=$work NFT_BENCH_LAUNCHER=$launcher ip netns exec "$ns" "$0" "$runs" "$percall"
  exit 0
fi

work=$NFT_BENCH_WORK
# --- the JVM and flags of the launcher, without its own start-up cache ---------------------------
read -r -a words < <(grep '^exec ' "$NFT_BENCH_LAUNCHER")
java=${words[1]}
flags=() classpath=""
for ((i = 2; i < ${#words[@]}; i++)); do
  w=${words[i]}
  if [ "$w" = -cp ]; then classpath=${words[i+1]}; break; fi
  case $w in -XX:AOTCache=*|-XX:AOTMode=*|-XX:SharedArchiveFile=*|-Xshare:*) ;; *) flags+=("$w") ;; esac
done
jdk=$(dirname "$(dirname "$java")")
major=$("$java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')

mkdir -p "$work/classes"
# The batch is chain-core's test WorkedExample (checked there against the reference's JSON):
# compiled from its source into the bench jar, so the bench needs no test jar and no test build.
"$jdk/bin/javac" --release 17 -nowarn -d "$work/classes" -cp "$classpath" "$here/bench/nft-runner/NftRunnerBench.java" \
  "$here/chain-core/src/test/java/dev/jcni/core/os/nft/WorkedExample.java"
# A jar, not a directory: the start-up caches accept only jars on the class path.
"$jdk/bin/jar" cf "$work/bench.jar" -C "$work/classes" .
cp="$work/bench.jar:$classpath"
main=NftRunnerBench
if [ "$major" -ge 25 ]; then
  "$java" "${flags[@]}" -XX:AOTCacheOutput="$work/bench.aot" -cp "$cp" $main train >"$work/train.log" 2>&1 \
    || { echo "training failed:" >&2; cat "$work/train.log" >&2; exit 1; }
  cache=(-XX:AOTCache="$work/bench.aot" -XX:AOTMode=on)
else
  "$java" "${flags[@]}" -XX:ArchiveClassesAtExit="$work/bench.jsa" -cp "$cp" $main train >"$work/train.log" 2>&1 \
    || { echo "training failed:" >&2; cat "$work/train.log" >&2; exit 1; }
  cache=(-XX:SharedArchiveFile="$work/bench.jsa" -Xshare:on)
fi
nft delete table $table 2>/dev/null || true

idles=()
# time_cmd CMD... -> microseconds; fails the run if CMD fails
time_cmd() {
  local t0 t1 rc
  t0=$EPOCHREALTIME
  set +e
  "$@" >/dev/null 2>"$work/stderr" </dev/null
  rc=$?
  set -e
  t1=$EPOCHREALTIME
  if [ $rc -ne 0 ]; then echo "$* failed: $(cat "$work/stderr")" >&2; exit 1; fi
  echo $(( ${t1/./} - ${t0/./} ))
}
jvm() { "$java" "${flags[@]}" "${cache[@]}" -cp "$cp" $main "$@"; }
reset() { nft delete table $table 2>/dev/null || true; }

# The same batch as a file, for the CLI baseline.
"$java" "${flags[@]}" -cp "$cp" $main json > "$work/add.json"

declare -a lib proc none cli
for _ in 1 2 3; do reset; jvm once libnftables; reset; jvm once process; reset; done >/dev/null
for ((r = 0; r < runs; r++)); do
  wait_quiet
  reset; lib+=("$(time_cmd jvm once libnftables)")
  reset; proc+=("$(time_cmd jvm once process)")
  reset; none+=("$(time_cmd jvm once none)")
  reset; cli+=("$(time_cmd sh -c "nft -j -f '$work/add.json' && nft -j list table $table")")
done
reset

summary() { # median p90 of microseconds -> "median p90" in ms
  printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {m = (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2;
    i = int(0.9*NR + 0.999999); if (i < 1) i = 1; printf "%.1f %.1f\n", m/1000, a[i]/1000}'
}
row() { local name=$1; shift; read -r m p < <(summary "$@"); printf '| %-44s | %7s | %7s |\n' "$name" "$m" "$p"; }

echo "nft runners: runs=$runs percall=$percall ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, java $major, nft $(nft --version | awk '{print $2}'))"
echo "CPU idle before samples: median $(printf '%s\n' "${idles[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')%, min $(printf '%s\n' "${idles[@]}" | sort -n | head -1)%"
echo
echo "| fresh process: ADD batch + list table         | median ms | p90 ms |"
echo "|----------------------------------------------|--------:|--------:|"
row "JVM, libnftables" "${lib[@]}"
row "JVM, nft process (2 execs)" "${proc[@]}"
row "JVM, same work without nftables (baseline)" "${none[@]}"
row "no JVM: nft -j -f FILE && nft -j list (sh)" "${cli[@]}"
echo
echo "inside those fresh JVMs, ms median (10 runs each): parse the request and build the batch, choose (probe), apply, list:"
echo
echo "| runner | parse + build | choose | apply | list |"
echo "|---|---:|---:|---:|---:|"
for runner in libnftables process; do
  rm -f "$work/phases"
  for ((r = 0; r < 10; r++)); do reset; jvm phases $runner >> "$work/phases"; done
  line="| $runner |"
  for c in 1 2 3 4; do
    line="$line $(cut -d' ' -f$c "$work/phases" | sort -n | awk '{a[NR]=$1} END {printf "%.1f", ((NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)/1000}') |"
  done
  echo "$line"
done
reset
echo
echo "in one warm JVM, per call, ms median / p90 ($percall calls each, after 50 warm-up):"
echo
echo "| runner | ADD batch again | list table | no-op batch |"
echo "|---|---:|---:|---:|"
jvm percall libnftables "$percall"
jvm percall process "$percall"
