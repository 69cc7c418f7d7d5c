package dev.jcni.core.os.netlink;

import static dev.jcni.core.os.netlink.FakeTransport.ack;
import static dev.jcni.core.os.netlink.FakeTransport.concat;
import static dev.jcni.core.os.netlink.FakeTransport.done;
import static dev.jcni.core.os.netlink.FakeTransport.link;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.net.MacAddress;
import dev.jcni.core.os.Errno;
import dev.jcni.core.os.InvalidArgumentException;
import dev.jcni.core.os.NotFoundException;
import dev.jcni.core.os.OsException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The request/ACK and dump protocol against a scripted kernel. */
class RtNetlinkTest {
    private static final int MULTI = NetlinkConstants.NLM_F_MULTI;
    private static final int INTR = NetlinkConstants.NLM_F_DUMP_INTR;

    private final FakeTransport kernel = new FakeTransport();
    private final RtNetlink nl = new RtNetlink(kernel, 100);

    @Test
    void requestWaitsForAckAndSetsFlagsAndSeq() throws OsException {
        kernel.answer(ack(0));
        List<NetlinkMessage> replies = nl.request(LinkMessages.set(7, LinkAttribute.MTU, 9000), "set mtu");
        assertTrue(replies.isEmpty());
        byte[] sent = kernel.sent.get(0);
        assertEquals(NetlinkConstants.NLM_F_REQUEST | NetlinkConstants.NLM_F_ACK, HostOrder.u16(sent, 6));
        assertEquals(100, HostOrder.i32(sent, 8));
    }

    @Test
    void sequenceNumbersIncrease() throws OsException {
        kernel.answer(ack(0)).answer(ack(0));
        nl.request(LinkMessages.getByIndex(1), "a");
        nl.request(LinkMessages.getByIndex(1), "b");
        assertEquals(101, HostOrder.i32(kernel.sent.get(1), 8));
    }

    @Test
    void repliesBeforeTheAckAreReturned() throws OsException {
        kernel.answer(link(3, "eth0", 0), ack(0));
        LinkInfo l = new Links(nl).byName("eth0");
        assertEquals(3, l.index());
        assertEquals("eth0", l.name());
    }

    @Test
    void replyAndAckInOneDatagram() throws OsException {
        kernel.answer(concat(link(3, "eth0", 0), ack(0)));
        assertEquals(1, nl.request(LinkMessages.getByName("eth0"), "get").size());
    }

    @Test
    void staleSequenceNumbersAreSkipped() throws OsException {
        byte[] stale = FakeTransport.msg(NetlinkConstants.NLMSG_ERROR, 0, 99, new byte[] {(byte) 0xea, -1, -1, -1});
        kernel.answer(stale, link(4, "eth1", 0), ack(0));
        assertEquals("eth1", new Links(nl).byIndex(4).name());
    }

    @Test
    void kernelErrorBecomesTypedExceptionWithExtAck() {
        // Captured from kernel 6.18: RTM_NEWLINK IFLA_MTU 70000 on a veth, seq 42, NETLINK_CAP_ACK + NETLINK_EXT_ACK.
        byte[] real = Hex.parse("48000000020000032a000000431b0000eaffffff28000000100005002a00000000000000"
                + "240001006d74752067726561746572207468616e20646576696365206d6178696d756d00");
        HostOrder.putI32(real, 8, FakeTransport.SEQ);
        kernel.answer(real);
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                () -> nl.request(LinkMessages.set(5, LinkAttribute.MTU, 70000), "RTM_NEWLINK set mtu 70000 on index 5"));
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals("RTM_NEWLINK set mtu 70000 on index 5: Invalid argument (EINVAL): mtu greater than device maximum",
                e.getMessage());
    }

    @Test
    void missingLinkIsNotFound() {
        kernel.answer(ack(-Errno.ENODEV));
        NotFoundException e = assertThrows(NotFoundException.class, () -> new Links(nl).byName("nope0"));
        assertEquals("RTM_GETLINK nope0: No such device (ENODEV)", e.getMessage());
    }

    @Test
    void setterFailureIsRenamedWithTheLinkName() {
        kernel.answer(ack(-Errno.EINVAL)).answer(link(5, "eth0", 0), ack(0));
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> new Links(nl).set(5, LinkAttribute.MTU, 70000));
        assertEquals("RTM_NEWLINK set mtu 70000 on eth0: Invalid argument (EINVAL)", e.getMessage());
    }

    @Test
    void setMacSendsTheSixAddressBytes() throws Exception {
        kernel.answer(ack(0));
        new Links(nl).set(5, LinkAttribute.MAC, MacAddress.parse("02-42-AC-11-00-02"));
        byte[] sent = kernel.sent.get(0);
        // nlmsghdr (16) + ifinfomsg (16), then IFLA_ADDRESS: length 10, type 1, the bytes.
        assertEquals("0a000100" + "0242ac110002", Hex.format(sent).substring(64, 84));
    }

    @Test
    void aRefusedMacIsNamedInTheError() throws Exception {
        kernel.answer(ack(-Errno.EINVAL)).answer(link(5, "eth0", 0), ack(0));
        OsException e = assertThrows(OsException.class,
                () -> new Links(nl).set(5, LinkAttribute.MAC, MacAddress.parse("01:00:5e:00:00:01")));
        assertTrue(e.getMessage().startsWith("RTM_NEWLINK set mac 01:00:5e:00:00:01 on eth0: "), e.getMessage());
    }

    @Test
    void uncappedErrorSkipsTheEchoedRequest() throws OsException {
        // Without NETLINK_CAP_ACK the whole request (here 24 bytes) is echoed before the TLVs.
        byte[] echoed = new byte[24];
        HostOrder.putI32(echoed, 0, 24);
        byte[] tlv = new NetlinkMessageBuilder(0, 0).attrString(NetlinkConstants.NLMSGERR_ATTR_MSG, "boom").build(0, 0);
        byte[] payload = concat(new byte[] {(byte) 0xef, -1, -1, -1}, echoed, java.util.Arrays.copyOfRange(tlv, 16, tlv.length));
        kernel.answer(FakeTransport.msg(NetlinkConstants.NLMSG_ERROR, NetlinkConstants.NLM_F_ACK_TLVS, FakeTransport.SEQ, payload));
        OsException e = assertThrows(OsException.class, () -> nl.request(LinkMessages.getByIndex(1), "op"));
        assertEquals(17, e.errno());
        assertEquals("op: File exists (EEXIST): boom", e.getMessage());
    }

    @Test
    void errorWithoutTlvsHasNoDetail() {
        NetlinkMessage m = new NetlinkMessage(NetlinkConstants.NLMSG_ERROR, 0, 1, 0, new byte[20]);
        assertNull(m.extAckMessage());
    }

    @Test
    void dumpCollectsPartsAcrossDatagrams() throws OsException {
        kernel.answer(concat(link(1, "lo", MULTI), link(2, "eth0", MULTI)), concat(link(3, "eth1", MULTI), done(0)));
        List<LinkInfo> links = new Links(nl).list();
        assertEquals(3, links.size());
        assertEquals("eth1", links.get(2).name());
        assertEquals(NetlinkConstants.NLM_F_REQUEST | NetlinkConstants.NLM_F_DUMP, HostOrder.u16(kernel.sent.get(0), 6));
    }

    @Test
    void interruptedDumpIsRetried() throws OsException {
        kernel.answer(link(1, "lo", MULTI | INTR), done(INTR))
                .answer(link(1, "lo", MULTI), link(2, "eth0", MULTI | INTR), done(0))
                .answer(link(1, "lo", MULTI), link(2, "eth0", MULTI), done(0));
        List<LinkInfo> links = new Links(nl).list();
        assertEquals(2, links.size());
        assertEquals(3, kernel.sent.size());
    }

    @Test
    void dumpInterruptedFiveTimesFails() {
        for (int i = 0; i < RtNetlink.DUMP_ATTEMPTS; i++) {
            kernel.answer(link(1, "lo", MULTI | INTR), done(INTR));
        }
        OsException e = assertThrows(OsException.class, () -> new Links(nl).list());
        assertEquals(Errno.EINTR, e.errno());
        assertEquals(5, kernel.sent.size());
        assertTrue(e.getMessage().contains("interrupted"), e.getMessage());
    }

    @Test
    void dumpDoneWithErrorFails() {
        byte[] doneErr = FakeTransport.msg(NetlinkConstants.NLMSG_DONE, MULTI, FakeTransport.SEQ,
                new byte[] {(byte) 0xf4, -1, -1, -1}); // -ENOMEM
        kernel.answer(link(1, "lo", MULTI), doneErr);
        OsException e = assertThrows(OsException.class, () -> new Links(nl).list());
        assertEquals(Errno.ENOMEM, e.errno());
    }

    @Test
    void dumpRejectedUpFrontFails() {
        kernel.answer(ack(-Errno.EOPNOTSUPP));
        OsException e = assertThrows(OsException.class, () -> new Links(nl).list());
        assertEquals(Errno.EOPNOTSUPP, e.errno());
    }

    @Test
    void truncatedDatagramIsAProtocolError() {
        byte[] bad = link(1, "lo", 0);
        HostOrder.putI32(bad, 0, 4000);
        kernel.answer(bad);
        OsException e = assertThrows(OsException.class, () -> nl.request(LinkMessages.getByIndex(1), "get"));
        assertEquals(Errno.EPROTO, e.errno());
    }

    @Test
    void closeIsIdempotentAndFinal() {
        nl.close();
        nl.close();
        assertTrue(kernel.closed);
        assertThrows(IllegalStateException.class, () -> nl.request(LinkMessages.getByIndex(1), "get"));
    }
}
