#!/usr/bin/env bash
# Our bin/portmap (nftables verdict maps) against the reference /usr/lib/cni/portmap (Debian
# 1.1.1, iptables), in one run, each in its own throwaway "host" namespace (the real host's
# ruleset is never touched):
#  1. for N = 1, 100, 1000 attachments already present (each one hostPort), the median and p90
#     wall time of an ADD and of a DEL of one more attachment (RUNS pairs, interleaved);
#  2. with 1000 mappings installed, new TCP connections per second from the host to the host's
#     own address on a hostPort DNATed to a server in a sandbox (SECONDS seconds, one client).
#
#   bench/portmap.sh [RUNS] [SECONDS]   (defaults 11 and 5; as root; build first:
#                                        mvn -B -DskipTests package)
#
# The reference's DEL gets runtimeConfig.portMappings (it removes nothing without them); ours
# gets none. Populating 1000 reference attachments takes minutes: its ADD re-reads the whole nat
# table with every one of its ~19 iptables processes.
set -euo pipefail
runs=${1:-11}
secs=${2:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
ours=$here/bin/portmap
ref=/usr/lib/cni/portmap
[ "$(id -u)" = 0 ] || { echo "run as root (namespaces)" >&2; exit 1; }
[ -x "$ours" ] || { echo "missing $ours: run mvn -B -DskipTests package" >&2; exit 1; }
[ -x "$ref" ] || { echo "missing $ref: apt-get install containernetworking-plugins" >&2; exit 1; }
work=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for n in ours ref; do ip netns del "pmb-$n-$$" 2>/dev/null || true; ip netns del "pmb-$n-$$-s" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

# A host namespace with its own address 198.18.0.1 and a /16 towards the sandboxes, and one
# sandbox (10.200.255.254) serving TCP 8080.
setup() {
  local h=pmb-$1-$$ s=pmb-$1-$$-s
  ip netns add "$h"; ip netns add "$s"
  ip -n "$h" link set lo up; ip -n "$s" link set lo up
  ip -n "$h" link add up0 type veth peer name up1; ip -n "$h" addr add 198.18.0.1/24 dev up0
  ip -n "$h" link set up0 up; ip -n "$h" link set up1 up
  ip -n "$h" link add bh0 type veth peer name bs0 netns "$s"
  ip -n "$h" addr add 10.200.0.1/16 dev bh0; ip -n "$h" link set bh0 up
  ip -n "$s" addr add 10.200.255.254/16 dev bs0; ip -n "$s" link set bs0 up; ip -n "$s" route add default via 10.200.0.1
  ip netns exec "$h" sysctl -qw net.ipv4.ip_forward=1
  ip netns exec "$s" python3 -c '
import socket
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("0.0.0.0", 8080)); s.listen(1024)
while True:
    c, a = s.accept(); c.close()' &
  pids+=($!)
}

conf() { # name ip hostPort withMappings
  local m=""
  [ "$4" = 1 ] && m=",\"runtimeConfig\":{\"portMappings\":[{\"hostPort\":$3,\"containerPort\":8080,\"protocol\":\"tcp\"}]}"
  printf '{"cniVersion":"0.4.0","name":"pmbench","type":"portmap"%s,"prevResult":{"cniVersion":"0.4.0","interfaces":[{"name":"eth0","sandbox":"/run/netns/%s"}],"ips":[{"version":"4","address":"%s/16","interface":0}]}}' \
    "$m" "$1" "$2"
}

run() { # which verb cid ip hostPort withMappings -> elapsed µs on stdout
  local which=$1 verb=$2 cid=$3 ip=$4 port=$5 withm=$6 bin=$ours
  [ "$which" = ref ] && bin=$ref
  local s=pmb-$which-$$-s start end rc
  start=$EPOCHREALTIME
  conf "$s" "$ip" "$port" "$withm" | nsenter --net=/run/netns/pmb-$which-$$ env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin CNI_COMMAND=$verb CNI_CONTAINERID=$cid \
      CNI_NETNS=/run/netns/$s CNI_IFNAME=eth0 CNI_PATH=/usr/lib/cni JCNI_LOCK_DIR=$work/locks "$bin" >"$work/out" 2>"$work/err" || rc=$?
  end=$EPOCHREALTIME
  if [ "${rc:-0}" != 0 ]; then echo "$which $verb $cid failed: $(cat "$work/out" "$work/err")" >&2; exit 1; fi
  echo $(( (${end/./} - ${start/./}) ))
}

populate() { # which from to
  local i
  for ((i = $2; i <= $3; i++)); do
    run "$1" ADD "p$i" "10.200.$((i / 250)).$((i % 250 + 2))" $((20000 + i)) 1 >/dev/null
  done
}

stats() { # label values... -> median p90 ms
  sort -n | awk -v label="$1" '{v[NR]=$1} END {m=v[int((NR+1)/2)]; p=v[int(NR*0.9+0.999)]; printf "%-28s median %7.1f ms  p90 %7.1f ms  n=%d\n", label, m/1000, p/1000, NR}'
}

setup ours; setup ref
echo "# portmap benchmark: $(date -u +%FT%TZ), $(nproc) CPUs, kernel $(uname -r), nft $(nft --version | awk '{print $2}'), runs=$runs"
prev=0
for n in 1 100 1000; do
  for w in ours ref; do populate "$w" $((prev + 1)) "$n"; done
  prev=$n
  for w in ours ref; do : > "$work/$w-add"; : > "$work/$w-del"; done
  for ((r = 0; r < runs; r++)); do
    for w in ours ref; do
      run "$w" ADD probe 10.200.255.254 19999 1 >> "$work/$w-add"
      run "$w" DEL probe 10.200.255.254 19999 $([ "$w" = ref ] && echo 1 || echo 0) >> "$work/$w-del"
    done
  done
  for w in ours ref; do
    stats "N=$n $w ADD" < "$work/$w-add"
    stats "N=$n $w DEL" < "$work/$w-del"
  done
done

echo "# new TCP connections/s to 198.18.0.1:19999 with 1000 other mappings installed (${secs}s, one client)"
for w in ours ref; do
  run "$w" ADD probe 10.200.255.254 19999 1 >/dev/null
  ip netns exec "pmb-$w-$$" python3 -c '
import socket, time, sys
end = time.time() + float(sys.argv[1]); n = 0; fail = 0
while time.time() < end:
    s = socket.socket(); s.settimeout(2)
    try:
        s.connect(("198.18.0.1", 19999)); n += 1
    except OSError:
        fail += 1
    s.close()
print("%-6s %8.0f connections/s (%d failed)" % (sys.argv[2], n / float(sys.argv[1]), fail))' "$secs" "$w"
done
