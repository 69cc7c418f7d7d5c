package dev.jcni.core.os.netlink;

import static dev.jcni.core.os.netlink.Golden.assertDump;
import static dev.jcni.core.os.netlink.Golden.assertRequest;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.net.IpPrefix;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Address requests byte for byte, and replies decoded. Requests: the bytes iproute2 6.1 sent for
 * the command in each test's comment (d1 is index 3, lo index 1), captured with
 * {@code strace -e trace=sendmsg,sendto -e write=3} on kernel 6.18 (2026-11-30), sequence
 * number zeroed. Replies: the resources, whose headers say how they were captured.
 */
class AddressMessagesTest {
    private static IpPrefix p(String s) throws Exception {
        return IpPrefix.parse(s);
    }

    /** {@code ip addr add 10.1.0.5/24 brd + dev d1}: our IPv4 default computes the broadcast as "brd +". */
    @Test
    void ipv4WithComputedBroadcast() throws Exception {
        assertRequest("300000001400050600000000000000000218000003000000080002000a010005080001000a010005080004000a0100ff",
                AddressMessages.add(Address.on(3, p("10.1.0.5/24")).build()));
    }

    /** {@code ip addr add 10.1.1.6/24 dev d1 label d1:y brd +}. */
    @Test
    void ipv4WithLabel() throws Exception {
        assertRequest("3c0000001400050600000000000000000218000003000000080002000a0101060900030064313a7900000000080001000a01"
                + "0106080004000a0101ff", AddressMessages.add(Address.on(3, p("10.1.1.6/24")).set(AddressAttribute.LABEL, "d1:y").build()));
    }

    /** {@code ip addr add 10.1.2.5/32 dev d1}: a /32 has no broadcast address. */
    @Test
    void hostAddressHasNoBroadcast() throws Exception {
        assertRequest("280000001400050600000000000000000220000003000000080002000a010205080001000a010205",
                AddressMessages.add(Address.on(3, p("10.1.2.5/32")).build()));
    }

    /** {@code ip addr add 127.0.0.3/8 brd + dev lo}: loopback addresses get host scope, as ip gives them. */
    @Test
    void loopbackAddressIsHostScoped() throws Exception {
        assertRequest("30000000140005060000000000000000020800fe01000000080002007f000003080001007f000003080004007fffffff",
                AddressMessages.add(Address.on(1, p("127.0.0.3/8")).build()));
    }

    /** {@code ip -6 addr add 2001:db8::5/64 dev d1 nodad}: a flag of 8 bits travels in the header. */
    @Test
    void ipv6NoDad() throws Exception {
        assertRequest("400000001400050600000000000000000a400200030000001400020020010db8000000000000000000000005140001002001"
                + "0db8000000000000000000000005", AddressMessages.add(Address.on(3, p("2001:db8::5/64")).flags(Address.IFA_F_NODAD).build()));
    }

    /** {@code ip -6 addr add 2001:db8:1::5/64 dev d1 noprefixroute}: a flag above 8 bits needs IFA_FLAGS. */
    @Test
    void ipv6NoPrefixRoute() throws Exception {
        assertRequest("480000001400050600000000000000000a400000030000001400020020010db800010000000000000000000508000800000200"
                + "001400010020010db8000100000000000000000005",
                AddressMessages.add(Address.on(3, p("2001:db8:1::5/64")).flags(Address.IFA_F_NOPREFIXROUTE).build()));
    }

    /** {@code ip -6 addr add 2001:db8:2::5/64 dev d1 nodad noprefixroute}: all flags in IFA_FLAGS, none in the header. */
    @Test
    void ipv6BothFlags() throws Exception {
        assertRequest("480000001400050600000000000000000a400000030000001400020020010db800020000000000000000000508000800020200"
                + "001400010020010db8000200000000000000000005",
                AddressMessages.add(Address.on(3, p("2001:db8:2::5/64")).flags(Address.IFA_F_NODAD | Address.IFA_F_NOPREFIXROUTE).build()));
    }

    /** {@code ip addr del 10.1.2.5/32 dev d1} and {@code ip -6 addr del 2001:db8:2::5/64 dev d1}. */
    @Test
    void deletes() throws Exception {
        assertRequest("280000001500050000000000000000000220000003000000080002000a010205080001000a010205",
                AddressMessages.delete(Address.on(3, p("10.1.2.5/32")).build()));
        assertRequest("400000001500050000000000000000000a400000030000001400020020010db80002000000000000000000051400010020"
                + "010db8000200000000000000000005", AddressMessages.delete(Address.on(3, p("2001:db8:2::5/64")).build()));
    }

    /** {@code ip -4 addr show} and {@code ip -6 addr show}: the RTM_GETADDR dumps (24 bytes; ip's buffer beyond the length is not sent). */
    @Test
    void dumps() {
        assertDump("180000001600010300000000000000000200000000000000", AddressMessages.dump(IpAddress.Family.IPV4));
        assertDump("180000001600010300000000000000000a00000000000000", AddressMessages.dump(IpAddress.Family.IPV6));
    }

    private static List<Address> addresses(String resource) throws Exception {
        List<Address> out = new ArrayList<>();
        for (NetlinkMessage m : Golden.messages(resource)) {
            Address a = AddressMessages.parse(m);
            if (a != null) {
                out.add(a);
            }
        }
        return out;
    }

    @Test
    void decodesIpv4Addresses() throws Exception {
        List<Address> as = addresses("rtm_newaddr_ipv4.hex");
        assertEquals(3, as.size());
        Address first = as.get(0);
        assertEquals(p("10.1.0.5/24"), first.prefix());
        assertEquals(3, first.index());
        assertEquals(Scope.UNIVERSE, first.scope());
        assertEquals(IpAddress.parse("10.1.0.255"), first.get(AddressAttribute.BROADCAST));
        assertEquals(IpAddress.parse("10.1.0.5"), first.get(AddressAttribute.LOCAL));
        assertEquals("d1", first.get(AddressAttribute.LABEL));
        assertEquals(Address.IFA_F_PERMANENT, first.flags());
        assertEquals("d1:x", as.get(1).get(AddressAttribute.LABEL));
        Address secondary = as.get(2);
        assertEquals(p("10.1.1.6/24"), secondary.prefix());
        assertEquals(Address.IFA_F_PERMANENT | Address.IFA_F_SECONDARY, secondary.flags());
        assertEquals("d1:y", secondary.get(AddressAttribute.LABEL));
    }

    @Test
    void decodesTentativeAndFailedIpv6Addresses() throws Exception {
        List<Address> as = addresses("rtm_newaddr_dadfailed.hex");
        assertEquals(5, as.size());
        Address c = as.get(0);
        assertEquals(p("2001:db8:c::1/64"), c.prefix());
        assertEquals(10, c.index());
        assertTrue(c.isTentative());
        assertFalse(c.dadFailed());
        Address d = as.get(1);
        assertEquals(p("2001:db8:d::1/64"), d.prefix());
        assertFalse(d.isTentative());
        assertEquals(Address.IFA_F_PERMANENT, d.flags());
        Address f = as.get(3);
        assertEquals(p("2001:db8:f::1/64"), f.prefix());
        assertTrue(f.dadFailed());
        assertTrue(f.isTentative(), "the kernel keeps a failed address tentative");
        Address linkLocal = as.get(4);
        assertEquals(Scope.LINK, linkLocal.scope());
        assertEquals(p("fe80::f4ef:9bff:fe68:6dd3/64"), linkLocal.prefix());
        assertNull(linkLocal.get(AddressAttribute.LOCAL), "IPv6 carries its address in IFA_ADDRESS");
    }

    @Test
    void flagsAboveEightBitsComeFromIfaFlags() throws Exception {
        byte[] wire = AddressMessages.add(Address.on(3, p("2001:db8:1::5/64")).flags(Address.IFA_F_NOPREFIXROUTE | Address.IFA_F_NODAD).build())
                .build(1, 0);
        Address a = AddressMessages.parse(new NetlinkMessage(AddressMessages.RTM_NEWADDR, 0, 1, 0,
                java.util.Arrays.copyOfRange(wire, 16, wire.length)));
        assertEquals(Address.IFA_F_NOPREFIXROUTE | Address.IFA_F_NODAD, a.flags());
        assertEquals(p("2001:db8:1::5/64"), a.prefix());
    }

    @Test
    void anExplicitBroadcastWins() throws Exception {
        byte[] wire = AddressMessages.add(Address.on(3, p("10.9.0.1/16")).set(AddressAttribute.BROADCAST, IpAddress.parse("10.9.0.255")).build())
                .build(1, 0);
        Address a = AddressMessages.parse(new NetlinkMessage(AddressMessages.RTM_NEWADDR, 0, 1, 0,
                java.util.Arrays.copyOfRange(wire, 16, wire.length)));
        assertEquals(IpAddress.parse("10.9.0.255"), a.get(AddressAttribute.BROADCAST));
    }
}
