package dev.jcni.it.hostile;

import static dev.jcni.it.hostile.CnictlCases.CID;
import static dev.jcni.it.hostile.CnictlCases.ENTRY;
import static dev.jcni.it.hostile.CnictlCases.bare;
import static dev.jcni.it.hostile.CnictlCases.command;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;

/**
 * Entries planted in cnictl's result cache, which DEL, CHECK and GC read back and replay to
 * plugins running as root: special files, links out of the cache, oversized and malformed
 * files, entries that are not their file's, netns and CNI_ARGS that would not replay as cached,
 * and cached configs that would run something hostile once the network's file is gone.
 *
 * <p>What each verb must make of an unusable entry (docs/security.md): DEL drops it and goes on
 * (success); CHECK fails with 6; GC skips it (success). A usable entry is replayed: CHECK then
 * compares a configuration that was never applied (tuning answers 101).
 */
final class CnictlCacheCases {
    private CnictlCacheCases() {}

    static List<InputClass> classes() {
        return List.of(InputClass.of("hostile cache entries", CnictlCacheCases::entries));
    }

    /** A cniCacheV1 entry for the base attachment, with {@code extra} fields (raw JSON, leading comma) and overrides. */
    static String entry(String containerId, String network, String ifName, String netns, String extra) {
        String result = "{\"cniVersion\":\"1.1.0\",\"interfaces\":[{\"name\":\"eth0\"}],\"ips\":[{\"address\":\"10.99.0.2/24\",\"interface\":0}]}";
        return "{\"kind\":\"cniCacheV1\",\"containerId\":" + JsonEdit.string(containerId) + ",\"ifName\":" + JsonEdit.string(ifName)
                + ",\"networkName\":" + JsonEdit.string(network) + ",\"netns\":" + JsonEdit.string(netns) + extra + ",\"result\":" + result + "}";
    }

    static String valid(String extra) {
        return entry(CID, "hostile", "eth0", "${NETNS}", extra);
    }

    /** A cached config, as libcni keeps it: the conflist's bytes in base64 (no placeholders: they would not be expanded inside). */
    static String config(String conflist) {
        return ",\"config\":\"" + Base64.getEncoder().encodeToString(conflist.getBytes(StandardCharsets.UTF_8)) + "\"";
    }

    static List<HostileCase> entries(String cls, Random random) {
        List<HostileCase> out = new ArrayList<>();
        Object[][] unusable = {{"a FIFO", Plant.fifo(ENTRY)}, {"a device", Plant.zeroDevice(ENTRY)},
                {"a link to a host file", Plant.symlink(ENTRY, "${CANARY}")}, {"a link to a root-only host file", Plant.symlink(ENTRY, "${SECRET}")},
                {"a link to /dev/zero", Plant.symlink(ENTRY, "/dev/zero")}, {"a directory", Plant.dir(ENTRY)},
                {"9 MB", Plant.file(ENTRY, valid(",\"pad\":\"" + "p".repeat(9 << 20) + "\""))}, {"empty", Plant.file(ENTRY, "")},
                {"garbage", Plant.file(ENTRY, "garbage")}, {"a byte-order mark", Plant.file(ENTRY, Text.raw(0xEF, 0xBB, 0xBF).then(valid("")))},
                {"UTF-16", Plant.file(ENTRY, Text.raw(0, '{', 0, '}'))}, {"nested 100000 deep", Plant.file(ENTRY, "[".repeat(100_000))},
                {"an array", Plant.file(ENTRY, "[]")}, {"null", Plant.file(ENTRY, "null")},
                {"another container's entry", Plant.file(ENTRY, entry("other", "hostile", "eth0", "${NETNS}", ""))},
                {"another network's entry", Plant.file(ENTRY, entry(CID, "other", "eth0", "${NETNS}", ""))},
                {"another interface's entry", Plant.file(ENTRY, entry(CID, "hostile", "eth1", "${NETNS}", ""))},
                {"a relative netns", Plant.file(ENTRY, entry(CID, "hostile", "eth0", "netns", ""))},
                {"a netns with a zero byte", Plant.file(ENTRY, entry(CID, "hostile", "eth0", "/run/netns/x\u0000y", ""))},
                {"a CNI_ARGS key with ';'", Plant.file(ENTRY, valid(",\"cniArgs\":[[\"K8S;MAC\",\"01:00:5e:00:00:01\"]]"))},
                {"a CNI_ARGS value with ';'", Plant.file(ENTRY, valid(",\"cniArgs\":[[\"a\",\"b;MAC=01:00:5e:00:00:01\"]]"))},
                {"a CNI_ARGS key with '='", Plant.file(ENTRY, valid(",\"cniArgs\":[[\"MAC=01:00:5e:00:00:01;a\",\"b\"]]"))},
                {"a container ID climbing out", Plant.file(ENTRY, entry("../x", "hostile", "eth0", "${NETNS}", ""))}};
        for (Object[] u : unusable) {
            Plant p = (Plant) u[1];
            out.add(command(cls, "entry: " + u[0], "del").plant(p).expect(Expect.success().sandboxUnchanged()).build());
            out.add(command(cls, "entry: " + u[0], "check").plant(p).expect(Expect.error(6)).build());
            // GC lists the directory and skips what it cannot use: a third of the entries, the seed picks which.
            if (random.nextInt(3) == 0) {
                out.add(command(cls, "entry: " + u[0], "gc").plant(p).expect(Expect.success().sandboxUnchanged()).build());
            }
        }
        // A link loop cannot be resolved: as libcni, an entry that cannot be read is no entry.
        out.add(command(cls, "entry: a link loop", "del").plant(Plant.symlink(ENTRY, ENTRY)).expect(Expect.success().sandboxUnchanged()).build());
        out.add(command(cls, "entry: a link loop", "check").plant(Plant.symlink(ENTRY, ENTRY)).expect(Expect.error(7)).build());
        // Usable entries: replayed as cached; their netns, CNI_ARGS and capability arguments reach the plugins.
        Object[][] usable = {{"valid", valid("")}, {"the host's netns", entry(CID, "hostile", "eth0", "/proc/self/ns/net", "")},
                {"the suite JVM's netns", entry(CID, "hostile", "eth0", "/proc/${HOSTPID}/ns/net", "")},
                {"a vanished netns", entry(CID, "hostile", "eth0", "/run/netns/gone-${TOKEN}", "")}};
        for (Object[] u : usable) {
            Plant p = Plant.file(ENTRY, (String) u[1]);
            out.add(command(cls, "entry: " + u[0], "del").plant(p).expect(Expect.success().sandboxUnchanged()).build());
            out.add(command(cls, "entry: " + u[0], "check").plant(p).expect(Expect.error(101)).build());
            out.add(command(cls, "entry: " + u[0], "gc").plant(p).expect(Expect.success().sandboxUnchanged()).build());
        }
        Plant hostileMac = Plant.file(ENTRY, valid(",\"cniArgs\":[[\"MAC\",\"01:00:5e:00:00:01\"]]"));
        out.add(command(cls, "entry: a cached multicast MAC in CNI_ARGS", "del").plant(hostileMac).expect(Expect.success().sandboxUnchanged()).build());
        out.add(command(cls, "entry: a cached multicast MAC in CNI_ARGS", "check").plant(hostileMac).expect(Expect.error(7)).build());
        // The network's file is gone: DEL takes the config cached at ADD, which is input like any other.
        Object[][] cachedConfigs = {
                {"a plugin type climbing out of CNI_PATH", "{\"cniVersion\":\"1.1.0\",\"name\":\"hostile\",\"plugins\":[{\"type\":\"../../../../bin/sh\"}]}", 7},
                {"an absolute plugin type", "{\"cniVersion\":\"1.1.0\",\"name\":\"hostile\",\"plugins\":[{\"type\":\"/bin/sh\"}]}", 7},
                {"a relative dataDir", "{\"cniVersion\":\"1.1.0\",\"name\":\"hostile\",\"plugins\":[{\"type\":\"tuning\",\"dataDir\":\"x\"}]}", 7},
                // Outside the node's state directories: tuning refuses it on DEL as on ADD.
                {"a dataDir in /proc", "{\"cniVersion\":\"1.1.0\",\"name\":\"hostile\",\"plugins\":[{\"type\":\"tuning\",\"dataDir\":\"/proc/sys/kernel\"}]}",
                        7},
                {"another network's config", "{\"cniVersion\":\"1.1.0\",\"name\":\"other\",\"plugins\":[{\"type\":\"iface\"}]}", 0},
                {"not JSON", "garbage", 6}, {"nested 100000 deep", "[".repeat(100_000), 6}};
        for (Object[] c : cachedConfigs) {
            int code = (Integer) c[2];
            out.add(bare(cls, "cached config: " + c[0], "del").plant(Plant.file(ENTRY, valid(config((String) c[1]))))
                    .expect(code == 0 ? Expect.success().sandboxUnchanged() : Expect.error(code)).build());
        }
        out.add(bare(cls, "cached config: base64 that is not", "del").plant(Plant.file(ENTRY, valid(",\"config\":\"%%%not base64\"")))
                .expect(Expect.error(7)).build());
        // GC reads the whole results directory.
        Object[][] gc = {{"a link to a host file", Plant.symlink("${CACHE}/results/hostile-x-eth0", "${CANARY}")},
                {"a FIFO", Plant.fifo("${CACHE}/results/hostile-y-eth0")}, {"a device", Plant.zeroDevice("${CACHE}/results/hostile-z-eth0")},
                {"an entry in the host's netns", Plant.file("${CACHE}/results/hostile-h-eth0", entry("h", "hostile", "eth0", "/proc/self/ns/net", ""))},
                {"an entry under another file name", Plant.file("${CACHE}/results/hostile-w-eth0", entry("v", "hostile", "eth0", "${NETNS}", ""))},
                {"a directory", Plant.dir("${CACHE}/results/hostile-d-eth0")}};
        for (Object[] g : gc) {
            out.add(command(cls, "GC with " + g[0] + " in the cache", "gc").plant((Plant) g[1]).expect(Expect.success().sandboxUnchanged()).build());
        }
        return out;
    }
}
