package dev.jcni.core.os.netlink;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The options of one tc object on the wire, both ways, so that each {@link TcParameter} row
 * writes or reads only its own field: TBF's rate, limit and burst are fields of one struct
 * (TCA_TBF_PARMS) plus attributes of their own, and the struct is written once, after every row
 * has filled in its part.
 *
 * <p>A {@link Writer} collects struct images and attributes by type and writes them in the order
 * its kind declares (iproute2's order, so requests are byte-for-byte tc's); a {@link Reader} finds
 * them by type in a received options payload. Integers are in host order, as everything in
 * rtnetlink; the few big-endian fields (u32 selector keys, the protocol in tcm_info) are handled
 * where they occur.
 */
final class TcWire {
    static final long U32_MAX = 0xffffffffL;

    private TcWire() {}

    /** Collects the options of one object (or one nest of it). */
    static final class Writer {
        private final int[] order;
        private final Map<Integer, Object> items = new LinkedHashMap<>();
        private final Map<Integer, Integer> flags = new LinkedHashMap<>();
        private byte[] raw;

        /** @param order the attribute types in the order they go on the wire; null: in the order they were added */
        Writer(int[] order) {
            this.order = order;
        }

        /** The zeroed image of struct attribute {@code type}, created on first use. */
        byte[] struct(int type, int size) {
            Object item = items.get(type);
            if (item == null) {
                byte[] image = new byte[size];
                items.put(type, image);
                return image;
            }
            if (!(item instanceof byte[]) || ((byte[]) item).length != size) {
                throw new IllegalStateException("attribute " + type + " is not a struct of " + size + " bytes");
            }
            return (byte[]) item;
        }

        /** For kinds whose options are a bare struct (pfifo's tc_fifo_qopt): its zeroed image. */
        byte[] raw(int size) {
            if (raw == null) {
                raw = new byte[size];
            }
            return raw;
        }

        void u32(int type, long value) {
            byte[] b = new byte[4];
            putU32(b, 0, value);
            items.put(type, b);
        }

        void u64(int type, long value) {
            byte[] b = new byte[8];
            HostOrder.putI64(b, 0, value);
            items.put(type, b);
        }

        void bytes(int type, byte[] value) {
            items.put(type, value.clone());
        }

        /** A NUL-terminated string. */
        void string(int type, String value) {
            byte[] s = value.getBytes(StandardCharsets.UTF_8);
            byte[] b = new byte[s.length + 1];
            System.arraycopy(s, 0, b, 0, s.length);
            items.put(type, b);
        }

        /** A nested attribute; {@code nestedFlag} sets NLA_F_NESTED on it, as the action layer's policy wants. */
        Writer nest(int type, int[] childOrder, boolean nestedFlag) {
            Writer child = new Writer(childOrder);
            put(type, child, nestedFlag);
            return child;
        }

        /** Adds the attributes {@code child} collected as nested attribute {@code type}. */
        void put(int type, Writer child, boolean nestedFlag) {
            if (child.raw != null) {
                items.put(type, child.raw.clone());
                return;
            }
            items.put(type, child);
            flags.put(type, nestedFlag ? NetlinkConstants.NLA_F_NESTED : 0);
        }

        boolean isEmpty() {
            return items.isEmpty() && raw == null;
        }

        /** Appends the collected options as attribute {@code type}: a nest, or the bare struct. Nothing if empty. */
        void writeAs(NetlinkMessageBuilder m, int type, boolean nestedFlag) {
            if (raw != null) {
                m.attrBytes(type, raw);
            } else if (!items.isEmpty()) {
                int nest = m.beginNested(type | (nestedFlag ? NetlinkConstants.NLA_F_NESTED : 0));
                writeItems(m);
                m.endNested(nest);
            }
        }

        private void writeItems(NetlinkMessageBuilder m) {
            List<Integer> types = new ArrayList<>();
            if (order == null) {
                types.addAll(items.keySet());
            } else {
                for (int t : order) {
                    if (items.containsKey(t)) {
                        types.add(t);
                    }
                }
                if (types.size() != items.size()) {
                    throw new IllegalStateException("attributes " + items.keySet() + " not all in the declared order");
                }
            }
            for (int i = 0; i < types.size(); i++) {
                int t = types.get(i);
                Object item = items.get(t);
                if (item instanceof Writer) {
                    Writer child = (Writer) item;
                    int nest = m.beginNested(t | flags.get(t));
                    child.writeItems(m);
                    m.endNested(nest);
                } else {
                    m.attrBytes(t, (byte[]) item);
                }
            }
        }
    }

    /** The attributes of a received options nest (or its bare struct), by type; the last of a type wins. */
    static final class Reader {
        private final Map<Integer, byte[]> attributes = new LinkedHashMap<>();
        private final byte[] raw;

        private Reader(byte[] raw) {
            this.raw = raw;
        }

        /** A reader over a nest's payload (null: no options at all). */
        static Reader nested(byte[] payload) {
            Reader r = new Reader(null);
            if (payload != null) {
                AttributeReader a = new AttributeReader(payload, 0, payload.length);
                while (a.next()) {
                    r.attributes.put(a.type(), a.bytes());
                }
            }
            return r;
        }

        /** A reader over options that are one bare struct (pfifo's), read with {@link #raw}. */
        static Reader rawStruct(byte[] payload) {
            return new Reader(payload);
        }

        /** The payload, for kinds whose options are a bare struct; null when there were none. */
        byte[] raw() {
            return raw;
        }

        /** The types present, in the order they arrived. */
        List<Integer> types() {
            return new ArrayList<>(attributes.keySet());
        }

        byte[] get(int type) {
            return attributes.get(type);
        }

        /** The struct attribute {@code type} if present with at least {@code minSize} bytes, else null. */
        byte[] struct(int type, int minSize) {
            byte[] b = attributes.get(type);
            return b != null && b.length >= minSize ? b : null;
        }

        /** A u32 attribute as an unsigned value, or null when absent or short. */
        Long u32(int type) {
            byte[] b = struct(type, 4);
            return b == null ? null : TcWire.u32(b, 0);
        }

        Long u64(int type) {
            byte[] b = struct(type, 8);
            return b == null ? null : HostOrder.i64(b, 0);
        }

        String string(int type) {
            byte[] b = attributes.get(type);
            if (b == null) {
                return null;
            }
            int n = 0;
            while (n < b.length && b[n] != 0) {
                n++;
            }
            return new String(b, 0, n, StandardCharsets.UTF_8);
        }
    }

    // Struct fields, in host order.

    static long u32(byte[] b, int off) {
        return HostOrder.i32(b, off) & U32_MAX;
    }

    static int u16(byte[] b, int off) {
        return HostOrder.u16(b, off);
    }

    static int u8(byte[] b, int off) {
        return b[off] & 0xff;
    }

    static void putU32(byte[] b, int off, long v) {
        HostOrder.putI32(b, off, (int) v);
    }

    static void putU16(byte[] b, int off, int v) {
        HostOrder.putU16(b, off, v);
    }

    static void putU8(byte[] b, int off, int v) {
        b[off] = (byte) v;
    }

    /** {@code value} if it fits an unsigned 32-bit field, else IllegalArgumentException naming {@code what}. */
    static long checkU32(String what, long value) {
        if (value < 0 || value > U32_MAX) {
            throw new IllegalArgumentException(what + " must be 0.." + U32_MAX + ": " + value);
        }
        return value;
    }

    static int checkU16(String what, int value) {
        if (value < 0 || value > 0xffff) {
            throw new IllegalArgumentException(what + " must be 0..65535: " + value);
        }
        return value;
    }
}
