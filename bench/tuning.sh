#!/usr/bin/env bash
# Times our bin/tuning against the reference /usr/lib/cni/tuning on the same requests, in one
# run, interleaved (ours, reference, ours, ...), and prints medians and ratios.
#
#   bench/tuning.sh [RUNS]        (default 30; as root; build first: mvn -B -DskipTests package)
#
# Verbs: VERSION; ADD and DEL of a tuning config (MTU + two sysctls) on a veth end inside a
# throwaway namespace. Each ADD is followed by its DEL, so every ADD sees the same state.
# Wall time per exec is measured around fork+exec+wait with bash's EPOCHREALTIME (µs).
# Before each sample the script waits (bounded) for the CPUs to be >= 85% idle, because this
# VM's cores are shared; the idle percentage seen is reported.
set -euo pipefail
runs=${1:-30}
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/bench/lib.sh"
ours=$here/bin/tuning
ref=/usr/lib/cni/tuning
[ -x "$ours" ] || { echo "missing $ours: run mvn -B -DskipTests package" >&2; exit 1; }
[ -x "$ref" ] || { echo "missing $ref: apt-get install containernetworking-plugins" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "run as root (namespaces)" >&2; exit 1; }

ns=jcni-bench-$$
data=$(mktemp -d)
cleanup() { ip netns del "$ns" 2>/dev/null || true; rm -rf "$data"; }
trap cleanup EXIT
ip netns add "$ns"
ip link add "jb$$" type veth peer name eth0 netns "$ns"

conf() {
  cat <<JSON
{"cniVersion":"1.0.0","name":"bench","type":"tuning","dataDir":"$data/$1","mtu":1400,
 "sysctl":{"net.core.somaxconn":"1024","net.ipv4.conf.IFNAME.rp_filter":"2"},
 "prevResult":{"cniVersion":"1.0.0","interfaces":[{"name":"eth0","sandbox":"/run/netns/$ns"}],
   "ips":[{"address":"10.99.0.2/24","gateway":"10.99.0.1","interface":0}]}}
JSON
}
conf_ours=$(conf ours)
conf_ref=$(conf ref)


# time_exec BINARY COMMAND STDIN -> prints microseconds; fails the run if the plugin fails
time_exec() {
  local bin=$1 cmd=$2 input=$3 t0 t1 rc
  t0=$EPOCHREALTIME
  set +e
  printf '%s' "$input" | env -i CNI_COMMAND="$cmd" CNI_CONTAINERID=bench CNI_NETNS="/run/netns/$ns" \
      JCNI_STATE_ROOTS="$data:/run/cni:/var/lib/cni" CNI_IFNAME=eth0 CNI_PATH=/usr/lib/cni "$bin" >/dev/null 2>"$data/stderr"
  rc=$?
  set -e
  t1=$EPOCHREALTIME
  if [ $rc -ne 0 ]; then echo "$bin $cmd failed: $(cat "$data/stderr")" >&2; exit 1; fi
  echo $(( (${t1/./} - ${t0/./}) ))
}

declare -a idles
version_add_del "tuning: ours=$ours reference=$ref runs=$runs" "$runs" "$ours" "$ref" "$conf_ours" "$conf_ref"
