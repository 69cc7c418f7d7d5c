package dev.jcni.core.os.netlink;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A cursor over the netlink attributes in {@code buf[offset..end)}:
 *
 * <pre>
 * AttributeReader a = message.attributes(IFINFOMSG_LENGTH);
 * while (a.next()) {
 *     switch (a.type()) {
 *         case IFLA_MTU: mtu = a.u32(); break;
 *         case IFLA_LINKINFO: readLinkInfo(a.nested()); break;
 *     }
 * }
 * </pre>
 *
 * A truncated trailing attribute ends the iteration rather than throwing: the kernel never sends
 * one, and a reader that stops is safer than one that reads past the end.
 */
public final class AttributeReader {
    private final byte[] buf;
    private final int end;
    private int next;
    private int type;
    private int payload;
    private int length;

    public AttributeReader(byte[] buf, int offset, int end) {
        this.buf = buf;
        this.next = offset;
        this.end = Math.min(end, buf.length);
        this.payload = -1;
    }

    /** Moves to the next attribute; false when there is none. */
    public boolean next() {
        if (next + NetlinkConstants.NLA_HDRLEN > end) {
            return false;
        }
        int attrLen = HostOrder.u16(buf, next);
        if (attrLen < NetlinkConstants.NLA_HDRLEN || next + attrLen > end) {
            next = end;
            return false;
        }
        type = HostOrder.u16(buf, next + 2);
        payload = next + NetlinkConstants.NLA_HDRLEN;
        length = attrLen - NetlinkConstants.NLA_HDRLEN;
        next += NetlinkConstants.align(attrLen);
        return true;
    }

    /** The attribute type without the NLA_F_NESTED / NLA_F_NET_BYTEORDER flags. */
    public int type() {
        return type & NetlinkConstants.NLA_TYPE_MASK;
    }

    public boolean hasNestedFlag() {
        return (type & NetlinkConstants.NLA_F_NESTED) != 0;
    }

    /** Payload length in bytes, without header or padding. */
    public int length() {
        return length;
    }

    public int u8() {
        need(1);
        return buf[payload] & 0xff;
    }

    public int u16() {
        need(2);
        return HostOrder.u16(buf, payload);
    }

    /** A u32 as a Java int (callers that need the unsigned value use Integer.toUnsignedLong). */
    public int u32() {
        need(4);
        return HostOrder.i32(buf, payload);
    }

    public long u64() {
        need(8);
        return HostOrder.i64(buf, payload);
    }

    /** The payload as a string, up to the first NUL. */
    public String string() {
        int n = 0;
        while (n < length && buf[payload + n] != 0) {
            n++;
        }
        return new String(buf, payload, n, StandardCharsets.UTF_8);
    }

    public byte[] bytes() {
        return Arrays.copyOfRange(buf, payload, payload + length);
    }

    /** A reader over this attribute's payload, for nested attributes. */
    public AttributeReader nested() {
        return new AttributeReader(buf, payload, payload + length);
    }

    private void need(int n) {
        if (payload < 0) {
            throw new IllegalStateException("next() was not called");
        }
        if (length < n) {
            throw new IllegalStateException("attribute " + type() + " has " + length + " bytes, need " + n);
        }
    }
}
