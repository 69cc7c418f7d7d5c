package dev.jcni.core.daemon;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Replies byte for byte as docs/daemon-protocol.md lays them out, and read back. */
class ReplyCodecTest {
    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Test
    void acceptedIsTheHeaderAlone() throws Exception {
        assertEquals("4a434e49" + "0001" + "0001", hex(Reply.encodeAccepted()));
        assertEquals(Wire.ACCEPTED, Reply.decode(Reply.encodeAccepted()).type());
    }

    @Test
    void declinedCarriesReasonAndMessage() throws Exception {
        byte[] b = Reply.encodeDeclined(Wire.DECLINED_BUSY, "no worker free");
        assertEquals("4a434e49" + "0001" + "0002" + "0003" + "0000000e" + hex("no worker free".getBytes(StandardCharsets.UTF_8)), hex(b));
        Reply r = Reply.decode(b);
        assertEquals(Wire.DECLINED_BUSY, r.reason());
        assertEquals("no worker free", r.message());
    }

    @Test
    void resultCarriesExitCodeAndBothLengths() throws Exception {
        byte[] b = Reply.encodeResult(1, 0x1_0000_0000L, 7);
        assertEquals("4a434e49" + "0001" + "0003" + "00000001" + "0000000100000000" + "0000000000000007", hex(b));
        Reply r = Reply.decode(b);
        assertEquals(1, r.exitCode());
        assertEquals(0x1_0000_0000L, r.stdoutLength());
        assertEquals(7, r.stderrLength());
    }

    @Test
    void anExitCodeAbove2To31IsUnsigned() throws Exception {
        assertEquals(0xffffffffL, Reply.decode(Reply.encodeResult(-1, 0, 0)).exitCode());
    }

    @Test
    void dataIsTheRawBytesAfterTheHeader() throws Exception {
        byte[] payload = {0, 1, 2, (byte) 0xff};
        byte[] b = Reply.encodeData(payload, 1, 3);
        assertEquals("4a434e49" + "0001" + "0004" + "0102ff", hex(b));
        assertArrayEquals(new byte[] {1, 2, (byte) 0xff}, Reply.decode(b).data());
        assertEquals(Wire.MAX_MESSAGE, Reply.encodeData(new byte[Reply.MAX_DATA], 0, Reply.MAX_DATA).length);
        assertThrows(IllegalArgumentException.class, () -> Reply.encodeData(new byte[Reply.MAX_DATA + 1], 0, Reply.MAX_DATA + 1));
    }

    @Test
    void malformedRepliesAreProtocolExceptions() {
        String[] bad = {"", "4a434e", "4a434e480001" + "0001", "4a434e49" + "0001" + "0009", "4a434e49" + "0001" + "000100",
                "4a434e49" + "0001" + "0002" + "0003" + "000000ff" + "41", "4a434e49" + "0001" + "0003" + "00000001"};
        for (String h : bad) {
            assertThrows(ProtocolException.class, () -> Reply.decode(HexFormat.of().parseHex(h)), h);
        }
        ProtocolException version = assertThrows(ProtocolException.class,
                () -> Reply.decode(HexFormat.of().parseHex("4a434e49" + "0002" + "0001")));
        assertEquals(Wire.DECLINED_VERSION, version.reason());
    }

    @Test
    void garbageNeverEscapesAsAnotherException() {
        Random random = new Random(42);
        for (int i = 0; i < 20_000; i++) {
            byte[] input = new byte[random.nextInt(40)];
            random.nextBytes(input);
            if (input.length >= 8 && i % 2 == 0) {
                System.arraycopy(HexFormat.of().parseHex("4a434e490001"), 0, input, 0, 6);
                input[7] = (byte) (1 + random.nextInt(4));
                input[6] = 0;
            }
            try {
                Reply.decode(input);
            } catch (ProtocolException e) {
                // expected for most
            } catch (RuntimeException | Error e) {
                fail(HexFormat.of().formatHex(input) + " escaped as " + e);
            }
        }
    }

    @Test
    void theSocketPathIsTheVariableOrTheDefault() {
        assertEquals("/run/jcni/jcnid.sock", Wire.socketPath(null));
        assertEquals("/run/jcni/jcnid.sock", Wire.socketPath(""));
        assertEquals("/tmp/x.sock", Wire.socketPath("/tmp/x.sock"));
    }

    @Test
    void aBuildIdentityIsSixteenLowercaseHexDigits() {
        assertEquals(true, Wire.isBuildIdentity("0123456789abcdef"));
        assertEquals(false, Wire.isBuildIdentity("0123456789ABCDEF"));
        assertEquals(false, Wire.isBuildIdentity("0123456789abcde"));
        assertEquals(false, Wire.isBuildIdentity("0123456789abcdefa"));
        assertEquals(false, Wire.isBuildIdentity("0123456789abcdeg"));
    }
}
