#!/usr/bin/env python3
"""Recaptures the tc-*.hex goldens of the tc unit tests (as root; needs iproute2 and strace).

    tc-golden-capture.py OUTDIR

Runs iproute2's tc in a scratch network namespace under `strace -e write=3 -e read=3` and writes
each request tc sends (and, for the dumps, the kernel's first answering datagram) as hex, with a
header naming the command, the tc and kernel versions and the namespace's ifindexes. The tests
expect va=3, vb=2, ifbx=4: the links are made in that order in a fresh namespace. Nothing outside
the scratch namespace is touched; it is deleted at the end.
"""
import datetime, json, os, subprocess, sys, tempfile

OUT = sys.argv[1]
NS = "tcgold%d" % os.getpid()

def sh(*argv, check=True):
    return subprocess.run(argv, check=check, capture_output=True, text=True).stdout

def tc_in_ns(*args, check=True):
    return sh("ip", "netns", "exec", NS, "tc", *args, check=check)

def traced(args):
    """(kind, bytes) of every sendmsg/recvmsg tc did on its netlink socket (fd 3)."""
    fd, log = tempfile.mkstemp(prefix="tccap")
    os.close(fd)
    try:
        subprocess.run(["ip", "netns", "exec", NS, "strace", "-o", log, "-xx", "-e", "trace=sendmsg,recvmsg",
                        "-e", "write=3", "-e", "read=3", "tc"] + list(args), check=True, cwd="/tmp",
                       stdout=subprocess.DEVNULL)
        calls, cur = [], None
        for line in open(log):
            if line.startswith(("sendmsg", "recvmsg")):
                cur = None if "MSG_PEEK" in line else [line[:7], bytearray()]
                if cur:
                    calls.append(cur)
            elif line.startswith(" | ") and cur is not None:
                cur[1].extend(bytes.fromhex(line[10:59].replace(" ", "")))
        return calls
    finally:
        os.unlink(log)

def header(what, args):
    versions = "%s, kernel %s, %s" % (sh("tc", "-V").splitlines()[0], os.uname().release, datetime.date.today())
    return "# %s `tc %s` (%s), captured with strace.\n# Namespace %s.\n" % (what, " ".join(args), versions, INDEXES)

def write(name, head, data):
    h = data.hex()
    with open(os.path.join(OUT, name + ".hex"), "w") as f:
        f.write(head + "\n".join(h[i:i + 96] for i in range(0, len(h), 96)) + "\n")

def req(name, *args):
    sends = [d for k, d in traced(args) if k == "sendmsg"]
    write(name, header("Request sent by", args), sends[-1])

def dump(name, *args):
    calls = traced(args)
    last_send = max(i for i, (k, _) in enumerate(calls) if k == "sendmsg")
    write(name + "-request", header("Dump request sent by", args), calls[last_send][1])
    answer = next(d for k, d in calls[last_send + 1:] if k == "recvmsg")
    write(name, header("The kernel's first datagram answering", args), answer)

os.makedirs(OUT, exist_ok=True)
sh("ip", "netns", "add", NS)
try:
    sh("ip", "-n", NS, "link", "add", "va", "type", "veth", "peer", "name", "vb")
    sh("ip", "-n", NS, "link", "add", "ifbx", "type", "ifb")
    for link in ("lo", "va", "vb", "ifbx"):
        sh("ip", "-n", NS, "link", "set", link, "up")
    idx = {l["ifname"]: l["ifindex"] for l in json.loads(sh("ip", "-n", NS, "-j", "link", "show"))}
    INDEXES = "ifindex: va=%d, vb=%d, ifbx=%d" % (idx["va"], idx["vb"], idx["ifbx"])

    req("tc-tbf-add", *"qdisc add dev va root handle 1: tbf rate 10mbit burst 125000 latency 25ms".split())
    req("tc-tbf-replace-rate64", *"qdisc replace dev va root handle 1: tbf rate 40gbit burst 300000 limit 400000 mpu 64 overhead 14".split())
    req("tc-tbf-change", *"qdisc change dev va root handle 1: tbf rate 1mbit burst 10000 latency 50ms".split())
    req("tc-qdisc-del", *"qdisc del dev va root handle 1:".split())
    req("tc-ingress-add", *"qdisc add dev va ingress".split())
    req("tc-clsact-add", *"qdisc add dev vb clsact".split())
    req("tc-pfifo-add", *"qdisc add dev ifbx root handle 2: pfifo limit 50".split())
    req("tc-bfifo-replace", *"qdisc replace dev ifbx root handle 3: bfifo limit 30000".split())
    tc_in_ns("qdisc", "del", "dev", "ifbx", "root")
    req("tc-htb-add", *"qdisc add dev ifbx root handle 1: htb default 30 r2q 10".split())
    req("tc-htb-class-1-1", *"class add dev ifbx parent 1: classid 1:1 htb rate 100mbit ceil 100mbit burst 12500 cburst 12500 quantum 60000".split())
    req("tc-htb-class-1-30", *"class add dev ifbx parent 1:1 classid 1:30 htb rate 10mbit ceil 20mbit burst 125000 cburst 125000 quantum 1514 prio 1".split())
    req("tc-htb-class-1-2-rate64", *"class add dev ifbx parent 1: classid 1:2 htb rate 100gbit ceil 100gbit burst 125000000 cburst 125000000 quantum 200000".split())
    req("tc-htb-class-replace", *"class replace dev ifbx parent 1:1 classid 1:30 htb rate 5mbit ceil 5mbit burst 20000 cburst 20000 quantum 3000".split())
    req("tc-pfifo-leaf", *"qdisc add dev ifbx parent 1:30 handle 30: pfifo limit 100".split())
    req("tc-bfifo-leaf", *"qdisc add dev ifbx parent 1:2 handle 2: bfifo limit 30000".split())
    req("tc-u32-mirred-redirect", *"filter add dev va parent ffff: protocol all prio 1 u32 match u32 0 0 flowid 1:1 action mirred egress redirect dev ifbx".split())
    req("tc-u32-ip-dst", *"filter add dev ifbx parent 1: protocol ip prio 16 u32 match ip dst 10.1.2.0/24 flowid 1:2".split())
    req("tc-u32-ip6-dst", *"filter add dev ifbx parent 1: protocol ipv6 prio 15 u32 match ip6 dst 2001:db8:1::/48 flowid 1:2".split())
    req("tc-u32-ip-src", *"filter add dev ifbx parent 1: protocol ip prio 17 u32 match ip src 192.168.7.9/32 flowid 1:30".split())
    req("tc-u32-ip6-src", *"filter add dev ifbx parent 1: protocol ipv6 prio 18 u32 match ip6 src fd00:1:2:3:4:5:6:0/113 flowid 1:30".split())
    req("tc-u32-ip-any", *"filter add dev ifbx parent 1: protocol ip prio 19 u32 match ip dst 0.0.0.0/0 flowid 1:30".split())
    req("tc-u32-ip6-any", *"filter add dev ifbx parent 1: protocol ipv6 prio 20 u32 match ip6 dst ::/0 flowid 1:30".split())
    req("tc-u32-replace", *"filter replace dev va parent ffff: protocol all prio 1 handle 800::800 u32 match u32 0 0 flowid 1:1 action mirred egress redirect dev vb".split())
    req("tc-u32-mirred-mirror", *"filter add dev vb parent ffff:fff2 protocol all prio 2 u32 match u32 0 0 action mirred egress mirror dev ifbx".split())
    req("tc-filter-del-handle", *"filter del dev ifbx parent 1: protocol ip prio 19 handle 804::800 u32".split())
    req("tc-filter-del-prio", *"filter del dev ifbx parent 1: protocol ipv6 prio 20".split())
    tc_in_ns(*"class add dev ifbx parent 1: classid 1:99 htb rate 1mbit".split())
    req("tc-htb-class-del", *"class del dev ifbx classid 1:99".split())
    tc_in_ns(*"qdisc add dev vb root handle 5: tbf rate 40gbit burst 300000 limit 400000 mpu 64 overhead 14".split())
    tc_in_ns(*"qdisc add dev va root handle 1: tbf rate 10mbit burst 125000 latency 25ms".split())
    with open(os.path.join(OUT, "tc-dump-state.txt"), "w") as f:
        f.write("State of the namespace for the dumps (%s):\n" % INDEXES)
        for d in ("va", "vb", "ifbx"):
            f.write("## %s\n" % d)
            for args in (("-d", "-raw", "qdisc", "show", "dev", d), ("-d", "-raw", "class", "show", "dev", d),
                         ("-d", "filter", "show", "dev", d), ("-d", "filter", "show", "dev", d, "ingress")):
                f.write(tc_in_ns(*args))
    dump("tc-dump-qdisc", "qdisc", "show")
    dump("tc-dump-class", "class", "show", "dev", "ifbx")
    dump("tc-dump-filter-va", "filter", "show", "dev", "va", "ingress")
    dump("tc-dump-filter-ifbx", "filter", "show", "dev", "ifbx")
    dump("tc-dump-filter-vb", "filter", "show", "dev", "vb", "ingress")
    # A TBF with a peak rate (bandwidth caps the largest unsegmented packet with it).
    tc_in_ns("qdisc", "del", "dev", "va", "root")
    req("tc-tbf-peakrate", *"qdisc add dev va root handle 1: tbf rate 10mbit burst 125000 limit 15140 peakrate 100gbit mtu 3028".split())
    tc_in_ns("qdisc", "del", "dev", "va", "root")
    req("tc-tbf-peakrate32", *"qdisc add dev va root handle 1: tbf rate 1mbit burst 12500 limit 15140 peakrate 10gbit mtu 3028".split())
    with open(os.path.join(OUT, "tc-dump-state-peak.txt"), "w") as f:
        f.write("State of the namespace for tc-dump-qdisc-peak (%s):\n" % INDEXES)
        f.write(tc_in_ns("-d", "-raw", "qdisc", "show", "dev", "va"))
    dump("tc-dump-qdisc-peak", "qdisc", "show")
finally:
    sh("ip", "netns", "del", NS, check=False)
