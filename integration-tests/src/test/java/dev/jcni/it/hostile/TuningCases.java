package dev.jcni.it.hostile;

import static dev.jcni.it.hostile.JsonEdit.path;

import dev.jcni.it.hostile.MalformedJson.Doc;
import dev.jcni.it.hostile.WrongTypes.Field;
import dev.jcni.it.hostile.WrongTypes.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The hostile inputs for {@code tuning}: the target, the base request every case varies, and the
 * input classes ({@link TuningPathCases} and {@link TuningStateCases} hold the rest).
 *
 * <p>The base request is a valid ADD that changes the sandbox (MTU 1400 and {@code rp_filter} 2 on
 * {@code eth0}, whose baseline is 1500 and 0): a hostile input that is refused must leave both as
 * they were, which the sandbox snapshot sees; one that slips through changes them.
 *
 * <p>Codes, as the protocol and docs/architecture.md assign them: 6 for what cannot be decoded
 * (stdin, a prevResult), 7 for a network config that is wrong, 4 for the environment, 8 for the
 * host's own namespace, 1 for versions, 100 for what the kernel refuses (tuning undoes its steps),
 * 50 for STATUS.
 */
public final class TuningCases {
    /** The valid base request, a template. */
    static final String BASE = "{\"cniVersion\":\"1.1.0\",\"name\":\"hostile\",\"type\":\"tuning\",\"dataDir\":\"${DATA}\",\"mtu\":1400,"
            + "\"sysctl\":{\"net.ipv4.conf.IFNAME.rp_filter\":\"2\"},\"prevResult\":{\"cniVersion\":\"1.1.0\","
            + "\"interfaces\":[{\"name\":\"eth0\",\"sandbox\":\"${NETNS}\"}],\"ips\":[{\"address\":\"10.99.0.2/24\",\"interface\":0}]}}";
    /** A base without link changes: only the sysctl. */
    static final String SYSCTL_ONLY = JsonEdit.remove(BASE, path("mtu"));
    /** The backup file of the default attachment. */
    static final String BACKUP = "${DATA}/" + PluginTarget.CONTAINER_ID + "_eth0.json";
    /** How many wrong-typed values per key a run draws (the seed decides which). */
    static final int WRONG_VALUES_PER_KEY = 2;

    private TuningCases() {}

    /** bin/tuning with its allowlist in the workspace (absent unless a case plants it). */
    public static Target target() {
        return new PluginTarget("tuning", Map.of("JCNI_TUNING_ALLOWLIST", "${ALLOWLIST}"));
    }

    /** Every input class for tuning. */
    public static List<InputClass> classes() {
        List<InputClass> all = new ArrayList<>();
        all.add(InputClass.of("malformed and deep JSON", TuningCases::malformed));
        all.add(InputClass.of("wrong types for every key", TuningCases::wrongTypes));
        all.add(InputClass.of("values out of range", TuningCases::outOfRange));
        all.addAll(TuningPathCases.classes());
        all.addAll(TuningStateCases.classes());
        return Collections.unmodifiableList(all);
    }

    /** A case of class {@code cls} for {@code verb} with the base request on stdin. */
    static HostileCase.Builder request(String cls, String label, String verb) {
        return HostileCase.in(cls, label).verb(verb).stdin(BASE);
    }

    static List<HostileCase> malformed(String cls, Random random) {
        List<HostileCase> out = new ArrayList<>();
        int i = 0;
        for (Doc d : MalformedJson.documents(BASE, 16 << 20, random)) {
            Expect e = switch (d.verdict()) {
                case REFUSE, TOO_LARGE -> Expect.error(6);
                case SAME -> Expect.success();
                case EITHER -> Expect.successOr(6);
            };
            out.add(HostileCase.in(cls, d.label()).verb("ADD").stdin(Stdin.text(d.content())).expect(e).build());
            // Every verb decodes stdin first; VERSION ignores it.
            if (d.verdict() == MalformedJson.Verdict.REFUSE && i++ % 4 == 0) {
                String verb = new String[] {"DEL", "CHECK", "GC", "STATUS"}[random.nextInt(4)];
                out.add(HostileCase.in(cls, d.label()).verb(verb).stdin(Stdin.text(d.content())).expect(Expect.error(6)).build());
            }
        }
        out.add(HostileCase.in(cls, "VERSION ignores garbage").verb("VERSION").stdin(Stdin.text("{\"cniVersion\":")).expect(Expect.success())
                .build());
        out.add(HostileCase.in(cls, "VERSION ignores 17 MiB").verb("VERSION").stdin(Stdin.bytes(new byte[17 << 20])).expect(Expect.success())
                .build());
        out.add(HostileCase.in(cls, "/dev/zero on stdin").verb("ADD").stdin(Stdin.from("/dev/zero")).expect(Expect.error(6)).build());
        out.add(HostileCase.in(cls, "/dev/urandom on stdin").verb("DEL").stdin(Stdin.from("/dev/urandom")).expect(Expect.error(6)).build());
        out.add(HostileCase.in(cls, "VERSION with /dev/zero on stdin").verb("VERSION").stdin(Stdin.from("/dev/zero"))
                .expect(Expect.success()).build());
        return out;
    }

    /** Every key tuning reads, nested keys included, with the code a wrong type there gives. */
    static List<Field> schema() {
        Expect absent = Expect.success();
        List<Field> f = new ArrayList<>();
        f.add(new Field(path("cniVersion"), Type.STRING, 6, absent)); // absent: 0.1.0, which can carry this result
        f.add(new Field(path("name"), Type.STRING, 7, Expect.error(7)));
        f.add(new Field(path("dataDir"), Type.STRING, 7, null)); // null means the host's /run/cni/tuning: not run
        f.add(new Field(path("mtu"), Type.INT, 7, absent));
        f.add(new Field(path("mac"), Type.STRING, 7, absent));
        f.add(new Field(path("promisc"), Type.BOOL, 7, absent));
        f.add(new Field(path("allmulti"), Type.BOOL, 7, absent));
        f.add(new Field(path("txQLen"), Type.INT, 7, absent));
        f.add(new Field(path("sysctl"), Type.OBJECT, 7, absent));
        f.add(new Field(path("args"), Type.OBJECT, 7, absent));
        f.add(new Field(path("args", "cni"), Type.OBJECT, 7, absent));
        f.add(new Field(path("args", "cni", "mtu"), Type.INT, 7, absent));
        f.add(new Field(path("args", "cni", "mac"), Type.STRING, 7, absent));
        f.add(new Field(path("args", "cni", "promisc"), Type.BOOL, 7, absent));
        f.add(new Field(path("args", "cni", "allmulti"), Type.BOOL, 7, absent));
        f.add(new Field(path("args", "cni", "txQLen"), Type.INT, 7, absent));
        f.add(new Field(path("args", "cni", "sysctl"), Type.OBJECT, 7, absent));
        f.add(new Field(path("runtimeConfig"), Type.OBJECT, 7, absent));
        f.add(new Field(path("runtimeConfig", "mac"), Type.STRING, 7, absent));
        f.add(new Field(path("prevResult"), Type.OBJECT, 7, Expect.error(7)));
        f.add(new Field(path("prevResult", "cniVersion"), Type.STRING, 6, absent));
        f.add(new Field(path("prevResult", "interfaces"), Type.ARRAY, 6, absent));
        f.add(new Field(path("prevResult", "interfaces", 0), Type.OBJECT, 6, null));
        f.add(new Field(path("prevResult", "interfaces", 0, "name"), Type.STRING, 6, Expect.successOr(6)));
        f.add(new Field(path("prevResult", "interfaces", 0, "sandbox"), Type.STRING, 6, absent));
        f.add(new Field(path("prevResult", "interfaces", 0, "mac"), Type.STRING, 6, absent));
        f.add(new Field(path("prevResult", "ips"), Type.ARRAY, 6, absent));
        f.add(new Field(path("prevResult", "ips", 0), Type.OBJECT, 6, null));
        f.add(new Field(path("prevResult", "ips", 0, "address"), Type.STRING, 6, Expect.error(6)));
        f.add(new Field(path("prevResult", "ips", 0, "gateway"), Type.STRING, 6, absent));
        f.add(new Field(path("prevResult", "ips", 0, "interface"), Type.INT, 6, absent));
        f.add(new Field(path("prevResult", "routes"), Type.ARRAY, 6, absent));
        f.add(new Field(path("prevResult", "dns"), Type.OBJECT, 6, absent));
        return f;
    }

    static List<HostileCase> wrongTypes(String cls, Random random) {
        List<HostileCase> out = new ArrayList<>();
        List<WrongTypes.Variant> variants = WrongTypes.variants(BASE, schema());
        // Per key: null, and a seeded draw of the wrong values.
        String key = null;
        List<WrongTypes.Variant> group = new ArrayList<>();
        for (WrongTypes.Variant v : variants) {
            String k = v.label().substring(0, v.label().indexOf(" = "));
            if (!k.equals(key)) {
                addDrawn(cls, group, random, out);
                group.clear();
                key = k;
            }
            group.add(v);
        }
        addDrawn(cls, group, random, out);
        // A sysctl value is text; numbers and booleans are taken as their text, anything else is refused.
        List<Object> rp = path("sysctl", "net.ipv4.conf.IFNAME.rp_filter");
        for (String v : new String[] {"null", "[]", "[\"2\"]", "{}", "{\"a\":\"2\"}"}) {
            out.add(request(cls, "sysctl value = " + v, "ADD").stdin(JsonEdit.set(BASE, rp, v)).expect(Expect.error(7)).build());
        }
        out.add(request(cls, "sysctl value = 2 (a number, taken as text)", "ADD").stdin(JsonEdit.set(BASE, rp, "2"))
                .expect(Expect.success()).build());
        out.add(request(cls, "sysctl value = true (text the kernel refuses)", "ADD").stdin(JsonEdit.set(BASE, rp, "true"))
                .expect(Expect.error(100)).build());
        // Node policy in any spelling and of any type: refused; a dropped key of an earlier build: ignored.
        for (String v : new String[] {"\"/nonexistent\"", "\"\"", "null", "1", "{}", "[]"}) {
            out.add(request(cls, "allowlistFile = " + v, "ADD").stdin(JsonEdit.set(BASE, path("allowlistFile"), v))
                    .expect(v.equals("null") ? Expect.successOr(7) : Expect.error(7)).build());
        }
        out.add(request(cls, "AllowListFile (other case)", "ADD").stdin(JsonEdit.set(BASE, path("AllowListFile"), "\"/x\""))
                .expect(Expect.error(7)).build());
        for (String v : new String[] {"1", "{}", "[]", "true", "\"\""}) {
            out.add(request(cls, "logFile = " + v + " (ignored)", "ADD").stdin(JsonEdit.set(BASE, path("logFile"), v))
                    .expect(Expect.success()).build());
        }
        // Keys that differ only in case: the last one wins, as Go reads them.
        out.add(request(cls, "mtu then MTU = \"x\"", "ADD").stdin(BASE.replace("\"mtu\":1400", "\"mtu\":1400,\"MTU\":\"x\""))
                .expect(Expect.error(7)).build());
        out.add(request(cls, "MTU = \"x\" then mtu", "ADD").stdin(BASE.replace("\"mtu\":1400", "\"MTU\":\"x\",\"mtu\":1400"))
                .expect(Expect.success()).build());
        out.add(request(cls, "a sysctl key repeated", "ADD").stdin(BASE.replace("\"net.ipv4.conf.IFNAME.rp_filter\":\"2\"",
                "\"net.ipv4.conf.IFNAME.rp_filter\":\"2\",\"net.ipv4.conf.IFNAME.rp_filter\":\"1\"")).expect(Expect.error(7)).build());
        return out;
    }

    private static void addDrawn(String cls, List<WrongTypes.Variant> group, Random random, List<HostileCase> out) {
        List<WrongTypes.Variant> wrong = new ArrayList<>();
        for (WrongTypes.Variant v : group) {
            if (v.label().endsWith(" = null")) {
                out.add(request(cls, v.label(), "ADD").stdin(v.document()).expect(v.expect()).build());
            } else {
                wrong.add(v);
            }
        }
        Collections.shuffle(wrong, random);
        for (WrongTypes.Variant v : wrong.subList(0, Math.min(WRONG_VALUES_PER_KEY, wrong.size()))) {
            out.add(request(cls, v.label(), "ADD").stdin(v.document()).expect(v.expect()).build());
        }
    }

    /** Values of the right type that no interface may take, and sysctl values the kernel would take only in part. */
    static List<HostileCase> outOfRange(String cls, Random random) {
        List<HostileCase> out = new ArrayList<>();
        String[] mtus = {"0", "67", "65536", "-1", "2147483647", "2147483648", "-2147483648"};
        for (String v : mtus) {
            out.add(value(cls, "mtu", v, Expect.error(7)));
        }
        for (String v : drawn(mtus, 3, random)) {
            out.add(value(cls, "args.cni.mtu", v, Expect.error(7)));
        }
        out.add(value(cls, "mtu", "68", Expect.success()));
        out.add(value(cls, "mtu", "9000", Expect.success()));
        for (String key : new String[] {"txQLen", "args.cni.txQLen"}) {
            for (String v : new String[] {"-1", "-2147483648", "2147483648", "4294967296"}) {
                out.add(value(cls, key, v, Expect.error(7)));
            }
        }
        out.add(value(cls, "txQLen", "0", Expect.success()));
        out.add(value(cls, "txQLen", "2147483647", Expect.success()));
        String[] macs = {"01:00:5e:00:00:01", "ff:ff:ff:ff:ff:ff", "00:00:00:00:00:00", "c2:11:22:33:44", "c2:11:22:33:44:55:66:77",
                "c2:11:22:33:44:5g", "c2:11:22:33:44:55 ", "c2:11:22:33:44:555", "x".repeat(5000)};
        for (String v : macs) {
            out.add(value(cls, "mac", JsonEdit.string(v), Expect.error(7)));
        }
        for (String key : new String[] {"args.cni.mac", "runtimeConfig.mac"}) {
            for (String v : drawn(macs, 3, random)) {
                out.add(value(cls, key, JsonEdit.string(v), Expect.error(7)));
            }
        }
        for (String v : new String[] {"C2:11:22:33:44:55", "c2-11-22-33-44-55", "c211.2233.4455"}) {
            out.add(value(cls, "mac", JsonEdit.string(v), Expect.success()));
        }
        // The reference reads an empty MAC as no MAC.
        out.add(value(cls, "mac", "\"\"", Expect.successOr(7)));
        List<Object> rp = path("sysctl", "net.ipv4.conf.IFNAME.rp_filter");
        for (String v : new String[] {"1\\n0", "2\\u0000", "\\t", "2\\r", "\\u001b[2J"}) {
            out.add(request(cls, "rp_filter = \"" + v + "\"", "ADD").stdin(JsonEdit.set(BASE, rp, "\"" + v + "\"")).expect(Expect.error(7))
                    .build());
        }
        // The kernel refuses these, or takes only a part: tuning must undo everything it did.
        for (String v : new String[] {"1 2 3", "", "99999999999999999999", "2x", " ", "1".repeat(70_000)}) {
            out.add(request(cls, "rp_filter = \"" + Shown.cut(v, 20) + "\"", "ADD").stdin(JsonEdit.set(BASE, rp, JsonEdit.string(v)))
                    .expect(Expect.error(100)).build());
        }
        // This kernel checks no range on rp_filter: whatever it takes, tuning may take.
        for (String v : new String[] {"-1", "3"}) {
            out.add(request(cls, "rp_filter = \"" + v + "\"", "ADD").stdin(JsonEdit.set(BASE, rp, JsonEdit.string(v)))
                    .expect(Expect.successOr(100)).build());
        }
        out.add(request(cls, "a read-only sysctl", "ADD").stdin(JsonEdit.set(BASE, path("sysctl", "net.ipv4.conf.IFNAME.mc_forwarding"),
                "\"1\"")).expect(Expect.error(100)).build());
        out.add(request(cls, "a sysctl directory", "ADD").stdin(JsonEdit.set(BASE, path("sysctl", "net.ipv4.conf"), "\"1\""))
                .expect(Expect.error(100)).build());
        out.add(request(cls, "a sysctl that does not exist", "ADD").stdin(JsonEdit.set(BASE, path("sysctl", "net.ipv4.no_such_thing"),
                "\"1\"")).expect(Expect.error(7)).build());
        // A request version its result cannot be printed in (0.1.0 and 0.2.0 results need an IP
        // address; the base's is removed), or no version at all: nothing may change (issue 6, hole 4).
        for (String v : new String[] {"\"0.1.0\"", "\"0.2.0\"", "\"\"", "null", "\"9.9.9\"", "\"1.1\"", "\"01.0.0\"",
                "\"1.0.0-rc1\""}) {
            out.add(request(cls, "cniVersion " + v + ", no IP in prevResult", "ADD").stdin(JsonEdit.set(
                    JsonEdit.remove(BASE, path("prevResult", "ips")), path("cniVersion"), v)).expect(Expect.error(1)).build());
        }
        return out;
    }

    /** {@code n} of {@code values}, drawn with the suite's seed. */
    static List<String> drawn(String[] values, int n, Random random) {
        List<String> all = new ArrayList<>(List.of(values));
        Collections.shuffle(all, random);
        return all.subList(0, Math.min(n, all.size()));
    }

    /** A case with {@code dottedKey} (a top-level key, or args.cni.* / runtimeConfig.*) set to {@code rawJson}. */
    private static HostileCase value(String cls, String dottedKey, String rawJson, Expect e) {
        List<Object> p = List.of((Object[]) dottedKey.split("\\."));
        return request(cls, dottedKey + " = " + Shown.cut(rawJson, 40), "ADD").stdin(JsonEdit.set(BASE, p, rawJson)).expect(e).build();
    }
}
