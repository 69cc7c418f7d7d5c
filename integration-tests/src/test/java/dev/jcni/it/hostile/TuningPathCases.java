package dev.jcni.it.hostile;

import static dev.jcni.it.hostile.JsonEdit.path;
import static dev.jcni.it.hostile.TuningCases.BASE;
import static dev.jcni.it.hostile.TuningCases.request;

import dev.jcni.it.hostile.HostilePaths.HostilePath;
import dev.jcni.it.hostile.HostilePaths.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * tuning's path-like inputs: {@code dataDir}, sysctl keys, the ignored {@code logFile} and the
 * refused {@code allowlistFile} in the config; CNI_NETNS, CNI_IFNAME, CNI_CONTAINERID, CNI_PATH
 * and CNI_COMMAND in the environment; and FIFOs, devices and links where the namespace, the
 * allowlist, the log file and the lock directory are expected.
 */
final class TuningPathCases {
    /**
     * The data directory is the network config's to choose (docs/tuning.md, as the reference), so
     * a tenant's config makes tuning create directories and write backups anywhere on the host.
     */
    private TuningPathCases() {}

    static List<InputClass> classes() {
        return List.of(
                InputClass.of("path traversal in config fields", TuningPathCases::configPaths),
                InputClass.of("path traversal in environment variables", TuningPathCases::environment),
                InputClass.of("FIFOs, devices and links where files are expected", TuningPathCases::specialFiles));
    }

    static List<HostileCase> configPaths(String cls, Random random) {
        List<HostileCase> out = new ArrayList<>();
        java.util.Set<Kind> delDone = java.util.EnumSet.noneOf(Kind.class);
        for (HostilePath p : HostilePaths.all("data")) {
            out.add(withPlants(request(cls, "dataDir: " + p.label(), "ADD"), p)
                    .stdin(Stdin.text(JsonEdit.set(BASE, path("dataDir"), p.json()))).expect(dataDirOnAdd(p.kind())).build());
            if (delDone.add(p.kind())) { // DEL only reads: one path of each kind
                out.add(withPlants(request(cls, "dataDir: " + p.label(), "DEL"), p)
                        .stdin(Stdin.text(JsonEdit.set(BASE, path("dataDir"), p.json()))).expect(dataDirOnDel(p.kind())).build());
            }
        }
        // dataDir is the config's to choose only within the node's state directories (StateRoots):
        // the suite's node allows ${DATA} alone, so every place on the "host" is refused (7).
        out.add(request(cls, "dataDir: the node's allowlist path", "ADD").stdin(JsonEdit.set(BASE, path("dataDir"), "\"${ALLOWLIST}\""))
                .expect(Expect.error(7)).build());
        // A config naming a link to a host directory once made tuning chmod that directory 0700,
        // even when the ADD then failed: the directory must keep its mode.
        out.add(request(cls, "dataDir: a link to a host directory, ADD failing after the backup", "ADD")
                .stdin(JsonEdit.set(JsonEdit.set(BASE, path("dataDir"), "\"${HOST}/link-dir\""),
                        path("sysctl", "net.ipv4.conf.IFNAME.rp_filter"), "\"true\"")).expect(Expect.error(7)).build());
        // GC reads every backup in the directory a config names, and deletes those of its network.
        out.add(request(cls, "GC in a host directory holding a JSON file that names the network", "GC")
                .plant(Plant.file("${HOST}/dir/victim.json", "{\"network\":\"hostile\",\"containerID\":\"x\",\"ifName\":\"y\"}"))
                .stdin(JsonEdit.set(BASE, path("dataDir"), "\"${HOST}/dir\"")).expect(Expect.error(7)).build());
        out.add(request(cls, "GC in a host directory holding a backup-named JSON file of the network", "GC")
                .plant(Plant.file("${HOST}/dir/x_y.json", "{\"network\":\"hostile\",\"containerID\":\"x\",\"ifName\":\"y\"}"))
                .stdin(JsonEdit.set(BASE, path("dataDir"), "\"${HOST}/dir\"")).expect(Expect.error(7)).build());
        for (String key : sysctlKeysOutsideNet()) {
            out.add(request(cls, "sysctl key " + Shown.cut(key, 60), "ADD")
                    .stdin(BASE.replace(RP_FILTER, RP_FILTER + "," + key + ":\"1\"")).expect(keyExpectation(key)).build());
        }
        List<String> some = sysctlKeysOutsideNet();
        for (int i = 0; i < 8; i++) {
            String key = some.get(random.nextInt(some.size()));
            out.add(request(cls, "args.cni.sysctl key " + Shown.cut(key, 60), "ADD")
                    .stdin(BASE.replace("\"prevResult\":", "\"args\":{\"cni\":{\"sysctl\":{" + key + ":\"1\"}}},\"prevResult\":"))
                    .expect(keyExpectation(key)).build());
        }
        for (String key : new String[] {"net/./ipv4/ip_forward", "net//ipv4//ip_forward", "net/core/../../net/core/somaxconn"}) {
            out.add(request(cls, "sysctl key " + key + " (cleans to a net path)", "ADD")
                    .stdin(JsonEdit.set(BASE, path("sysctl", key), "\"1\"")).expect(Expect.success()).build());
        }
        // The kernel's ENAMETOOLONG is a failure to read the sysctl (100), not a missing one (7): refused before any change either way.
        out.add(request(cls, "sysctl key: a name that cannot exist (5000 bytes)", "ADD")
                .stdin(JsonEdit.set(BASE, path("sysctl", "net/" + "a".repeat(5000)), "\"1\"")).expect(Expect.error(100)).build());
        out.add(request(cls, "sysctl key: non-ASCII", "ADD")
                .stdin(JsonEdit.set(BASE, path("sysctl", "net/ipv4/conf/\u00e9th0/rp_filter"), "\"1\"")).expect(Expect.error(7)).build());
        // logFile is ignored whatever it names; allowlistFile is refused whatever it names.
        for (HostilePath p : HostilePaths.all("log")) {
            if (p.kind() == Kind.HOST_FILE || p.kind() == Kind.FIFO || p.kind() == Kind.KERNEL || p.kind() == Kind.LINK_TO_HOST_FILE
                    || p.kind() == Kind.MISSING || p.kind() == Kind.RELATIVE && p.label().equals("relative name")) {
                out.add(withPlants(request(cls, "logFile: " + p.label() + " (ignored)", "ADD"), p)
                        .stdin(Stdin.text(JsonEdit.set(BASE, path("logFile"), p.json()))).expect(Expect.success()).build());
            }
            if (p.kind() == Kind.FIFO || p.kind() == Kind.DEVICE || p.kind() == Kind.HOST_FILE && p.label().contains("root-only")
                    || p.kind() == Kind.MISSING) {
                out.add(withPlants(request(cls, "allowlistFile: " + p.label(), "ADD"), p)
                        .stdin(Stdin.text(JsonEdit.set(BASE, path("allowlistFile"), p.json()))).expect(Expect.error(7)).build());
            }
        }
        return out;
    }

    /**
     * What a key of {@link #sysctlKeysOutsideNet} must give: 7, refused as a key; but a lone
     * surrogate in a key name is undecodable input (6, the JSON reader refuses it), and a zero byte
     * passes the key rules and is refused by the kernel layer as a path it cannot read (100).
     * Before any change, every time.
     */
    static Expect keyExpectation(String jsonKey) {
        if (jsonKey.contains("\\ud800")) {
            return Expect.error(6);
        }
        return jsonKey.contains("\\u0000") ? Expect.error(100) : Expect.error(7);
    }

    /** What ADD must make of a hostile dataDir. */
    static Expect dataDirOnAdd(Kind kind) {
        return switch (kind) {
            // Everywhere outside the node's state directories: refused before anything is read.
            case RELATIVE, NUL, SURROGATE, TRAVERSAL, HOST_DIR, LINK_TO_HOST_DIR, MISSING, HOST_FILE, LINK_TO_HOST_FILE, KERNEL,
                    DEVICE, FIFO -> Expect.error(7);
            case TOO_LONG -> Expect.error(100);
            case NON_ASCII -> Expect.success();
            case NOT_UTF8 -> Expect.successOr(6);
        };
    }

    /** What DEL must make of it: nothing to restore, except what cannot be a directory name at all. */
    static Expect dataDirOnDel(Kind kind) {
        return switch (kind) {
            case TOO_LONG, NON_ASCII -> Expect.success().sandboxUnchanged();
            case NOT_UTF8 -> Expect.successOr(6).sandboxUnchanged();
            // Outside the node's state directories, or no directory name at all.
            default -> Expect.error(7);
        };
    }

    /** The base's sysctl entry, after which a case adds its own. */
    private static final String RP_FILTER = "\"net.ipv4.conf.IFNAME.rp_filter\":\"2\"";

    /**
     * Sysctl keys, as JSON string literals, that must not resolve below /proc/sys/net: host
     * settings, a canary, nothing at all, a zero byte, a lone surrogate.
     */
    static List<String> sysctlKeysOutsideNet() {
        List<String> keys = new ArrayList<>();
        for (String k : new String[] {"net/../kernel/domainname", "net.ipv4/../../kernel/domainname", "kernel/domainname",
                "kernel.domainname", "net/../../../..${CANARY}", "net/ipv4/conf/IFNAME/../../../../../..${CANARY}",
                "/proc/sys/net/ipv4/ip_forward", "net", "net/", "net.", "", ".", "/", "..", "../net/ipv4/ip_forward",
                "net/ipv4/conf/eth0/../../../../kernel/domainname", "..${CANARY}", "net/ipv4/../../../../../../../../etc/passwd"}) {
            keys.add(JsonEdit.string(k));
        }
        keys.add("\"net.ipv4.ip_forward\\u0000x\"");
        keys.add("\"net/ipv4/\\ud800\"");
        return keys;
    }

    static List<HostileCase> environment(String cls, Random random) {
        List<HostileCase> out = new ArrayList<>();
        String[][] hostNs = {{"/proc/self/ns/net", null}, {"/proc/thread-self/ns/net", null}, {"/proc/${HOSTPID}/ns/net", null},
                {"/run/netns/../../proc/self/ns/net", null}, {"/proc/self/../self/ns/net", null},
                {"${CWD}/hostns", "/proc/self/ns/net"}, {"hostns", "/proc/self/ns/net"}, {"../cwd/hostns", "/proc/self/ns/net"}};
        for (String[] ns : hostNs) {
            for (String verb : new String[] {"ADD", "CHECK"}) {
                HostileCase.Builder b = request(cls, "CNI_NETNS " + ns[0] + " (the host's)", verb).env("CNI_NETNS", ns[0]);
                if (ns[1] != null) {
                    b.plant(Plant.symlink("${CWD}/hostns", ns[1]));
                }
                out.add(b.expect(Expect.error(8)).build());
            }
        }
        // "${NETNS}/" names the namespace file to Java (which drops a trailing slash) but not to
        // open(2) (ENOTDIR): the plugin cannot enter it, code 100 as for anything it cannot enter.
        String[] notNetns = {"/proc/self/ns/mnt", "/proc/self/ns/uts", "/proc/self/ns/user", "/", "${NETNS}/", "${NETNS}//"};
        for (String ns : notNetns) {
            out.add(request(cls, "CNI_NETNS " + ns + " (not a network namespace)", "ADD").env("CNI_NETNS", ns).expect(Expect.error(100))
                    .build());
        }
        String[] missing = {"/nonexistent-jcni-${TOKEN}", "${NETNS}/..", "/run/netns/${TOKEN}-missing", "${NETNS}\n",
                "/" + "n".repeat(300), "/run/" + ("d".repeat(200) + "/").repeat(30) + "ns", ""};
        for (String ns : missing) {
            out.add(request(cls, "CNI_NETNS " + Shown.cut(ns, 60) + " (missing)", "ADD").env("CNI_NETNS", ns).watch("/nonexistent-jcni-${TOKEN}")
                    .expect(Expect.error(4)).build());
        }
        out.add(request(cls, "CNI_NETNS not UTF-8", "ADD").env("CNI_NETNS", Text.of("/run/netns/").thenRaw(0xE9)).expect(Expect.error(4))
                .build());
        for (String ns : new String[] {"/proc/self/ns/net", "/proc/self/ns/mnt", "/nonexistent-jcni-${TOKEN}", "", "../../proc/1/ns/net"}) {
            out.add(request(cls, "DEL with CNI_NETNS " + ns, "DEL").env("CNI_NETNS", ns).expect(Expect.success().sandboxUnchanged()).build());
        }
        int n = 0;
        for (String name : new String[] {"../eth0", "..", ".", "eth0/..", "a:b", "eth 0", "eth0\n", "\teth0", "a".repeat(16), "",
                "eth0/../../etc"}) {
            for (String verb : n++ % 3 == 0 ? new String[] {"ADD", "DEL"} : new String[] {"ADD"}) {
                out.add(request(cls, "CNI_IFNAME " + Shown.cut(name, 30), verb).env("CNI_IFNAME", name).expect(Expect.error(4)).build());
            }
        }
        // Valid names of no link: the base's IFNAME sysctl does not exist (7); without it, the link does not (100).
        for (Text name : new Text[] {Text.of("\u00e9th0"), Text.of("eth").thenRaw(0xE9), Text.of("eth0\u007f"), Text.of("eth0*")}) {
            out.add(request(cls, "CNI_IFNAME " + name + " (valid, no such link)", "ADD").env("CNI_IFNAME", name).expect(Expect.error(7))
                    .build());
            out.add(request(cls, "CNI_IFNAME " + name + " (valid, no such link), no sysctl", "ADD").env("CNI_IFNAME", name)
                    .stdin(JsonEdit.remove(BASE, path("sysctl"))).expect(Expect.error(100)).build());
        }
        for (String id : new String[] {"../x", "a/b", ".", "..", "-x", "_x", "x y", "x;y", "x\n", "", "../../../../etc/cron.d/x"}) {
            for (String verb : n++ % 3 == 0 ? new String[] {"ADD", "DEL"} : new String[] {"ADD"}) {
                out.add(request(cls, "CNI_CONTAINERID " + Shown.cut(id, 30), verb).env("CNI_CONTAINERID", id).expect(Expect.error(4)).build());
            }
        }
        out.add(request(cls, "CNI_CONTAINERID non-ASCII", "ADD").env("CNI_CONTAINERID", "c\u00e9").expect(Expect.error(4)).build());
        out.add(request(cls, "CNI_CONTAINERID not UTF-8", "ADD").env("CNI_CONTAINERID", Text.of("c").thenRaw(0xE9)).expect(Expect.error(4))
                .build());
        out.add(request(cls, "CNI_CONTAINERID of 300 bytes (no file name can hold it)", "ADD").env("CNI_CONTAINERID", "a".repeat(300))
                .expect(Expect.error(100)).build());
        for (Text p : new Text[] {Text.of("../.."), Text.of("::::"), Text.of("/x").thenRaw(0xE9)}) {
            out.add(request(cls, "CNI_PATH " + p + " (tuning delegates nothing)", "ADD").env("CNI_PATH", p).expect(Expect.success()).build());
        }
        out.add(request(cls, "CNI_PATH empty", "ADD").env("CNI_PATH", "").expect(Expect.error(4)).build());
        for (Text c : new Text[] {Text.of("add"), Text.of("ADD\n"), Text.of("ADD;DEL"), Text.of("../ADD"), Text.of("A".repeat(5000)),
                Text.of("AD").thenRaw(0xC4)}) {
            out.add(request(cls, "CNI_COMMAND " + c, "ADD").env("CNI_COMMAND", c).expect(Expect.error(4)).build());
        }
        out.add(request(cls, "CNI_COMMAND empty (prints what it is on stderr)", "").env("CNI_COMMAND", "").expect(Expect.success())
                .build());
        return out;
    }

    static List<HostileCase> specialFiles(String cls, Random random) {
        List<HostileCase> out = new ArrayList<>();
        String[][] notNamespaces = {{"${HOST}/fifo", "fifo"}, {"${HOST}/zero", "zero"}, {"/dev/zero", null}, {"/dev/null", null},
                {"${CANARY}", null}, {"${HOST}/dir", null}, {"${HOST}/link-canary", null}, {"/proc/self/fd/0", null}, {"/dev/stdin", null}};
        int n = 0;
        for (String[] ns : notNamespaces) {
            // ADD for each; CHECK and DEL (which must succeed without entering it) for every other one.
            for (String verb : n++ % 2 == 0 ? new String[] {"ADD", "CHECK", "DEL"} : new String[] {"ADD"}) {
                HostileCase.Builder b = request(cls, "CNI_NETNS " + ns[0], verb).env("CNI_NETNS", ns[0]);
                plantSpecial(b, ns[1]);
                out.add(b.expect(verb.equals("DEL") ? Expect.success().sandboxUnchanged() : Expect.error(100)).build());
            }
        }
        // The node's allowlist, tampered with: unusable, never followed, waited on or read to the end.
        Object[][] allowlists = {{"a FIFO", Plant.fifo("${ALLOWLIST}")}, {"a /dev/zero device", Plant.zeroDevice("${ALLOWLIST}")},
                {"a link to a host file", Plant.symlink("${ALLOWLIST}", "${CANARY}")}, {"a directory", Plant.dir("${ALLOWLIST}")},
                {"another user's file", Plant.file("${ALLOWLIST}", "^net\\.\n").owner(65534)},
                {"a file anyone may write", Plant.file("${ALLOWLIST}", "^net\\.\n").mode(0666)},
                {"70000 bytes", Plant.file("${ALLOWLIST}", "^net\\.\n".repeat(14_000))},
                {"a bad pattern", Plant.file("${ALLOWLIST}", "(\n")}};
        for (Object[] a : allowlists) {
            out.add(request(cls, "allowlist: " + a[0], "ADD").plant((Plant) a[1]).expect(Expect.error(100)).build());
            out.add(request(cls, "allowlist: " + a[0], "STATUS").plant((Plant) a[1]).expect(Expect.error(50)).build());
        }
        out.add(request(cls, "allowlist: empty (allows nothing)", "ADD").plant(Plant.file("${ALLOWLIST}", "")).expect(Expect.error(7)).build());
        out.add(request(cls, "allowlist: net.core only", "ADD").plant(Plant.file("${ALLOWLIST}", "^net\\.core\\.\n")).expect(Expect.error(7))
                .build());
        out.add(request(cls, "allowlist: all of net", "ADD").plant(Plant.file("${ALLOWLIST}", "^net\\.\n")).expect(Expect.success()).build());
        // The node's log file: a refused one is a warning, the request goes on; nothing outside the log changes.
        Object[][] logs = {{"${HOST}/fifo", Plant.fifo("${HOST}/fifo")}, {"/dev/zero", null}, {"/dev/stdout", null}, {"/dev/stderr", null},
                {"/proc/self/fd/1", null}, {"/proc/sys/kernel/domainname", null}, {"${HOST}/link-canary", null},
                {"${LOGS}/hard.log", Plant.hardlink("${LOGS}/hard.log", "${CANARY}")}, {"${HOST}/dir", null},
                {"${LOGS}/foreign.log", Plant.file("${LOGS}/foreign.log", "").owner(65534)},
                {"${HOST}/open/log", Plant.dir("${HOST}/open").mode(0777)}, {"${HOST}/missing-dir/log", null},
                {"${LOGS}/" + "l".repeat(300), null}};
        for (Object[] l : logs) {
            HostileCase.Builder b = request(cls, "JCNI_LOG_FILE " + Shown.cut((String) l[0], 40), "ADD").env("JCNI_LOG_FILE", (String) l[0]);
            if (l[1] != null) {
                b.plant((Plant) l[1]);
            }
            out.add(b.expect(Expect.success()).build());
        }
        out.add(HostileCase.in(cls, "JCNI_LOG_FILE /dev/stdout on a failing request").verb("ADD").stdin("{\"cniVersion\":")
                .env("JCNI_LOG_FILE", "/dev/stdout").env("JCNI_DEBUG", "1").expect(Expect.error(6)).build());
        out.add(HostileCase.in(cls, "JCNI_LOG_FILE /proc/self/fd/1 with debug on a failing request").verb("DEL").stdin("[]")
                .env("JCNI_LOG_FILE", "/proc/self/fd/1").env("JCNI_DEBUG", "1").expect(Expect.error(6)).build());
        // The node's lock directory: an unusable one is a warning, the request goes on unlocked.
        Object[][] locks = {{"${HOST}/fifo", Plant.fifo("${HOST}/fifo")}, {"${CANARY}", null}, {"/dev/null", null}, {"/proc/sys/net", null},
                {"${HOST}/open", Plant.dir("${HOST}/open").mode(0777)}};
        for (Object[] l : locks) {
            HostileCase.Builder b = request(cls, "JCNI_LOCK_DIR " + l[0], "ADD").env("JCNI_LOCK_DIR", (String) l[0]);
            if (l[1] != null) {
                b.plant((Plant) l[1]);
            }
            out.add(b.expect(Expect.success()).build());
        }
        return out;
    }

    private static void plantSpecial(HostileCase.Builder b, String what) {
        if ("fifo".equals(what)) {
            b.plant(Plant.fifo("${HOST}/fifo"));
        } else if ("zero".equals(what)) {
            b.plant(Plant.zeroDevice("${HOST}/zero"));
        }
    }

    private static HostileCase.Builder withPlants(HostileCase.Builder b, HostilePath p) {
        for (Plant plant : p.plants()) {
            b.plant(plant);
        }
        return b;
    }
}
