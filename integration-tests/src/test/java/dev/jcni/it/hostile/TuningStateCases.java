package dev.jcni.it.hostile;

import static dev.jcni.it.hostile.JsonEdit.path;
import static dev.jcni.it.hostile.TuningCases.BACKUP;
import static dev.jcni.it.hostile.TuningCases.BASE;
import static dev.jcni.it.hostile.TuningCases.request;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * tuning's inputs that are not the request itself: backups planted in the data directory (read
 * back by DEL, merged by ADD, collected by GC), non-ASCII paths with the empty environment a
 * runtime gives and any caller locale, and what the runtime fills in from a pod's spec (CNI_ARGS,
 * {@code runtimeConfig}, {@code args}).
 */
final class TuningStateCases {
    private TuningStateCases() {}

    static List<InputClass> classes() {
        return List.of(
                InputClass.of("planted state files", TuningStateCases::plantedBackups),
                InputClass.of("non-ASCII paths with an empty environment", TuningStateCases::nonAscii),
                InputClass.of("hostile CNI_ARGS, runtimeConfig and args", TuningStateCases::runtimeArgs));
    }

    /** Backup contents of which nothing may be restored: every value breaks the config's rules. */
    static List<String> hostileBackups() {
        List<String> b = new ArrayList<>();
        for (String key : new String[] {"net/../kernel/domainname", "kernel/domainname", "net/ipv4/../../kernel/domainname",
                "net/../../../..${CANARY}", "/proc/sys/net/ipv4/ip_forward", "net/./ipv4/ip_forward", "net", "",
                "net/ipv4/conf/eth0/../../../../../..${CANARY}", "net/ipv4/../../../../../../etc/passwd"}) {
            b.add("{\"sysctl\":{" + JsonEdit.string(key) + ":\"1\"}}");
        }
        b.add("{\"sysctl\":{\"net/ipv4/conf/eth0/rp_filter\":\"1\\n2\"}}");
        b.add("{\"sysctl\":{\"net/ipv4/conf/eth0/rp_filter\":2}}");
        b.add("{\"sysctl\":{\"net/ipv4/conf/eth0/rp_filter\":null}}");
        b.add("{\"sysctl\":\"net/ipv4/ip_forward\"}");
        b.add("{\"sysctl\":[\"net/ipv4/ip_forward\"]}");
        for (String v : new String[] {"-5", "-1", "4294967296", "\"500\"", "1e3", "1.5", "true"}) {
            b.add("{\"txQLen\":" + v + "}");
        }
        for (String v : new String[] {"-1", "67", "65536", "2147483648", "\"1400\"", "1e400", "-0.5"}) {
            b.add("{\"mtu\":" + v + "}");
        }
        for (String v : new String[] {"\"01:00:5e:00:00:01\"", "\"00:00:00:00:00:00\"", "\"zz\"", "5", "\"ff:ff:ff:ff:ff:ff\""}) {
            b.add("{\"mac\":" + v + "}");
        }
        for (String v : new String[] {"\"true\"", "1", "null"}) {
            b.add("{\"promisc\":" + v + ",\"allmulti\":" + v + "}");
        }
        return b;
    }

    static List<HostileCase> plantedBackups(String cls, Random random) {
        List<HostileCase> out = new ArrayList<>();
        for (String content : hostileBackups()) {
            out.add(request(cls, "backup " + Shown.cut(content, 80), "DEL").plant(Plant.file(BACKUP, content))
                    .expect(Expect.success().sandboxUnchanged()).build());
        }
        // A backup that is no JSON object, or not one of ours: ignored, DEL still succeeds.
        Object[][] unusable = {{"garbage", Plant.file(BACKUP, "garbage")}, {"empty", Plant.file(BACKUP, "")},
                {"an array", Plant.file(BACKUP, "[{\"mtu\":1280}]")}, {"null", Plant.file(BACKUP, "null")},
                {"a byte-order mark", Plant.file(BACKUP, Text.raw(0xEF, 0xBB, 0xBF).then("{\"mtu\":1280}"))},
                {"UTF-16", Plant.file(BACKUP, Text.raw(0, '{', 0, '}'))},
                {"nested 100000 deep", Plant.file(BACKUP, "[".repeat(100_000))},
                {"a valid backup and trailing garbage", Plant.file(BACKUP, "{\"mtu\":1280} x")},
                {"a FIFO", Plant.fifo(BACKUP)}, {"a /dev/zero device", Plant.zeroDevice(BACKUP)},
                {"a link to a host file holding a backup", Plant.symlink(BACKUP, "${HOST}/dir/file")},
                {"a link to /etc/passwd", Plant.symlink(BACKUP, "/etc/passwd")},
                {"a link to /dev/zero", Plant.symlink(BACKUP, "/dev/zero")},
                {"a dangling link", Plant.symlink(BACKUP, "${HOST}/nothing-here")},
                {"a directory", Plant.dir(BACKUP)},
                {"another user's backup", Plant.file(BACKUP, "{\"mtu\":1280}").owner(65534)},
                {"a backup anyone may write", Plant.file(BACKUP, "{\"mtu\":1280}").mode(0666)},
                {"70000 bytes", Plant.file(BACKUP, "{\"mtu\":1280,\"pad\":\"" + "p".repeat(70_000) + "\"}")}};
        for (Object[] u : unusable) {
            out.add(request(cls, "backup: " + u[0], "DEL").plant((Plant) u[1]).expect(Expect.success().sandboxUnchanged()).build());
        }
        // ADD over a hostile backup: the backup's bad values are dropped, the ADD's own changes are made.
        for (int i = 0; i < 6; i++) {
            List<String> all = hostileBackups();
            String content = all.get(random.nextInt(all.size()));
            out.add(request(cls, "ADD over backup " + Shown.cut(content, 60), "ADD").plant(Plant.file(BACKUP, content))
                    .expect(Expect.success()).build());
        }
        out.add(request(cls, "ADD over a FIFO backup", "ADD").plant(Plant.fifo(BACKUP)).expect(Expect.successOr(100)).build());
        out.add(request(cls, "ADD over a link to a host file", "ADD").plant(Plant.symlink(BACKUP, "${CANARY}")).expect(Expect.successOr(100))
                .build());
        // DEL in the host's own namespace, with a backup aimed at the suite's host link: never restored there.
        String hostBackup = "${DATA}/" + PluginTarget.CONTAINER_ID + "_${HOSTIF}.json";
        String aimed = "{\"mtu\":1280,\"txQLen\":7,\"sysctl\":{\"net/ipv4/conf/${HOSTIF}/rp_filter\":\"2\"}}";
        for (String ns : new String[] {"/proc/self/ns/net", "/proc/${HOSTPID}/ns/net", "/run/netns/../../proc/self/ns/net",
                "${CWD}/hostns"}) {
            HostileCase.Builder b = request(cls, "DEL in the host namespace " + ns, "DEL").env("CNI_NETNS", ns).env("CNI_IFNAME", "${HOSTIF}")
                    .plant(Plant.file(hostBackup, aimed));
            if (ns.startsWith("${CWD}")) {
                b.plant(Plant.symlink("${CWD}/hostns", "/proc/self/ns/net"));
            }
            out.add(b.expect(Expect.success().sandboxUnchanged()).build());
        }
        // GC reads every file in the data directory: none may hang it, and only backups of its network go.
        Object[][] gc = {{"a FIFO", Plant.fifo("${DATA}/a.json")}, {"a device", Plant.zeroDevice("${DATA}/b.json")},
                {"a link to a host file", Plant.symlink("${DATA}/c.json", "${CANARY}")},
                {"a link to a host directory", Plant.symlink("${DATA}/d.json", "${HOST}/dir")},
                {"a directory", Plant.dir("${DATA}/e.json")},
                {"a 10 MB file", Plant.file("${DATA}/f.json", "{\"network\":\"hostile\",\"pad\":\"" + "p".repeat(10 << 20) + "\"}")},
                {"another network's backup", Plant.file("${DATA}/x_y.json", "{\"network\":\"other\",\"containerID\":\"x\",\"ifName\":\"y\"}")}};
        for (Object[] g : gc) {
            out.add(request(cls, "GC with " + g[0] + " in the data directory", "GC").plant((Plant) g[1])
                    .expect(Expect.success().sandboxUnchanged()).build());
        }
        return out;
    }

    static List<HostileCase> nonAscii(String cls, Random random) {
        List<HostileCase> out = new ArrayList<>();
        String[] locales = {null, "POSIX", "en_US.ISO-8859-1"};
        Text nsPath = Text.of("${WS}/n\u00e9tns-\u2603");
        String data = "${DATA}/d\u00e4t\u00e4-\u00df"; // within the node's state directories
        for (String locale : locales) {
            String where = " (LC_ALL " + (locale == null ? "unset" : locale) + ")";
            HostileCase.Builder add = request(cls, "ADD in a non-ASCII netns and dataDir" + where, "ADD").env("CNI_NETNS", nsPath)
                    .plant(Plant.bind(nsPath, "${NETNS}")).stdin(JsonEdit.set(BASE, path("dataDir"), JsonEdit.string(data)));
            HostileCase.Builder del = request(cls, "DEL of a non-ASCII backup" + where, "DEL").env("CNI_NETNS", nsPath)
                    .plant(Plant.bind(nsPath, "${NETNS}"))
                    .plant(Plant.file(data + "/" + PluginTarget.CONTAINER_ID + "_eth0.json", "{\"mtu\":1280}"))
                    .stdin(JsonEdit.set(BASE, path("dataDir"), JsonEdit.string(data)));
            HostileCase.Builder latin1 = request(cls, "CNI_NETNS not UTF-8" + where, "ADD").env("CNI_NETNS", Text.of("/run/netns/").thenRaw(0xE9));
            HostileCase.Builder log = request(cls, "a non-ASCII log file" + where, "ADD").env("JCNI_LOG_FILE", "${LOGS}/j\u00f6urnal.log");
            HostileCase.Builder allow = request(cls, "a non-ASCII allowlist path" + where, "ADD").env("JCNI_TUNING_ALLOWLIST", "${POLICY}/\u00e4llow")
                    .plant(Plant.file(Text.of("${POLICY}/\u00e4llow"), "^net\\.\n"));
            HostileCase.Builder deny = request(cls, "a non-ASCII allowlist that denies" + where, "ADD")
                    .env("JCNI_TUNING_ALLOWLIST", "${POLICY}/\u00e4llow").plant(Plant.file(Text.of("${POLICY}/\u00e4llow"), "^net\\.core\\.\n"));
            HostileCase.Builder key = request(cls, "a non-ASCII sysctl key" + where, "ADD")
                    .stdin(JsonEdit.set(BASE, path("sysctl", "net.ipv4.conf.\u00e9th0.rp_filter"), "\"1\""));
            HostileCase.Builder ifname = request(cls, "a non-ASCII CNI_IFNAME" + where, "ADD").env("CNI_IFNAME", "\u00e9th0");
            for (HostileCase.Builder b : List.of(add, del, latin1, log, allow, deny, key, ifname)) {
                if (locale != null) {
                    b.env("LC_ALL", locale);
                }
            }
            out.add(add.expect(Expect.success()).build());
            out.add(del.expect(Expect.success()).build());
            out.add(latin1.expect(Expect.error(4)).build());
            out.add(log.expect(Expect.success()).build());
            out.add(allow.expect(Expect.success()).build());
            out.add(deny.expect(Expect.error(7)).build());
            out.add(key.expect(Expect.error(7)).build());
            out.add(ifname.expect(Expect.error(7)).build()); // the base's IFNAME sysctl does not exist for it
        }
        out.add(request(cls, "LANG and LC_CTYPE set to nonsense", "ADD").env("LANG", "zz_ZZ.nonsense").env("LC_CTYPE", "\u00e9")
                .env("CNI_NETNS", nsPath).plant(Plant.bind(nsPath, "${NETNS}")).expect(Expect.success()).build());
        return out;
    }

    static List<HostileCase> runtimeArgs(String cls, Random random) {
        List<HostileCase> out = new ArrayList<>();
        Object[][] cniArgs = {{"MAC=01:00:5e:00:00:01", Expect.error(7)}, {"MAC=00:00:00:00:00:00", Expect.error(7)},
                {"MAC=zz", Expect.error(7)}, {"MAC=c2:11:22:33:44:55;MAC=01:00:5e:00:00:01", Expect.error(7)},
                {"MAC=c2:11:22:33:44:55\n", Expect.error(7)}, {"MAC=c2:11:22:33:44:55 ", Expect.error(7)},
                {"MAC=" + "c2:".repeat(20_000) + "55", Expect.error(7)},
                {"=x", Expect.error(4)}, {"x", Expect.error(4)}, {"MAC", Expect.error(4)}, {"a=b;c", Expect.error(4)},
                {"MAC=", Expect.success()}, {";;;", Expect.success()}, {"MAC=c2:11:22:33:44:55", Expect.success()},
                {"MAC=c2-11-22-33-44-55", Expect.success()}, {"IgnoreUnknown=1;K8S_POD_NAMESPACE=../../etc;K8S_POD_NAME=/etc/passwd",
                Expect.success()}, {"K8S_POD_NAME=" + "x".repeat(100_000), Expect.success()},
                {"IP=../../etc/shadow;MAC=c2:11:22:33:44:55;X=$(reboot)", Expect.success()}};
        for (Object[] a : cniArgs) {
            out.add(request(cls, "CNI_ARGS " + Shown.cut((String) a[0], 50), "ADD").env("CNI_ARGS", (String) a[0]).expect((Expect) a[1]).build());
        }
        out.add(request(cls, "CNI_ARGS MAC not UTF-8", "ADD").env("CNI_ARGS", Text.of("MAC=c2:11:22:33:44:").thenRaw(0xE9)).expect(Expect.error(7))
                .build());
        out.add(request(cls, "CNI_ARGS MAC with an overlong ':'", "ADD").env("CNI_ARGS", Text.of("MAC=c2").thenRaw(0xC0, 0xBA)
                .then("11:22:33:44:55")).expect(Expect.error(7)).build());
        Object[][] runtimeConfig = {{"{\"mac\":\"01:00:5e:00:00:01\"}", Expect.error(7)}, {"{\"mac\":\"" + "x".repeat(100_000) + "\"}",
                Expect.error(7)}, {"{\"mac\":\"c2:11:22:33:44:55\",\"MAC\":\"ff:ff:ff:ff:ff:ff\"}", Expect.error(7)},
                {"{\"portMappings\":\"garbage\",\"bandwidth\":[1],\"ips\":{\"a\":null}}", Expect.success()},
                {"{\"mac\":\"c2:11:22:33:44:55\"}", Expect.success()}, {nested("{\"x\":", 500, "1", "}"), Expect.success()},
                {"{\"mac\":null}", Expect.success()}, {"{\"allowlistFile\":\"/x\",\"logFile\":\"/x\",\"dataDir\":\"/etc\"}", Expect.success()}};
        for (Object[] r : runtimeConfig) {
            out.add(request(cls, "runtimeConfig " + Shown.cut((String) r[0], 60), "ADD").stdin(JsonEdit.set(BASE, path("runtimeConfig"),
                    (String) r[0])).expect((Expect) r[1]).build());
        }
        Object[][] args = {{"{\"cni\":{\"mac\":\"01:00:5e:00:00:01\"}}", Expect.error(7)},
                {"{\"cni\":{\"sysctl\":{\"kernel.domainname\":\"x\"}}}", Expect.error(7)},
                {"{\"cni\":{\"sysctl\":{\"net/../../../..${CANARY}\":\"x\"}}}", Expect.error(7)},
                {"{\"cni\":{\"mtu\":65536}}", Expect.error(7)}, {"{\"cni\":{\"txQLen\":-1}}", Expect.error(7)},
                {"{\"cni\":{\"sysctl\":{\"net.ipv4.conf.IFNAME.rp_filter\":\"1\\n0\"}}}", Expect.error(7)},
                {"{\"cni\":{\"sysctl\":{\"net.ipv4.conf.IFNAME.rp_filter\":\"1\"}}}", Expect.success()},
                {"{\"cni\":{\"dataDir\":\"${HOST}/dir\",\"allowlistFile\":\"/x\"}}", Expect.success()},
                {"{\"other\":{\"mac\":\"01:00:5e:00:00:01\"},\"cni\":{}}", Expect.success()},
                {"{\"CNI\":{\"MTU\":67}}", Expect.error(7)}};
        for (Object[] a : args) {
            out.add(request(cls, "args " + Shown.cut((String) a[0], 60), "ADD").stdin(JsonEdit.set(BASE, path("args"), (String) a[0]))
                    .expect((Expect) a[1]).build());
        }
        return out;
    }

    private static String nested(String open, int depth, String inner, String close) {
        return open.repeat(depth) + inner + close.repeat(depth);
    }
}
