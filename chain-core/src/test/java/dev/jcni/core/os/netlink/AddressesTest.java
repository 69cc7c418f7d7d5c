package dev.jcni.core.os.netlink;

import static dev.jcni.core.os.netlink.FakeTransport.ack;
import static dev.jcni.core.os.netlink.FakeTransport.done;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.net.IpPrefix;
import dev.jcni.core.os.Errno;
import dev.jcni.core.os.ExistsException;
import dev.jcni.core.os.NotFoundException;
import dev.jcni.core.os.OsException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Addresses' own logic (settling, filtering, errors) against a scripted kernel. */
class AddressesTest {
    private static final int RUNNING = LinkInfo.IFF_UP | LinkInfo.IFF_RUNNING | LinkInfo.IFF_LOWER_UP;

    private final FakeTransport kernel = new FakeTransport();
    private final FakePacing pacing = new FakePacing();
    private final Addresses addresses = new Addresses(new RtNetlink(kernel, 1), pacing);

    private static byte[] address(int index, String prefix, int flags) throws Exception {
        IpPrefix p = IpPrefix.parse(prefix);
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(AddressMessages.RTM_NEWADDR, 0)
                .u8(p.family() == IpAddress.Family.IPV4 ? 2 : 10).u8(p.length()).u8(flags & 0xff).u8(0).u32(index);
        AddressAttribute.ADDRESS.encode(b, p.address());
        b.attrU32(AddressAttribute.IFA_FLAGS, flags);
        return b.build(FakeTransport.SEQ, NetlinkConstants.NLM_F_MULTI);
    }

    private static byte[] link(int flags) {
        return LinkMessages.ifinfo(new NetlinkMessageBuilder(LinkMessages.RTM_NEWLINK, 0), 0, 3, flags, 0)
                .attrString(LinkMessages.IFLA_IFNAME, "eth0").build(FakeTransport.SEQ, 0);
    }

    private void linkAnswer(int flags) {
        kernel.answer(link(flags), ack(0));
    }

    @Test
    void waitsUntilNoAddressIsTentative() throws Exception {
        linkAnswer(RUNNING);
        kernel.answer(address(3, "2001:db8::1/64", Address.IFA_F_TENTATIVE), address(3, "fe80::1/64", 0x80), done(0));
        linkAnswer(RUNNING);
        kernel.answer(address(3, "2001:db8::1/64", Address.IFA_F_TENTATIVE), done(0));
        linkAnswer(RUNNING);
        kernel.answer(address(3, "2001:db8::1/64", 0x80), address(7, "2001:db8:9::1/64", Address.IFA_F_TENTATIVE), done(0));
        addresses.awaitSettled(3, Duration.ofSeconds(5));
        assertEquals(List.of(5L, 10L), pacing.pauses, "two paced polls; another link's tentative address does not count");
    }

    @Test
    void aFailedDetectionIsAnErrorNamingTheAddress() throws Exception {
        linkAnswer(RUNNING);
        kernel.answer(address(3, "2001:db8::1/64", Address.IFA_F_TENTATIVE | Address.IFA_F_DADFAILED), done(0));
        OsException e = assertThrows(OsException.class, () -> addresses.awaitSettled(3, Duration.ofSeconds(5)));
        assertEquals(Errno.EADDRINUSE, e.errno());
        assertEquals("settle IPv6 addresses on eth0: Address already in use (EADDRINUSE): 2001:db8::1/64 failed duplicate "
                + "address detection: another host has it", e.getMessage());
    }

    @Test
    void stillTentativeOnARunningLinkTimesOut() throws Exception {
        for (int i = 0; i < 40; i++) {
            linkAnswer(RUNNING);
            kernel.answer(address(3, "2001:db8::1/64", Address.IFA_F_TENTATIVE), done(0));
        }
        OsException e = assertThrows(OsException.class, () -> addresses.awaitSettled(3, Duration.ofMillis(200)));
        assertEquals(Errno.ETIMEDOUT, e.errno());
        assertTrue(e.getMessage().endsWith("2001:db8::1/64 is still tentative after 200 ms"), e.getMessage());
        assertEquals(200, pacing.sleptMillis());
    }

    @Test
    void stillTentativeWithoutCarrierIsNoError() throws Exception {
        // The reference returns when the link is not up at the deadline: DAD cannot progress.
        for (int i = 0; i < 40; i++) {
            linkAnswer(LinkInfo.IFF_UP);
            kernel.answer(address(3, "2001:db8::1/64", Address.IFA_F_TENTATIVE), done(0));
        }
        addresses.awaitSettled(3, Duration.ofMillis(200));
        assertEquals(200, pacing.sleptMillis());
    }

    @Test
    void anAdministrativelyDownLinkReturnsAtOnce() throws Exception {
        linkAnswer(0);
        kernel.answer(address(3, "2001:db8::1/64", Address.IFA_F_TENTATIVE), done(0));
        addresses.awaitSettled(3, Duration.ofSeconds(5));
        assertTrue(pacing.pauses.isEmpty(), "detection waits for whoever brings the link up");
    }

    @Test
    void listFiltersByLinkAndFamily() throws Exception {
        kernel.answer(address(3, "10.0.0.1/24", 0x80), address(4, "10.0.1.1/24", 0x80), address(3, "10.0.2.1/24", 0x80), done(0));
        List<Address> as = addresses.list(3, IpAddress.Family.IPV4);
        assertEquals(2, as.size());
        assertEquals(IpPrefix.parse("10.0.2.1/24"), as.get(1).prefix());
        assertEquals(2, HostOrder.u16(kernel.sent.get(0), 16) & 0xff, "AF_INET dump");
    }

    @Test
    void anInterruptedDumpIsRedone() throws Exception {
        int intr = NetlinkConstants.NLM_F_DUMP_INTR;
        byte[] interrupted = address(3, "10.0.0.1/24", 0x80);
        HostOrder.putU16(interrupted, 6, NetlinkConstants.NLM_F_MULTI | intr);
        kernel.answer(interrupted, done(intr)).answer(address(3, "10.0.0.2/24", 0x80), done(0));
        List<Address> as = addresses.list(3, null);
        assertEquals(1, as.size());
        assertEquals(IpPrefix.parse("10.0.0.2/24"), as.get(0).prefix(), "the redone dump's answer, not the interrupted one's");
        assertEquals(2, kernel.sent.size());
    }

    @Test
    void deletingAMissingAddressIsNotFoundNamingTheLink() throws Exception {
        kernel.answer(ack(-Errno.EADDRNOTAVAIL)).answer(link(RUNNING), ack(0));
        NotFoundException e = assertThrows(NotFoundException.class, () -> addresses.delete(3, IpPrefix.parse("10.0.0.9/24")));
        assertEquals(Errno.EADDRNOTAVAIL, e.errno());
        assertEquals("RTM_DELADDR 10.0.0.9/24 on eth0: Cannot assign requested address (EADDRNOTAVAIL)", e.getMessage());
    }

    @Test
    void addingAnExistingAddressIsExists() throws Exception {
        kernel.answer(ack(-Errno.EEXIST)).answer(link(RUNNING), ack(0));
        ExistsException e = assertThrows(ExistsException.class, () -> addresses.add(3, IpPrefix.parse("10.0.0.9/24")));
        assertEquals("RTM_NEWADDR 10.0.0.9/24 on eth0: File exists (EEXIST)", e.getMessage());
    }
}
