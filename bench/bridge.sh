#!/usr/bin/env bash
# Times our bin/bridge (with our host-local, in-process and exec'ed) against the reference
# /usr/lib/cni/bridge (with its host-local) on the same config, in one run, interleaved, and
# prints medians and ratios.
#
#   bench/bridge.sh [RUNS]   (default 30; as root; build first: mvn -B -DskipTests package)
#
# The config is the reference baseline's bridge (isGateway, ipMasq, hairpinMode, a /24 and a
# default route), version 1.0.0. Three variants, each on a bridge, subnet and store of its own:
#   ours       bin/bridge, CNI_PATH=bin/ : host-local found as our launcher, run in-process
#   ours-exec  the same with JCNI_DELEGATE_IN_PROCESS=0: host-local exec'ed (a second JVM)
#   reference  /usr/lib/cni/bridge, CNI_PATH=/usr/lib/cni (masquerading through iptables-nft)
# Everything runs in two throwaway namespaces, one playing the host (bridges, rules, forwarding
# never reach the real host) and one the sandbox; each ADD is followed by its DEL. Wall time per
# exec (PATH set as a runtime sets it: the reference execs iptables) is measured around fork+exec+wait with bash's EPOCHREALTIME (µs), nsenter included (the
# same for every variant). Before each round the script waits (bounded) for the CPUs to be >= 85%
# idle, because this VM's cores are shared; the idle percentage and the load average are reported.
set -euo pipefail
runs=${1:-30}
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/bench/lib.sh"
ours=$here/bin/bridge
ref=/usr/lib/cni/bridge
[ -x "$ours" ] && [ -x "$here/bin/host-local" ] || { echo "missing $ours or bin/host-local: run mvn -B -DskipTests package" >&2; exit 1; }
[ -x "$ref" ] || { echo "missing $ref: apt-get install containernetworking-plugins" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "run as root (namespaces)" >&2; exit 1; }

host=jcni-bbh-$$
sandbox=jcni-bbs-$$
data=$(mktemp -d)
cleanup() { ip netns del "$host" 2>/dev/null || true; ip netns del "$sandbox" 2>/dev/null || true; rm -rf "$data"; }
trap cleanup EXIT
ip netns add "$host"
ip netns add "$sandbox"
ip -n "$host" link set lo up

conf() { # NAME BRIDGE THIRD-OCTET
  cat <<JSON
{"cniVersion":"1.0.0","name":"$1","type":"bridge","bridge":"$2","isGateway":true,"ipMasq":true,"hairpinMode":true,
 "ipam":{"type":"host-local","dataDir":"$data/ipam","ranges":[[{"subnet":"10.77.$3.0/24"}]],"routes":[{"dst":"0.0.0.0/0"}]}}
JSON
}
conf_ours=$(conf bench-ours jbb-ours 1)
conf_exec=$(conf bench-exec jbb-exec 2)
conf_ref=$(conf bench-ref jbb-ref 3)


# time_exec BINARY COMMAND STDIN CONTAINER CNI_PATH [VAR=VALUE...] -> prints microseconds; fails the run if the plugin fails
time_exec() {
  local bin=$1 cmd=$2 input=$3 id=$4 path=$5 t0 t1 rc
  shift 5
  printf '%s' "$input" >"$data/stdin"
  t0=$EPOCHREALTIME
  set +e
  env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin CNI_COMMAND="$cmd" CNI_CONTAINERID="$id" CNI_NETNS="/run/netns/$sandbox" CNI_IFNAME=eth0 CNI_PATH="$path" \
      JCNI_STATE_ROOTS="$data:/run/cni:/var/lib/cni" JCNI_LOCK_DIR="$data/locks" "$@" nsenter --net="/run/netns/$host" "$bin" <"$data/stdin" >/dev/null 2>"$data/stderr"
  rc=$?
  set -e
  t1=$EPOCHREALTIME
  if [ $rc -ne 0 ]; then echo "$bin $cmd failed: $(cat "$data/stderr")" >&2; exit 1; fi
  echo $(( (${t1/./} - ${t0/./}) ))
}

declare -a a_ours d_ours a_exec d_exec a_ref d_ref idles
# Warm-up: the bridges are created by the first ADD of each variant (not timed), page cache.
for _ in 1 2; do
  time_exec "$ours" ADD "$conf_ours" bench-ours "$here/bin" >/dev/null; time_exec "$ours" DEL "$conf_ours" bench-ours "$here/bin" >/dev/null
  time_exec "$ours" ADD "$conf_exec" bench-exec "$here/bin" JCNI_DELEGATE_IN_PROCESS=0 >/dev/null
  time_exec "$ours" DEL "$conf_exec" bench-exec "$here/bin" JCNI_DELEGATE_IN_PROCESS=0 >/dev/null
  time_exec "$ref" ADD "$conf_ref" bench-ref /usr/lib/cni >/dev/null; time_exec "$ref" DEL "$conf_ref" bench-ref /usr/lib/cni >/dev/null
done
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
for ((r = 0; r < runs; r++)); do
  wait_quiet
  a_ours+=("$(time_exec "$ours" ADD "$conf_ours" bench-ours "$here/bin")")
  d_ours+=("$(time_exec "$ours" DEL "$conf_ours" bench-ours "$here/bin")")
  a_exec+=("$(time_exec "$ours" ADD "$conf_exec" bench-exec "$here/bin" JCNI_DELEGATE_IN_PROCESS=0)")
  d_exec+=("$(time_exec "$ours" DEL "$conf_exec" bench-exec "$here/bin" JCNI_DELEGATE_IN_PROCESS=0)")
  a_ref+=("$(time_exec "$ref" ADD "$conf_ref" bench-ref /usr/lib/cni)")
  d_ref+=("$(time_exec "$ref" DEL "$conf_ref" bench-ref /usr/lib/cni)")
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

row() {
  local name=$1 mo me mr; shift
  local -n o=$1 e=$2 r=$3
  mo=$(median "${o[@]}"); me=$(median "${e[@]}"); mr=$(median "${r[@]}")
  printf '| %-4s | %9s | %9s | %8s | %6.1fx | %6.1fx |\n' "$name" "$(ms "$mo")" "$(ms "$me")" "$(ms "$mr")" \
    "$(awk -v a="$mo" -v b="$mr" 'BEGIN {print a/b}')" "$(awk -v a="$me" -v b="$mr" 'BEGIN {print a/b}')"
}
echo "bridge + host-local: ours=$ours reference=$ref runs=$runs ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs)"
# bin/bridge is the native launcher; with no jcnid answering it execs the JVM script beside it.
echo "JVM: $(jvm_of "$ours") (no jcnid answers: the in-process path; bench/daemon.sh times the daemon)"
echo "CPU idle before rounds: median $(median "${idles[@]}")%, min $(printf '%s\n' "${idles[@]}" | sort -n | head -1)%;" \
     "load average before $load_before, after $load_after"
echo
echo "| verb | ours ms (IPAM in-process) | ours ms (IPAM exec) | ref ms | ratio in-process | ratio exec |"
echo "|------|---------:|---------:|--------:|-------:|-------:|"
row ADD a_ours a_exec a_ref
row DEL d_ours d_exec d_ref
