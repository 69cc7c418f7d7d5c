#!/bin/sh
# Installs the system packages that the demo and the tests use, on Debian (as root).
#   nftables, libnftables1   portmap's nftables backend and its library (not on a fresh machine)
#   iproute2                 ip(8) for namespaces and veth pairs in tests and the demo
#   iptables                 the Debian reference portmap (1.1.1) writes iptables rules
#   iperf3                   shaping tests measure real throughput
#   containernetworking-plugins  the reference plugins, our peers in mixed chains
#   curl, python3            the demo's HTTP client and server
#   iputils-ping             connectivity checks from inside test namespaces
#   conntrack                portmap tests read the connection tracking table (conntrack -L)
#   gcc, libc6-dev           the build compiles the native launcher (launcher/jcni-launch.c),
#                            linked statically against libc6-dev's libc.a
#   podman, runc, busybox-static  portmap's real-client test: Debian's podman 4.3.1 (CNI backend)
#                            runs a container through our portmap; runc because crun 1.8.1
#                            refuses hybrid cgroup hierarchies; the container's root is a
#                            directory holding the static busybox, so no image is pulled
# The JDK and Maven are expected on the machine already (java-maven machines have both).
set -eu
if [ "$(id -u)" != 0 ]; then
  echo "install-deps: run as root (apt-get install)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq gcc libc6-dev nftables libnftables1 iproute2 iptables iperf3 containernetworking-plugins curl python3 iputils-ping \
  conntrack podman runc busybox-static >/dev/null
echo "install-deps: system packages installed"
