package dev.jcni.core.os.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.internal.Native;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Messages and real descriptors over socketpair(AF_UNIX, SOCK_SEQPACKET). No root needed. */
class SeqpacketSocketTest {
    private static final long O_CLOEXEC_OCTAL_FLAG = 02000000L;

    @TempDir
    Path tmp;

    private SeqpacketSocket a;
    private SeqpacketSocket b;
    private final List<Descriptor> opened = new ArrayList<>();

    @BeforeEach
    void pair() throws Exception {
        SeqpacketSocket[] p = SeqpacketSocket.pair();
        a = p[0];
        b = p[1];
    }

    @AfterEach
    void closeAll() {
        a.close();
        b.close();
        for (Descriptor d : opened) {
            d.close();
        }
    }

    @Test
    void eachSendIsOneMessageWithItsBoundaries() throws Exception {
        a.send("first".getBytes(StandardCharsets.US_ASCII));
        a.send("second message".getBytes(StandardCharsets.US_ASCII));
        assertEquals("first", text(b.receive(1024, 2)));
        assertEquals("second message", text(b.receive(1024, 2)));
    }

    @Test
    void passedDescriptorsArriveInOrderCloseOnExecAndNameTheSameFiles() throws Exception {
        Path one = Files.writeString(tmp.resolve("one"), "content of one");
        Path two = Files.writeString(tmp.resolve("two"), "content of two");
        Descriptor d1 = open(one.toString());
        Descriptor d2 = open(two.toString());
        a.send("hello".getBytes(StandardCharsets.US_ASCII), 5, List.of(d1, d2));
        ReceivedMessage m = b.receive(1024, 8);
        try {
            assertEquals("hello", text(m));
            assertEquals(2, m.descriptors().size());
            assertFalse(m.controlTruncated());
            assertEquals("content of one", readThrough(m.descriptors().get(0)));
            assertEquals("content of two", readThrough(m.descriptors().get(1)));
            for (Descriptor d : m.descriptors()) {
                assertTrue((fdFlags(d) & O_CLOEXEC_OCTAL_FLAG) != 0, "received descriptors are close-on-exec");
            }
            // The receiver's copies are new descriptors: the sender's stay open and its own.
            assertTrue(d1.number() != m.descriptors().get(0).number());
        } finally {
            m.closeDescriptors();
        }
        assertFalse(m.descriptors().get(0).isOpen());
        assertTrue(d1.isOpen());
    }

    @Test
    void moreDescriptorsThanRoomAreCutAndReportedAsTruncatedControl() throws Exception {
        Path f = Files.writeString(tmp.resolve("f"), "x");
        List<Descriptor> four = List.of(open(f.toString()), open(f.toString()), open(f.toString()), open(f.toString()));
        a.send(new byte[] {1}, 1, four);
        ReceivedMessage m = b.receive(16, 2);
        try {
            assertEquals(2, m.descriptors().size());
            assertTrue(m.controlTruncated());
        } finally {
            m.closeDescriptors();
        }
    }

    @Test
    void aLongerMessageThanTheBufferIsCutAndSaysSo() throws Exception {
        byte[] hundred = new byte[100];
        for (int i = 0; i < hundred.length; i++) {
            hundred[i] = (byte) i;
        }
        a.send(hundred);
        a.send(new byte[] {42});
        ReceivedMessage m = b.receive(10, 0);
        assertTrue(m.truncated());
        assertArrayEquals(new byte[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, m.data());
        // The rest of the long message is gone; the next message is intact.
        ReceivedMessage next = b.receive(10, 0);
        assertFalse(next.truncated());
        assertArrayEquals(new byte[] {42}, next.data());
    }

    @Test
    void aMessageOfExactlyTheBufferSizeIsNotTruncated() throws Exception {
        a.send(new byte[65536]);
        ReceivedMessage m = b.receive(65536, 2);
        assertEquals(65536, m.data().length);
        assertFalse(m.truncated());
    }

    @Test
    void receiveTimesOutWithEagain() throws Exception {
        b.receiveTimeout(Duration.ofMillis(150));
        long start = System.nanoTime();
        OsException e = assertThrows(OsException.class, () -> b.receive(16, 2));
        long waited = (System.nanoTime() - start) / 1_000_000;
        assertEquals(Errno.EAGAIN, e.errno());
        assertTrue(SeqpacketSocket.timedOut(e));
        assertTrue(waited >= 100, "waited " + waited + " ms");
    }

    @Test
    void thePeerClosingIsAnEmptyMessage() throws Exception {
        a.close();
        ReceivedMessage m = b.receive(16, 2);
        assertTrue(m.endOfStream());
    }

    @Test
    void sendingToAClosedPeerIsEpipeNotASignal() throws Exception {
        b.close();
        OsException e = assertThrows(OsException.class, () -> a.send(new byte[] {1}));
        assertEquals(Errno.EPIPE, e.errno());
    }

    @Test
    void closingWithUnreadMessagesResetsThePeerUnlessTheyAreDiscardedFirst() throws Exception {
        // Without discarding: the peer's receive fails although our answer is queued for it.
        a.send(new byte[] {1});
        b.send(new byte[] {2});
        b.close();
        OsException reset = assertThrows(OsException.class, () -> a.receive(16, 2));
        assertEquals(Errno.ECONNRESET, reset.errno());

        SeqpacketSocket[] p = SeqpacketSocket.pair();
        try (SeqpacketSocket client = p[0]; SeqpacketSocket server = p[1]) {
            Path f = Files.writeString(tmp.resolve("f"), "x");
            client.send(new byte[] {1}, 1, List.of(open(f.toString())));
            client.send(new byte[] {2});
            client.send(new byte[] {3});
            server.send(new byte[] {42});
            assertEquals(3, server.discardPending(64));
            assertEquals(0, server.discardPending(64), "nothing left, and no wait");
            server.close();
            assertArrayEquals(new byte[] {42}, client.receive(16, 2).data(), "the answer is read, not a reset");
        }
    }

    @Test
    void peerCredentialsAreThisProcesssOwn() throws Exception {
        PeerCredentials c = b.peer();
        assertEquals(ProcessHandle.current().pid(), c.pid());
        assertEquals(Native.geteuid(), c.uid());
    }

    @Test
    void addressesOverOneHundredAndSevenBytesDoNotFit() {
        assertTrue(SeqpacketSocket.fitsAddress("/" + "a".repeat(106)));
        assertFalse(SeqpacketSocket.fitsAddress("/" + "a".repeat(107)));
        assertFalse(SeqpacketSocket.fitsAddress("/tmp/a\0b"));
        assertFalse(SeqpacketSocket.fitsAddress(""));
        // Bytes, not characters: 54 two-byte characters are 108 bytes.
        assertFalse(SeqpacketSocket.fitsAddress("\u00e9".repeat(54)));
    }

    @Test
    void aClosedSocketRefusesUse() {
        a.close();
        a.close();
        assertThrows(IllegalStateException.class, () -> a.send(new byte[] {1}));
    }

    private Descriptor open(String path) throws OsException {
        Descriptor d = Descriptor.openReadOnly(path);
        opened.add(d);
        return d;
    }

    private static String text(ReceivedMessage m) {
        return new String(m.data(), StandardCharsets.US_ASCII);
    }

    private static String readThrough(Descriptor d) throws Exception {
        return Files.readString(Path.of("/proc/self/fd/" + d.number()));
    }

    private static long fdFlags(Descriptor d) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + d.number()))) {
            if (line.startsWith("flags:")) {
                return Long.parseLong(line.substring(6).trim(), 8);
            }
        }
        throw new AssertionError("no flags in fdinfo");
    }
}
