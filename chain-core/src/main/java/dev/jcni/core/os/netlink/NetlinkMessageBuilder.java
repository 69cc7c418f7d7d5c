package dev.jcni.core.os.netlink;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Builds one netlink message: the 16-byte header, a family header written field by field (e.g.
 * struct ifinfomsg), then attributes, each padded to 4 bytes, nestable. Pure Java, so encodings
 * are unit-tested as golden bytes.
 *
 * <pre>
 * NetlinkMessageBuilder m = new NetlinkMessageBuilder(RTM_NEWLINK, 0)
 *         .u8(AF_UNSPEC).u8(0).u16(0).u32(index).u32(0).u32(0)   // struct ifinfomsg
 *         .attrU32(IFLA_MTU, 9000);
 * int info = m.beginNested(IFLA_LINKINFO);
 * m.attrString(IFLA_INFO_KIND, "veth");
 * m.endNested(info);
 * byte[] wire = m.build(seq, NLM_F_REQUEST | NLM_F_ACK);
 * </pre>
 *
 * Lengths follow iproute2: a message or nest length includes the padding of its last attribute.
 */
public final class NetlinkMessageBuilder {
    private final int type;
    private final int flags;
    private byte[] buf = new byte[128];
    private int len = NetlinkConstants.NLMSG_HDRLEN;

    /** @param flags the NLM_F_* flags of this message; {@link RtNetlink} adds REQUEST and ACK or DUMP */
    public NetlinkMessageBuilder(int type, int flags) {
        this.type = type;
        this.flags = flags;
    }

    public int type() {
        return type;
    }

    public int flags() {
        return flags;
    }

    // Family header fields: written unaligned, in order, as the C struct lays them out.

    public NetlinkMessageBuilder u8(int v) {
        ensure(1);
        buf[len++] = (byte) v;
        return this;
    }

    public NetlinkMessageBuilder u16(int v) {
        ensure(2);
        HostOrder.putU16(buf, len, v);
        len += 2;
        return this;
    }

    public NetlinkMessageBuilder u32(int v) {
        ensure(4);
        HostOrder.putI32(buf, len, v);
        len += 4;
        return this;
    }

    public NetlinkMessageBuilder bytes(byte[] v) {
        ensure(v.length);
        System.arraycopy(v, 0, buf, len, v.length);
        len += v.length;
        return this;
    }

    // Attributes.

    public NetlinkMessageBuilder attrU8(int attrType, int v) {
        return attrBytes(attrType, new byte[] {(byte) v});
    }

    public NetlinkMessageBuilder attrU16(int attrType, int v) {
        int at = startAttr(attrType, 2);
        HostOrder.putU16(buf, at, v);
        return this;
    }

    public NetlinkMessageBuilder attrU32(int attrType, int v) {
        int at = startAttr(attrType, 4);
        HostOrder.putI32(buf, at, v);
        return this;
    }

    public NetlinkMessageBuilder attrU64(int attrType, long v) {
        int at = startAttr(attrType, 8);
        HostOrder.putI64(buf, at, v);
        return this;
    }

    /** A NUL-terminated string attribute (NLA_STRING / NLA_NUL_STRING both accept it). */
    public NetlinkMessageBuilder attrString(int attrType, String v) {
        byte[] s = v.getBytes(StandardCharsets.UTF_8);
        int at = startAttr(attrType, s.length + 1);
        System.arraycopy(s, 0, buf, at, s.length);
        buf[at + s.length] = 0;
        return this;
    }

    /**
     * A string attribute without the terminating NUL, as iproute2 and the reference's netlink
     * library send {@code IFLA_INFO_KIND} (the kernel's NLA_STRING policy accepts both forms).
     */
    public NetlinkMessageBuilder attrChars(int attrType, String v) {
        return attrBytes(attrType, v.getBytes(StandardCharsets.UTF_8));
    }

    public NetlinkMessageBuilder attrBytes(int attrType, byte[] v) {
        int at = startAttr(attrType, v.length);
        System.arraycopy(v, 0, buf, at, v.length);
        return this;
    }

    /** An attribute with no payload (NLA_FLAG). */
    public NetlinkMessageBuilder attrFlag(int attrType) {
        startAttr(attrType, 0);
        return this;
    }

    /**
     * Opens a nested attribute; returns a handle for {@link #endNested}. Pass
     * {@code type | NLA_F_NESTED} where the kernel's policy wants the flag.
     */
    public int beginNested(int attrType) {
        int start = NetlinkConstants.align(len);
        startAttr(attrType, 0);
        return start;
    }

    /**
     * Starts a C struct whose first field is its own u16 length and that attributes may follow
     * (struct rtnexthop in RTA_MULTIPATH): pads to 4 and returns a handle; write the struct's
     * fields (the length as 0), its attributes, then {@link #endNested} fills the length in.
     */
    public int beginStruct() {
        int start = NetlinkConstants.align(len);
        ensure(start - len);
        len = start;
        return start;
    }

    public NetlinkMessageBuilder endNested(int handle) {
        HostOrder.putU16(buf, handle, len - handle);
        return this;
    }

    /** The wire bytes, with the header's length, type, flags | extraFlags and seq filled in (port id 0: the kernel). */
    public byte[] build(int seq, int extraFlags) {
        byte[] out = Arrays.copyOf(buf, len);
        HostOrder.putI32(out, 0, len);
        HostOrder.putU16(out, 4, type);
        HostOrder.putU16(out, 6, flags | extraFlags);
        HostOrder.putI32(out, 8, seq);
        HostOrder.putI32(out, 12, 0);
        return out;
    }

    /** Pads to 4, writes an nlattr header and reserves a padded payload; returns the payload offset. */
    private int startAttr(int attrType, int payloadLength) {
        int start = NetlinkConstants.align(len);
        int attrLen = NetlinkConstants.NLA_HDRLEN + payloadLength;
        ensure(start - len + NetlinkConstants.align(attrLen));
        HostOrder.putU16(buf, start, attrLen);
        HostOrder.putU16(buf, start + 2, attrType);
        len = start + NetlinkConstants.align(attrLen);
        return start + NetlinkConstants.NLA_HDRLEN;
    }

    private void ensure(int more) {
        if (len + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + more));
        }
    }
}
