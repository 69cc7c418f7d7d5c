package dev.jcni.it.hostile;

import java.util.ArrayList;
import java.util.List;

/**
 * Hostile values for any field or variable that names a file or directory: traversal, host files
 * and directories, kernel files, devices, FIFOs, links, zero bytes, lone surrogates, names and
 * paths too long for the kernel, non-ASCII and non-UTF-8 bytes. Each value has a {@link Kind}, and
 * the plugin's case set decides per field what each kind must give (a relative {@code dataDir} is
 * code 7; a relative log file is merely not used).
 *
 * <p>Host files are the workspace's stand-ins ({@code ${HOST}}, {@code ${CANARY}}), so a regression
 * writes to a canary, never to /etc. Real host paths appear only where they cannot be written
 * (kernel and device files) or where only their existence is watched.
 */
final class HostilePaths {
    /** What a path is, which decides what a field must make of it. */
    enum Kind {
        /** Not absolute. */
        RELATIVE,
        /** Absolute, with {@code ..} leading to an existing host directory. */
        TRAVERSAL,
        /** An existing directory that is not the plugin's (a host directory), or a link to one. */
        HOST_DIR,
        /** A link to a host directory. */
        LINK_TO_HOST_DIR,
        /** A regular host file, or a path through one. */
        HOST_FILE,
        /** A link to a host file. */
        LINK_TO_HOST_FILE,
        /** A file of a kernel file system (/proc, /sys). */
        KERNEL,
        /** A device node. */
        DEVICE,
        /** A FIFO (planted). */
        FIFO,
        /** A path that does not exist, under a host directory. */
        MISSING,
        /** A zero byte inside (only a JSON string can carry one). */
        NUL,
        /** A lone surrogate escape (only a JSON string can carry one): no file name in any encoding. */
        SURROGATE,
        /** A component longer than NAME_MAX, or a whole path longer than PATH_MAX. */
        TOO_LONG,
        /** Non-ASCII characters, in UTF-8: a valid name. */
        NON_ASCII,
        /** Bytes that are no UTF-8 ({@code 0xE9}; an overlong {@code /}). */
        NOT_UTF8
    }

    /**
     * One hostile path.
     *
     * @param label  for reports
     * @param kind   what it is
     * @param value  its bytes (a template)
     * @param json   the same as a JSON string literal (a template; may hold raw bytes), never null
     * @param plants what must be on disk for it (a FIFO)
     */
    record HostilePath(String label, Kind kind, Text value, Text json, List<Plant> plants) {
        /** Usable in an environment variable or an argument (a process cannot be given a zero byte or a lone surrogate). */
        boolean fitsEnvironment() {
            return kind != Kind.NUL && kind != Kind.SURROGATE;
        }
    }

    private HostilePaths() {}

    /**
     * The hostile paths, for a field whose legitimate value would be {@code ${DATA}}-like (the
     * file or directory name {@code leaf} is used where a path must end in a name).
     */
    static List<HostilePath> all(String leaf) {
        List<HostilePath> out = new ArrayList<>();
        plain(out, "relative name", Kind.RELATIVE, leaf);
        plain(out, "relative with ./", Kind.RELATIVE, "./" + leaf);
        plain(out, "relative with ../..", Kind.RELATIVE, "../../" + leaf);
        plain(out, "a tilde path", Kind.RELATIVE, "~/" + leaf);
        plain(out, ".. into a host directory", Kind.TRAVERSAL, "${WS}/data/../host/dir");
        plain(out, "deep .. into a host directory", Kind.TRAVERSAL, "${WS}/a/b/../../../../../../../..${HOST}/dir");
        plain(out, "a host directory", Kind.HOST_DIR, "${HOST}/dir");
        plain(out, "a link to a host directory", Kind.LINK_TO_HOST_DIR, "${HOST}/link-dir");
        plain(out, "a host file", Kind.HOST_FILE, "${CANARY}");
        plain(out, "a root-only host file", Kind.HOST_FILE, "${SECRET}");
        plain(out, "a path through a host file", Kind.HOST_FILE, "${CANARY}/" + leaf);
        plain(out, "a link to a host file", Kind.LINK_TO_HOST_FILE, "${HOST}/link-canary");
        plain(out, "/proc/sys/net/ipv4", Kind.KERNEL, "/proc/sys/net/ipv4");
        plain(out, "/proc/sys/kernel/domainname", Kind.KERNEL, "/proc/sys/kernel/domainname");
        plain(out, "/proc/self/fd/0", Kind.KERNEL, "/proc/self/fd/0");
        plain(out, "/sys/class/net", Kind.KERNEL, "/sys/class/net");
        plain(out, "/dev/null", Kind.DEVICE, "/dev/null");
        plain(out, "/dev/zero", Kind.DEVICE, "/dev/zero");
        out.add(new HostilePath("a FIFO", Kind.FIFO, Text.of("${HOST}/fifo"), Text.of("\"${HOST}/fifo\""),
                List.of(Plant.fifo("${HOST}/fifo"))));
        plain(out, "a missing path under a host directory", Kind.MISSING, "${HOST}/dir/new/" + leaf);
        out.add(new HostilePath("a zero byte", Kind.NUL, null, Text.of("\"${DATA}\\u0000" + leaf + "\""), List.of()));
        out.add(new HostilePath("a lone surrogate", Kind.SURROGATE, null, Text.of("\"${DATA}-\\ud800\""), List.of()));
        plain(out, "a 300-byte name", Kind.TOO_LONG, "${DATA}/" + "n".repeat(300));
        plain(out, "a 6000-byte path", Kind.TOO_LONG, "${DATA}/" + ("d".repeat(200) + "/").repeat(30) + leaf);
        plain(out, "a non-ASCII name", Kind.NON_ASCII, "${DATA}/d\u00e4t\u00e4-\u2603");
        out.add(new HostilePath("a Latin-1 byte", Kind.NOT_UTF8, Text.of("${DATA}/d").thenRaw(0xE9),
                Text.of("\"${WS}/d").thenRaw(0xE9).then("\""), List.of()));
        out.add(new HostilePath("overlong-encoded slashes", Kind.NOT_UTF8, Text.of("${DATA}").thenRaw(0xC0, 0xAF).then("..").thenRaw(0xC0, 0xAF)
                .then("host"), Text.of("\"${DATA}").thenRaw(0xC0, 0xAF).then("..").thenRaw(0xC0, 0xAF).then("host\""), List.of()));
        return out;
    }

    private static void plain(List<HostilePath> out, String label, Kind kind, String template) {
        out.add(new HostilePath(label, kind, Text.of(template), Text.of(JsonEdit.string(template)), List.of()));
    }
}
