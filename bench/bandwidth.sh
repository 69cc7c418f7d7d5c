#!/usr/bin/env bash
# Our bin/bandwidth against the reference /usr/lib/cni/bandwidth (Debian 1.1.1), in one run, each
# in its own throwaway "host" namespace with one sandbox behind a veth (the real host is never
# touched):
#  1. for 1, 10, 100 and 1000 Mbit/s, both directions (ingress: to the sandbox, egress: from it),
#     burst a tenth of the rate (in bits, as reference-baseline.md): the rate on the wire (bytes
#     the shaper let through, from interface counters, and from the shaping qdisc's own counter,
#     which counts a GSO packet's headers once per segment as TBF charges them) over the
#     configured rate, and the TCP goodput (iperf3) over the configured rate; medians of REPS runs
#     of SECONDS seconds, interleaved ours/reference;
#  2. at 10 Mbit/s, ping's round-trip time from the sandbox to the host while the shaper is
#     saturated by iperf3, in each direction, over RTT_SECONDS (the reference queues 25 ms plus
#     the burst, and TCP takes tens of seconds to fill and drain that);
#  3. at 10 Mbit/s as containerd asks for it (runtimeConfig, burst 4294967295 bits: its "none"),
#     wire rate, goodput and RTT again;
#  4. the median and p90 wall time of ADD and of DEL (RUNS pairs, interleaved; the veth is made
#     anew after each DEL, outside the timing, as the reference's DEL leaves its qdiscs on it).
#
#   bench/bandwidth.sh [REPS] [SECONDS] [RUNS] [RTT_SECONDS]   (defaults 3, 8, 21 and 30; as root;
#                                                build first: mvn -B -DskipTests package)
#
# The machine's load is printed first and last: with a load above 2 the figures are contended.
set -euo pipefail
reps=${1:-3}
secs=${2:-8}
runs=${3:-21}
rtt_secs=${4:-30}
here=$(cd "$(dirname "$0")/.." && pwd)
ours=$here/bin/bandwidth
ref=/usr/lib/cni/bandwidth
[ "$(id -u)" = 0 ] || { echo "run as root (namespaces)" >&2; exit 1; }
[ -x "$ours" ] || { echo "missing $ours: run mvn -B -DskipTests package" >&2; exit 1; }
[ -x "$ref" ] || { echo "missing $ref: apt-get install containernetworking-plugins" >&2; exit 1; }
command -v iperf3 >/dev/null || { echo "iperf3 is needed" >&2; exit 1; }
work=$(mktemp -d)
cleanup() {
  for n in ours ref; do
    for ns in "bwb-$n-$$" "bwb-$n-$$-s"; do
      ip netns pids "$ns" 2>/dev/null | xargs -r kill 2>/dev/null || true
      ip netns del "$ns" 2>/dev/null || true
    done
  done
  rm -rf "$work"
}
trap cleanup EXIT

load() { cut -d' ' -f1 /proc/loadavg; }

# A host namespace (10.88.0.1) with an iperf3 server, and a sandbox (10.88.0.2) behind veth vh0.
setup() {
  local h=bwb-$1-$$ s=bwb-$1-$$-s
  ip netns add "$h"; ip netns add "$s"
  ip -n "$h" link set lo up; ip -n "$s" link set lo up
  ip -n "$h" link add vh0 type veth peer name eth0 netns "$s"
  ip -n "$h" addr add 10.88.0.1/24 dev vh0; ip -n "$s" addr add 10.88.0.2/24 dev eth0
  ip -n "$h" link set vh0 up; ip -n "$s" link set eth0 up
  ip netns exec "$h" iperf3 -s -D -p 5201 >/dev/null 2>&1
}

# A fresh veth between the two, as after a sandbox's interface plugin ran again: the reference's DEL
# leaves its qdiscs on the veth (the veth normally goes with the sandbox), so its next ADD would fail.
reveth() {
  local h=bwb-$1-$$ s=bwb-$1-$$-s
  ip -n "$h" link del vh0 2>/dev/null || true
  ip -n "$h" link add vh0 type veth peer name eth0 netns "$s"
  ip -n "$h" addr add 10.88.0.1/24 dev vh0; ip -n "$s" addr add 10.88.0.2/24 dev eth0
  ip -n "$h" link set vh0 up; ip -n "$s" link set eth0 up
}

# The rates in the network config, or (burst "containerd") in runtimeConfig as containerd sends
# them: capitalised keys and 4294967295 for the burst it does not have.
conf() { # which rateBits burstBits
  local rates
  if [ "$3" = containerd ]; then
    rates=$(printf '"runtimeConfig":{"bandwidth":{"IngressRate":%s,"IngressBurst":4294967295,"EgressRate":%s,"EgressBurst":4294967295}}' "$2" "$2")
  else
    rates=$(printf '"ingressRate":%s,"ingressBurst":%s,"egressRate":%s,"egressBurst":%s' "$2" "$3" "$2" "$3")
  fi
  printf '{"cniVersion":"1.0.0","name":"bwbench","type":"bandwidth","capabilities":{"bandwidth":true},%s,"prevResult":{"cniVersion":"1.0.0","interfaces":[{"name":"vh0"},{"name":"eth0","sandbox":"/run/netns/bwb-%s-%s-s"}],"ips":[{"address":"10.88.0.2/24","interface":1}]}}' \
    "$rates" "$1" "$$"
}

plugin() { # which verb rateBits burstBits -> elapsed µs on stdout
  local which=$1 bin=$ours start end rc=0
  [ "$which" = ref ] && bin=$ref
  start=$EPOCHREALTIME
  conf "$which" "$3" "$4" | nsenter --net=/run/netns/bwb-$which-$$ env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin CNI_COMMAND=$2 \
      CNI_CONTAINERID=bench CNI_NETNS=/run/netns/bwb-$which-$$-s CNI_IFNAME=eth0 CNI_PATH=/usr/lib/cni JCNI_LOCK_DIR=$work/locks \
      "$bin" >"$work/out" 2>"$work/err" || rc=$?
  end=$EPOCHREALTIME
  if [ "$rc" != 0 ]; then echo "$which $2 failed: $(cat "$work/out" "$work/err")" >&2; exit 1; fi
  echo $(( (${end/./} - ${start/./}) ))
}

# Bytes that left the shaper of a direction, two ways: the interface counters (the sandbox's
# received bytes for ingress, which the host veth's TBF feeds; the ifb's transmitted bytes for
# egress) and the shaping qdisc's own "Sent" counter. They differ for GSO packets: an interface
# counts a GSO packet's headers once, a qdisc (and TBF's rate) once per segment it stands for.
# Prints "interfaceBytes itsTimeµs qdiscBytes itsTimeµs" (each time taken right after its read).
counter() { # which direction
  local h=bwb-$1-$$ dev=vh0 tif tq
  if [ "$2" = ingress ]; then
    ip -n "bwb-$1-$$-s" -s -j link show dev eth0 >"$work/link.json"
  else
    dev=$(ip -n "$h" -j link show type ifb | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["ifname"])')
    ip -n "$h" -s -j link show dev "$dev" >"$work/link.json"
  fi
  tif=${EPOCHREALTIME/./}
  ip netns exec "$h" tc -s -j qdisc show dev "$dev" root >"$work/qdisc.json"
  tq=${EPOCHREALTIME/./}
  python3 -c 'import json,sys
l = json.load(open(sys.argv[2]))[0]["stats64"]["rx" if sys.argv[1] == "ingress" else "tx"]["bytes"]
q = json.load(open(sys.argv[3]))[0]["bytes"]
print(l, sys.argv[4], q, sys.argv[5])' "$2" "$work/link.json" "$work/qdisc.json" "$tif" "$tq"
}

# One iperf3 run (client in the sandbox; egress: it sends, ingress: -R), the wire rate sampled
# from 1.5 s into the run to its end. Prints "interfaceWire% qdiscWire% goodput%".
measure() { # which direction rateBits
  local s=bwb-$1-$$-s rev="" c1 ct1 q1 qt1 c2 ct2 q2 qt2
  [ "$2" = ingress ] && rev=-R
  ip netns exec "$s" iperf3 -c 10.88.0.1 -p 5201 -t $((secs + 1)) -O 1 -J $rev >"$work/iperf.json" 2>/dev/null &
  local ip=$!
  sleep 1.5
  read -r c1 ct1 q1 qt1 < <(counter "$1" "$2")
  sleep $((secs - 1))
  read -r c2 ct2 q2 qt2 < <(counter "$1" "$2")
  wait "$ip" || true
  python3 - "$work/iperf.json" "$3" "$c1" "$c2" "$ct1" "$ct2" "$q1" "$q2" "$qt1" "$qt2" <<'PY'
import json, sys
rate = float(sys.argv[2]); c1, c2, ct1, ct2, q1, q2, qt1, qt2 = (int(x) for x in sys.argv[3:11])
try:
    good = json.load(open(sys.argv[1]))["end"]["sum_received"]["bits_per_second"] / rate * 100
except Exception:
    good = float("nan")
wire = (c2 - c1) * 8 / ((ct2 - ct1) / 1e6) / rate * 100
qwire = (q2 - q1) * 8 / ((qt2 - qt1) / 1e6) / rate * 100
print("%.1f %.1f %.1f" % (wire, qwire, good))
PY
}

median() { sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}'; }

# ping from the sandbox to the host every 0.2 s for RTT_SECONDS while iperf3 saturates one
# direction, from 2 s into the flow: "median p90 max mean" ms. The window is long because the
# reference's queue (25 ms + the burst) fills and drains over tens of seconds as TCP's window
# grows and halves; ours is full within a second.
rtt() { # which direction
  local s=bwb-$1-$$-s rev=""
  [ "$2" = ingress ] && rev=-R
  ip netns exec "$s" iperf3 -c 10.88.0.1 -p 5201 -t $((rtt_secs + 4)) $rev >/dev/null 2>&1 &
  local ip=$!
  sleep 2
  ip netns exec "$s" ping -i 0.2 -c $((rtt_secs * 5)) 10.88.0.1 | sed -n 's/.*time=\([0-9.]*\) ms/\1/p' >"$work/rtt"
  wait "$ip" || true
  sort -n "$work/rtt" | awk '{v[NR]=$1; s+=$1} END {printf "%.1f %.1f %.1f %.1f", v[int((NR+1)/2)], v[int(NR*0.9+0.999)], v[NR], s/NR}'
}

echo "# bandwidth benchmark: $(date -u +%FT%TZ), $(nproc) CPUs, kernel $(uname -r), load $(load), reps=$reps secs=$secs runs=$runs rtt_secs=$rtt_secs"
if awk -v l="$(load)" 'BEGIN{exit !(l > 2)}'; then
  echo "# WARNING: load average $(load) > 2: contended machine, re-measure these figures on a quiet one"
fi
setup ours; setup ref

echo "# 1. rate on the wire (interface counters; the shaping qdisc's counter) and TCP goodput, % of the configured rate (medians of $reps)"
printf '%-11s %-8s | %7s %7s %8s | %7s %7s %8s\n' rate direction "ours if" "qdisc" goodput "ref if" "qdisc" goodput
for mbit in 1 10 100 1000; do
  rate=$((mbit * 1000000)); burst=$((rate / 10))
  for w in ours ref; do plugin "$w" ADD "$rate" "$burst" >/dev/null; done
  for dir in ingress egress; do
    for w in ours ref; do : >"$work/$w-wire"; : >"$work/$w-qdisc"; : >"$work/$w-good"; done
    for ((r = 0; r < reps; r++)); do
      for w in ours ref; do
        read -r wire qwire good < <(measure "$w" "$dir" "$rate")
        echo "$wire" >>"$work/$w-wire"; echo "$qwire" >>"$work/$w-qdisc"; echo "$good" >>"$work/$w-good"
      done
    done
    printf '%-11s %-8s | %6s%% %6s%% %7s%% | %6s%% %6s%% %7s%%\n' "$mbit Mbit/s" "$dir" "$(median <"$work/ours-wire")" \
      "$(median <"$work/ours-qdisc")" "$(median <"$work/ours-good")" "$(median <"$work/ref-wire")" "$(median <"$work/ref-qdisc")" \
      "$(median <"$work/ref-good")"
  done
  for w in ours ref; do plugin "$w" DEL "$rate" "$burst" >/dev/null; reveth "$w"; done
done

echo "# 2. ping RTT sandbox -> host through the saturated 10 Mbit/s shaper (burst 1 Mbit), ${rtt_secs} s: median p90 max mean, ms"
for w in ours ref; do plugin "$w" ADD 10000000 1000000 >/dev/null; done
for dir in ingress egress; do
  for w in ours ref; do printf '%-4s %-8s saturated: %s\n' "$w" "$dir" "$(rtt "$w" "$dir")"; done
done
for w in ours ref; do plugin "$w" DEL 10000000 1000000 >/dev/null; reveth "$w"; done

echo "# 3. 10 Mbit/s as containerd asks for it (runtimeConfig, burst 4294967295): wire %, goodput %, ping RTT median p90 max mean (ingress saturated)"
for w in ours ref; do plugin "$w" ADD 10000000 containerd >/dev/null; done
for w in ours ref; do
  read -r wire qwire good < <(measure "$w" ingress 10000000)
  printf '%-4s wire %s%% (qdisc %s%%) goodput %s%%, RTT %s ms\n' "$w" "$wire" "$qwire" "$good" "$(rtt "$w" ingress)"
done
for w in ours ref; do plugin "$w" DEL 10000000 containerd >/dev/null; reveth "$w"; done

echo "# 4. ADD and DEL wall time (10 Mbit/s both ways, $runs pairs, interleaved)"
for w in ours ref; do : >"$work/$w-add"; : >"$work/$w-del"; done
for ((r = 0; r < runs; r++)); do
  for w in ours ref; do
    plugin "$w" ADD 10000000 1000000 >>"$work/$w-add"
    plugin "$w" DEL 10000000 1000000 >>"$work/$w-del"
    reveth "$w"
  done
done
for w in ours ref; do
  for v in add del; do
    sort -n "$work/$w-$v" | awk -v label="$w ${v^^}" '{v[NR]=$1} END {printf "%-10s median %7.1f ms  p90 %7.1f ms  n=%d\n", label, v[int((NR+1)/2)]/1000, v[int(NR*0.9+0.999)]/1000, NR}'
  done
done
echo "# load at the end: $(load)"
