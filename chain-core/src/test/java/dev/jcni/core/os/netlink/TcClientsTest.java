package dev.jcni.core.os.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.ExistsException;
import dev.jcni.core.os.NotFoundException;
import dev.jcni.core.os.OsException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The tc clients' protocol against a scripted kernel: errors, lookups, interrupted dumps. */
class TcClientsTest {
    private static final Psched CLOCK = Psched.standard();
    private final FakeTransport kernel = new FakeTransport();
    private final RtNetlink nl = new RtNetlink(kernel, 1);

    /** An NLMSG_ERROR with an extended-ACK text, as the kernel sends with NETLINK_CAP_ACK and NETLINK_EXT_ACK. */
    static byte[] error(int errno, String text) {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(NetlinkConstants.NLMSG_ERROR, 0)
                .u32(-errno).bytes(new byte[16])
                .attrString(NetlinkConstants.NLMSGERR_ATTR_MSG, text);
        return b.build(FakeTransport.SEQ, NetlinkConstants.NLM_F_CAPPED | NetlinkConstants.NLM_F_ACK_TLVS);
    }

    private static byte[] qdiscReply(Qdisc q, int flags) {
        return TcMessages.newQdisc(q, 0, CLOCK).build(FakeTransport.SEQ, flags);
    }

    @Test
    void refusalNamesTheDeviceAndCarriesTheKernelsText() {
        kernel.answer(error(Errno.EEXIST, "Exclusivity flag on, cannot modify"))
                .answer(FakeTransport.link(7, "veth1234", 0), FakeTransport.ack(0));
        ExistsException e = assertThrows(ExistsException.class,
                () -> new Qdiscs(nl, CLOCK).add(Qdisc.root(7, 1, QdiscTbf.options(1000, 100, 200))));
        assertEquals("RTM_NEWQDISC add tbf 1: root on veth1234: File exists (EEXIST): Exclusivity flag on, cannot modify",
                e.getMessage());
        assertEquals("RTM_NEWQDISC add tbf 1: root on veth1234", e.operation());
    }

    @Test
    void refusalOnAVanishedDeviceKeepsTheIndex() {
        kernel.answer(error(Errno.ENODEV, "")).answer(error(Errno.ENODEV, ""));
        NotFoundException e = assertThrows(NotFoundException.class,
                () -> new Filters(nl, CLOCK).deletePriority(9, TcHandle.INGRESS_QDISC, 1, Filter.ETH_P_ALL));
        assertEquals("RTM_DELTFILTER parent ffff: protocol all prio 1 on index 9", e.operation());
    }

    @Test
    void getAsksForOneQdisc() throws Exception {
        Qdisc ingress = QdiscIngress.ingress(3);
        kernel.answer(qdiscReply(ingress, 0), FakeTransport.ack(0));
        assertEquals(ingress, new Qdiscs(nl, CLOCK).get(3, TcHandle.INGRESS));
        byte[] sent = kernel.sent.get(0);
        assertEquals(TcMessages.RTM_GETQDISC, HostOrder.u16(sent, 4));
        assertEquals(NetlinkConstants.NLM_F_REQUEST | NetlinkConstants.NLM_F_ACK | NetlinkConstants.NLM_F_ECHO,
                HostOrder.u16(sent, 6), "without NLM_F_ECHO the kernel sends the answer only to multicast listeners");
        assertEquals(3, HostOrder.i32(sent, 20));
        assertEquals(TcHandle.INGRESS.value(), HostOrder.i32(sent, 28));
    }

    @Test
    void getWithoutAQdiscInTheReplyIsAProtocolError() {
        kernel.answer(FakeTransport.ack(0));
        OsException e = assertThrows(OsException.class, () -> new Qdiscs(nl, CLOCK).get(3, TcHandle.ROOT));
        assertEquals(Errno.EPROTO, e.errno());
    }

    @Test
    void interruptedDumpsAreRedone() throws Exception {
        Qdisc before = Qdisc.root(3, 1, QdiscFifo.packets(10));
        Qdisc after = Qdisc.root(3, 2, QdiscFifo.packets(20));
        int multi = NetlinkConstants.NLM_F_MULTI;
        kernel.answer(qdiscReply(before, multi | NetlinkConstants.NLM_F_DUMP_INTR), FakeTransport.done(0))
                .answer(qdiscReply(after, multi), FakeTransport.done(0));
        assertEquals(List.of(after), new Qdiscs(nl, CLOCK).list(3));
        assertEquals(2, kernel.sent.size());
    }

    @Test
    void classesOfOtherDevicesAreLeftOut() throws Exception {
        TcClass mine = new TcClass(4, TcHandle.of(1, 1), TcHandle.ROOT, QdiscHtbClass.options(1000, 1000, 100, 1500));
        TcClass other = new TcClass(5, TcHandle.of(1, 1), TcHandle.ROOT, QdiscHtbClass.options(1000, 1000, 100, 1500));
        int multi = NetlinkConstants.NLM_F_MULTI;
        kernel.answer(TcMessages.newClass(mine, 0, CLOCK).build(FakeTransport.SEQ, multi),
                TcMessages.newClass(other, 0, CLOCK).build(FakeTransport.SEQ, multi), FakeTransport.done(0));
        List<TcClass> got = new TcClasses(nl, CLOCK).list(4);
        assertEquals(1, got.size());
        assertEquals(List.of(), mine.differences(got.get(0), CLOCK));
    }

    @Test
    void aFilterWithoutHandleCannotBeDeletedAlone() {
        Filter noHandle = new Filter(3, TcHandle.INGRESS_QDISC, 1, Filter.ETH_P_ALL, 0, TcOptions.of(FilterU32.KIND));
        assertThrows(IllegalArgumentException.class, () -> new Filters(nl, CLOCK).delete(noHandle));
        assertEquals(0, kernel.sent.size(), "nothing sent");
    }

    @Test
    void invalidOptionsAreRefusedBeforeAnythingIsSent() {
        Filter noSelector = new Filter(3, TcHandle.INGRESS_QDISC, 1, Filter.ETH_P_ALL, 0, TcOptions.of(FilterU32.KIND));
        assertEquals("u32 needs match", assertThrows(IllegalArgumentException.class,
                () -> new Filters(nl, CLOCK).add(noSelector)).getMessage());
        assertEquals(0, kernel.sent.size());
    }
}
