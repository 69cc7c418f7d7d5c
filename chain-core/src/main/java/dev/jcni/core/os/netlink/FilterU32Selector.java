package dev.jcni.core.os.netlink;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.net.IpPrefix;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What a u32 rule matches: a list of keys, each "the 32 bits at offset {@code off} of the network
 * header, masked, equal {@code value}" (struct tc_u32_key); a packet matches when every key does.
 * Built as {@code tc}'s {@code match} words build it (pack_key in f_u32.c), so the bytes are tc's:
 * <ul>
 *   <li>{@link #matchAll()}: {@code match u32 0 0}, one key that every packet passes;</li>
 *   <li>{@link #destination} / {@link #source}: {@code match ip dst|src P} (one key at offset 16
 *       or 12, the prefix's mask) or {@code match ip6 dst|src P} (a key per 32 bits of the prefix
 *       from offset 24 or 8; none for ::/0). The filter's protocol must then be ETH_P_IP or
 *       ETH_P_IPV6, or the key would look at the same offset of other protocols' packets.</li>
 * </ul>
 * Values and masks are the header's bits as a big-endian number: 10.1.2.0/24 is value 0x0a010200,
 * mask 0xffffff00.
 */
public final class FilterU32Selector {
    /** struct tc_u32_sel without keys: flags, offshift, nkeys, pad, offmask, off, offoff, hoff, hmask. */
    static final int HEADER_LENGTH = 16;
    static final int KEY_LENGTH = 16;
    /** TC_U32_TERMINAL: a match ends the classification (tc sets it when the rule has a classid or actions). */
    static final int TC_U32_TERMINAL = 1;
    private static final int MAX_KEYS = 128;
    private static final int IPV4_SOURCE = 12;
    private static final int IPV4_DESTINATION = 16;
    private static final int IPV6_SOURCE = 8;
    private static final int IPV6_DESTINATION = 24;

    /** One key: the masked 32 bits at {@code offset} equal {@code value}. */
    public record Key(int value, int mask, int offset, int offsetMask) {
        /** As tc prints it: "match 0a010200/ffffff00 at 16" (no String.format: its first call costs milliseconds). */
        @Override
        public String toString() {
            return "match " + hex8(value) + "/" + hex8(mask) + " at " + offset;
        }

        private static String hex8(int v) {
            String h = Integer.toHexString(v);
            return "00000000".substring(h.length()) + h;
        }

        // Written out: a record's own equals and hashCode are linked through invokedynamic on
        // first use, which costs a plugin process about 12 ms (async-profiler, bandwidth CHECK:
        // MethodHandleNatives.linkCallSite under Key.equals).
        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Key)) {
                return false;
            }
            Key k = (Key) o;
            return value == k.value && mask == k.mask && offset == k.offset && offsetMask == k.offsetMask;
        }

        @Override
        public int hashCode() {
            return ((value * 31 + mask) * 31 + offset) * 31 + offsetMask;
        }
    }

    private final List<Key> keys;

    private FilterU32Selector(List<Key> keys) {
        this.keys = Collections.unmodifiableList(keys);
    }

    /** A selector of exactly these keys. */
    public static FilterU32Selector of(List<Key> keys) {
        if (keys.size() > MAX_KEYS) {
            throw new IllegalArgumentException("u32 allows at most " + MAX_KEYS + " keys, not " + keys.size());
        }
        return new FilterU32Selector(new ArrayList<>(keys));
    }

    /** {@code match u32 0 0}: every packet. */
    public static FilterU32Selector matchAll() {
        return of(List.of(new Key(0, 0, 0, 0)));
    }

    /** {@code match ip dst P} or {@code match ip6 dst P}, by the prefix's family. */
    public static FilterU32Selector destination(IpPrefix prefix) {
        return prefix.family() == IpAddress.Family.IPV4 ? ipv4(prefix, IPV4_DESTINATION) : ipv6(prefix, IPV6_DESTINATION);
    }

    /** {@code match ip src P} or {@code match ip6 src P}, by the prefix's family. */
    public static FilterU32Selector source(IpPrefix prefix) {
        return prefix.family() == IpAddress.Family.IPV4 ? ipv4(prefix, IPV4_SOURCE) : ipv6(prefix, IPV6_SOURCE);
    }

    private static FilterU32Selector ipv4(IpPrefix prefix, int offset) {
        // parse_ip_addr: one key even for /0 (mask 0), the address masked (pack_key: key &= mask).
        int mask = prefix.length() == 0 ? 0 : -1 << (32 - prefix.length());
        int address = word(prefix.address().toBytes(), 0);
        return of(List.of(new Key(address & mask, mask, offset, 0)));
    }

    private static FilterU32Selector ipv6(IpPrefix prefix, int offset) {
        // parse_ip6_addr: a key per 32 bits the prefix covers, the last one partly masked.
        byte[] address = prefix.address().toBytes();
        List<Key> keys = new ArrayList<>();
        for (int bit = 0; bit < prefix.length(); bit += 32) {
            int covered = Math.min(32, prefix.length() - bit);
            int mask = covered == 32 ? -1 : -1 << (32 - covered);
            keys.add(new Key(word(address, bit / 8) & mask, mask, offset + bit / 8, 0));
        }
        return of(keys);
    }

    private static int word(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    private static void putWord(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    public List<Key> keys() {
        return keys;
    }

    /** struct tc_u32_sel with its keys; masks and values in network order, offsets in host order. */
    byte[] toBytes(boolean terminal) {
        byte[] b = new byte[HEADER_LENGTH + KEY_LENGTH * keys.size()];
        TcWire.putU8(b, 0, terminal ? TC_U32_TERMINAL : 0);
        TcWire.putU8(b, 2, keys.size());
        for (int i = 0; i < keys.size(); i++) {
            Key k = keys.get(i);
            int at = HEADER_LENGTH + KEY_LENGTH * i;
            putWord(b, at, k.mask());
            putWord(b, at + 4, k.value() & k.mask());
            TcWire.putU32(b, at + 8, k.offset());
            TcWire.putU32(b, at + 12, k.offsetMask());
        }
        return b;
    }

    /** The selector in a dump's TCA_U32_SEL; null if it is shorter than its key count says. */
    static FilterU32Selector fromBytes(byte[] b) {
        if (b.length < HEADER_LENGTH) {
            return null;
        }
        int n = TcWire.u8(b, 2);
        if (b.length < HEADER_LENGTH + KEY_LENGTH * n) {
            return null;
        }
        List<Key> keys = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int at = HEADER_LENGTH + KEY_LENGTH * i;
            keys.add(new Key(word(b, at + 4), word(b, at), (int) TcWire.u32(b, at + 8), (int) TcWire.u32(b, at + 12)));
        }
        return new FilterU32Selector(keys);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FilterU32Selector && keys.equals(((FilterU32Selector) o).keys);
    }

    @Override
    public int hashCode() {
        return Objects.hash(keys);
    }

    @Override
    public String toString() {
        return keys.toString();
    }
}
