package dev.jcni.core.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class Sha512Test {
    @Test
    void knownVectors() {
        // FIPS 180-4 examples and sha512sum.
        assertEquals("cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
                + "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e", Sha512.hex(""));
        assertEquals("ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
                + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f", Sha512.hex("abc"));
        assertEquals("8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
                + "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909",
                Sha512.hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"));
    }

    @Test
    void agreesWithTheJdkAtEveryLengthAroundTheBlockBoundaries() throws Exception {
        Random random = new Random(20261130);
        MessageDigest md = MessageDigest.getInstance("SHA-512");
        for (int length = 0; length < 300; length++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < length; i++) {
                sb.append((char) ('!' + random.nextInt(94)));
            }
            String s = sb.toString() + (length % 7 == 0 ? "\u00e9\u0000" : "");
            assertEquals(HexFormat.of().formatHex(md.digest(s.getBytes(StandardCharsets.UTF_8))), Sha512.hex(s), "length " + length);
        }
    }
}
