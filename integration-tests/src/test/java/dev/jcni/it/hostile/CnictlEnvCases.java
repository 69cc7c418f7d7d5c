package dev.jcni.it.hostile;

import static dev.jcni.it.hostile.CnictlCases.CID;
import static dev.jcni.it.hostile.CnictlCases.CONFLIST;
import static dev.jcni.it.hostile.CnictlCases.CONFLIST_FILE;
import static dev.jcni.it.hostile.CnictlCases.command;
import static dev.jcni.it.hostile.CnictlCases.with;
import static dev.jcni.it.hostile.JsonEdit.path;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * cnictl's command line, environment and config directory: hostile arguments (names, paths,
 * timeouts, options), hostile {@code NETCONFPATH}, {@code CNI_PATH} and cache directories, FIFOs,
 * devices and links among the configs, non-ASCII paths with an empty environment, and hostile
 * CNI_ARGS, CAP_ARGS and runtimeConfig on their way to the plugins.
 */
final class CnictlEnvCases {
    private CnictlEnvCases() {}

    static List<InputClass> classes() {
        return List.of(
                InputClass.of("hostile arguments", CnictlEnvCases::arguments),
                InputClass.of("path traversal in environment variables", CnictlEnvCases::environment),
                InputClass.of("FIFOs, devices and links among configs", CnictlEnvCases::specialFiles),
                InputClass.of("non-ASCII paths with an empty environment", CnictlEnvCases::nonAscii),
                InputClass.of("hostile CNI_ARGS, CAP_ARGS and runtimeConfig", CnictlEnvCases::runtimeArgs));
    }

    /** {@code cnictl <args>} with the base conflist; the verb is the first argument. */
    private static HostileCase.Builder raw(String cls, String label, Text... args) {
        HostileCase.Builder b = HostileCase.in(cls, label).plant(Plant.file(CONFLIST_FILE, CONFLIST).mode(0644));
        b.verb(args.length == 0 ? "" : args[0].toString());
        for (Text a : args) {
            b.arg(a);
        }
        return b;
    }

    private static Text t(String s) {
        return Text.of(s);
    }

    static List<HostileCase> arguments(String cls, Random random) {
        List<HostileCase> out = new ArrayList<>();
        int nets = 0;
        for (Text net : new Text[] {t("../hostile"), t(""), t(".."), t("/etc/passwd"), t("*"), t("x".repeat(5000)), t("hostile\n"),
                t("HOSTILE"), t("host").thenRaw(0xE9), t("${CANARY}")}) {
            for (String verb : nets++ < 3 ? new String[] {"add", "del"} : new String[] {"add"}) {
                // del looks for the config cached at ADD, whose path needs a name: none is the environment's fault (4).
                int code = verb.equals("del") && net.toString().isEmpty() ? 4 : 7;
                out.add(raw(cls, "network name " + net, t(verb), t("--container-id"), t(CID), net, t("${NETNS}")).expect(Expect.error(code))
                        .build());
            }
        }
        Object[][] netns = {{t("/proc/self/ns/net"), Expect.error(8)}, {t("/proc/${HOSTPID}/ns/net"), Expect.error(8)},
                {t("/proc/self/../self/ns/net"), Expect.error(8)}, {t("../../proc/self/ns/net"), Expect.error(4)},
                {t("/proc/self/ns/mnt"), Expect.error(100)}, {t("/dev/zero"), Expect.error(100)}, {t("${CANARY}"), Expect.error(100)},
                {t("/nonexistent-jcni-${TOKEN}"), Expect.error(4)}, {t(""), Expect.error(100)},
                {t("/run/netns/").thenRaw(0xE9), Expect.error(4)}, {t("/" + "n".repeat(300)), Expect.error(4)}};
        for (Object[] n : netns) {
            out.add(raw(cls, "netns " + n[0], t("add"), t("--container-id"), t(CID), t("hostile"), (Text) n[0]).watch("/nonexistent-jcni-${TOKEN}")
                    .expect((Expect) n[1]).build());
            if (n[0].toString().startsWith("/proc") || n[0].toString().isEmpty()) {
                out.add(raw(cls, "netns " + n[0], t("del"), t("--container-id"), t(CID), t("hostile"), (Text) n[0])
                        .expect(Expect.success().sandboxUnchanged()).build());
            }
        }
        out.add(raw(cls, "netns a FIFO", t("add"), t("--container-id"), t(CID), t("hostile"), t("${HOST}/fifo")).plant(Plant.fifo("${HOST}/fifo"))
                .expect(Expect.error(100)).build());
        for (String id : new String[] {"../x", "a/b", ".", "x;y", "-x", "x\n", "", "c\u00e9", "../../../../etc/cron.d/x"}) {
            for (String verb : id.startsWith("..") || id.isEmpty() ? new String[] {"add", "del", "check"} : new String[] {"add", "del"}) {
                // libcni: an empty container ID is "missing" (3) on ADD; elsewhere every invalid one is the environment's (4).
                int code = id.isEmpty() && verb.equals("add") ? 3 : 4;
                out.add(raw(cls, "--container-id " + Shown.cut(id, 30), t(verb), t("--container-id"), t(id), t("hostile"), t("${NETNS}"))
                        .expect(Expect.error(code)).build());
            }
        }
        // A cache path climbing out of the cache through a directory that exists: nothing outside may go.
        for (String verb : new String[] {"del", "check"}) {
            out.add(raw(cls, "--container-id climbing out of the cache", t(verb), t("--container-id"), t("x/../../../host/victim"), t("hostile"),
                    t("${NETNS}")).plant(Plant.dir("${CACHE}/results/hostile-x")).plant(Plant.file("${HOST}/victim-eth0", "{}").mode(0644))
                    .expect(Expect.error(4)).build());
            out.add(raw(cls, "-i climbing out of the cache", t(verb), t("--container-id"), t(CID), t("-i"), t("x/../../../host/victim"),
                    t("hostile"), t("${NETNS}")).plant(Plant.dir("${CACHE}/results/hostile-" + CID + "-x"))
                    .plant(Plant.file("${HOST}/victim", "{}").mode(0644)).expect(Expect.error(4)).build());
        }
        for (String ifname : new String[] {"../x", "eth0/..", "a:b", "", "a".repeat(16), "eth 0", ".."}) {
            out.add(raw(cls, "-i " + ifname, t("add"), t("--container-id"), t(CID), t("-i"), t(ifname), t("hostile"), t("${NETNS}"))
                    .expect(Expect.error(4)).build());
        }
        out.add(raw(cls, "--ifname= (empty)", t("add"), t("--container-id"), t(CID), t("--ifname="), t("hostile"), t("${NETNS}"))
                .expect(Expect.error(4)).build());
        for (String dir : new String[] {"${HOST}/fifo", "${CANARY}", "/dev/null", "/proc/sys/net", "${HOST}/link-canary"}) {
            for (String verb : new String[] {"add", "del"}) {
                HostileCase.Builder b = raw(cls, "--cache-dir " + dir, t(verb), t("--container-id"), t(CID), t("--cache-dir"), t(dir),
                        t("hostile"), t("${NETNS}"));
                if (dir.endsWith("fifo")) {
                    b.plant(Plant.fifo("${HOST}/fifo"));
                }
                out.add(b.expect(Expect.error(5)).build());
            }
        }
        for (String timeout : timeouts()) {
            out.add(raw(cls, "--timeout " + Shown.cut(timeout, 30), t("add"), t("--timeout"), t(timeout), t("hostile"), t("${NETNS}"))
                    .expect(Expect.usage()).build());
        }
        out.add(raw(cls, "--timeout empty (the default)", t("add"), t("--container-id"), t(CID), t("--timeout"), t(""), t("hostile"),
                t("${NETNS}")).expect(Expect.success()).build());
        Text[][] usage = {{t("--bogus"), t("add"), t("hostile"), t("${NETNS}")}, {t("add"), t("hostile"), t("${NETNS}"), t("--timeout")},
                {t("add"), t("hostile"), t("${NETNS}"), t("-i")}, {t("add"), t("hostile"), t("${NETNS}"), t("--container-id")},
                {t("--"), t("add"), t("hostile"), t("${NETNS}")}, {t("ADD"), t("hostile"), t("${NETNS}")}, {t(""), t("hostile")},
                {t("add")}, {t("add"), t("hostile")}, {t("version")}, {t("gc")}, {t("add\u00e9"), t("hostile"), t("${NETNS}")},
                {t("--timeout="), t("1"), t("add")}};
        for (Text[] u : usage) {
            out.add(raw(cls, "usage " + java.util.Arrays.toString(u), u).expect(Expect.usage()).build());
        }
        for (String type : new String[] {"../tuning", "/bin/sh", "lib", "..", "tuning/..", "no-such-plugin"}) {
            out.add(raw(cls, "version " + type, t("version"), t(type)).expect(Expect.error(7)).build());
        }
        out.add(raw(cls, "version tuning", t("version"), t("tuning")).expect(Expect.success()).build());
        return out;
    }

    /** Timeouts no deadline may be made of: each a usage error before anything runs. */
    static List<String> timeouts() {
        return List.of("99999999999999999999", "-1", "0", "0.0001", "NaN", "Infinity", "1e3", " 1", "1 ", "0x10", "86400.0001", "86401",
                "1,5", "\u0661", "1".repeat(5000));
    }

    static List<HostileCase> environment(String cls, Random random) {
        List<HostileCase> out = new ArrayList<>();
        Object[][] confDirs = {{"${HOST}/fifo", 5}, {"/dev/zero", 5}, {"${CANARY}", 5}, {"/nonexistent-jcni-${TOKEN}", 7}, {"${HOST}", 7},
                {"/proc/self/fd", 7}, {"${NETD}/../host", 7}, {"${HOST}/link-canary", 5}};
        for (Object[] d : confDirs) {
            HostileCase.Builder b = command(cls, "NETCONFPATH " + d[0], "add").env("NETCONFPATH", (String) d[0]).watch("/nonexistent-jcni-${TOKEN}");
            if (((String) d[0]).endsWith("fifo")) {
                b.plant(Plant.fifo("${HOST}/fifo"));
            }
            out.add(b.expect(Expect.error((Integer) d[1])).build());
        }
        out.add(command(cls, "NETCONFPATH not UTF-8", "add").env("NETCONFPATH", Text.of("${WS}/n").thenRaw(0xE9)).expect(Expect.error(7)).build());
        for (Text p : new Text[] {t(""), t("/etc"), t("${HOST}"), t("../.."), t(":::"), t("/x").thenRaw(0xE9), t("${BIN}/lib")}) {
            out.add(command(cls, "CNI_PATH " + p, "add").env("CNI_PATH", p).expect(Expect.error(7)).build());
        }
        for (String dir : new String[] {"${HOST}/fifo", "${CANARY}", "/dev/null"}) {
            HostileCase.Builder b = command(cls, "JCNI_CACHE_DIR " + dir, "add").env("JCNI_CACHE_DIR", dir);
            if (dir.endsWith("fifo")) {
                b.plant(Plant.fifo("${HOST}/fifo"));
            }
            out.add(b.expect(Expect.error(5)).build());
        }
        List<String> timeouts = new ArrayList<>(timeouts());
        java.util.Collections.shuffle(timeouts, random);
        for (String timeout : timeouts.subList(0, 5)) { // the same parser as --timeout's, which takes every value
            out.add(command(cls, "JCNI_TIMEOUT " + Shown.cut(timeout, 30), "add").env("JCNI_TIMEOUT", timeout).expect(Expect.usage()).build());
        }
        for (String ifname : new String[] {"../x", "a:b", "a".repeat(16)}) {
            HostileCase.Builder b = HostileCase.in(cls, "CNI_IFNAME " + ifname).verb("add").args("add", "--container-id", CID, "hostile", "${NETNS}")
                    .plant(Plant.file(CONFLIST_FILE, CONFLIST).mode(0644)).env("CNI_IFNAME", ifname);
            out.add(b.expect(Expect.error(4)).build());
        }
        return out;
    }

    static List<HostileCase> specialFiles(String cls, Random random) {
        List<HostileCase> out = new ArrayList<>();
        Object[][] skipped = {{"a FIFO", Plant.fifo("${NETD}/00-fifo.conflist")}, {"a link to /dev/zero", Plant.symlink("${NETD}/01.conflist",
                "/dev/zero")}, {"a device", Plant.zeroDevice("${NETD}/02.conflist")}, {"a dangling link", Plant.symlink("${NETD}/03.conflist",
                "${HOST}/nothing")}, {"a link loop", Plant.symlink("${NETD}/04.conflist", "${NETD}/04.conflist")},
                {"a directory", Plant.dir("${NETD}/05.conflist")}, {"a FIFO .conf", Plant.fifo("${NETD}/06.conf")},
                {"a FIFO drop-in", Plant.fifo("${NETD}/hostile/50.conf")}, {"a /dev/zero drop-in", Plant.symlink("${NETD}/hostile/51.conf",
                "/dev/zero")}, {"a drop-in directory linking to a host directory", Plant.symlink("${NETD}/hostile", "${HOST}/dir")}};
        for (Object[] s : skipped) {
            out.add(command(cls, "config dir with " + s[0], "add").plant((Plant) s[1]).expect(Expect.success()).build());
        }
        Object[][] broken = {{"a link to a root-only host file", Plant.symlink("${NETD}/00.conflist", "${SECRET}"), 6},
                {"a link to a host file", Plant.symlink("${NETD}/00.conflist", "${CANARY}"), 6},
                {"a 5 MB conflist", Plant.file("${NETD}/00.conflist", "{\"name\":\"x\",\"pad\":\"" + "p".repeat(5 << 20) + "\"}"), 5},
                {"a FIFO where the drop-in directory goes", Plant.fifo("${NETD}/hostile"), 5}};
        for (Object[] b : broken) {
            out.add(command(cls, "config dir with " + b[0], "add").plant((Plant) b[1]).expect(Expect.error((Integer) b[2])).build());
        }
        // The cache's own places, tampered with.
        out.add(command(cls, "cache results/ a FIFO", "add").plant(Plant.fifo("${CACHE}/results")).expect(Expect.error(5).sandboxMayChangeOnError())
                .build());
        out.add(command(cls, "cache results/ a FIFO", "gc").plant(Plant.fifo("${CACHE}/results")).expect(Expect.error(5)).build());
        out.add(command(cls, "cache results/ a FIFO", "del").plant(Plant.fifo("${CACHE}/results")).expect(Expect.success().sandboxUnchanged())
                .build());
        out.add(command(cls, "cache lock file a FIFO", "add").plant(Plant.fifo("${CACHE}/jcni-runtime.lock")).expect(Expect.successOr(5)).build());
        out.add(command(cls, "cache lock file a link to a host file", "add").plant(Plant.symlink("${CACHE}/jcni-runtime.lock", "${CANARY}"))
                .expect(Expect.successOr(5)).build());
        out.add(command(cls, "cache lock file a directory", "add").plant(Plant.dir("${CACHE}/jcni-runtime.lock")).expect(Expect.error(5)).build());
        return out;
    }

    static List<HostileCase> nonAscii(String cls, Random random) {
        List<HostileCase> out = new ArrayList<>();
        for (String locale : new String[] {null, "C", "POSIX"}) {
            String where = " (LC_ALL " + (locale == null ? "unset" : locale) + ")";
            List<HostileCase.Builder> ok = new ArrayList<>();
            ok.add(HostileCase.in(cls, "a non-ASCII config directory" + where).verb("add").args("add", "--container-id", CID, "hostile", "${NETNS}")
                    .env("NETCONFPATH", "${WS}/n\u00e9t.d").plant(Plant.file(Text.of("${WS}/n\u00e9t.d/10.conflist"), CONFLIST)));
            ok.add(command(cls, "a non-ASCII cache directory" + where, "add").env("JCNI_CACHE_DIR", "${WS}/c\u00e4che"));
            ok.add(HostileCase.in(cls, "a non-ASCII netns path" + where).verb("add")
                    .args("add", "--container-id", CID, "hostile", "${WS}/n\u00e9tns-\u2603").plant(Plant.file(CONFLIST_FILE, CONFLIST))
                    .plant(Plant.bind(Text.of("${WS}/n\u00e9tns-\u2603"), "${NETNS}")));
            ok.add(command(cls, "a non-ASCII CNI_PATH" + where, "add").env("CNI_PATH", "${WS}/b\u00efn")
                    .plant(Plant.symlink("${WS}/b\u00efn/iface", "${STUBS}/iface")).plant(Plant.symlink("${WS}/b\u00efn/tuning", "${BIN}/tuning")));
            ok.add(with(cls, "a non-ASCII dataDir" + where, "add", Text.of(JsonEdit.set(CONFLIST, path("plugins", 1, "dataDir"),
                    JsonEdit.string("${DATA}/d\u00e4t\u00e4")))));
            for (HostileCase.Builder b : ok) {
                if (locale != null) {
                    b.env("LC_ALL", locale);
                }
                out.add(b.expect(Expect.success()).build());
            }
            HostileCase.Builder badConf = command(cls, "NETCONFPATH not UTF-8" + where, "add").env("NETCONFPATH", Text.of("${WS}/n").thenRaw(0xE9));
            HostileCase.Builder badNs = HostileCase.in(cls, "netns path not UTF-8" + where).verb("add").plant(Plant.file(CONFLIST_FILE, CONFLIST))
                    .arg(t("add")).arg(t("--container-id")).arg(t(CID)).arg(t("hostile")).arg(Text.of("/run/netns/").thenRaw(0xE9));
            if (locale != null) {
                badConf.env("LC_ALL", locale);
                badNs.env("LC_ALL", locale);
            }
            out.add(badConf.expect(Expect.error(7)).build());
            out.add(badNs.expect(Expect.error(4)).build());
        }
        return out;
    }

    static List<HostileCase> runtimeArgs(String cls, Random random) {
        List<HostileCase> out = new ArrayList<>();
        Object[][] cniArgs = {{t("=x"), Expect.error(4)}, {t("a"), Expect.error(4)}, {t("a="), Expect.error(4)}, {t(";;"), Expect.success()},
                {t("MAC=01:00:5e:00:00:01"), Expect.error(7)}, {t("MAC=c2:11:22:33:44:55"), Expect.success()},
                {t("IgnoreUnknown=1;K8S_POD_NAME=../../etc/passwd"), Expect.success()}, {t("A=" + "x".repeat(100_000)), Expect.success()},
                {t("MAC=").thenRaw(0xE9), Expect.error(7)}, {t("MAC=c2:11:22:33:44:55;MAC=01:00:5e:00:00:01"), Expect.error(7)},
                {t("MAC=c2:11:22:33:44:55\n"), Expect.error(7)}};
        for (Object[] a : cniArgs) {
            out.add(command(cls, "CNI_ARGS " + a[0], "add").env("CNI_ARGS", (Text) a[0]).expect((Expect) a[1]).build());
        }
        Object[][] capArgs = {{"garbage", 6}, {"[]", 6}, {"null", 6}, {"\"x\"", 6}, {"{\"a\":" + "[".repeat(100_000), 6},
                {"\ufeff{}", 6}, {"{}", 0}, {"{\"mac\":\"01:00:5e:00:00:01\"}", 0}, {"{\"portMappings\":\"junk\",\"bandwidth\":[]}", 0}};
        for (Object[] c : capArgs) {
            int code = (Integer) c[1];
            out.add(command(cls, "CAP_ARGS " + Shown.cut((String) c[0], 40), "add").env("CAP_ARGS", (String) c[0])
                    .expect(code == 0 ? Expect.success() : Expect.error(code)).build());
        }
        out.add(command(cls, "CAP_ARGS not UTF-8", "add").env("CAP_ARGS", Text.of("{\"mac\":\"").thenRaw(0xE9).then("\"}"))
                .expect(Expect.success()).build());
        // With tuning declaring the mac capability, the runtime's mac reaches it as runtimeConfig.mac.
        Text withCap = Text.of(JsonEdit.set(CONFLIST, path("plugins", 1, "capabilities"), "{\"mac\":true}"));
        Object[][] macs = {{"{\"mac\":\"01:00:5e:00:00:01\"}", 7}, {"{\"mac\":5}", 7}, {"{\"mac\":\"" + "x".repeat(60_000) + "\"}", 7},
                {"{\"mac\":[\"c2:11:22:33:44:55\"]}", 7}, {"{\"mac\":\"c2:11:22:33:44:55\"}", 0}, {"{\"MAC\":\"01:00:5e:00:00:01\"}", 0}};
        for (Object[] m : macs) {
            int code = (Integer) m[1];
            out.add(with(cls, "capability mac " + Shown.cut((String) m[0], 40), "add", withCap).env("CAP_ARGS", (String) m[0])
                    .expect(code == 0 ? Expect.success() : Expect.error(code)).build());
        }
        out.add(with(cls, "runtimeConfig written into the conflist", "add", Text.of(JsonEdit.set(CONFLIST, path("plugins", 1, "runtimeConfig"),
                "{\"mac\":\"01:00:5e:00:00:01\"}"))).expect(Expect.successOr(7)).build());
        return out;
    }
}
