package dev.jcni.core.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** HELLO byte for byte, and every way a HELLO can be wrong: a ProtocolException with its reason, nothing else. */
class HelloCodecTest {
    private static String hex(String s) {
        return HexFormat.of().formatHex(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void encodesAPluginRequestExactlyAsThePageSays() {
        Hello h = new Hello(Wire.KIND_PLUGIN, "0123456789abcdef", "tuning", List.of("tuning"),
                List.of("CNI_COMMAND=ADD", "A=b=c", "NOEQUALS"), Wire.FLAG_SANDBOX, 0x1_0000_0002L);
        String expected = "4a434e49" + "0001" + "0001"
                + "00000010" + hex("0123456789abcdef")
                + "00000006" + hex("tuning")
                + "00000001" + "00000006" + hex("tuning")
                + "00000003"
                + "0000000f" + hex("CNI_COMMAND=ADD")
                + "00000005" + hex("A=b=c")
                + "00000008" + hex("NOEQUALS")
                + "00000001"
                + "00000001" + "00000002";
        assertEquals(expected, HexFormat.of().formatHex(h.encode()));
    }

    @Test
    void decodesWhatItEncodesFieldForField() throws Exception {
        Hello h = new Hello(Wire.KIND_PLUGIN, "fedcba9876543210", "host-local", List.of("/opt/cni/bin/host-local", "x"),
                List.of("CNI_ARGS=IP=10.0.0.1;K=V", "EMPTY=", "=startsWithEquals", "caf\u00e9=cr\u00e8me"),
                Wire.FLAG_SANDBOX | Wire.FLAG_STDIN_TRUNCATED, Wire.MAX_STDIN);
        Hello back = Hello.decode(h.encode());
        assertEquals(h, back);
        assertEquals(2, back.expectedDescriptors());
    }

    @Test
    void aControlRequestCarriesNoDescriptorsAndAPluginRequestAtLeastOne() throws Exception {
        assertEquals(0, new Hello(Wire.KIND_CONTROL, "", "status", List.of(), List.of(), 0, 0).expectedDescriptors());
        assertEquals(1, new Hello(Wire.KIND_PLUGIN, "", "tuning", List.of(), List.of(), 0, 0).expectedDescriptors());
    }

    @Test
    void malformedUtf8InTheEnvironmentBecomesReplacementCharactersAsTheJvmReadsIt() throws Exception {
        byte[] good = new Hello(Wire.KIND_PLUGIN, "0123456789abcdef", "t", List.of(), List.of("V=ab"), 0, 0).encode();
        // Replace "ab" by 0xff 0xfe: not UTF-8.
        int at = indexOf(good, "V=ab".getBytes(StandardCharsets.US_ASCII)) + 2;
        good[at] = (byte) 0xff;
        good[at + 1] = (byte) 0xfe;
        assertEquals("V=\ufffd\ufffd", Hello.decode(good).environment().get(0));
    }

    @Test
    void everyMalformedHelloIsAProtocolExceptionWithItsReason() {
        byte[] good = sample().encode();
        List<Object[]> cases = new ArrayList<>();
        cases.add(new Object[] {"empty", new byte[0], Wire.DECLINED_MALFORMED});
        cases.add(new Object[] {"short magic", new byte[] {0x4a, 0x43}, Wire.DECLINED_MALFORMED});
        cases.add(new Object[] {"bad magic", patch(good, 0, "4a434e48"), Wire.DECLINED_MALFORMED});
        cases.add(new Object[] {"version 2", patch(good, 4, "0002"), Wire.DECLINED_VERSION});
        cases.add(new Object[] {"version 0", patch(good, 4, "0000"), Wire.DECLINED_VERSION});
        cases.add(new Object[] {"kind 3", patch(good, 6, "0003"), Wire.DECLINED_MALFORMED});
        cases.add(new Object[] {"kind 0", patch(good, 6, "0000"), Wire.DECLINED_MALFORMED});
        cases.add(new Object[] {"build longer than the message", patch(good, 8, "7fffffff"), Wire.DECLINED_MALFORMED});
        cases.add(new Object[] {"build length 2^32-1", patch(good, 8, "ffffffff"), Wire.DECLINED_MALFORMED});
        cases.add(new Object[] {"cut in the middle", java.util.Arrays.copyOf(good, good.length / 2), Wire.DECLINED_MALFORMED});
        cases.add(new Object[] {"one byte short", java.util.Arrays.copyOf(good, good.length - 1), Wire.DECLINED_MALFORMED});
        cases.add(new Object[] {"trailing byte", java.util.Arrays.copyOf(good, good.length + 1), Wire.DECLINED_MALFORMED});
        cases.add(new Object[] {"oversize", new byte[Wire.MAX_MESSAGE + 1], Wire.DECLINED_MALFORMED});
        // From the end (see sample()): stdinLength 8, flags 4, "A=1" 3, its length 4, then envc.
        int envCount = good.length - 23;
        cases.add(new Object[] {"envc beyond the message", patch(good, envCount, "00000100"), Wire.DECLINED_MALFORMED});
        cases.add(new Object[] {"envc over 4096", patch(good, envCount, "00001001"), Wire.DECLINED_MALFORMED});
        cases.add(new Object[] {"envc 0 leaves bytes over", patch(good, envCount, "00000000"), Wire.DECLINED_MALFORMED});
        int flags = good.length - 12;
        cases.add(new Object[] {"unknown flag", patch(good, flags, "00000004"), Wire.DECLINED_MALFORMED});
        cases.add(new Object[] {"high flag", patch(good, flags, "80000000"), Wire.DECLINED_MALFORMED});
        cases.add(new Object[] {"truncated flag with short stdin", patch(good, flags, "00000002"), Wire.DECLINED_MALFORMED});
        cases.add(new Object[] {"stdin over 16 MiB + 1", patch(good, good.length - 8, "0000000001000002"), Wire.DECLINED_MALFORMED});
        cases.add(new Object[] {"stdin with the top bit", patch(good, good.length - 8, "8000000000000000"), Wire.DECLINED_MALFORMED});
        for (Object[] c : cases) {
            ProtocolException e = assertThrows(ProtocolException.class, () -> Hello.decode((byte[]) c[1]), (String) c[0]);
            assertEquals(c[2], e.reason(), c[0] + ": " + e.getMessage());
        }
    }

    @Test
    void sixteenMebibytesAndOneIsTheLargestStdinAndCanBeMarkedTruncated() throws Exception {
        Hello h = new Hello(Wire.KIND_PLUGIN, "0123456789abcdef", "t", List.of(), List.of(), Wire.FLAG_STDIN_TRUNCATED, 16 * 1024 * 1024 + 1);
        assertEquals(16L * 1024 * 1024 + 1, Hello.decode(h.encode()).stdinLength());
    }

    @Test
    void fourThousandAndNinetySixEnvironmentEntriesAreAllowed() throws Exception {
        List<String> env = new ArrayList<>(Collections.nCopies(Wire.MAX_ENVIRONMENT, "A=1"));
        Hello h = new Hello(Wire.KIND_PLUGIN, "0123456789abcdef", "t", List.of(), env, 0, 0);
        assertEquals(Wire.MAX_ENVIRONMENT, Hello.decode(h.encode()).environment().size());
    }

    /** Seeded random garbage and random corruptions of a good HELLO: never anything but a ProtocolException. */
    @Test
    void garbageNeverEscapesAsAnotherException() {
        Random random = new Random(0x4a434e49L);
        byte[] good = sample().encode();
        for (int i = 0; i < 20_000; i++) {
            byte[] input;
            if (i % 2 == 0) {
                input = new byte[random.nextInt(200)];
                random.nextBytes(input);
                if (i % 4 == 0 && input.length >= 8) {
                    System.arraycopy(good, 0, input, 0, 8); // right magic and version, garbage after
                }
            } else {
                input = good.clone();
                int flips = 1 + random.nextInt(4);
                for (int f = 0; f < flips; f++) {
                    input[random.nextInt(input.length)] = (byte) random.nextInt(256);
                }
                if (random.nextBoolean()) {
                    input = java.util.Arrays.copyOf(input, random.nextInt(input.length + 8));
                }
            }
            try {
                Hello.decode(input);
            } catch (ProtocolException e) {
                assertTrue(e.reason() == Wire.DECLINED_MALFORMED || e.reason() == Wire.DECLINED_VERSION);
            } catch (RuntimeException | Error e) {
                fail("input " + HexFormat.of().formatHex(input) + " escaped as " + e);
            }
        }
    }

    private static Hello sample() {
        return new Hello(Wire.KIND_PLUGIN, "0123456789abcdef", "tuning", List.of("tuning"), List.of("A=1"), Wire.FLAG_SANDBOX, 1234);
    }

    private static byte[] patch(byte[] original, int offset, String hexBytes) {
        byte[] b = original.clone();
        byte[] p = HexFormat.of().parseHex(hexBytes);
        System.arraycopy(p, 0, b, offset, p.length);
        return b;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
