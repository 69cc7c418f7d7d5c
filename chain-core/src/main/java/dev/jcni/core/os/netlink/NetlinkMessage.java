package dev.jcni.core.os.netlink;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.OsException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** One received netlink message: its header fields and its payload (everything after the 16-byte header). */
public final class NetlinkMessage {
    private final int type;
    private final int flags;
    private final int seq;
    private final int portId;
    private final byte[] payload;

    public NetlinkMessage(int type, int flags, int seq, int portId, byte[] payload) {
        this.type = type;
        this.flags = flags;
        this.seq = seq;
        this.portId = portId;
        this.payload = payload;
    }

    /** Splits a received datagram into its messages. EPROTO if a length field is inconsistent. */
    public static List<NetlinkMessage> parseAll(byte[] buf, int len) throws OsException {
        List<NetlinkMessage> out = new ArrayList<>();
        int off = 0;
        while (off + NetlinkConstants.NLMSG_HDRLEN <= len) {
            int msgLen = HostOrder.i32(buf, off);
            if (msgLen < NetlinkConstants.NLMSG_HDRLEN || off + msgLen > len) {
                throw OsException.fromErrno("parse netlink reply", Errno.EPROTO,
                        "message length " + msgLen + " at offset " + off + " of " + len);
            }
            out.add(new NetlinkMessage(HostOrder.u16(buf, off + 4), HostOrder.u16(buf, off + 6),
                    HostOrder.i32(buf, off + 8), HostOrder.i32(buf, off + 12),
                    Arrays.copyOfRange(buf, off + NetlinkConstants.NLMSG_HDRLEN, off + msgLen)));
            off += NetlinkConstants.align(msgLen);
        }
        return out;
    }

    public int type() {
        return type;
    }

    public int flags() {
        return flags;
    }

    public int seq() {
        return seq;
    }

    public int portId() {
        return portId;
    }

    /** The payload; shared, not copied: do not modify. */
    public byte[] payload() {
        return payload;
    }

    /** A u32 of the family header (e.g. ifinfomsg.ifi_index at offset 4), in host order. */
    public int u32At(int offset) {
        return HostOrder.i32(payload, offset);
    }

    public int u16At(int offset) {
        return HostOrder.u16(payload, offset);
    }

    public int u8At(int offset) {
        return payload[offset] & 0xff;
    }

    /** The attributes after a family header of {@code familyHeaderLength} bytes. */
    public AttributeReader attributes(int familyHeaderLength) {
        return new AttributeReader(payload, NetlinkConstants.align(familyHeaderLength), payload.length);
    }

    /**
     * For NLMSG_ERROR and NLMSG_DONE: the error field, 0 (an ACK / success) or a negative errno.
     * A DONE without a payload (old kernels) counts as 0.
     */
    public int errorCode() {
        return payload.length >= 4 ? HostOrder.i32(payload, 0) : 0;
    }

    /** For NLMSG_ERROR and NLMSG_DONE: the kernel's extended-ACK message (NLMSGERR_ATTR_MSG), or null. */
    public String extAckMessage() {
        if ((flags & NetlinkConstants.NLM_F_ACK_TLVS) == 0) {
            return null;
        }
        int tlvs;
        if (type == NetlinkConstants.NLMSG_DONE) {
            tlvs = 4;
        } else {
            // int error, then the echoed request: only its header when CAPPED, else all of it.
            if (payload.length < 4 + NetlinkConstants.NLMSG_HDRLEN) {
                return null;
            }
            int echoed = (flags & NetlinkConstants.NLM_F_CAPPED) != 0
                    ? NetlinkConstants.NLMSG_HDRLEN
                    : NetlinkConstants.align(HostOrder.i32(payload, 4));
            tlvs = 4 + echoed;
        }
        AttributeReader a = new AttributeReader(payload, tlvs, payload.length);
        while (a.next()) {
            if (a.type() == NetlinkConstants.NLMSGERR_ATTR_MSG) {
                String s = a.string();
                return s.isEmpty() ? null : s;
            }
        }
        return null;
    }
}
