package dev.jcni.it.hostile;

import static dev.jcni.it.hostile.JsonEdit.path;

import dev.jcni.it.hostile.MalformedJson.Doc;
import dev.jcni.it.hostile.WrongTypes.Field;
import dev.jcni.it.hostile.WrongTypes.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The hostile inputs for {@code cnictl}: conflists in {@code NETCONFPATH}, cache entries,
 * arguments and environment ({@link CnictlEnvCases}, {@link CnictlCacheCases} hold the rest).
 *
 * <p>The base network, {@code hostile}, is the stand-in interface plugin {@code iface} followed
 * by tuning (MTU 1400, {@code rp_filter} 2): an {@code add} changes the sandbox, everything
 * refused changes nothing. Every command names the container {@value #CID}, so its cache entry is
 * {@value #ENTRY}. cnictl reports a failure on stderr ({@code code: N}, exit 1) with nothing on
 * stdout, and a usage error with exit 2; a plugin's error keeps the plugin's code.
 */
public final class CnictlCases {
    static final String CID = "hostile-1";
    static final String CONFLIST = "{\"cniVersion\":\"1.1.0\",\"name\":\"hostile\",\"plugins\":[{\"type\":\"iface\"},"
            + "{\"type\":\"tuning\",\"dataDir\":\"${DATA}\",\"mtu\":1400,\"sysctl\":{\"net.ipv4.conf.IFNAME.rp_filter\":\"2\"}}]}";
    static final String CONFLIST_FILE = "${NETD}/10-hostile.conflist";
    static final String ENTRY = "${CACHE}/results/hostile-" + CID + "-eth0";
    /** How many wrong-typed values per key a run draws. */
    static final int WRONG_VALUES_PER_KEY = 2;

    private CnictlCases() {}

    public static Target target() {
        return new CnictlTarget();
    }

    public static List<InputClass> classes() {
        List<InputClass> all = new ArrayList<>();
        all.add(InputClass.of("malformed and deep conflists", CnictlCases::malformed));
        all.add(InputClass.of("wrong types in conflists", CnictlCases::wrongTypes));
        all.addAll(CnictlEnvCases.classes());
        all.addAll(CnictlCacheCases.classes());
        return Collections.unmodifiableList(all);
    }

    /** {@code cnictl <verb> --container-id hostile-1 hostile ${NETNS}}, with no config planted. */
    static HostileCase.Builder bare(String cls, String label, String verb) {
        return HostileCase.in(cls, label).verb(verb).args(verb, "--container-id", CID, "hostile", "${NETNS}");
    }

    /** The same with the base conflist in place. */
    static HostileCase.Builder command(String cls, String label, String verb) {
        return bare(cls, label, verb).plant(Plant.file(CONFLIST_FILE, CONFLIST).mode(0644));
    }

    /** With {@code conflist} as the network's file instead. */
    static HostileCase.Builder with(String cls, String label, String verb, Text conflist) {
        return bare(cls, label, verb).plant(Plant.file(CONFLIST_FILE, conflist).mode(0644));
    }

    static List<HostileCase> malformed(String cls, Random random) {
        List<HostileCase> out = new ArrayList<>();
        int i = 0;
        for (Doc d : MalformedJson.documents(CONFLIST, 4 << 20, random)) {
            Expect e = switch (d.verdict()) {
                case REFUSE -> Expect.error(6);
                // Read up to the bound, then refused: an I/O failure to read the file (5).
                case TOO_LARGE -> Expect.error(5);
                case SAME -> Expect.success();
                case EITHER -> Expect.successOr(6);
            };
            // The decoding itself is the JSON reader's, which the plugins' suites exercise in full:
            // here half of the refused documents (the seed picks which), all the others.
            boolean refused = d.verdict() == MalformedJson.Verdict.REFUSE;
            if (!refused || random.nextBoolean()) {
                out.add(with(cls, d.label(), "add", d.content()).expect(e).build());
            }
            if (refused && i++ % 5 == 0) {
                // del falls back to the config cached at ADD, and there is none.
                out.add(with(cls, d.label(), "del", d.content()).expect(Expect.error(6)).build());
            }
        }
        // The same documents as a drop-in plugin and as a single-plugin file.
        String tuning = "{\"type\":\"tuning\",\"dataDir\":\"${DATA}\",\"mtu\":1400}";
        List<Doc> docs = MalformedJson.documents(tuning, 4 << 20, random);
        for (int k = 0; k < 6; k++) {
            Doc d = docs.get(random.nextInt(docs.size()));
            if (d.verdict() != MalformedJson.Verdict.REFUSE) {
                continue;
            }
            out.add(bare(cls, "drop-in: " + d.label(), "add")
                    .plant(Plant.file(CONFLIST_FILE, "{\"cniVersion\":\"1.1.0\",\"name\":\"hostile\",\"plugins\":[{\"type\":\"iface\"}]}"))
                    .plant(Plant.file(Text.of("${NETD}/hostile/50-tuning.conf"), d.content()))
                    .expect(Expect.error(6)).build());
            out.add(bare(cls, "single-plugin file: " + d.label(), "add").plant(Plant.file(Text.of("${NETD}/20-hostile.conf"), d.content())).expect(Expect.error(6)).build());
        }
        return out;
    }

    /** Every key cnictl reads from a conflist and a plugin object, and tuning's keys through it. */
    static List<Field> schema() {
        Expect absent = Expect.success();
        List<Field> f = new ArrayList<>();
        f.add(new Field(path("name"), Type.STRING, 7, Expect.error(7)));
        f.add(new Field(path("cniVersion"), Type.STRING, 7, null));
        f.add(new Field(path("cniVersions"), Type.ARRAY, 7, Expect.error(7))); // libcni refuses null too
        f.add(new Field(path("cniVersions", 0), Type.STRING, 7, null));
        f.add(new Field(path("plugins"), Type.ARRAY, 7, Expect.error(7)));
        f.add(new Field(path("plugins", 0), Type.OBJECT, 7, Expect.error(7)));
        f.add(new Field(path("plugins", 0, "type"), Type.STRING, 7, Expect.error(7)));
        f.add(new Field(path("plugins", 1, "name"), Type.STRING, 7, absent));
        f.add(new Field(path("plugins", 1, "cniVersion"), Type.STRING, 7, absent));
        f.add(new Field(path("plugins", 1, "capabilities"), Type.OBJECT, 7, absent));
        f.add(new Field(path("plugins", 1, "capabilities", "mac"), Type.BOOL, 7, absent));
        f.add(new Field(path("plugins", 1, "ipam"), Type.OBJECT, 7, absent));
        f.add(new Field(path("plugins", 1, "ipam", "type"), Type.STRING, 7, absent));
        f.add(new Field(path("plugins", 1, "dns"), Type.OBJECT, 7, absent));
        f.add(new Field(path("plugins", 1, "dns", "nameservers"), Type.ARRAY, 7, absent));
        f.add(new Field(path("plugins", 1, "prevResult"), Type.OBJECT, 7, absent));
        // tuning's own keys, refused by tuning and relayed by cnictl with tuning's code
        f.add(new Field(path("plugins", 1, "mtu"), Type.INT, 7, absent));
        f.add(new Field(path("plugins", 1, "mac"), Type.STRING, 7, absent));
        f.add(new Field(path("plugins", 1, "sysctl"), Type.OBJECT, 7, absent));
        f.add(new Field(path("plugins", 1, "dataDir"), Type.STRING, 7, null));
        f.add(new Field(path("plugins", 1, "args"), Type.OBJECT, 7, absent));
        return f;
    }

    static List<HostileCase> wrongTypes(String cls, Random random) {
        List<HostileCase> out = new ArrayList<>();
        List<WrongTypes.Variant> group = new ArrayList<>();
        String key = null;
        for (WrongTypes.Variant v : WrongTypes.variants(CONFLIST, schema())) {
            String k = v.label().substring(0, v.label().indexOf(" = "));
            if (!k.equals(key)) {
                drawn(cls, group, random, out);
                group.clear();
                key = k;
            }
            group.add(v);
        }
        drawn(cls, group, random, out);
        // libcni's flags: a boolean or "true"/"false" in any case; nothing else.
        for (String flag : new String[] {"disableCheck", "disableGC", "loadOnlyInlinedPlugins"}) {
            for (String v : new String[] {"\"yes\"", "1", "[]", "{}", "\"\""}) {
                out.add(with(cls, flag + " = " + v, "add", Text.of(JsonEdit.set(CONFLIST, path(flag), v))).expect(Expect.error(7)).build());
            }
            out.add(with(cls, flag + " = \"TRUE\"", "add", Text.of(JsonEdit.set(CONFLIST, path(flag), "\"TRUE\""))).expect(Expect.success())
                    .build());
        }
        // Versions that are no versions.
        for (String v : new String[] {"\"1.1\"", "\"x.y.z\"", "\"99.0.0\"", "\"\"", "\"1.0.0-rc1\"", "\"-1.0.0\""}) {
            out.add(with(cls, "cniVersion " + v, "add", Text.of(JsonEdit.set(CONFLIST, path("cniVersion"), v)))
                    .expect(v.equals("\"\"") ? Expect.successOr(1) : Expect.error(1)).build());
        }
        // Plugin types that would name a file: refused, never looked up outside CNI_PATH.
        for (String t : new String[] {"../../../../bin/sh", "/bin/sh", ".", "..", "", "tuning/../tuning", "lib", "t\u00fcning",
                "tuning\u0000x", "x".repeat(5000)}) {
            out.add(with(cls, "plugin type " + Shown.cut(t, 30), "add", Text.of(JsonEdit.set(CONFLIST, path("plugins", 1, "type"),
                    JsonEdit.string(t)))).expect(Expect.error(7)).build());
        }
        return out;
    }

    private static void drawn(String cls, List<WrongTypes.Variant> group, Random random, List<HostileCase> out) {
        List<WrongTypes.Variant> wrong = new ArrayList<>();
        for (WrongTypes.Variant v : group) {
            if (v.label().endsWith(" = null")) {
                out.add(with(cls, v.label(), "add", Text.of(v.document())).expect(v.expect()).build());
            } else {
                wrong.add(v);
            }
        }
        Collections.shuffle(wrong, random);
        for (WrongTypes.Variant v : wrong.subList(0, Math.min(WRONG_VALUES_PER_KEY, wrong.size()))) {
            out.add(with(cls, v.label(), "add", Text.of(v.document())).expect(v.expect()).build());
        }
    }
}
