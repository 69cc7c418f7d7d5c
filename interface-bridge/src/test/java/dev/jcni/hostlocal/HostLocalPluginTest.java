package dev.jcni.hostlocal;

import dev.jcni.core.testing.CapturedLog;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Json;
import dev.jcni.core.protocol.Result;
import dev.jcni.core.protocol.ResultCodec;
import dev.jcni.core.skel.Command;
import dev.jcni.core.skel.Invocation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verbs in-process against a store in a temporary directory (host_local_test.go's cases, GC and STATUS). */
class HostLocalPluginTest {
    private final HostLocalPlugin plugin = new HostLocalPlugin(Duration.ofSeconds(5));

    @TempDir
    Path dataDir;

    private Path net() {
        return dataDir.resolve("net");
    }

    private String conf(String version, String ranges, String extra) {
        return Requests.conf(version, "{\"type\":\"host-local\",\"dataDir\":\"" + dataDir + "\",\"ranges\":" + ranges + extra + "}", "");
    }

    private String conf(String ranges) {
        return conf("1.0.0", ranges, "");
    }

    private Result add(String json, String id, String ifName) throws Exception {
        return plugin.add(Requests.invocation(Command.ADD, json, id, ifName, null));
    }

    private void del(String json, String id, String ifName) throws Exception {
        plugin.del(Requests.invocation(Command.DEL, json, id, ifName, null));
    }

    private void check(String json, String id, String ifName) throws Exception {
        plugin.check(Requests.invocation(Command.CHECK, json, id, ifName, null));
    }

    private Set<String> files() throws Exception {
        Set<String> out = new HashSet<>();
        if (Files.isDirectory(net())) {
            try (var s = Files.list(net())) {
                s.forEach(p -> out.add(p.getFileName().toString()));
            }
        }
        return out;
    }

    @Test
    void allocatesAndReleasesWithRoutesAndDns() throws Exception {
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path resolv = Files.writeString(dataDir.resolve("resolv.conf"), "nameserver 192.0.2.1\nsearch example.com\n");
        Files.setPosixFilePermissions(resolv, PosixFilePermissions.fromString("rw-r--r--"));
        String json = conf("1.0.0", "[[{\"subnet\":\"10.1.2.0/24\"}],[{\"subnet\":\"2001:db8:1::/64\"}]]",
                ",\"resolvConf\":\"" + resolv + "\",\"routes\":[{\"dst\":\"0.0.0.0/0\"},{\"dst\":\"::/0\"}]");
        Result r = add(json, "dummy", "eth0");
        JsonNode printed = ResultCodec.toJson(r, "1.0.0");
        assertEquals(Json.parse(("{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.1.2.2/24\",\"gateway\":\"10.1.2.1\"},"
                + "{\"address\":\"2001:db8:1::2/64\",\"gateway\":\"2001:db8:1::1\"}],\"routes\":[{\"dst\":\"0.0.0.0/0\"},{\"dst\":\"::/0\"}],"
                + "\"dns\":{\"nameservers\":[\"192.0.2.1\"],\"search\":[\"example.com\"]}}").getBytes(StandardCharsets.UTF_8)), printed);
        assertEquals("dummy\r\neth0", Files.readString(net().resolve("10.1.2.2")));
        assertEquals("dummy\r\neth0", Files.readString(net().resolve("2001:db8:1::2")));
        del(json, "dummy", "eth0");
        assertEquals(Set.of("lock", "last_reserved_ip.0", "last_reserved_ip.1"), files(), "leases gone, records and lock stay");
    }

    @Test
    void aZeroTwoRequestGetsIp4AndIp6() throws Exception {
        Result r = add(conf("0.2.0", "[[{\"subnet\":\"10.1.2.0/24\"}],[{\"subnet\":\"2001:db8:1::/64\"}]]", ""), "c", "eth0");
        JsonNode printed = ResultCodec.toJson(r, "0.2.0");
        assertEquals("10.1.2.2/24", printed.path("ip4").path("ip").asText());
        assertEquals("2001:db8:1::2/64", printed.path("ip6").path("ip").asText());
    }

    @Test
    void delReleasesOnlyTheAttachmentAndIsIdempotent() throws Exception {
        String json = conf("[[{\"subnet\":\"10.1.2.0/24\"}]]");
        add(json, "c1", "eth0");
        add(json, "c1", "eth1");
        add(json, "c2", "eth0");
        del(json, "c1", "eth0");
        assertFalse(files().contains("10.1.2.2"));
        assertTrue(files().containsAll(List.of("10.1.2.3", "10.1.2.4")));
        del(json, "c1", "eth0");
        del(json, "unknown", "eth0");
        assertTrue(files().containsAll(List.of("10.1.2.3", "10.1.2.4")));
    }

    /** Leases written before the interface name was recorded: the container's, whatever the interface. */
    @Test
    void delReleasesTheFormatWithoutAnInterfaceNameOnlyWhenNothingElseMatches() throws Exception {
        Files.createDirectories(net());
        Files.writeString(net().resolve("10.1.2.5"), "TestID");
        Files.writeString(net().resolve("10.1.2.6"), "TestID\r\neth0");
        String json = conf("[[{\"subnet\":\"10.1.2.0/24\"}]]");
        del(json, "TestID", "eth0");
        assertEquals(Set.of("10.1.2.5", "lock"), files(), "the current format matched first; the old one stays for now");
        del(json, "TestID", "eth0");
        assertEquals(Set.of("lock"), files(), "then the old format is released");
    }

    @Test
    void delWithAConfigChangedSinceAddStillReleases() throws Exception {
        add(conf("[[{\"subnet\":\"10.1.2.0/24\"}]]"), "c1", "eth0");
        del(Requests.conf("1.0.0", "{\"type\":\"host-local\",\"dataDir\":\"" + dataDir + "\",\"subnet\":\"nonsense\"}", ""), "c1", "eth0");
        assertFalse(files().contains("10.1.2.2"));
    }

    @Test
    void delOfAMissingStoreCreatesNothing() throws Exception {
        del(conf("[[{\"subnet\":\"10.1.2.0/24\"}]]"), "c1", "eth0");
        assertFalse(Files.exists(net()));
    }

    @Test
    void delOfAStoreThatCannotBeTrustedSucceedsAndTouchesNothing() throws Exception {
        Path elsewhere = Files.createDirectory(dataDir.resolve("elsewhere"));
        Files.writeString(elsewhere.resolve("10.1.2.2"), "c1\r\neth0");
        Files.createSymbolicLink(net(), elsewhere);
        try (CapturedLog log = new CapturedLog(HostLocalPlugin.NAME, new HostLocalPlugin(), false)) {
            del(conf("[[{\"subnet\":\"10.1.2.0/24\"}]]"), "c1", "eth0");
            assertTrue(log.has("WARN", "cannot use the lease store " + net() + ": it is not a directory but a symbolic link; "
                    + "leases are kept in a directory only this user may change; nothing released"),
                    log.toString());
        }
        assertTrue(Files.exists(elsewhere.resolve("10.1.2.2")));
    }

    @Test
    void checkFindsTheLeaseOrSaysWhatTheReferenceSays() throws Exception {
        String json = conf("[[{\"subnet\":\"10.1.2.0/24\"}]]");
        CniException none = assertThrows(CniException.class, () -> check(json, "c1", "eth0"));
        assertEquals("host-local: Failed to find address added by container c1", none.msg());
        assertFalse(Files.exists(net()), "CHECK creates nothing");
        add(json, "c1", "eth0");
        check(json, "c1", "eth0");
        CniException other = assertThrows(CniException.class, () -> check(json, "c1", "eth1"));
        assertEquals("host-local: Failed to find address added by container c1", other.msg());
        Files.writeString(net().resolve("10.1.2.77"), "old");
        check(json, "old", "eth9");
    }

    @Test
    void checkComparesThePrevResultsAddressesInItsRanges() throws Exception {
        String base = conf("[[{\"subnet\":\"10.1.2.0/24\"}]]");
        add(base, "c1", "eth0");
        String good = conf("1.0.0", "[[{\"subnet\":\"10.1.2.0/24\"}]]", "").replaceFirst("}$",
                ",\"prevResult\":{\"cniVersion\":\"1.0.0\",\"ips\":[{\"address\":\"10.1.2.2/24\"},{\"address\":\"192.168.9.9/24\"}]}}");
        check(good, "c1", "eth0");
        String wrong = good.replace("10.1.2.2/24", "10.1.2.3/24");
        CniException e = assertThrows(CniException.class, () -> check(wrong, "c1", "eth0"));
        assertEquals("host-local: address 10.1.2.3 of the previous result is not leased to c1/eth0", e.msg());
        assertEquals(CniException.CHECK_DRIFT, e.code());
    }

    @Test
    void gcReleasesWhatIsNotValid() throws Exception {
        String ranges = "[[{\"subnet\":\"10.1.2.0/24\"}]]";
        add(conf(ranges), "keep", "eth0");
        add(conf(ranges), "keep", "eth1");
        add(conf(ranges), "gone", "eth0");
        Files.writeString(net().resolve("10.1.2.50"), "keep");
        Files.writeString(net().resolve("10.1.2.51"), "gone2");
        Files.writeString(net().resolve("10.1.2.52"), "");
        Files.writeString(net().resolve("10.1.2.53"), "not a lease at all");
        Files.writeString(net().resolve("unrelated"), "gone\r\neth0");
        String gc = conf("1.1.0", ranges, "").replaceFirst("}$",
                ",\"cni.dev/valid-attachments\":[{\"containerID\":\"keep\",\"ifname\":\"eth0\"},{\"containerID\":\"keep\",\"ifname\":\"eth1\"}]}");
        plugin.gc(Requests.invocation(Command.GC, gc, "", "", null));
        assertEquals(Set.of("10.1.2.2", "10.1.2.3", "10.1.2.50", "10.1.2.53", "unrelated", "lock", "last_reserved_ip.0"), files());
    }

    @Test
    void gcWithoutAListReleasesEveryLeaseAndUsesTheOlderKey() throws Exception {
        String ranges = "[[{\"subnet\":\"10.1.2.0/24\"}]]";
        add(conf(ranges), "a", "eth0");
        add(conf(ranges), "b", "eth0");
        String legacyKey = conf("1.1.0", ranges, "").replaceFirst("}$",
                ",\"cni.dev/attachments\":[{\"containerID\":\"b\",\"ifname\":\"eth0\"}]}");
        plugin.gc(Requests.invocation(Command.GC, legacyKey, "", "", null));
        assertEquals(Set.of("10.1.2.3", "lock", "last_reserved_ip.0"), files());
        plugin.gc(Requests.invocation(Command.GC, conf("1.1.0", ranges, ""), "", "", null));
        assertEquals(Set.of("lock", "last_reserved_ip.0"), files());
    }

    @Test
    void statusIsFiftyWhenARangeSetIsExhausted() throws Exception {
        String json = conf("1.1.0", "[[{\"subnet\":\"10.1.2.0/24\",\"rangeStart\":\"10.1.2.10\",\"rangeEnd\":\"10.1.2.12\","
                + "\"gateway\":\"10.1.2.11\"}],[{\"subnet\":\"2001:db8::/64\"}]]", "");
        Invocation status = Requests.invocation(Command.STATUS, json, "", "", null);
        plugin.status(status);
        assertFalse(Files.exists(net()), "STATUS creates nothing");
        add(json, "a", "eth0");
        plugin.status(status);
        add(json, "b", "eth0");
        CniException e = assertThrows(CniException.class, () -> plugin.status(status));
        assertEquals(CniException.NOT_AVAILABLE, e.code());
        assertEquals("host-local cannot serve ADD: no IP addresses available in range set: 10.1.2.10-10.1.2.12", e.msg());
        assertEquals("range set 0: all 2 addresses are leased", e.details());
        del(json, "a", "eth0");
        plugin.status(status);
    }

    @Test
    void statusIsFiftyWhenTheStoreCannotBeUsed() throws Exception {
        String json = conf("1.1.0", "[[{\"subnet\":\"10.1.2.0/24\"}]]", "");
        Files.createDirectory(net());
        Files.setPosixFilePermissions(net(), PosixFilePermissions.fromString("rwxrwxrwx"));
        CniException open = assertThrows(CniException.class, () -> plugin.status(Requests.invocation(Command.STATUS, json, "", "", null)));
        assertEquals(CniException.NOT_AVAILABLE, open.code());
        assertTrue(open.msg().contains("others may write it"), open.msg());
        Files.delete(net());
        Files.writeString(net(), "a file where the directory belongs");
        CniException file = assertThrows(CniException.class, () -> plugin.status(Requests.invocation(Command.STATUS, json, "", "", null)));
        assertEquals(CniException.NOT_AVAILABLE, file.code());
        String underFile = conf("1.1.0", "[[{\"subnet\":\"10.1.2.0/24\"}]]", "").replace("\"dataDir\":\"" + dataDir + "\"",
                "\"dataDir\":\"" + net() + "/below\"");
        CniException cannotCreate = assertThrows(CniException.class,
                () -> plugin.status(Requests.invocation(Command.STATUS, underFile, "", "", null)));
        assertTrue(cannotCreate.msg().endsWith("cannot be created"), cannotCreate.msg());
        assertEquals(net() + " is not a directory this user may write", cannotCreate.details());
    }

    /** Every kind of bad request fails before the store exists: no directory, no lock, no lease. */
    @Test
    void badInputChangesNothing() throws Exception {
        String[] bad = {
            conf("[[{\"subnet\":\"10.1.2.0/33\"}]]"),
            conf("[[{\"subnet\":\"10.1.2.0/24\"}],[{\"subnet\":\"10.1.2.0/25\"}]]"),
            conf("1.0.0", "[[{\"subnet\":\"10.1.2.0/24\"}]]", ",\"resolvConf\":\"/nonexistent/resolv.conf\""),
            conf("1.0.0", "[[{\"subnet\":\"10.1.2.0/24\"}]]", ",\"routes\":[{\"dst\":\"x\"}]"),
            conf("1.0.0", "[[{\"subnet\":\"10.1.2.0/24\"}]]", "").replaceFirst("}$", ",\"runtimeConfig\":{\"ips\":[\"10.9.0.1\"]}}"),
            conf("1.0.0", "[[{\"subnet\":\"10.1.2.0/24\"}]]", "").replaceFirst("}$", ",\"runtimeConfig\":{\"ips\":[\"10.1.2.1\"]}}"),
        };
        for (String json : bad) {
            assertThrows(CniException.class, () -> add(json, "c1", "eth0"), json);
            assertFalse(Files.exists(net()), json);
        }
        assertThrows(CniException.class, () -> plugin.add(Requests.invocation(Command.ADD, conf("[[{\"subnet\":\"10.1.2.0/24\"}]]"),
                "c1", "eth0", "IP=10.1.2.x")));
        assertFalse(Files.exists(net()));
    }

    @Test
    void aRepeatedAddIsRefusedAndKeepsTheFirstLease() throws Exception {
        String json = conf("[[{\"subnet\":\"10.1.2.0/24\"}]]");
        add(json, "c1", "eth0");
        CniException e = assertThrows(CniException.class, () -> add(json, "c1", "eth0"));
        assertEquals("failed to allocate for range 0: 10.1.2.2 has been allocated to c1, duplicate allocation is not allowed", e.msg());
        assertEquals("c1\r\neth0", Files.readString(net().resolve("10.1.2.2")));
    }

    @Test
    void everyVersionIsServedAsByTheReference() {
        assertEquals(List.of("0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0"), plugin.supportedVersions());
        assertTrue(plugin.about().contains("host-local"), plugin.about());
    }

    @Test
    void theDebugTimelineShowsWhereAddAndDelSpendTheirTime() throws Exception {
        String json = conf("[[{\"subnet\":\"10.1.2.0/24\"}]]");
        try (CapturedLog log = new CapturedLog(HostLocalPlugin.NAME, new HostLocalPlugin(), true)) {
            add(json, "c1", "eth0");
            assertEquals(List.of("config validated", "store locked", "allocated"), log.timeline(), log.toString());
        }
        try (CapturedLog log = new CapturedLog(HostLocalPlugin.NAME, new HostLocalPlugin(), true)) {
            del(json, "c1", "eth0");
            assertEquals(List.of("config validated", "store locked"), log.timeline(), log.toString());
        }
    }

    @Test
    void gcSaysWhatItReleasedAndWhatItLeftAlone() throws Exception {
        String ranges = "[[{\"subnet\":\"10.1.2.0/24\"}]]";
        add(conf(ranges), "gone", "eth0");
        Files.writeString(net().resolve("10.1.2.52"), "");
        Files.writeString(net().resolve("10.1.2.53"), "not a lease at all");
        Files.writeString(dataDir.resolve("elsewhere"), "gone\r\neth0");
        Files.createSymbolicLink(net().resolve("10.1.2.54"), dataDir.resolve("elsewhere"));
        Invocation gc = Requests.invocation(Command.GC, conf("1.1.0", ranges, ""), "", "", null);
        try (CapturedLog log = new CapturedLog(HostLocalPlugin.NAME, new HostLocalPlugin(), true)) {
            plugin.gc(gc);
            assertTrue(log.has("INFO", "GC: released 2 stale lease(s) of network net: [10.1.2.2 (gone/eth0), 10.1.2.52 (empty)]")
                    || log.has("INFO", "GC: released 2 stale lease(s) of network net: [10.1.2.52 (empty), 10.1.2.2 (gone/eth0)]"), log.toString());
            assertTrue(log.has("WARN", "GC: leaving " + net().resolve("10.1.2.53") + " alone: its text is not a lease"), log.toString());
            assertTrue(log.lines().stream().anyMatch(l -> l.startsWith("host-local: WARN GC: leaving " + net().resolve("10.1.2.54") + " alone: it ")
                    && l.contains("symbolic link")), log.toString());
        }
        try (CapturedLog log = new CapturedLog(HostLocalPlugin.NAME, new HostLocalPlugin(), true)) {
            plugin.gc(gc);
            assertTrue(log.has("INFO", "GC: released 0 stale lease(s) of network net"), log.toString());
        }
        assertEquals(Set.of("10.1.2.53", "10.1.2.54", "lock", "last_reserved_ip.0"), files());
    }

    @Test
    void aFailedAddReleasesWhatItTookWithoutComplaint() throws Exception {
        String json = conf("[[{\"subnet\":\"10.1.2.0/24\"}],[{\"subnet\":\"10.1.3.0/30\"}]]");
        add(json, "a", "eth0");
        try (CapturedLog log = new CapturedLog(HostLocalPlugin.NAME, new HostLocalPlugin(), false)) {
            CniException e = assertThrows(CniException.class, () -> add(json, "b", "eth0"));
            assertTrue(e.msg().startsWith("failed to allocate for range 1: no IP addresses available in range set"), e.msg());
            assertEquals(List.of(), log.lines());
        }
        assertEquals(Set.of("10.1.2.2", "10.1.3.2", "lock", "last_reserved_ip.0", "last_reserved_ip.1"), files(),
                "b's address of range set 0 went back");
    }

    @Test
    void statusLooksThroughMissingDirectoriesAndCountsOnlyAddressesOfThePool() throws Exception {
        String nested = Requests.conf("1.1.0", "{\"type\":\"host-local\",\"dataDir\":\"" + dataDir.resolve("a/b") + "\",\"ranges\":"
                + "[[{\"subnet\":\"10.1.2.0/24\"}]]}", "");
        plugin.status(Requests.invocation(Command.STATUS, nested, "", "", null));
        assertFalse(Files.exists(dataDir.resolve("a")), "STATUS creates nothing");

        String json = conf("1.1.0", "[[{\"subnet\":\"10.1.2.0/30\"}]]", "");
        Files.createDirectory(net());
        Files.writeString(net().resolve("10.1.2.1"), "someone\r\neth0");
        Files.writeString(net().resolve("10.1.9.9"), "someone\r\neth0");
        plugin.status(Requests.invocation(Command.STATUS, json, "", "", null));
        Files.writeString(net().resolve("10.1.2.2"), "someone\r\neth0");
        assertEquals(CniException.NOT_AVAILABLE,
                assertThrows(CniException.class, () -> plugin.status(Requests.invocation(Command.STATUS, json, "", "", null))).code(),
                "10.1.2.2 was the pool's one address: the gateway and an address outside it never counted");
    }
}
