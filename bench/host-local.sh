#!/usr/bin/env bash
# Times our bin/host-local against the reference /usr/lib/cni/host-local on the same requests, in
# one run, interleaved (ours, reference, ours, ...), and prints medians and ratios.
#
#   bench/host-local.sh [RUNS] [LEASES]   (default 30 runs, 50 leases; as root; build first: mvn -B -DskipTests package)
#
# Verbs: VERSION; ADD and DEL of a dual-stack config (one IPv4 and one IPv6 range set, routes),
# as bridge delegates them. Each store holds LEASES other leases first (a node with some pods:
# ADD and DEL read every lease, as the reference does). Each ADD is followed by its DEL, so every
# ADD sees the same number of leases. Ours and the reference's keep separate stores with the same
# config. Wall time per exec is measured around fork+exec+wait with bash's EPOCHREALTIME (µs).
# Before each sample the script waits (bounded) for the CPUs to be >= 85% idle, because this VM's
# cores are shared; the idle percentage seen is reported.
set -euo pipefail
runs=${1:-30}
leases=${2:-50}
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/bench/lib.sh"
ours=$here/bin/host-local
ref=/usr/lib/cni/host-local
[ -x "$ours" ] || { echo "missing $ours: run mvn -B -DskipTests package" >&2; exit 1; }
[ -x "$ref" ] || { echo "missing $ref: apt-get install containernetworking-plugins" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "run as root (a namespace for CNI_NETNS)" >&2; exit 1; }

ns=jcni-bench-$$
data=$(mktemp -d)
cleanup() { ip netns del "$ns" 2>/dev/null || true; rm -rf "$data"; }
trap cleanup EXIT
# host-local never enters it, but ADD needs a sandbox that is not the plugin's own namespace.
ip netns add "$ns"

conf() {
  cat <<JSON
{"cniVersion":"1.0.0","name":"bench","type":"bridge","bridge":"cni0",
 "ipam":{"type":"host-local","dataDir":"$data/$1",
   "ranges":[[{"subnet":"10.77.0.0/16"}],[{"subnet":"fd77::/64"}]],
   "routes":[{"dst":"0.0.0.0/0"},{"dst":"::/0"}]}}
JSON
}
conf_ours=$(conf ours)
conf_ref=$(conf ref)


# time_exec BINARY COMMAND STDIN [CONTAINER] -> prints microseconds; fails the run if the plugin fails
time_exec() {
  local bin=$1 cmd=$2 input=$3 id=${4:-bench} t0 t1 rc
  # stdin from a file, not a pipe: a plugin that exits without reading it (VERSION) would
  # otherwise fail the writer with SIGPIPE now and then.
  printf '%s' "$input" >"$data/stdin"
  t0=$EPOCHREALTIME
  set +e
  env -i CNI_COMMAND="$cmd" CNI_CONTAINERID="$id" CNI_NETNS="/run/netns/$ns" \
      JCNI_STATE_ROOTS="$data:/run/cni:/var/lib/cni" CNI_IFNAME=eth0 CNI_PATH=/usr/lib/cni "$bin" <"$data/stdin" >/dev/null 2>"$data/stderr"
  rc=$?
  set -e
  t1=$EPOCHREALTIME
  if [ $rc -ne 0 ]; then echo "$bin $cmd failed: $(cat "$data/stderr")" >&2; exit 1; fi
  echo $(( (${t1/./} - ${t0/./}) ))
}

# The other pods' leases, taken by each plugin in its own store.
for ((p = 0; p < leases; p++)); do
  time_exec "$ours" ADD "$conf_ours" "pod$p" >/dev/null
  time_exec "$ref" ADD "$conf_ref" "pod$p" >/dev/null
done

declare -a idles
version_add_del "host-local: ours=$ours reference=$ref runs=$runs, $leases other leases per store" "$runs" "$ours" "$ref" "$conf_ours" "$conf_ref"
