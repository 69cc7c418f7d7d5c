package dev.jcni.core.os.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.os.OsException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The message builder's and readers' primitives, golden little-endian bytes (x86_64, aarch64):
 * every field width, padding, nesting, and reading each one back.
 */
class NetlinkCodecTest {
    @Test
    void everyFieldWidthIsWrittenInHostOrderAndAttributesArePadded() {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(0x1234, 0x0500);
        assertEquals(0x1234, b.type());
        assertEquals(0x0500, b.flags());
        assertSame(b, b.u8(0xab).u8(0xcd).u16(0xbeef).u32(0x01020304).bytes(new byte[] {9, 8, 7, 6}));
        assertSame(b, b.attrU8(1, 0x7f).attrU16(2, 0x1234).attrU64(3, 0x0102030405060708L).attrFlag(4));
        int nest = b.beginNested(5);
        assertSame(b, b.attrU32(6, 1).endNested(nest));
        assertEquals(Hex.format(Hex.parse(
                "48000000 3412 0005 07000000 00000000"     // len 72, type, flags, seq 7, pid 0
                + "ab cd efbe 04030201 09080706"            // u8 u8 u16 u32 bytes
                + "0500 0100 7f 000000"                     // attr 1: u8, 3 bytes padding
                + "0600 0200 3412 0000"                     // attr 2: u16, 2 bytes padding
                + "0c00 0300 0807060504030201"              // attr 3: u64
                + "0400 0400"                               // attr 4: flag, no payload
                + "0c00 0500 0800 0600 01000000")),         // attr 5 nested (the caller adds NLA_F_NESTED when wanted) holding attr 6
                Hex.format(b.build(7, 0)));
    }

    @Test
    void theBufferGrowsAsNeeded() {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(1, 0);
        byte[] big = new byte[5000];
        java.util.Arrays.fill(big, (byte) 0x5a);
        for (int i = 0; i < 3; i++) {
            b.u8(i).u16(i).u32(i).bytes(big);
        }
        byte[] wire = b.build(1, 0);
        assertEquals(16 + 3 * (7 + 5000), wire.length);
        assertEquals(16 + 3 * (7 + 5000), HostOrder.i32(wire, 0));
        assertEquals(2, wire[16 + 2 * 5007] & 0xff, "the last fields landed where they belong");
        assertEquals(0x5a, wire[wire.length - 1] & 0xff);
    }

    @Test
    void attributesReadBackWithTheirFlagsAndWidths() {
        NetlinkMessageBuilder b = new NetlinkMessageBuilder(1, 0);
        b.attrU8(1, 0xfe).attrU16(2, 0xfffe).attrU64(3, -2L).attrString(4, "eth0").attrFlag(5);
        int nest = b.beginNested(6);
        b.attrU32(7, 42).endNested(nest);
        byte[] wire = b.build(1, 0);
        AttributeReader r = new AttributeReader(wire, 16, wire.length);
        assertTrue(r.next());
        assertEquals(1, r.type());
        assertEquals(1, r.length());
        assertEquals(0xfe, r.u8());
        assertFalse(r.hasNestedFlag());
        assertTrue(r.next());
        assertEquals(0xfffe, r.u16());
        assertThrows(IllegalStateException.class, r::u32, "two bytes are no u32");
        assertTrue(r.next());
        assertEquals(-2L, r.u64());
        assertTrue(r.next());
        assertEquals("eth0", r.string());
        assertEquals(5, r.length(), "with its NUL");
        assertTrue(r.next());
        assertEquals(5, r.type());
        assertEquals(0, r.length());
        assertThrows(IllegalStateException.class, r::u8);
        assertTrue(r.next());
        assertEquals(6, r.type());
        AttributeReader inner = r.nested();
        assertTrue(inner.next());
        assertEquals(42, inner.u32());
        assertFalse(inner.next());
        assertFalse(r.next());
        assertThrows(IllegalStateException.class, new AttributeReader(wire, 16, wire.length)::u8, "next() first");
    }

    @Test
    void theNestedFlagIsNotPartOfTheType() {
        byte[] flagged = Hex.parse("0c00 0680 0800 0700 2a000000");  // attr 6 with NLA_F_NESTED, holding attr 7
        AttributeReader r = new AttributeReader(flagged, 0, flagged.length);
        assertTrue(r.next());
        assertEquals(6, r.type());
        assertTrue(r.hasNestedFlag());
        AttributeReader inner = r.nested();
        assertTrue(inner.next());
        assertEquals(7, inner.type());
        assertFalse(inner.hasNestedFlag());
        assertEquals(42, inner.u32());
    }

    @Test
    void aStringWithoutNulEndsWithItsAttributeAndTruncatedAttributesEndTheList() {
        byte[] noNul = Hex.parse("0800 0100 61626364");             // "abcd", exactly filling the payload
        AttributeReader r = new AttributeReader(noNul, 0, noNul.length);
        assertTrue(r.next());
        assertEquals("abcd", r.string());
        byte[] tooLong = Hex.parse("0900 0100 61626364");           // claims 9 bytes, 8 are there
        assertFalse(new AttributeReader(tooLong, 0, tooLong.length).next());
        byte[] tooShort = Hex.parse("0300 0100 61626364");          // shorter than its own header
        assertFalse(new AttributeReader(tooShort, 0, tooShort.length).next());
        byte[] headerOnly = Hex.parse("0400 0200");                 // an empty attribute at the very end
        AttributeReader h = new AttributeReader(headerOnly, 0, headerOnly.length);
        assertTrue(h.next());
        assertEquals(2, h.type());
        assertFalse(new AttributeReader(Hex.parse("0400 02"), 0, 3).next(), "not even a header");
    }

    @Test
    void messagesAreSplitAtTheirLengthsAndAMalformedLengthIsAnError() throws Exception {
        byte[] two = Hex.parse("14000000 1000 0200 01000000 0a000000 01020304"   // 20 bytes: RTM_NEWLINK, MULTI, seq 1, pid 10
                + "10000000 0300 0200 01000000 0a000000");                       // NLMSG_DONE, header only
        List<NetlinkMessage> all = NetlinkMessage.parseAll(two, two.length);
        assertEquals(2, all.size());
        NetlinkMessage first = all.get(0);
        assertEquals(0x10, first.type());
        assertEquals(2, first.flags());
        assertEquals(1, first.seq());
        assertEquals(10, first.portId());
        assertEquals(1, first.u8At(0));
        assertEquals(0x0403, first.u16At(2));
        assertEquals(0x04030201, first.u32At(0));
        assertEquals(NetlinkConstants.NLMSG_DONE, all.get(1).type());
        assertEquals(0, all.get(1).payload().length);
        byte[] headerOnly = java.util.Arrays.copyOf(two, 16);
        HostOrder.putI32(headerOnly, 0, 16);
        assertEquals(1, NetlinkMessage.parseAll(headerOnly, 16).size(), "a message that is only a header");
        byte[] bad = two.clone();
        HostOrder.putI32(bad, 0, 15);
        assertThrows(OsException.class, () -> NetlinkMessage.parseAll(bad, bad.length));
        byte[] past = two.clone();
        HostOrder.putI32(past, 0, 37);
        assertThrows(OsException.class, () -> NetlinkMessage.parseAll(past, past.length));
    }

    private static NetlinkMessage error(int flags, String payloadHex) throws Exception {
        byte[] payload = Hex.parse(payloadHex);
        byte[] wire = new byte[16 + payload.length];
        HostOrder.putI32(wire, 0, wire.length);
        HostOrder.putU16(wire, 4, NetlinkConstants.NLMSG_ERROR);
        HostOrder.putU16(wire, 6, flags);
        System.arraycopy(payload, 0, wire, 16, payload.length);
        return NetlinkMessage.parseAll(wire, wire.length).get(0);
    }

    @Test
    void theKernelsExtendedAckMessageIsFound() throws Exception {
        String ext = "0f00 0100 6e6f20737570706f7274 00 00";   // NLMSGERR_ATTR_MSG "no support"
        String echoedHeader = "10000000 1000 0500 01000000 00000000";
        int capped = NetlinkConstants.NLM_F_ACK_TLVS | NetlinkConstants.NLM_F_CAPPED;
        assertEquals("no support", error(capped, "eaffffff" + echoedHeader + ext).extAckMessage());
        assertEquals(-22, error(capped, "eaffffff" + echoedHeader + ext).errorCode());
        // Not capped: the whole request is echoed (here a 20-byte one), the attributes follow it.
        String echoedRequest = "14000000 1000 0500 01000000 00000000 ffffffff";
        assertEquals("no support", error(NetlinkConstants.NLM_F_ACK_TLVS, "eaffffff" + echoedRequest + ext).extAckMessage());
        assertNull(error(capped & ~NetlinkConstants.NLM_F_ACK_TLVS, "eaffffff" + echoedHeader + ext).extAckMessage(),
                "without NLM_F_ACK_TLVS there are no attributes to read");
        assertNull(error(capped, "eaffffff" + echoedHeader + "0500 0100 00 000000").extAckMessage(), "an empty message is none");
        assertNull(error(capped, "eaffffff" + echoedHeader + "0800 0200 01000000").extAckMessage(), "another attribute only");
        assertNull(error(capped, "eaffffff 10000000 1000 0500 01000000 000000").extAckMessage(), "too short to hold the echo");
    }

    @Test
    void linkInfoComparesByValue() {
        LinkInfo a = new LinkInfo.Builder(2).flags(1).set(LinkAttribute.NAME, "eth0").set(LinkAttribute.MTU, 1500).build();
        LinkInfo same = new LinkInfo.Builder(2).flags(1).set(LinkAttribute.MTU, 1500).set(LinkAttribute.NAME, "eth0").build();
        assertEquals(a, same);
        assertEquals(a.hashCode(), same.hashCode());
        assertFalse(a.equals(new LinkInfo.Builder(3).flags(1).set(LinkAttribute.NAME, "eth0").set(LinkAttribute.MTU, 1500).build()));
        assertFalse(a.equals(new LinkInfo.Builder(2).flags(0).set(LinkAttribute.NAME, "eth0").set(LinkAttribute.MTU, 1500).build()));
        assertFalse(a.equals(new LinkInfo.Builder(2).flags(1).set(LinkAttribute.NAME, "eth0").set(LinkAttribute.MTU, 1400).build()));
        assertFalse(a.equals("eth0"));
    }
}
