package dev.jcni.hostlocal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Result;
import dev.jcni.core.skel.Command;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Allocation against a real store in a temporary directory (no root needed): the reference's
 * allocator cases (allocator_test.go), and what a failed ADD must leave behind. Existing leases
 * and round-robin records are written here as raw bytes, not through the code under test.
 */
class AllocatorTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dataDir;

    private int networks;

    /** A fresh network directory per call, so one test can run many cases. */
    private final class Net {
        final String name = "net" + networks++;
        final Path dir = dataDir.resolve(name);

        Net lease(String ip, String content) throws Exception {
            Files.createDirectories(dir);
            Files.write(dir.resolve(ip), content.getBytes(StandardCharsets.UTF_8));
            return this;
        }

        Net last(int index, String ip) throws Exception {
            Files.createDirectories(dir);
            Files.write(dir.resolve("last_reserved_ip." + index), ip.getBytes(StandardCharsets.US_ASCII));
            return this;
        }

        IpamConfig config(String ranges, String extra) throws Exception {
            String json = "{\"cniVersion\":\"1.0.0\",\"name\":\"" + name + "\",\"type\":\"bridge\",\"ipam\":"
                    + Requests.ipam(dataDir, ranges) + extra + "}";
            return IpamConfig.parse(Requests.invocation(Command.ADD, json));
        }

        List<Result.IpConfig> allocate(String ranges, String id, String ifName) throws Exception {
            return allocate(config(ranges, ""), id, ifName);
        }

        List<Result.IpConfig> allocate(IpamConfig config, String id, String ifName) throws Exception {
            try (LeaseStore store = LeaseStore.create(config.location(), WAIT)) {
                return new Allocator(store).allocate(config, id, ifName);
            }
        }

        String one(String ranges) throws Exception {
            return allocate(ranges, "ID", "eth0").get(0).address().address().toString();
        }

        Set<String> files() throws Exception {
            Set<String> out = new HashSet<>();
            if (Files.isDirectory(dir)) {
                try (var s = Files.list(dir)) {
                    s.forEach(p -> out.add(p.getFileName().toString()));
                }
            }
            return out;
        }

        String text(String file) throws Exception {
            return new String(Files.readAllBytes(dir.resolve(file)), StandardCharsets.UTF_8);
        }
    }

    private static String sets(String... subnetsPerSet) {
        StringBuilder sb = new StringBuilder("[");
        for (String set : subnetsPerSet) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append('[');
            String[] subnets = set.split(" ");
            for (int i = 0; i < subnets.length; i++) {
                sb.append(i > 0 ? "," : "").append("{\"subnet\":\"").append(subnets[i]).append("\"}");
            }
            sb.append(']');
        }
        return sb.append(']').toString();
    }

    /** subnets of one set (space separated); leased addresses; last reserved; the address expected. */
    @ParameterizedTest(name = "{0} leased [{1}] last {2} -> {3}")
    @CsvSource({
        "10.0.0.0/29,,,10.0.0.2",
        "2001:db8:1::/64,,,2001:db8:1::2",
        "10.0.0.0/30,,,10.0.0.2",
        "10.0.0.0/29,10.0.0.2,,10.0.0.3",
        "10.0.0.0/29,,10.0.0.5,10.0.0.6",
        "10.0.0.0/29,10.0.0.4 10.0.0.5,10.0.0.3,10.0.0.6",
        "10.0.0.0/29,10.0.0.6,10.0.0.5,10.0.0.2",
        "10.0.0.0/29,10.0.0.2,10.0.0.128,10.0.0.3",
        "10.0.0.0/29,10.0.0.2 10.0.0.4 10.0.0.5 10.0.0.6,10.0.0.3,10.0.0.3",
        "10.0.0.0/30 10.0.1.0/30,,,10.0.0.2",
        "10.0.0.0/30 10.0.1.0/30,,10.0.0.2,10.0.1.2",
        "10.0.0.0/30 10.0.1.0/30 10.0.2.0/30,,10.0.2.2,10.0.0.2",
        "2001:db8:1::/126,,2001:db8:1::3,2001:db8:1::2",
    })
    void roundRobinAsTheReference(String subnets, String leased, String last, String expected) throws Exception {
        Net net = new Net();
        if (leased != null) {
            for (String ip : leased.split(" ")) {
                net.lease(ip, "id");
            }
        }
        if (last != null) {
            net.last(0, last);
        }
        assertEquals(expected, net.one(sets(subnets)));
        assertEquals(expected, net.text("last_reserved_ip.0"), "the record follows the allocation");
    }

    @Test
    void successiveAddsWalkTheRangeAndWrapNeverTakingGatewayOrBroadcast() throws Exception {
        Net net = new Net();
        String ranges = sets("192.168.1.0/29");
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            got.add(net.allocate(ranges, "c" + i, "eth0").get(0).address().toString());
        }
        assertEquals(List.of("192.168.1.2/29", "192.168.1.3/29", "192.168.1.4/29", "192.168.1.5/29", "192.168.1.6/29"), got);
        CniException full = assertThrows(CniException.class, () -> net.allocate(ranges, "c5", "eth0"));
        assertEquals("failed to allocate for range 0: no IP addresses available in range set: 192.168.1.1-192.168.1.6", full.msg());
        assertFalse(net.files().contains("192.168.1.7"), "broadcast");
        assertFalse(net.files().contains("192.168.1.1"), "gateway");
        assertFalse(net.files().contains("192.168.1.0"), "network address");
        Files.delete(net.dir.resolve("192.168.1.3"));
        assertEquals("192.168.1.3/29", net.allocate(ranges, "c6", "eth0").get(0).address().toString(),
                "after the last one taken (.6) the walk wraps to the freed .3");
    }

    @Test
    void theResultCarriesPrefixLengthAndGateway() throws Exception {
        Net net = new Net();
        List<Result.IpConfig> ips = net.allocate("[[{\"subnet\":\"10.2.0.0/16\",\"rangeStart\":\"10.2.3.4\",\"gateway\":\"10.2.0.254\"}]]",
                "ID", "eth0");
        assertEquals("10.2.3.4/16", ips.get(0).address().toString());
        assertEquals(IpAddress.parse("10.2.0.254"), ips.get(0).gateway());
        assertNull(ips.get(0).interfaceIndex(), "an IPAM result names no interface");
    }

    @Test
    void dualStackTakesOneAddressPerSetEachWithItsOwnRecord() throws Exception {
        Net net = new Net();
        List<Result.IpConfig> ips = net.allocate(sets("10.1.0.0/24", "2001:db8:5::/64 2001:db8:6::/64"), "ID", "eth0");
        assertEquals(2, ips.size());
        assertEquals("10.1.0.2/24", ips.get(0).address().toString());
        assertEquals("2001:db8:5::2/64", ips.get(1).address().toString());
        assertEquals(IpAddress.parse("2001:db8:5::1"), ips.get(1).gateway());
        assertEquals("10.1.0.2", net.text("last_reserved_ip.0"));
        assertEquals("2001:db8:5::2", net.text("last_reserved_ip.1"));
        assertEquals("ID\r\neth0", net.text("2001:db8:5::2"));
    }

    @Test
    void requestedAddressesGoToTheSetThatHoldsThem() throws Exception {
        Net net = new Net();
        String ranges = sets("10.1.0.0/24", "2001:db8:5::/64");
        IpamConfig c = net.config(ranges, ",\"args\":{\"cni\":{\"ips\":[\"2001:db8:5::77\",\"10.1.0.77\"]}}");
        List<Result.IpConfig> ips = net.allocate(c, "ID", "eth0");
        assertEquals("10.1.0.77/24", ips.get(0).address().toString());
        assertEquals("2001:db8:5::77/64", ips.get(1).address().toString());
        assertEquals("10.1.0.77", net.text("last_reserved_ip.0"), "a requested address moves the round robin too");
    }

    @Test
    void requestedAddressRules() throws Exception {
        Net net = new Net().lease("192.168.1.5", "other\r\neth0");
        String ranges = "[[{\"subnet\":\"192.168.1.0/29\"}]]";
        CniException taken = assertThrows(CniException.class, () -> net.allocate(net.config(ranges,
                ",\"runtimeConfig\":{\"ips\":[\"192.168.1.5\"]}"), "ID", "eth0"));
        assertEquals("failed to allocate for range 0: requested IP address 192.168.1.5 is not available in range set "
                + "192.168.1.1-192.168.1.6", taken.msg());
        CniException gateway = assertThrows(CniException.class, () -> net.allocate(net.config(ranges,
                ",\"runtimeConfig\":{\"ips\":[\"192.168.1.1\"]}"), "ID", "eth0"));
        assertEquals("failed to allocate for range 0: requested ip 192.168.1.1 is subnet's gateway", gateway.msg());
        for (String outside : new String[] {"192.168.1.7", "192.168.1.0", "10.9.9.9"}) {
            CniException e = assertThrows(CniException.class, () -> net.allocate(net.config(ranges,
                    ",\"runtimeConfig\":{\"ips\":[\"" + outside + "\"]}"), "ID", "eth0"));
            assertEquals("failed to allocate all requested IPs: " + outside, e.msg());
        }
        String narrow = "[[{\"subnet\":\"192.168.1.0/24\",\"rangeStart\":\"192.168.1.10\",\"rangeEnd\":\"192.168.1.20\"}]]";
        for (String outside : new String[] {"192.168.1.9", "192.168.1.21"}) {
            assertThrows(CniException.class, () -> net.allocate(net.config(narrow,
                    ",\"runtimeConfig\":{\"ips\":[\"" + outside + "\"]}"), "ID", "eth0"), "before rangeStart / after rangeEnd");
        }
        assertEquals(Set.of("192.168.1.5", "lock"), net.files(), "nothing leased, no record written");
        Result.IpConfig ok = net.allocate(net.config(ranges, ",\"runtimeConfig\":{\"ips\":[\"192.168.1.6\"]}"), "ID", "eth0").get(0);
        assertEquals("192.168.1.6/29", ok.address().toString());
    }

    @Test
    void twoRequestsForOneSetLeaveOneOver() throws Exception {
        Net net = new Net();
        CniException e = assertThrows(CniException.class, () -> net.allocate(net.config(sets("10.1.0.0/24"),
                ",\"runtimeConfig\":{\"ips\":[\"10.1.0.9\",\"10.1.0.8\"]}"), "ID", "eth0"));
        assertEquals("failed to allocate all requested IPs: 10.1.0.8", e.msg());
        assertTrue(net.files().isEmpty(), "checked before anything is written: " + net.files());
    }

    @Test
    void aSecondAddOfOneAttachmentIsADuplicateInEitherFormat() throws Exception {
        Net net = new Net();
        String ranges = sets("10.1.0.0/24");
        net.allocate(ranges, "ID", "eth0");
        CniException dup = assertThrows(CniException.class, () -> net.allocate(ranges, "ID", "eth0"));
        assertEquals("failed to allocate for range 0: 10.1.0.2 has been allocated to ID, duplicate allocation is not allowed",
                dup.msg());
        assertEquals("10.1.0.3/24", net.allocate(ranges, "ID", "eth1").get(0).address().toString(), "another interface is fine");
        Net legacy = new Net().lease("10.1.0.50", "OLD");
        CniException old = assertThrows(CniException.class, () -> legacy.allocate(ranges, "OLD", "eth0"));
        assertEquals("failed to allocate for range 0: 10.1.0.50 has been allocated to OLD, duplicate allocation is not allowed",
                old.msg());
    }

    /** Set 0 succeeds, set 1 is full: set 0's lease goes, and its round-robin record is put back. */
    @Test
    void aFailedAddLeavesTheStoreAsItWas() throws Exception {
        Net net = new Net().last(0, "10.1.0.7").lease("10.2.0.2", "other\r\neth0");
        String ranges = sets("10.1.0.0/24", "10.2.0.0/30");
        Set<String> before = net.files();
        CniException e = assertThrows(CniException.class, () -> net.allocate(ranges, "ID", "eth0"));
        assertEquals("failed to allocate for range 1: no IP addresses available in range set: 10.2.0.1-10.2.0.2", e.msg());
        before.add("lock"); // the store's lock file, which stays (as the reference's does)
        assertEquals(before, net.files());
        assertEquals("10.1.0.7", net.text("last_reserved_ip.0"));
        assertEquals("other\r\neth0", net.text("10.2.0.2"));

        Net fresh = new Net().lease("10.2.0.2", "other\r\neth0");
        assertThrows(CniException.class, () -> fresh.allocate(ranges, "ID", "eth0"));
        assertFalse(fresh.files().contains("last_reserved_ip.0"), "a record that did not exist is removed again");
    }

    /** Entries that are not leases (odd names, a directory, a link) never confuse the walk or the duplicate check. */
    @Test
    void unreadableEntriesCountAsTakenAndNeverMatch() throws Exception {
        Net net = new Net();
        Files.createDirectories(net.dir);
        Files.createSymbolicLink(net.dir.resolve("10.1.0.2"), Path.of("/etc/hostname"));
        Files.createDirectory(net.dir.resolve("10.1.0.3"));
        Files.writeString(net.dir.resolve("010.1.0.4"), "ID\r\neth0");
        Files.writeString(net.dir.resolve("junk"), "ID\r\neth0");
        assertEquals("10.1.0.4", net.one(sets("10.1.0.0/24")), "no duplicate: neither odd name is a lease");
        assertTrue(Files.isSymbolicLink(net.dir.resolve("10.1.0.2")));
    }

    /** Random leases over small range sets: the allocation is free, in the set, not a gateway, and the first free one after the record. */
    @Test
    void randomStoresAgreeWithASimpleWalk() throws Exception {
        Random random = new Random(0x686c6f63L);
        for (int round = 0; round < 120; round++) {
            Net net = new Net();
            List<String> pool = new ArrayList<>();
            for (int i = 1; i <= 6; i++) {
                pool.add("10.7.0." + i);
            }
            for (int i = 1; i <= 6; i++) {
                pool.add("10.7.1." + i);
            }
            Set<String> leased = new HashSet<>();
            for (String ip : pool) {
                if (random.nextInt(3) == 0) {
                    leased.add(ip);
                    net.lease(ip, "x" + ip.replace('.', '-'));
                }
            }
            String last = random.nextBoolean() ? pool.get(random.nextInt(pool.size())) : null;
            if (last != null) {
                net.last(0, last);
            }
            // The walk, by hand: the pool in order from the one after `last`, gateways .1 skipped.
            int from = last == null ? 0 : pool.indexOf(last) + 1;
            String expected = null;
            for (int k = 0; k < pool.size() && expected == null; k++) {
                String candidate = pool.get((from + k) % pool.size());
                if (!candidate.endsWith(".1") && !leased.contains(candidate)) {
                    expected = candidate;
                }
            }
            String ranges = sets("10.7.0.0/29 10.7.1.0/29");
            if (expected == null) {
                assertThrows(CniException.class, () -> net.one(ranges));
            } else {
                assertEquals(expected, net.one(ranges), "leased " + leased + ", last " + last);
            }
        }
    }
}
