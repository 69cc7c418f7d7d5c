package dev.jcni.it.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.net.IpAddress;
import dev.jcni.core.net.IpPrefix;
import dev.jcni.core.os.Errno;
import dev.jcni.core.os.ExistsException;
import dev.jcni.core.os.NotFoundException;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.netlink.Address;
import dev.jcni.core.os.netlink.AddressAttribute;
import dev.jcni.core.os.netlink.LinkAttribute;
import dev.jcni.core.os.netlink.NewLink;
import dev.jcni.core.os.netlink.VethPair;
import dev.jcni.it.support.RequiresRoot;
import dev.jcni.it.support.TestNetns;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Addresses against the real kernel, on a veth pair a0/a1 inside a namespace of the test's own
 * (both ends up, so IPv6 duplicate address detection runs between them), checked with
 * {@code ip -j address show}. Documentation prefixes only, inside the private namespace.
 */
@RequiresRoot
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AddressesKernelTest {
    private TestNetns ns;
    private Rtnl k;
    private int a0;
    private int a1;

    @BeforeEach
    void setUp() throws Exception {
        ns = TestNetns.create();
        k = Rtnl.of(ns);
        VethPair pair = k.links().createVethPair(NewLink.veth("a0").set(LinkAttribute.UP, true),
                NewLink.vethPeer("a1"), null);
        a0 = pair.end().index();
        a1 = pair.peerIndex();
        k.links().set(a1, LinkAttribute.UP, true);
    }

    @AfterEach
    void tearDown() {
        Rtnl.closeAll(k, ns);
    }

    private static IpPrefix p(String s) throws Exception {
        return IpPrefix.parse(s);
    }

    /** The address's entry in {@code ip -j address show dev LINK}, or null. */
    private JsonNode ipAddress(String link, String local) {
        for (JsonNode a : k.json("address", "show", "dev", link).get(0).get("addr_info")) {
            if (a.get("local").asText().equals(local)) {
                return a;
            }
        }
        return null;
    }

    private Address ours(int index, IpPrefix prefix) throws OsException {
        for (Address a : k.addresses().list(index, prefix.family())) {
            if (a.prefix().equals(prefix)) {
                return a;
            }
        }
        return null;
    }

    @Test
    void ipv4WithBroadcastAndLabel() throws Exception {
        k.addresses().add(a0, p("198.51.100.5/24"));
        k.addresses().add(Address.on(a0, p("198.51.100.6/24")).set(AddressAttribute.LABEL, "a0:x").build());
        JsonNode first = ipAddress("a0", "198.51.100.5");
        assertEquals(24, first.get("prefixlen").asInt());
        assertEquals("198.51.100.255", first.get("broadcast").asText());
        assertEquals("global", first.get("scope").asText());
        assertEquals("a0:x", ipAddress("a0", "198.51.100.6").get("label").asText());

        List<Address> listed = k.addresses().list(a0, IpAddress.Family.IPV4);
        assertEquals(2, listed.size());
        assertEquals(p("198.51.100.5/24"), listed.get(0).prefix());
        assertEquals(IpAddress.parse("198.51.100.255"), listed.get(0).get(AddressAttribute.BROADCAST));
        assertEquals("a0:x", listed.get(1).get(AddressAttribute.LABEL));
        assertTrue((listed.get(1).flags() & Address.IFA_F_SECONDARY) != 0, "the second address of the subnet is secondary");
        assertTrue(k.addresses().list(a1, IpAddress.Family.IPV4).isEmpty(), "listed by link");
    }

    @Test
    void aHostAddressHasNoBroadcast() throws Exception {
        k.addresses().add(a0, p("198.51.100.9/32"));
        assertFalse(ipAddress("a0", "198.51.100.9").has("broadcast"));
    }

    @Test
    void ipv6SettlesAfterDuplicateAddressDetection() throws Exception {
        IpPrefix v6 = p("2001:db8:1::5/64");
        k.addresses().add(a0, v6);
        k.addresses().awaitSettled(a0, Duration.ofSeconds(20));
        JsonNode ip = ipAddress("a0", "2001:db8:1::5");
        assertFalse(ip.has("tentative"), ip.toString());
        Address read = ours(a0, v6);
        assertFalse(read.isTentative());
        assertFalse(read.dadFailed());
        // The link-local address went through detection too.
        for (Address a : k.addresses().list(a0, IpAddress.Family.IPV6)) {
            assertFalse(a.isTentative(), a.toString());
        }
    }

    @Test
    void noDadIsUsableAtOnce() throws Exception {
        IpPrefix v6 = p("2001:db8:2::5/64");
        k.addresses().add(Address.on(a0, v6).flags(Address.IFA_F_NODAD).build());
        JsonNode ip = ipAddress("a0", "2001:db8:2::5");
        assertTrue(ip.path("nodad").asBoolean(), ip.toString());
        assertFalse(ip.has("tentative"), ip.toString());
        Address read = ours(a0, v6);
        assertFalse(read.isTentative());
        assertTrue((read.flags() & Address.IFA_F_NODAD) != 0);
    }

    @Test
    void noPrefixRouteAddsNoRoute() throws Exception {
        IpPrefix v6 = p("2001:db8:3::5/64");
        k.addresses().add(Address.on(a0, v6).flags(Address.IFA_F_NODAD | Address.IFA_F_NOPREFIXROUTE).build());
        assertTrue(ipAddress("a0", "2001:db8:3::5").path("noprefixroute").asBoolean());
        assertEquals(0, k.json("-6", "route", "show", "2001:db8:3::/64").size(), "no prefix route");
        assertEquals(Address.IFA_F_NODAD | Address.IFA_F_NOPREFIXROUTE,
                ours(a0, v6).flags() & (Address.IFA_F_NODAD | Address.IFA_F_NOPREFIXROUTE));
        k.addresses().add(Address.on(a0, p("2001:db8:4::5/64")).flags(Address.IFA_F_NODAD).build());
        assertEquals(1, k.json("-6", "route", "show", "2001:db8:4::/64").size(), "with a prefix route by default");
    }

    @Test
    void aDuplicateIsADetectionFailure() throws Exception {
        IpPrefix v6 = p("2001:db8:5::5/64");
        // a1 holds the address first, usable at once; a0 then checks whether anyone has it: a1 answers.
        k.addresses().add(Address.on(a1, v6).flags(Address.IFA_F_NODAD).build());
        k.addresses().add(a0, v6);
        OsException e = assertThrows(OsException.class, () -> k.addresses().awaitSettled(a0, Duration.ofSeconds(20)));
        assertEquals(Errno.EADDRINUSE, e.errno());
        assertEquals("settle IPv6 addresses on a0: Address already in use (EADDRINUSE): 2001:db8:5::5/64 failed duplicate "
                + "address detection: another host has it", e.getMessage());
        assertTrue(ipAddress("a0", "2001:db8:5::5").path("dadfailed").asBoolean());
    }

    @Test
    void settlingADownLinkReturnsAtOnce() throws Exception {
        k.links().set(a0, LinkAttribute.UP, false);
        k.addresses().add(a0, p("2001:db8:6::5/64"));
        long start = System.nanoTime();
        k.addresses().awaitSettled(a0, Duration.ofSeconds(20));
        assertTrue(System.nanoTime() - start < 5_000_000_000L, "did not wait for a detection that cannot start");
        assertTrue(ipAddress("a0", "2001:db8:6::5").path("tentative").asBoolean(), "still tentative: nothing was faked");
    }

    @Test
    void addingTwiceIsExistsAndDeletingTwiceIsNotFound() throws Exception {
        k.addresses().add(a0, p("198.51.100.7/24"));
        ExistsException exists = assertThrows(ExistsException.class, () -> k.addresses().add(a0, p("198.51.100.7/24")));
        assertTrue(exists.getMessage().startsWith("RTM_NEWADDR 198.51.100.7/24 on a0: "), exists.getMessage());

        k.addresses().delete(a0, p("198.51.100.7/24"));
        assertNull(ipAddress("a0", "198.51.100.7"));
        NotFoundException gone = assertThrows(NotFoundException.class, () -> k.addresses().delete(a0, p("198.51.100.7/24")));
        assertEquals(Errno.EADDRNOTAVAIL, gone.errno());
        assertTrue(gone.getMessage().startsWith("RTM_DELADDR 198.51.100.7/24 on a0: "), gone.getMessage());

        k.addresses().add(Address.on(a0, p("2001:db8:7::5/64")).flags(Address.IFA_F_NODAD).build());
        k.addresses().delete(a0, p("2001:db8:7::5/64"));
        assertNull(ipAddress("a0", "2001:db8:7::5"));
        assertThrows(NotFoundException.class, () -> k.addresses().delete(a0, p("2001:db8:7::5/64")));
    }

    @Test
    void anAddressOnAMissingLinkIsNotFound() {
        NotFoundException e = assertThrows(NotFoundException.class, () -> k.addresses().add(99999, p("198.51.100.8/24")));
        assertEquals(Errno.ENODEV, e.errno());
    }
}
