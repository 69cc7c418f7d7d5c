package dev.jcni.core.os.netlink;

import static dev.jcni.core.os.netlink.FakeTransport.ack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.OsException;
import org.junit.jupiter.api.Test;

/**
 * The tc clients' clock, their operation names in errors (root or parent, device name or index,
 * a whole-namespace dump without a device), and the requests of the verbs other tests leave out.
 */
class TcClientEdgesTest {
    /** A clock other than the standard one (a 1 GHz clock source, hz 250), so the system's cannot pass for it. */
    private static final Psched ODD_CLOCK = Psched.parse("000003e8 00000040 3b9aca00 000000fa");
    private final FakeTransport kernel = new FakeTransport();
    private final RtNetlink nl = new RtNetlink(kernel, 1);

    @Test
    void aGivenClockIsTheOneUsed() throws Exception {
        assertSame(ODD_CLOCK, new Qdiscs(nl, ODD_CLOCK).clock());
        assertSame(ODD_CLOCK, new TcClasses(nl, ODD_CLOCK).clock());
        assertSame(ODD_CLOCK, new Filters(nl, ODD_CLOCK).clock());
    }

    @Test
    void withoutOneTheKernelsClockIsRead() throws Exception {
        Psched system = new Qdiscs(nl).clock();
        assertNotNull(system);
        assertSame(system, Psched.system(), "read once per process");
        // every kernel since 2.6.31: 64 ns per tick
        assertEquals(64, system.nanosPerTick());
    }

    @Test
    void deletingAQdiscNamesRootOrParent() {
        kernel.answer(ack(-Errno.EINVAL)).answer(ack(-Errno.ENODEV));
        OsException root = assertThrows(OsException.class,
                () -> new Qdiscs(nl, ODD_CLOCK).delete(Qdisc.root(3, 1, QdiscFifo.packets(10))));
        assertEquals("RTM_DELQDISC 1: root on index 3: Invalid argument (EINVAL)", root.getMessage());
        byte[] sent = kernel.sent.get(0);
        assertEquals(TcMessages.RTM_DELQDISC, HostOrder.u16(sent, 4));
        assertEquals(3, HostOrder.i32(sent, 20), "tcm_ifindex");
        assertEquals(0x10000, HostOrder.i32(sent, 24), "tcm_handle 1:");
        assertEquals(0xffffffff, HostOrder.i32(sent, 28), "tcm_parent root");

        kernel.answer(ack(-Errno.EINVAL)).answer(FakeTransport.link(3, "eth0", 0), ack(0));
        OsException leaf = assertThrows(OsException.class, () -> new Qdiscs(nl, ODD_CLOCK)
                .delete(new Qdisc(3, TcHandle.qdisc(0x30), TcHandle.of(1, 0x30), QdiscFifo.packets(10))));
        assertEquals("RTM_DELQDISC 30: parent 1:30 on eth0: Invalid argument (EINVAL)", leaf.getMessage());
    }

    @Test
    void getNamesRootOrParentWhenTheReplyHasNoQdisc() {
        kernel.answer(ack(0)).answer(ack(0));
        OsException root = assertThrows(OsException.class, () -> new Qdiscs(nl, ODD_CLOCK).get(3, TcHandle.ROOT));
        assertEquals("RTM_GETQDISC root on index 3: Protocol error (EPROTO): no RTM_NEWQDISC in the reply", root.getMessage());
        OsException ingress = assertThrows(OsException.class, () -> new Qdiscs(nl, ODD_CLOCK).get(3, TcHandle.INGRESS));
        assertEquals("RTM_GETQDISC parent ffff:fff1 on index 3: Protocol error (EPROTO): no RTM_NEWQDISC in the reply",
                ingress.getMessage());
    }

    @Test
    void aFailedDumpOfOneDeviceNamesIt() {
        kernel.answer(ack(-Errno.EPERM)).answer(FakeTransport.link(3, "eth0", 0), ack(0));
        OsException e = assertThrows(OsException.class, () -> new Qdiscs(nl, ODD_CLOCK).list(3));
        assertEquals("RTM_GETQDISC dump on eth0: Operation not permitted (EPERM)", e.getMessage());
    }

    @Test
    void aFailedDumpOfAVanishedDeviceKeepsTheIndex() {
        kernel.answer(ack(-Errno.EPERM)).answer(ack(-Errno.ENODEV));
        OsException e = assertThrows(OsException.class, () -> new Qdiscs(nl, ODD_CLOCK).list(3));
        assertEquals("RTM_GETQDISC dump on index 3: Operation not permitted (EPERM)", e.getMessage());
    }

    @Test
    void aFailedDumpOfTheNamespaceNamesNoDevice() {
        kernel.answer(ack(-Errno.EPERM));
        OsException e = assertThrows(OsException.class, () -> new Qdiscs(nl, ODD_CLOCK).list());
        assertEquals("RTM_GETQDISC dump: Operation not permitted (EPERM)", e.getMessage());
        assertEquals(1, kernel.sent.size(), "no device to look up");
    }

    @Test
    void changingAClassSendsNeitherCreateNorExcl() throws Exception {
        kernel.answer(ack(0));
        new TcClasses(nl, Psched.standard()).change(new TcClass(4, TcHandle.of(1, 0x30), TcHandle.of(1, 1),
                QdiscHtbClass.options(1_250_000, 2_500_000, 125_000, 1514)));
        byte[] sent = kernel.sent.get(0);
        assertEquals(TcMessages.RTM_NEWTCLASS, HostOrder.u16(sent, 4));
        assertEquals(NetlinkConstants.NLM_F_REQUEST | NetlinkConstants.NLM_F_ACK, HostOrder.u16(sent, 6));
        assertEquals(0x10030, HostOrder.i32(sent, 24), "tcm_handle 1:30");
    }

    @Test
    void handlesParseAsTcWritesThem() {
        assertEquals(TcHandle.of(0, 0x30), TcHandle.parse(":30"), "an empty major is 0");
        assertEquals(TcHandle.of(1, 0), TcHandle.parse("1:"));
        assertEquals(TcHandle.of(0xffff, 0xfff1), TcHandle.parse("ffff:fff1"));
        assertThrows(IllegalArgumentException.class, () -> TcHandle.parse("30"));
        assertThrows(IllegalArgumentException.class, () -> TcHandle.parse("1:2:3"));
    }
}
