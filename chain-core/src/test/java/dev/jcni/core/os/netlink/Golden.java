package dev.jcni.core.os.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Compares a request with the bytes another program sent for it. Goldens are written with the
 * sequence number zeroed (the header's bytes 8-11) and compared with our request built with
 * sequence 0 and the flags {@link RtNetlink} adds.
 */
final class Golden {
    private Golden() {}

    /** A request as {@link RtNetlink#request} sends it: NLM_F_REQUEST | NLM_F_ACK added. */
    static void assertRequest(String expectedHex, NetlinkMessageBuilder m) {
        assertEquals(expectedHex, Hex.format(m.build(0, NetlinkConstants.NLM_F_REQUEST | NetlinkConstants.NLM_F_ACK)));
    }

    /** A dump request as {@link RtNetlink#dump} sends it: NLM_F_REQUEST | NLM_F_DUMP added. */
    static void assertDump(String expectedHex, NetlinkMessageBuilder m) {
        assertEquals(expectedHex, Hex.format(m.build(0, NetlinkConstants.NLM_F_REQUEST | NetlinkConstants.NLM_F_DUMP)));
    }

    /** The messages of a captured reply resource (datagrams concatenated). */
    static java.util.List<NetlinkMessage> messages(String resource) throws dev.jcni.core.os.OsException {
        byte[] b = Hex.resource(resource);
        return NetlinkMessage.parseAll(b, b.length);
    }
}
