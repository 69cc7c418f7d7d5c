#!/usr/bin/env bash
# The fast path measured (issue 12): for tuning, bridge (+host-local), portmap, bandwidth and
# host-local alone, in one run and interleaved, the reference Go plugin (/usr/lib/cni), ours
# in-process (JCNI_DAEMON=off: a JVM per exec) and ours through a jcnid this script starts on a
# private socket; per verb VERSION, ADD, CHECK, DEL the median and p90. Then a whole chain
# (bridge, portmap, bandwidth, tuning) ADD and DEL through bin/cnictl, ours through jcnid against
# the reference plugins, and memory: the launcher's peak RSS (/usr/bin/time -v) and jcnid's
# steady RSS (VmRSS after the runs).
#
#   bench/daemon.sh [RUNS] [CHAIN_RUNS]   (default 30 and 15; as root; build first:
#                                          mvn -B -DskipTests package)
#
# Everything happens in two throwaway namespaces, one playing the host (bridges, rules, ifbs,
# forwarding never reach the real host; jcnid runs there too, as a node's would share the
# runtime's namespace) and one the sandbox. Each ADD is followed by its CHECK (with the ADD's
# result as prevResult) and its DEL, so every ADD sees the same state; each variant has its own
# bridge, subnet, store and container ID. Wall time per exec is measured around fork+exec+wait
# with bash's EPOCHREALTIME (µs), nsenter into the host namespace included (the same for every
# variant). Before each round the script waits (bounded) for the CPUs to be >= 85% idle; the
# idle percentages and the load average are reported.
set -euo pipefail
runs=${1:-30}
chain_runs=${2:-15}
here=$(cd "$(dirname "$0")/.." && pwd)
. "$here/bench/lib.sh"
bin=$here/bin
ref=/usr/lib/cni
plugins="tuning bridge portmap bandwidth host-local"
for p in $plugins jcnid cnictl; do
  [ -x "$bin/$p" ] || { echo "missing $bin/$p: run mvn -B -DskipTests package" >&2; exit 1; }
done
for p in $plugins; do
  [ -x "$ref/$p" ] || { echo "missing $ref/$p: apt-get install containernetworking-plugins" >&2; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "run as root (namespaces)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "python3 is needed (prevResult for CHECK)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "/usr/bin/time is needed (package time)" >&2; exit 1; }

host=jcni-dbh-$$
sandbox=jcni-dbs-$$
work=$(mktemp -d /tmp/jcni-daemon-bench.XXXXXX)
chmod 0700 "$work"
socket=$work/run/jcnid.sock
jcnid_pid=""
cleanup() {
  if [ -n "$jcnid_pid" ]; then kill -TERM "$jcnid_pid" 2>/dev/null || true; wait "$jcnid_pid" 2>/dev/null || true; fi
  ip netns del "$host" 2>/dev/null || true
  ip netns del "$sandbox" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
ip netns add "$host"
ip netns add "$sandbox"
ip -n "$host" link set lo up
ip -n "$sandbox" link set lo up
# tuning, portmap and bandwidth work on an existing pair: vh0 (host) <-> eth0 (sandbox)
# (made again after each bandwidth DEL: the reference's DEL leaves its qdiscs on vh0, which a
# runtime never sees because the veth goes with the sandbox, and its next ADD would fail)
reveth() {
  ip -n "$host" link del vh0 2>/dev/null || true
  ip -n "$host" link add vh0 type veth peer name eth0 netns "$sandbox"
  ip -n "$host" addr add 10.88.0.1/24 dev vh0
  ip -n "$sandbox" addr add 10.88.0.2/24 dev eth0
  ip -n "$host" link set vh0 up
  ip -n "$sandbox" link set eth0 up
}
reveth
# the uplink of the pretend host (portmap's and masquerade's rules want a default route)
ip -n "$host" link add up0 type veth peer name up1
ip -n "$host" link set up1 up
ip -n "$host" addr add 198.51.100.1/24 dev up0
ip -n "$host" link set up0 up
ip -n "$host" route add default via 198.51.100.254 dev up0

# jcnid, in the pretend host, on a private socket
mkdir -m 0700 "$work/run"
nsenter --net=/run/netns/$host env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin JCNI_SOCKET="$socket" \
    "$bin/jcnid" 2>"$work/jcnid.log" &
jcnid_pid=$!
for _ in $(seq 300); do
  JCNI_SOCKET=$socket "$bin/cnictl" daemon status >/dev/null 2>&1 && break
  sleep 0.2
done
JCNI_SOCKET=$socket "$bin/cnictl" daemon status >/dev/null || { echo "jcnid did not start:" >&2; cat "$work/jcnid.log" >&2; exit 1; }

variants="ref inproc daemon"
third() { case $1 in ref) echo 1 ;; inproc) echo 2 ;; daemon) echo 3 ;; esac; }

conf() { # PLUGIN VARIANT
  local n; n=$(third "$2")
  case $1 in
    tuning) printf '{"cniVersion":"1.0.0","name":"db-tuning","type":"tuning","dataDir":"%s","mtu":1400,"sysctl":{"net.core.somaxconn":"1024","net.ipv4.conf.eth0.rp_filter":"2"},"prevResult":{"cniVersion":"1.0.0","interfaces":[{"name":"eth0","sandbox":"/run/netns/%s"}],"ips":[{"address":"10.88.0.2/24","gateway":"10.88.0.1","interface":0}]}}' \
        "$work/tuning-$2" "$sandbox" ;;
    bridge) printf '{"cniVersion":"1.0.0","name":"db-bridge-%s","type":"bridge","bridge":"jdb%s","isGateway":true,"ipMasq":true,"hairpinMode":true,"ipam":{"type":"host-local","dataDir":"%s","ranges":[[{"subnet":"10.77.%s.0/24"}]],"routes":[{"dst":"0.0.0.0/0"}]}}' \
        "$2" "$n" "$work/ipam" "$n" ;;
    portmap) printf '{"cniVersion":"1.0.0","name":"db-portmap","type":"portmap","snat":true,"runtimeConfig":{"portMappings":[{"hostPort":%s,"containerPort":80,"protocol":"tcp"}]},"prevResult":{"cniVersion":"1.0.0","interfaces":[{"name":"eth0","sandbox":"/run/netns/%s"}],"ips":[{"address":"10.88.0.2/24","interface":0}]}}' \
        "1808$n" "$sandbox" ;;
    bandwidth) printf '{"cniVersion":"1.0.0","name":"db-bandwidth","type":"bandwidth","runtimeConfig":{"bandwidth":{"ingressRate":100000000,"ingressBurst":1000000,"egressRate":100000000,"egressBurst":1000000}},"prevResult":{"cniVersion":"1.0.0","interfaces":[{"name":"vh0"},{"name":"eth0","sandbox":"/run/netns/%s"}],"ips":[{"address":"10.88.0.2/24","interface":1}]}}' \
        "$sandbox" ;;
    host-local) printf '{"cniVersion":"1.0.0","name":"db-hl-%s","ipam":{"type":"host-local","dataDir":"%s","ranges":[[{"subnet":"10.66.%s.0/24"}]]}}' \
        "$2" "$work/ipam" "$n" ;;
  esac
}

# with_prev CONF RESULT: CONF with RESULT as its prevResult (CHECK)
with_prev() {
  python3 -c 'import json,sys; c=json.loads(sys.argv[1]); c["prevResult"]=json.loads(sys.argv[2]); print(json.dumps(c))' "$1" "$2"
}

ifname_of() { [ "$1" = bridge ] && echo eth1 || { [ "$1" = host-local ] && echo eth9 || echo eth0; }; }

# time_exec PLUGIN VARIANT VERB STDIN -> microseconds on stdout, the plugin's stdout in $work/out
time_exec() {
  local p=$1 v=$2 verb=$3 input=$4 exe dir mode t0 t1 rc=0
  if [ "$v" = ref ]; then exe=$ref/$p; dir=$ref; mode="JCNI_DAEMON=off"; else exe=$bin/$p; dir=$bin; mode="JCNI_SOCKET=$socket"; fi
  [ "$v" = inproc ] && mode="JCNI_DAEMON=off"
  t0=$EPOCHREALTIME
  printf '%s' "$input" | nsenter --net=/run/netns/$host env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin CNI_COMMAND="$verb" \
      CNI_CONTAINERID="db-$p-$v" CNI_NETNS="/run/netns/$sandbox" CNI_IFNAME="$(ifname_of "$p")" CNI_PATH="$dir" \
      JCNI_STATE_ROOTS="$work" JCNI_LOCK_DIR="$work/locks" "$mode" "$exe" >"$work/out" 2>"$work/err" || rc=$?
  t1=$EPOCHREALTIME
  if [ $rc -ne 0 ] && [ "$v" = ref ] && [ "$verb" = CHECK ]; then
    # the reference's own CHECK failures (portmap 1.1.1 looks for an ipv6 chain it never made):
    # reported as such, not timed
    tr -s ' \n' ' ' <"$work/out" >"$work/ref-check-$p.err"; echo fail; return
  fi
  if [ $rc -ne 0 ]; then echo "$p $v $verb failed ($rc): $(cat "$work/out" "$work/err")" >&2; exit 1; fi
  if [ "$p" = bandwidth ] && [ "$verb" = DEL ]; then reveth; fi
  echo $(( ${t1/./} - ${t0/./} ))
}

declare -a idles loads
# lib.sh's wait_quiet, and the 1-minute load average at that moment
quiet_round() { wait_quiet; loads+=("$(cut -d' ' -f1 /proc/loadavg)"); }

declare -A samples
record() { samples[$1]+="$2 "; }

# warm-up: page cache, jcnid's JIT for each plugin's paths
for p in $plugins; do
  for v in $variants; do
    c=$(conf "$p" "$v")
    for _ in 1 2 3; do
      time_exec "$p" "$v" ADD "$c" >/dev/null
      time_exec "$p" "$v" DEL "$c" >/dev/null
    done
  done
done

for ((r = 0; r < runs; r++)); do
  quiet_round
  # rotate the variants' order each round, so none always runs right after another's
  case $((r % 3)) in 0) order="ref inproc daemon" ;; 1) order="inproc daemon ref" ;; 2) order="daemon ref inproc" ;; esac
  for p in $plugins; do
    for v in $order; do
      c=$(conf "$p" "$v")
      record "$p $v VERSION" "$(time_exec "$p" "$v" VERSION '{"cniVersion":"1.0.0"}')"
      record "$p $v ADD" "$(time_exec "$p" "$v" ADD "$c")"
      checked=$(with_prev "$c" "$(cat "$work/out")")
      record "$p $v CHECK" "$(time_exec "$p" "$v" CHECK "$checked")"
      record "$p $v DEL" "$(time_exec "$p" "$v" DEL "$c")"
    done
  done
done

# --- a whole chain through cnictl -----------------------------------------------------------------
mkdir -p "$work/net-ours" "$work/net-ref" "$work/cache-ours" "$work/cache-ref"
chain() { # VARIANT
  local n; n=$(third "$1")
  printf '{"cniVersion":"1.0.0","name":"db-chain-%s","plugins":[{"type":"bridge","bridge":"jdc%s","isGateway":true,"ipMasq":true,"hairpinMode":true,"ipam":{"type":"host-local","dataDir":"%s","ranges":[[{"subnet":"10.55.%s.0/24"}]],"routes":[{"dst":"0.0.0.0/0"}]}},{"type":"portmap","capabilities":{"portMappings":true},"snat":true},{"type":"bandwidth","capabilities":{"bandwidth":true}},{"type":"tuning","dataDir":"%s","mtu":1400,"sysctl":{"net.core.somaxconn":"1024"}}]}' \
    "$1" "$n" "$work/ipam" "$n" "$work/chain-tuning-$1"
}
chain ref >"$work/net-ref/chain.conflist"
chain daemon >"$work/net-ours/chain.conflist"
cap='{"portMappings":[{"hostPort":18090,"containerPort":80,"protocol":"tcp"}],"bandwidth":{"ingressRate":100000000,"ingressBurst":1000000,"egressRate":100000000,"egressBurst":1000000}}'
# time_chain VARIANT VERB -> "wall-µs plugin-ms-sum" (the plugin execs' own times from cnictl -v)
time_chain() {
  local v=$1 verb=$2 dir=$bin net=$work/net-ours cache=$work/cache-ours mode="JCNI_SOCKET=$socket" t0 t1 rc=0 name
  [ "$v" = ref ] && { dir=$ref; net=$work/net-ref; cache=$work/cache-ref; mode="JCNI_DAEMON=off"; }
  name=db-chain-$v
  t0=$EPOCHREALTIME
  nsenter --net=/run/netns/$host env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin CNI_PATH="$dir" NETCONFPATH="$net" CAP_ARGS="$cap" \
      JCNI_STATE_ROOTS="$work" JCNI_LOCK_DIR="$work/locks" "$mode" \
      "$bin/cnictl" -v -i eth2 --cache-dir "$cache" --container-id "db-chain-$v" "$verb" "$name" "/run/netns/$sandbox" \
      >"$work/out" 2>"$work/err" || rc=$?
  t1=$EPOCHREALTIME
  if [ $rc -ne 0 ]; then echo "chain $v $verb failed ($rc): $(cat "$work/out" "$work/err")" >&2; exit 1; fi
  echo "$(( ${t1/./} - ${t0/./} )) $(grep -E '^cnictl: .* in [0-9.]+ ms$' "$work/err" | awk '{s+=$(NF-1)} END {printf "%.2f", s}')"
}
for _ in 1 2; do time_chain ref add >/dev/null; time_chain ref del >/dev/null; time_chain daemon add >/dev/null; time_chain daemon del >/dev/null; done
head -c 2000 "$work/err" >"$work/chain-verbose-sample"
declare -a ca_ref cd_ref ca_ours cd_ours pa_ref pd_ref pa_ours pd_ours
for ((r = 0; r < chain_runs; r++)); do
  quiet_round
  read -r w s < <(time_chain ref add); ca_ref+=("$w"); pa_ref+=("$s")
  read -r w s < <(time_chain ref del); cd_ref+=("$w"); pd_ref+=("$s")
  read -r w s < <(time_chain daemon add); ca_ours+=("$w"); pa_ours+=("$s")
  read -r w s < <(time_chain daemon del); cd_ours+=("$w"); pd_ours+=("$s")
done

# --- memory ------------------------------------------------------------------------------------------
rss_of() { # PLUGIN VARIANT -> peak RSS in KiB of one VERSION exec (the launcher, or the JVM / Go binary)
  local exe=$bin/$1 mode="JCNI_SOCKET=$socket"
  [ "$2" = ref ] && exe=$ref/$1
  [ "$2" = inproc ] && mode="JCNI_DAEMON=off"
  echo '{"cniVersion":"1.0.0"}' | env -i CNI_COMMAND=VERSION "$mode" /usr/bin/time -v "$exe" 2>&1 >/dev/null \
    | awk -F': ' '/Maximum resident set size/ {print $2}'
}
rss_add() { # PLUGIN VARIANT -> peak RSS in KiB of one ADD exec (then its DEL)
  local p=$1 v=$2 exe=$bin/$1 mode="JCNI_SOCKET=$socket" dir=$bin c kb
  [ "$v" = ref ] && { exe=$ref/$1; dir=$ref; }
  [ "$v" = inproc ] && mode="JCNI_DAEMON=off"
  c=$(conf "$p" "$v")
  kb=$(printf '%s' "$c" | nsenter --net=/run/netns/$host env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin CNI_COMMAND=ADD \
      CNI_CONTAINERID="db-$p-$v" CNI_NETNS="/run/netns/$sandbox" CNI_IFNAME="$(ifname_of "$p")" CNI_PATH="$dir" \
      JCNI_STATE_ROOTS="$work" JCNI_LOCK_DIR="$work/locks" "$mode" /usr/bin/time -v "$exe" 2>&1 >/dev/null \
      | awk -F': ' '/Maximum resident set size/ {print $2}')
  time_exec "$p" "$v" DEL "$c" >/dev/null
  echo "$kb"
}

# --- report --------------------------------------------------------------------------------------------
pct() { # P values... -> nearest-rank percentile
  local p=$1; shift
  printf '%s\n' "$@" | sort -n | awk -v p="$p" '{a[NR]=$1} END {i=int(NR*p/100+0.999999); if (i<1) i=1; print a[i]}'
}
ms() { awk -v us="$1" 'BEGIN {printf "%.2f", us/1000}'; }
median_of() { pct 50 "$@"; }

echo "bench/daemon.sh: runs=$runs chain_runs=$chain_runs ($(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs, $(uname -r))"
echo "jcnid: pid $jcnid_pid, $(JCNI_SOCKET=$socket "$bin/cnictl" daemon status | python3 -c 'import json,sys; s=json.load(sys.stdin); print("build", s["build"], "served", s["requests"]["total"], "requests, errors", json.dumps(s["errors"]))')"
echo "CPU idle before rounds: median $(median_of "${idles[@]}")%, min $(printf '%s\n' "${idles[@]}" | sort -n | head -1)%; load average (1 min) median $(median "${loads[@]}"), max $(printf '%s\n' "${loads[@]}" | sort -n | tail -1)"
echo
echo "Per verb, ms (median / p90); ratio = through jcnid / reference (median)"
echo
echo "| plugin | verb | reference | ours in-process | ours through jcnid | jcnid / ref |"
echo "|---|---|---:|---:|---:|---:|"
for p in $plugins; do
  for verb in VERSION ADD CHECK DEL; do
    line="| $p | $verb"
    for v in $variants; do
      # shellcheck disable=SC2086
      set -- $(printf '%s\n' ${samples[$p $v $verb]} | grep -E '^[0-9]+$' || true)
      if [ $# = 0 ]; then
        line="$line | fails*"; eval "med_$v=0"; failed_checks+="$p: $(cat "$work/ref-check-$p.err" 2>/dev/null) "
        continue
      fi
      line="$line | $(ms "$(pct 50 "$@")") / $(ms "$(pct 90 "$@")")"
      eval "med_$v=$(pct 50 "$@")"
    done
    echo "$line | $(awk -v a="$med_daemon" -v b="$med_ref" 'BEGIN {if (b > 0) printf "%.2f", a/b; else print "-"}') |"
  done
done
[ -z "${failed_checks:-}" ] || echo "* the reference's CHECK fails here: $failed_checks"
echo
echo "Whole chain (bridge+host-local, portmap, bandwidth, tuning) through bin/cnictl -v, ms (median / p90):"
echo "wall = cnictl's whole run (its own JVM start included, the same for both); plugins = the sum of the plugin execs' times cnictl reports"
echo
echo "| chain | ADD wall | ADD plugins | DEL wall | DEL plugins |"
echo "|---|---:|---:|---:|---:|"
echo "| reference plugins | $(ms "$(pct 50 "${ca_ref[@]}")") / $(ms "$(pct 90 "${ca_ref[@]}")") | $(pct 50 "${pa_ref[@]}") / $(pct 90 "${pa_ref[@]}") | $(ms "$(pct 50 "${cd_ref[@]}")") / $(ms "$(pct 90 "${cd_ref[@]}")") | $(pct 50 "${pd_ref[@]}") / $(pct 90 "${pd_ref[@]}") |"
echo "| ours through jcnid | $(ms "$(pct 50 "${ca_ours[@]}")") / $(ms "$(pct 90 "${ca_ours[@]}")") | $(pct 50 "${pa_ours[@]}") / $(pct 90 "${pa_ours[@]}") | $(ms "$(pct 50 "${cd_ours[@]}")") / $(ms "$(pct 90 "${cd_ours[@]}")") | $(pct 50 "${pd_ours[@]}") / $(pct 90 "${pd_ours[@]}") |"
echo
echo "Memory (KiB, peak RSS of one exec, /usr/bin/time -v):"
echo
echo "| plugin | reference VERSION | ours in-process VERSION | launcher VERSION | reference ADD | ours in-process ADD | launcher ADD |"
echo "|---|---:|---:|---:|---:|---:|---:|"
for p in $plugins; do
  echo "| $p | $(rss_of "$p" ref) | $(rss_of "$p" inproc) | $(rss_of "$p" daemon) | $(rss_add "$p" ref) | $(rss_add "$p" inproc) | $(rss_add "$p" daemon) |"
done
echo
echo "jcnid after the runs: $(grep -E 'VmRSS|VmHWM' /proc/"$jcnid_pid"/status | tr -s ' \t' ' ' | paste -sd ',' -), threads $(grep Threads /proc/"$jcnid_pid"/status | awk '{print $2}')"
