/*
 * jcni-launch: the native launcher installed as bin/<plugin> (one copy per plugin).
 *
 * It is the client side of docs/daemon-protocol.md: it forwards the request (argv, environment,
 * stdin, and the caller's network namespaces as descriptors) to the node's jcnid daemon over a
 * SOCK_SEQPACKET unix socket and relays the reply byte for byte. Whenever the daemon cannot
 * serve the request it execs the in-process path, <dir of this executable>/lib/jvm/<plugin>
 * (the JVM launcher script), following the page's failure table exactly:
 *   - before stdin was read: exec with argv, environment and stdin untouched;
 *   - after stdin was read, before ACCEPTED: exec with stdin replaced by the bytes read;
 *   - after ACCEPTED: DEL/GC/STATUS/VERSION as above; anything else with JCNI_DAEMON_FAILURE
 *     added, so that the Java side answers its CNI error 11 (no JSON is written in C).
 * It never forks, ignores SIGPIPE (restored before any exec), and every descriptor it opens is
 * close-on-exec. Built by deploy/install-launchers.sh with -DJCNI_BUILD=<build identity>.
 * JCNI_LAUNCHER_DEBUG=1 writes its decisions to stderr (never stdout: that is the CNI reply).
 *
 * libc only; one file, so that the build needs nothing but a C compiler.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#ifndef JCNI_BUILD
#error "compile with -DJCNI_BUILD='\"<16 hex digits>\"' (deploy/install-launchers.sh does)"
#endif
_Static_assert(sizeof(JCNI_BUILD) == 17, "JCNI_BUILD must be 16 hex digits");

/* From linux/magic.h and linux/nsfs.h, spelled out so only libc's headers are needed. */
#define JCNI_NSFS_MAGIC 0x6e736673
#define JCNI_NS_GET_NSTYPE 0xb703 /* _IO(0xb7, 0x3) */
#define JCNI_CLONE_NEWNET 0x40000000

/* docs/daemon-protocol.md */
#define MAGIC 0x4A434E49u
#define VERSION 1
#define KIND_PLUGIN 1
#define MAX_MESSAGE 65536
#define MAX_ENV 4096
#define MAX_STDIN ((16u << 20) + 1)
#define FLAG_SANDBOX 1u
#define FLAG_STDIN_TRUNCATED 2u
#define REPLY_ACCEPTED 1
#define REPLY_DECLINED 2
#define REPLY_RESULT 3
#define REPLY_DATA 4
#define CONNECT_MS 1000
#define ANSWER_MS 5000
#define DEFAULT_DEADLINE_S 300
/* What the launcher holds of a reply's stdout and stderr; a larger RESULT is malformed. */
#define MAX_OUTPUT (64u << 20)
#define DEFAULT_SOCKET "/run/jcni/jcnid.sock"

/*
 * The marker by which the Java side (dev.jcni.core.invoke) recognises this executable, and the
 * build identity, in an ELF note: the linker places note sections right after the ELF headers,
 * so a reader finds it in the file's first kilobytes (`readelf -n bin/<plugin>` shows it).
 */
#define MARKER "JCNI-NATIVE-LAUNCHER-1"
#define NOTE_DESC MARKER " build=" JCNI_BUILD
static const struct {
    uint32_t namesz, descsz, type;
    char name[8];
    char desc[(sizeof(NOTE_DESC) + 3) & ~3u];
} jcni_note __attribute__((used, section(".note.jcni"), aligned(4))) = {
    5, sizeof(NOTE_DESC), 1, "JCNI", NOTE_DESC,
};

/* ---- state shared by the steps below ---------------------------------------------------- */

static int debug;
static const char *plugin = "jcni-launch";
static char in_process[PATH_MAX];
static char **args;
static char **environ_in;
static struct sigaction sigpipe_before;

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* One line on stderr, only with JCNI_LAUNCHER_DEBUG=1 (cut at 2 KiB). */
static void say(const char *fmt, ...) {
    if (!debug) {
        return;
    }
    char line[2048];
    int n = snprintf(line, sizeof line, "jcni-launch %s[%d]: ", plugin, (int)getpid());
    if (n < 0 || (size_t)n >= sizeof line - 1) {
        return;
    }
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    va_end(ap);
    size_t len = (size_t)n + (m < 0 ? 0 : (size_t)m);
    if (len > sizeof line - 2) {
        len = sizeof line - 2;
    }
    line[len++] = '\n';
    ssize_t ignored = write(2, line, len);
    (void)ignored;
}

static long long now_ms(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* ---- exec'ing the in-process path ------------------------------------------------------- */

static void exec_in_process(char **envp) __attribute__((noreturn));

static void exec_in_process(char **envp) {
    sigaction(SIGPIPE, &sigpipe_before, NULL);
    execve(in_process, args, envp);
    int e = errno;
    /* Nothing else can answer: the installation is broken. Say so on stderr, never stdout. */
    char line[PATH_MAX + 128];
    int n = snprintf(line, sizeof line, "jcni launcher %s: cannot exec %s: %s\n", plugin, in_process, strerror(e));
    if (n > 0) {
        ssize_t ignored = write(2, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
        (void)ignored;
    }
    _exit(1);
}

/* Before stdin was read: argv, environment and stdin exactly as received. */
static void fall_back_untouched(const char *why) __attribute__((noreturn));

static void fall_back_untouched(const char *why) {
    say("in-process (stdin untouched): %s", why);
    exec_in_process(environ_in);
}

static int write_all(int fd, const unsigned char *p, size_t len) {
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR) {
                continue;
            }
            if (errno == EAGAIN) {
                struct pollfd w = {fd, POLLOUT, 0};
                poll(&w, 1, -1);
                continue;
            }
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

/*
 * A readable descriptor holding exactly these bytes, positioned at 0: a memfd, else an unlinked
 * file in /run or /tmp, else (small input) a pipe. -1 if none can be made.
 */
static int bytes_as_file(const unsigned char *bytes, size_t len) {
    int fd = memfd_create("jcni-stdin", MFD_CLOEXEC);
    const char *dirs[] = {"/run", "/tmp"};
    for (size_t i = 0; fd < 0 && i < 2; i++) {
        fd = open(dirs[i], O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
        if (fd < 0) {
            char name[64];
            snprintf(name, sizeof name, "%s/jcni-stdin-XXXXXX", dirs[i]);
            fd = mkostemp(name, O_CLOEXEC);
            if (fd >= 0) {
                unlink(name);
            }
        }
    }
    if (fd >= 0) {
        if (write_all(fd, bytes, len) == 0 && lseek(fd, 0, SEEK_SET) == 0) {
            return fd;
        }
        close(fd);
    }
    int p[2];
    if (len <= 65536 && pipe2(p, O_CLOEXEC) == 0) {
        if (write_all(p[1], bytes, len) == 0) {
            close(p[1]);
            return p[0];
        }
        close(p[0]);
        close(p[1]);
    }
    return -1;
}

/*
 * After stdin was read: exec the in-process path with those bytes as its stdin, and, when
 * failure is not NULL, JCNI_DAEMON_FAILURE=<failure> added to the caller's environment.
 */
static void fall_back_with_stdin(const unsigned char *stdin_bytes, size_t len, const char *failure) __attribute__((noreturn));

static void fall_back_with_stdin(const unsigned char *stdin_bytes, size_t len, const char *failure) {
    int fd = bytes_as_file(stdin_bytes, len);
    if (fd < 0 || dup2(fd, 0) < 0) {
        /* Cannot happen short of exhausted memory; the request cannot be answered. */
        say("cannot put stdin back (%s)", strerror(errno));
        char line[256];
        int n = snprintf(line, sizeof line, "jcni launcher %s: cannot pass stdin on to %s: %s\n", plugin, in_process, strerror(errno));
        ssize_t ignored = write(2, line, (size_t)n);
        (void)ignored;
        _exit(1);
    }
    if (fd != 0) {
        close(fd);
    }
    if (failure == NULL) {
        say("in-process (stdin: the %zu bytes read)", len);
        exec_in_process(environ_in);
    }
    say("in-process with JCNI_DAEMON_FAILURE=%s (stdin: the %zu bytes read)", failure, len);
    size_t n = 0;
    while (environ_in[n] != NULL) {
        n++;
    }
    char **envp = calloc(n + 2, sizeof *envp);
    char *entry = malloc(strlen("JCNI_DAEMON_FAILURE=") + strlen(failure) + 1);
    if (envp == NULL || entry == NULL) {
        _exit(1);
    }
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (strncmp(environ_in[i], "JCNI_DAEMON_FAILURE=", 20) != 0) {
            envp[k++] = environ_in[i];
        }
    }
    strcpy(entry, "JCNI_DAEMON_FAILURE=");
    strcat(entry, failure);
    envp[k++] = entry;
    envp[k] = NULL;
    exec_in_process(envp);
}

/* ---- the request ------------------------------------------------------------------------ */

/* Strict UTF-8 (RFC 3629, what Java's decoder accepts without replacement): 1 if valid. */
static int valid_utf8(const unsigned char *s, size_t len) {
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        unsigned min;
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1, min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2, min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3, min = 0x10000;
        } else {
            return 0;
        }
        if (len - i <= need) {
            return 0;
        }
        unsigned cp = c & (0x3F >> need);
        for (size_t k = 1; k <= need; k++) {
            if ((s[i + k] & 0xC0) != 0x80) {
                return 0;
            }
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return 0;
        }
        i += need + 1;
    }
    return 1;
}

struct buf {
    unsigned char data[MAX_MESSAGE];
    size_t len;
    int overflow;
};

static void put(struct buf *b, const void *p, size_t n) {
    if (b->overflow || n > sizeof b->data - b->len) {
        b->overflow = 1;
        return;
    }
    memcpy(b->data + b->len, p, n);
    b->len += n;
}

static void put_u16(struct buf *b, uint16_t v) {
    unsigned char x[2] = {(unsigned char)(v >> 8), (unsigned char)v};
    put(b, x, 2);
}

static void put_u32(struct buf *b, uint32_t v) {
    unsigned char x[4] = {(unsigned char)(v >> 24), (unsigned char)(v >> 16), (unsigned char)(v >> 8), (unsigned char)v};
    put(b, x, 4);
}

static void put_u64(struct buf *b, uint64_t v) {
    put_u32(b, (uint32_t)(v >> 32));
    put_u32(b, (uint32_t)v);
}

/* A protocol string; 0 when it is not UTF-8 (the caller then runs in-process). */
static int put_str(struct buf *b, const char *s, size_t len) {
    if (!valid_utf8((const unsigned char *)s, len)) {
        return 0;
    }
    put_u32(b, (uint32_t)len);
    put(b, s, len);
    return 1;
}

static int has_name(const char *entry, const char *name) {
    size_t n = strlen(name);
    return strncmp(entry, name, n) == 0 && entry[n] == '=';
}

/*
 * HELLO up to and including envc's entries (flags and stdinLength are added once stdin was
 * read). NULL and *why set when the request cannot be sent (the caller runs in-process).
 */
static struct buf *hello_head(const char **why) {
    static struct buf b;
    put_u32(&b, MAGIC);
    put_u16(&b, VERSION);
    put_u16(&b, KIND_PLUGIN);
    put_str(&b, JCNI_BUILD, 16);
    if (!put_str(&b, plugin, strlen(plugin))) {
        *why = "the plugin name is not UTF-8";
        return NULL;
    }
    uint32_t argc = 0;
    while (args[argc] != NULL) {
        argc++;
    }
    put_u32(&b, argc);
    for (uint32_t i = 0; i < argc; i++) {
        if (!put_str(&b, args[i], strlen(args[i]))) {
            *why = "an argument is not UTF-8";
            return NULL;
        }
    }
    /*
     * The environment as the JVM launcher script leaves it (docs/daemon-protocol.md): option
     * variables dropped, the caller's LC_ALL kept in JCNI_CALLER_LC_ALL, LC_ALL=C.UTF-8.
     */
    static const char *const dropped[] = {"JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS", "CLASSPATH",
                                          "JCNI_CALLER_LC_ALL", "LC_ALL"};
    const char *lc_all = getenv("LC_ALL");
    uint32_t envc = 0;
    for (char **e = environ_in; *e != NULL; e++) {
        int keep = 1;
        for (size_t d = 0; d < sizeof dropped / sizeof *dropped; d++) {
            keep = keep && !has_name(*e, dropped[d]);
        }
        envc += (uint32_t)keep;
    }
    envc += 2;
    if (envc > MAX_ENV) {
        *why = "more than 4096 environment entries";
        return NULL;
    }
    put_u32(&b, envc);
    for (char **e = environ_in; *e != NULL; e++) {
        int keep = 1;
        for (size_t d = 0; d < sizeof dropped / sizeof *dropped; d++) {
            keep = keep && !has_name(*e, dropped[d]);
        }
        if (keep && !put_str(&b, *e, strlen(*e))) {
            *why = "an environment entry is not UTF-8";
            return NULL;
        }
    }
    char saved[MAX_MESSAGE];
    int n = lc_all == NULL ? snprintf(saved, sizeof saved, "JCNI_CALLER_LC_ALL=unset")
                           : snprintf(saved, sizeof saved, "JCNI_CALLER_LC_ALL=set:%s", lc_all);
    if (n < 0 || (size_t)n >= sizeof saved || !put_str(&b, saved, (size_t)n)) {
        *why = lc_all != NULL && !valid_utf8((const unsigned char *)lc_all, strlen(lc_all)) ? "LC_ALL is not UTF-8"
                                                                                            : "the request is larger than a message";
        return NULL;
    }
    put_str(&b, "LC_ALL=C.UTF-8", 14);
    if (b.overflow || b.len + 12 > MAX_MESSAGE) {
        *why = "argv and environment are larger than a message (64 KiB)";
        return NULL;
    }
    return &b;
}

/* ---- namespaces --------------------------------------------------------------------------- */

/* An open network namespace at path, or -1 with *why set. Never blocks (O_NONBLOCK: FIFOs). */
static int open_namespace(const char *path, const char **why) {
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        *why = "cannot be opened";
        return -1;
    }
    struct stat st;
    struct statfs fs;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || fstatfs(fd, &fs) != 0 || (unsigned long)fs.f_type != JCNI_NSFS_MAGIC) {
        close(fd);
        *why = "is not a namespace (nsfs) file";
        return -1;
    }
    /* Where the kernel tells the type (4.11+), anything but a network namespace is refused too. */
    int type = ioctl(fd, JCNI_NS_GET_NSTYPE);
    if (type >= 0 && type != JCNI_CLONE_NEWNET) {
        close(fd);
        *why = "is not a network namespace";
        return -1;
    }
    say("namespace %s: device %lu inode %lu", path, (unsigned long)st.st_dev, (unsigned long)st.st_ino);
    return fd;
}

/* ---- the connection ------------------------------------------------------------------------ */

/*
 * A connected non-blocking SOCK_SEQPACKET socket, or -1. A unix connect to a full listen
 * backlog fails with EAGAIN at once: retried until CONNECT_MS have passed.
 */
static int connect_daemon(const char *path, const char **why) {
    struct sockaddr_un addr;
    memset(&addr, 0, sizeof addr);
    addr.sun_family = AF_UNIX;
    memcpy(addr.sun_path, path, strlen(path));
    int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        *why = "socket() failed";
        return -1;
    }
    long long deadline = now_ms() + CONNECT_MS;
    for (;;) {
        if (connect(fd, (struct sockaddr *)&addr, sizeof addr) == 0) {
            return fd;
        }
        int e = errno;
        if (e == EINTR) {
            continue;
        }
        if (e == EINPROGRESS) {
            long long left = deadline - now_ms();
            struct pollfd w = {fd, POLLOUT, 0};
            int err = 0;
            socklen_t len = sizeof err;
            if (left > 0 && poll(&w, 1, (int)left) == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0) {
                return fd;
            }
            *why = "connect did not complete within 1 s";
            close(fd);
            return -1;
        }
        if (e == EAGAIN && now_ms() < deadline) {
            struct timespec pause = {0, 2 * 1000 * 1000};
            nanosleep(&pause, NULL);
            continue;
        }
        *why = e == EAGAIN ? "the daemon's backlog stayed full for 1 s" : strerror(e);
        close(fd);
        return -1;
    }
}

/* Waits until fd is ready for events or the deadline passed: 1 ready, 0 timed out. */
static int wait_for(int fd, short events, long long deadline) {
    for (;;) {
        long long left = deadline - now_ms();
        if (left <= 0) {
            return 0;
        }
        struct pollfd p = {fd, events, 0};
        int r = poll(&p, 1, left > INT_MAX ? INT_MAX : (int)left);
        if (r > 0) {
            return 1;
        }
        if (r < 0 && errno != EINTR) {
            return 1; /* let the following call report the error */
        }
    }
}

/* One message, by the deadline: 0 sent, -1 failed (*why set). */
static int send_message(int fd, const void *p, size_t len, const int *fds, int nfds, long long deadline, const char **why) {
    union {
        struct cmsghdr align;
        char bytes[CMSG_SPACE(2 * sizeof(int))];
    } control;
    struct iovec iov = {(void *)p, len};
    struct msghdr m;
    memset(&m, 0, sizeof m);
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    if (nfds > 0) {
        memset(&control, 0, sizeof control);
        m.msg_control = control.bytes;
        m.msg_controllen = CMSG_SPACE((size_t)nfds * sizeof(int));
        struct cmsghdr *c = CMSG_FIRSTHDR(&m);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN((size_t)nfds * sizeof(int));
        memcpy(CMSG_DATA(c), fds, (size_t)nfds * sizeof(int));
    }
    for (;;) {
        ssize_t n = sendmsg(fd, &m, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n == (ssize_t)len) {
            return 0;
        }
        if (n >= 0) {
            *why = "short send";
            return -1;
        }
        if (errno == EINTR) {
            continue;
        }
        if (errno == EAGAIN) {
            if (!wait_for(fd, POLLOUT, deadline)) {
                *why = "the daemon did not take the request in time";
                return -1;
            }
            continue;
        }
        *why = strerror(errno);
        return -1;
    }
}

#define TIMED_OUT (-2)

/*
 * One message into buf (MAX_MESSAGE bytes) by the deadline: its length, 0 when the daemon
 * closed the connection, -1 on failure (*why set), TIMED_OUT. A message that is there when the
 * deadline passes is still taken. Descriptors sent along are closed.
 */
static ssize_t receive_message(int fd, unsigned char *buf, long long deadline, const char **why) {
    union {
        struct cmsghdr align;
        char bytes[CMSG_SPACE(16 * sizeof(int))];
    } control;
    int last_look = 0;
    for (;;) {
        struct iovec iov = {buf, MAX_MESSAGE};
        struct msghdr m;
        memset(&m, 0, sizeof m);
        m.msg_iov = &iov;
        m.msg_iovlen = 1;
        m.msg_control = control.bytes;
        m.msg_controllen = sizeof control.bytes;
        ssize_t n = recvmsg(fd, &m, MSG_DONTWAIT | MSG_CMSG_CLOEXEC);
        if (n >= 0) {
            int unexpected_fds = 0;
            for (struct cmsghdr *c = CMSG_FIRSTHDR(&m); c != NULL; c = CMSG_NXTHDR(&m, c)) {
                if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS) {
                    size_t count = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
                    for (size_t i = 0; i < count; i++) {
                        int passed;
                        memcpy(&passed, CMSG_DATA(c) + i * sizeof(int), sizeof passed);
                        close(passed);
                        unexpected_fds = 1;
                    }
                }
            }
            if (m.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) {
                *why = "a reply message larger than 64 KiB";
                return -1;
            }
            if (unexpected_fds) {
                *why = "a reply carried descriptors";
                return -1;
            }
            return n;
        }
        if (errno == EINTR) {
            continue;
        }
        if (errno == EAGAIN) {
            if (last_look) {
                return TIMED_OUT;
            }
            last_look = !wait_for(fd, POLLIN, deadline);
            continue;
        }
        *why = errno == ECONNRESET ? "connection reset" : strerror(errno);
        return -1;
    }
}

static uint32_t get_u32(const unsigned char *p) {
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t get_u64(const unsigned char *p) {
    return (uint64_t)get_u32(p) << 32 | get_u32(p + 4);
}

/* The reply type of a message with our magic and version, or -1. */
static int reply_type(const unsigned char *m, ssize_t n) {
    if (n < 8 || get_u32(m) != MAGIC || (m[4] << 8 | m[5]) != VERSION) {
        return -1;
    }
    return m[6] << 8 | m[7];
}

/* ---- stdin ----------------------------------------------------------------------------------- */

/*
 * Reads stdin to EOF, but never more than MAX_STDIN bytes (then *truncated: more may follow).
 * One allocation of the bound, made before anything is read: its pages cost only when touched.
 */
static unsigned char *read_stdin(size_t *len, int *truncated) {
    unsigned char *p = malloc(MAX_STDIN);
    if (p == NULL) {
        return NULL;
    }
    size_t n = 0;
    while (n < MAX_STDIN) {
        ssize_t r = read(0, p + n, MAX_STDIN - n);
        if (r > 0) {
            n += (size_t)r;
        } else if (r == 0) {
            break;
        } else if (errno == EINTR) {
            continue;
        } else if (errno == EAGAIN) {
            struct pollfd w = {0, POLLIN, 0};
            poll(&w, 1, -1);
        } else {
            /* The JVM would fail reading too; it gets what was read (nothing further can be). */
            break;
        }
    }
    *truncated = n == MAX_STDIN;
    *len = n;
    return p;
}

/* ---- main ------------------------------------------------------------------------------------ */

static int is_one_of(const char *s, const char *const *set) {
    for (; *set != NULL; set++) {
        if (s != NULL && strcmp(s, *set) == 0) {
            return 1;
        }
    }
    return 0;
}

int main(int argc, char **argv, char **envp) {
    (void)argc;
    args = argv;
    environ_in = envp;
    struct sigaction ignore;
    memset(&ignore, 0, sizeof ignore);
    ignore.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &ignore, &sigpipe_before);
    const char *d = getenv("JCNI_LAUNCHER_DEBUG");
    debug = d != NULL && strcmp(d, "1") == 0;

    /* Who we are: the executable itself, so that a symbolic link to it still names the plugin. */
    static char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
    } else if (argv[0] != NULL && strchr(argv[0], '/') != NULL && realpath(argv[0], exe) != NULL) {
        /* No /proc (a chroot?): the path we were exec'd by, links resolved as the kernel would. */
        n = (ssize_t)strlen(exe);
    } else {
        char line[] = "jcni launcher: cannot read /proc/self/exe, so cannot find the plugin\n";
        ssize_t ignored = write(2, line, sizeof line - 1);
        (void)ignored;
        _exit(1);
    }
    /* Replaced on disk while we started (an upgrade renames the new copy over us). */
    static const char deleted[] = " (deleted)";
    if ((size_t)n > sizeof deleted - 1 && strcmp(exe + n - (sizeof deleted - 1), deleted) == 0) {
        exe[n - (sizeof deleted - 1)] = 0;
    }
    char *slash = strrchr(exe, '/');
    plugin = slash + 1;
    *slash = 0;
    if ((size_t)snprintf(in_process, sizeof in_process, "%s/lib/jvm/%s", exe, plugin) >= sizeof in_process) {
        _exit(1);
    }
    say("build %s, in-process path %s", JCNI_BUILD, in_process);

    /* Descriptors 0-2 must be ours to keep: otherwise open() below would hand them out. */
    for (int fd = 0; fd <= 2; fd++) {
        if (fcntl(fd, F_GETFD) < 0) {
            fall_back_untouched("descriptor 0, 1 or 2 is closed");
        }
    }
    const char *mode = getenv("JCNI_DAEMON");
    if (mode != NULL && strcmp(mode, "off") == 0) {
        fall_back_untouched("JCNI_DAEMON=off");
    }
    const char *socket_path = getenv("JCNI_SOCKET");
    if (socket_path == NULL || socket_path[0] == 0) {
        socket_path = DEFAULT_SOCKET;
    }
    if (strlen(socket_path) > 107) {
        fall_back_untouched("the socket path is longer than 107 bytes");
    }

    const char *why = NULL;
    int fds[2];
    int nfds = 0;
    fds[nfds] = open_namespace("/proc/self/ns/net", &why);
    if (fds[nfds] < 0) {
        fall_back_untouched("our own network namespace cannot be opened");
    }
    nfds++;
    const char *netns = getenv("CNI_NETNS");
    if (netns != NULL && netns[0] != 0) {
        fds[nfds] = open_namespace(netns, &why);
        if (fds[nfds] < 0) {
            char line[512];
            snprintf(line, sizeof line, "CNI_NETNS %s", why);
            fall_back_untouched(line);
        }
        nfds++;
    }
    struct buf *hello = hello_head(&why);
    if (hello == NULL) {
        fall_back_untouched(why);
    }

    int sock = connect_daemon(socket_path, &why);
    if (sock < 0) {
        char line[512];
        snprintf(line, sizeof line, "no daemon at %s (%s)", socket_path, why);
        fall_back_untouched(line);
    }
    say("connected to %s", socket_path);

    /* Connected: from here on stdin is read, and every fallback hands the bytes read on. */
    size_t in_len = 0;
    int truncated = 0;
    unsigned char *in = read_stdin(&in_len, &truncated);
    if (in == NULL) {
        fall_back_untouched("out of memory for stdin"); /* nothing was read */
    }
    put_u32(hello, (nfds > 1 ? FLAG_SANDBOX : 0) | (truncated ? FLAG_STDIN_TRUNCATED : 0));
    put_u64(hello, in_len);

    unsigned char *msg = malloc(MAX_MESSAGE);
    if (msg == NULL) {
        fall_back_with_stdin(in, in_len, NULL);
    }
    long long answer_by = now_ms() + ANSWER_MS;
    char reason[512];
    if (send_message(sock, hello->data, hello->len, fds, nfds, answer_by, &why) != 0) {
        snprintf(reason, sizeof reason, "sending HELLO: %s", why);
        goto declined;
    }
    for (size_t off = 0; off < in_len; off += MAX_MESSAGE) {
        size_t chunk = in_len - off < MAX_MESSAGE ? in_len - off : MAX_MESSAGE;
        if (send_message(sock, in + off, chunk, NULL, 0, answer_by, &why) != 0) {
            snprintf(reason, sizeof reason, "sending stdin: %s", why);
            goto declined;
        }
    }
    close(fds[0]);
    if (nfds > 1) {
        close(fds[1]);
    }
    say("sent HELLO and %zu stdin bytes%s", in_len, truncated ? " (truncated)" : "");

    ssize_t got = receive_message(sock, msg, answer_by, &why);
    if (got == TIMED_OUT) {
        snprintf(reason, sizeof reason, "no answer within %d s", ANSWER_MS / 1000);
        goto declined;
    }
    if (got <= 0) {
        snprintf(reason, sizeof reason, "%s before ACCEPTED", got == 0 ? "connection closed" : why);
        goto declined;
    }
    int type = reply_type(msg, got);
    if (type == REPLY_DECLINED && got >= 14 && get_u32(msg + 10) == (uint64_t)got - 14) {
        int code = msg[8] << 8 | msg[9];
        snprintf(reason, sizeof reason, "DECLINED %d: %.*s", code, (int)(got - 14), (const char *)msg + 14);
        goto declined;
    }
    if (type != REPLY_ACCEPTED || got != 8) {
        snprintf(reason, sizeof reason, "malformed answer (type %d, %zd bytes) before ACCEPTED", type, got);
        goto declined;
    }
    say("ACCEPTED");

    /* Accepted: the daemon may be changing state now; a failure is no longer "not delivered". */
    {
        long long deadline_s = DEFAULT_DEADLINE_S;
        const char *setting = getenv("JCNI_DAEMON_DEADLINE");
        if (setting != NULL && setting[0] != 0) {
            char *end;
            long long v = strtoll(setting, &end, 10);
            if (*end == 0 && v > 0 && v <= 86400 * 365) {
                deadline_s = v;
            }
        }
        long long result_by = now_ms() + deadline_s * 1000;
        got = receive_message(sock, msg, result_by, &why);
        if (got == TIMED_OUT) {
            snprintf(reason, sizeof reason, "no RESULT within %lld s", deadline_s);
            goto failed;
        }
        if (got <= 0) {
            snprintf(reason, sizeof reason, "%s after ACCEPTED, before RESULT", got == 0 ? "connection closed" : why);
            goto failed;
        }
        if (reply_type(msg, got) != REPLY_RESULT || got != 28) {
            snprintf(reason, sizeof reason, "malformed RESULT (type %d, %zd bytes)", reply_type(msg, got), got);
            goto failed;
        }
        uint32_t exit_code = get_u32(msg + 8);
        uint64_t out_len = get_u64(msg + 12), err_len = get_u64(msg + 20);
        if (out_len > MAX_OUTPUT || err_len > MAX_OUTPUT) {
            snprintf(reason, sizeof reason, "RESULT announces %llu + %llu bytes of output (at most %u each)",
                     (unsigned long long)out_len, (unsigned long long)err_len, MAX_OUTPUT);
            goto failed;
        }
        unsigned char *output = malloc(out_len + err_len + 1);
        if (output == NULL) {
            snprintf(reason, sizeof reason, "out of memory for the output");
            goto failed;
        }
        uint64_t have = 0, want = out_len + err_len;
        while (have < want) {
            got = receive_message(sock, msg, result_by, &why);
            if (got == TIMED_OUT) {
                snprintf(reason, sizeof reason, "RESULT incomplete after %lld s (%llu of %llu bytes)", deadline_s,
                         (unsigned long long)have, (unsigned long long)want);
                goto failed;
            }
            if (got <= 0) {
                snprintf(reason, sizeof reason, "%s in the middle of the RESULT (%llu of %llu bytes)",
                         got == 0 ? "connection closed" : why, (unsigned long long)have, (unsigned long long)want);
                goto failed;
            }
            if (reply_type(msg, got) != REPLY_DATA || (uint64_t)(got - 8) > want - have) {
                snprintf(reason, sizeof reason, "malformed DATA (type %d, %zd bytes, %llu expected)", reply_type(msg, got), got,
                         (unsigned long long)(want - have));
                goto failed;
            }
            memcpy(output + have, msg + 8, (size_t)got - 8);
            have += (uint64_t)got - 8;
        }
        say("RESULT: exit %u, %llu bytes of stdout, %llu of stderr", exit_code, (unsigned long long)out_len,
            (unsigned long long)err_len);
        write_all(1, output, out_len);
        write_all(2, output + out_len, err_len);
        _exit((int)exit_code);
    }

declined:
    say("before ACCEPTED: %s", reason);
    close(sock);
    fall_back_with_stdin(in, in_len, NULL);

failed:
    close(sock);
    {
        static const char *const repeatable[] = {"DEL", "GC", "STATUS", "VERSION", NULL};
        const char *command = getenv("CNI_COMMAND");
        say("after ACCEPTED: %s", reason);
        fall_back_with_stdin(in, in_len, is_one_of(command, repeatable) ? NULL : reason);
    }
}
