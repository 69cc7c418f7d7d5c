#!/usr/bin/env bash
# The native launcher's own cost (docs/benchmarks.md, "launcher"), in one run, round-robin:
#   /bin/true                           the floor of spawning any process here
#   launcher (static) -> fake daemon    the launcher built as bin/ has it, against a daemon that
#   launcher (dynamic) -> fake daemon   answers every request with the same 1013-byte RESULT
#   launcher, no daemon -> stub         connect fails (ENOENT), exec of a tiny in-process stub
#   bin/tuning VERSION, no daemon       the whole in-process path: launcher + JVM script
# Each variant gets the same 812-byte netconf on stdin and the CNI_* environment; wall time from
# posix_spawn to wait4, and the peak RSS wait4 reports. Every run's exit code and (for the
# daemon variants) stdout are checked.
#
#   bench/launcher.sh [ROUNDS]     (default 200; build first: mvn -B -DskipTests package)
#
# The fake daemon and the timing harness are C, written below and compiled into a scratch
# directory: a Python or Java daemon would measure itself.
set -euo pipefail
rounds=${1:-200}
here=$(cd "$(dirname "$0")/.." && pwd)
bin=$here/bin
[ -x "$bin/tuning" ] || { echo "missing $bin/tuning: run mvn -B -DskipTests package" >&2; exit 1; }
work=$(mktemp -d /tmp/jcni-bench-launcher.XXXXXX)
daemon_pid=""
cleanup() {
  [ -z "$daemon_pid" ] || kill "$daemon_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# ---- the fixed-reply daemon -------------------------------------------------------------------
cat >"$work/fixed-daemon.c" <<'EOF'
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
static void hdr(unsigned char *p, int type) {
    uint32_t m = 0x4A434E49; p[0] = m >> 24; p[1] = m >> 16; p[2] = m >> 8; p[3] = m;
    p[4] = 0; p[5] = 1; p[6] = 0; p[7] = type;
}
static void u32(unsigned char *p, uint32_t v) { p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v; }
int main(int argc, char **argv) {
    if (argc != 3) return 2;
    FILE *f = fopen(argv[2], "rb"); static unsigned char reply[65536]; size_t rlen = fread(reply + 8, 1, sizeof reply - 8, f); fclose(f);
    int s = socket(AF_UNIX, SOCK_SEQPACKET, 0);
    struct sockaddr_un a = {.sun_family = AF_UNIX}; strncpy(a.sun_path, argv[1], sizeof a.sun_path - 1);
    unlink(argv[1]);
    if (bind(s, (struct sockaddr *)&a, sizeof a) || listen(s, 64)) { perror("bind"); return 1; }
    static unsigned char buf[65537];
    char ctl[CMSG_SPACE(4 * sizeof(int))];
    for (;;) {
        int c = accept4(s, NULL, NULL, SOCK_CLOEXEC);
        if (c < 0) continue;
        struct iovec iov = {buf, sizeof buf};
        struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof ctl};
        ssize_t n = recvmsg(c, &m, MSG_CMSG_CLOEXEC);
        for (struct cmsghdr *h = CMSG_FIRSTHDR(&m); h; h = CMSG_NXTHDR(&m, h))
            for (size_t i = 0; i < (h->cmsg_len - CMSG_LEN(0)) / sizeof(int); i++) close(((int *)CMSG_DATA(h))[i]);
        if (n < 20) { close(c); continue; }
        uint64_t want = 0;
        for (int i = 0; i < 8; i++) want = want << 8 | buf[n - 8 + i];
        while (want > 0) { ssize_t k = recv(c, buf, sizeof buf, 0); if (k <= 0) break; want -= (uint64_t)k; }
        unsigned char acc[8], res[28];
        hdr(acc, 1); send(c, acc, 8, MSG_NOSIGNAL);
        hdr(res, 3); u32(res + 8, 0); u32(res + 12, 0); u32(res + 16, (uint32_t)rlen); u32(res + 20, 0); u32(res + 24, 0);
        send(c, res, 28, MSG_NOSIGNAL);
        hdr(reply, 4); send(c, reply, rlen + 8, MSG_NOSIGNAL);
        close(c);
    }
}
EOF

# ---- the timing harness -----------------------------------------------------------------------
cat >"$work/spawn-bench.c" <<'EOF'
#define _GNU_SOURCE
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
extern char **environ;
/* spawn-bench ROUNDS WARMUP STDIN EXPECTED_STDOUT -- NAME CHECK CMD... -- NAME CHECK CMD... */
typedef struct { char *name; int check; char **argv; double *ms; long rss; } variant;
static int cmp(const void *a, const void *b) { double x = *(double *)a, y = *(double *)b; return x < y ? -1 : x > y; }
int main(int argc, char **argv) {
    int rounds = atoi(argv[1]), warm = atoi(argv[2]);
    const char *in = argv[3], *expect = argv[4];
    variant v[16]; int nv = 0;
    for (int i = 5; i < argc; i++) if (strcmp(argv[i], "--") == 0 && i + 3 < argc) {
        v[nv].name = argv[i + 1]; v[nv].check = atoi(argv[i + 2]); v[nv].argv = argv + i + 3; v[nv].rss = 0;
        v[nv].ms = calloc(rounds, sizeof(double)); nv++;
    }
    for (int i = 5; i < argc; i++) if (strcmp(argv[i], "--") == 0) argv[i] = NULL;
    FILE *e = fopen(expect, "rb"); char want[65536]; size_t wlen = fread(want, 1, sizeof want, e); fclose(e);
    char out[] = "/tmp/jcni-bench-out.XXXXXX"; int ofd = mkstemp(out); unlink(out);
    srand(1);
    for (int r = -warm; r < rounds; r++) {
        int order[16]; for (int i = 0; i < nv; i++) order[i] = i;
        for (int i = nv - 1; i > 0; i--) { int j = rand() % (i + 1); int t = order[i]; order[i] = order[j]; order[j] = t; }
        for (int k = 0; k < nv; k++) {
            variant *x = &v[order[k]];
            int ifd = open(in, O_RDONLY); ftruncate(ofd, 0); lseek(ofd, 0, SEEK_SET);
            posix_spawn_file_actions_t fa; posix_spawn_file_actions_init(&fa);
            posix_spawn_file_actions_adddup2(&fa, ifd, 0); posix_spawn_file_actions_adddup2(&fa, ofd, 1);
            struct timespec t0, t1; pid_t pid; int st; struct rusage ru;
            clock_gettime(CLOCK_MONOTONIC, &t0);
            if (posix_spawn(&pid, x->argv[0], &fa, NULL, x->argv, environ) != 0) { perror("spawn"); return 1; }
            wait4(pid, &st, 0, &ru);
            clock_gettime(CLOCK_MONOTONIC, &t1);
            close(ifd); posix_spawn_file_actions_destroy(&fa);
            if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) { fprintf(stderr, "%s: exit status %d\n", x->name, st); return 1; }
            if (x->check) {
                char got[65536]; lseek(ofd, 0, SEEK_SET); ssize_t n = read(ofd, got, sizeof got);
                if (n != (ssize_t)wlen || memcmp(got, want, wlen) != 0) { fprintf(stderr, "%s: unexpected stdout\n", x->name); return 1; }
            }
            if (r >= 0) { x->ms[r] = (t1.tv_sec - t0.tv_sec) * 1e3 + (t1.tv_nsec - t0.tv_nsec) / 1e6; if (ru.ru_maxrss > x->rss) x->rss = ru.ru_maxrss; }
        }
    }
    printf("| variant | median ms | p90 ms | peak RSS |\n|---|---:|---:|---:|\n");
    for (int i = 0; i < nv; i++) {
        qsort(v[i].ms, rounds, sizeof(double), cmp);
        printf("| %s | %.2f | %.2f | %.1f MB |\n", v[i].name, v[i].ms[rounds / 2], v[i].ms[rounds * 9 / 10], v[i].rss / 1024.0);
    }
    return 0;
}
EOF
gcc -O2 -o "$work/fixed-daemon" "$work/fixed-daemon.c"
gcc -O2 -o "$work/spawn-bench" "$work/spawn-bench.c"

# ---- the launchers under test -------------------------------------------------------------------
# The same source and build identity as bin/, linked both ways, each as a plugin named "tuning" in
# a scratch bin/ whose in-process path is a stub (the daemon variants never reach it).
src=$here/launcher/jcni-launch.c
build=$(grep -ao 'JCNI-NATIVE-LAUNCHER-1 build=[0-9a-f]\{16\}' "$bin/tuning" | head -n 1 | cut -d= -f2 || true)
[ -n "$build" ] || build=0000000000000000
for link in static dynamic; do
  mkdir -p "$work/$link/lib/jvm"
  flags=""; [ "$link" = static ] && flags=-static
  gcc -O2 -Wall -Wextra -Werror $flags -DJCNI_BUILD="\"$build\"" -o "$work/$link/tuning" "$src"
  printf '#!/bin/sh\nexit 0\n' >"$work/$link/lib/jvm/tuning"
  chmod 0755 "$work/$link/lib/jvm/tuning"
done
cp "$work/static/lib/jvm/tuning" "$work/stub"

# 812 bytes of bridge netconf and the 1013-byte reply, as in the reference page's measurement.
python3 - "$work" <<'EOF'
import json, sys
w = sys.argv[1]
conf = {"cniVersion": "1.0.0", "name": "bench-net", "type": "bridge", "bridge": "cni0", "isGateway": True,
        "ipMasq": True, "hairpinMode": True, "mtu": 1450,
        "ipam": {"type": "host-local", "ranges": [[{"subnet": "10.22.0.0/16", "gateway": "10.22.0.1"}]],
                 "routes": [{"dst": "0.0.0.0/0"}], "dataDir": "/run/cni/bench"},
        "dns": {"nameservers": ["10.96.0.10"], "search": ["default.svc.cluster.local", "svc.cluster.local", "cluster.local"],
                "options": ["ndots:5"]}}
text = json.dumps(conf, indent=1)
text += " " * (812 - len(text.encode()))
open(w + "/input.json", "w").write(text[:812])
reply = {"cniVersion": "1.0.0", "interfaces": [{"name": "cni0", "mac": "0a:58:0a:16:00:01"},
         {"name": "veth1234abcd", "mac": "ae:12:34:56:78:9a"}, {"name": "eth0", "mac": "0a:58:0a:16:00:05", "sandbox": "/var/run/netns/bench"}],
         "ips": [{"interface": 2, "address": "10.22.0.5/16", "gateway": "10.22.0.1"}],
         "routes": [{"dst": "0.0.0.0/0", "gw": "10.22.0.1"}],
         "dns": {"nameservers": ["10.96.0.10"], "search": ["default.svc.cluster.local", "svc.cluster.local", "cluster.local"], "options": ["ndots:5"]}}
r = json.dumps(reply, indent=1)
r += " " * (1012 - len(r.encode())) + "\n"
open(w + "/reply.json", "w").write(r[:1013])
EOF

"$work/fixed-daemon" "$work/d.sock" "$work/reply.json" &
daemon_pid=$!
for _ in $(seq 50); do [ -S "$work/d.sock" ] && break; sleep 0.05; done

export CNI_COMMAND=ADD CNI_CONTAINERID=bench-1 CNI_NETNS=/proc/self/ns/net CNI_IFNAME=eth0 CNI_PATH=/opt/cni/bin CNI_ARGS=
export JCNI_SOCKET=$work/d.sock
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg); $rounds rounds, round-robin; $(uname -r); $(gcc --version | head -n 1)"
"$work/spawn-bench" "$rounds" 5 "$work/input.json" "$work/reply.json" \
  -- "/bin/true" 0 /bin/true \
  -- "launcher static -> fixed-reply daemon" 1 "$work/static/tuning" \
  -- "launcher dynamic -> fixed-reply daemon" 1 "$work/dynamic/tuning"
# No daemon: the connect fails (no socket file) and the launcher execs its in-process path, here a
# two-line sh stub, timed alone too.
JCNI_SOCKET=$work/none.sock "$work/spawn-bench" "$rounds" 5 "$work/input.json" "$work/reply.json" \
  -- "/bin/true" 0 /bin/true \
  -- "launcher static, no daemon (ENOENT) -> exec of a sh stub" 0 "$work/static/tuning" \
  -- "launcher dynamic, no daemon (ENOENT) -> exec of a sh stub" 0 "$work/dynamic/tuning" \
  -- "the sh stub alone" 0 "$work/stub"
# The JVM path is ~100x slower: fewer rounds, on its own.
jvm_rounds=$(( rounds / 10 > 10 ? rounds / 10 : 10 ))
env CNI_COMMAND=VERSION JCNI_SOCKET="$work/none.sock" "$work/spawn-bench" "$jvm_rounds" 2 "$work/input.json" "$work/reply.json" \
  -- "bin/tuning VERSION, no daemon (launcher + JVM)" 0 "$bin/tuning" \
  -- "bin/lib/jvm/tuning VERSION (the JVM script alone)" 0 "$bin/lib/jvm/tuning"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
