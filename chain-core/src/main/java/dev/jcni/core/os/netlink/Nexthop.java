package dev.jcni.core.os.netlink;

import dev.jcni.core.net.IpAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * One path of a multipath (ECMP) route: {@code nexthop via GATEWAY dev DEVICE weight W}. Carried
 * in RTA_MULTIPATH as a struct rtnexthop {u16 len; u8 flags; u8 hops; s32 ifindex} (hops is the
 * weight less one) followed by its own RTA_GATEWAY.
 */
public final class Nexthop {
    static final int RTNH_LENGTH = 8;

    private final IpAddress gateway;
    private final int device;
    private final int weight;
    private final int flags;

    private Nexthop(IpAddress gateway, int device, int weight, int flags) {
        if (weight < 1 || weight > 256) {
            throw new IllegalArgumentException("nexthop weight " + weight + " is not in 1..256");
        }
        if (gateway == null && device <= 0) {
            throw new IllegalArgumentException("a nexthop needs a gateway or a device");
        }
        this.gateway = gateway;
        this.device = device;
        this.weight = weight;
        this.flags = flags;
    }

    /** Through {@code gateway} (null: none) on the link with ifindex {@code device} (0: any), weight 1. */
    public static Nexthop via(IpAddress gateway, int device) {
        return new Nexthop(gateway, device, 1, 0);
    }

    /** The same path with another weight (1..256): its share of the flows. */
    public Nexthop weight(int newWeight) {
        return new Nexthop(gateway, device, newWeight, flags);
    }

    /** The same path with RTNH_F_* flags (RTNH_F_ONLINK = 4: the gateway is on the link even without a matching subnet). */
    public Nexthop flags(int newFlags) {
        return new Nexthop(gateway, device, weight, newFlags);
    }

    public IpAddress gateway() {
        return gateway;
    }

    /** The ifindex, 0 for none. */
    public int device() {
        return device;
    }

    public int weight() {
        return weight;
    }

    /** RTNH_F_* flags (the kernel adds RTNH_F_LINKDOWN and others in what it reports). */
    public int flags() {
        return flags;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Nexthop)) {
            return false;
        }
        Nexthop n = (Nexthop) o;
        return Objects.equals(gateway, n.gateway) && device == n.device && weight == n.weight && flags == n.flags;
    }

    @Override
    public int hashCode() {
        return (Objects.hashCode(gateway) * 31 + device) * 31 + weight;
    }

    /** In the words of {@code ip route}: "nexthop via 10.1.0.1 dev 3 weight 2". */
    @Override
    public String toString() {
        return "nexthop" + (gateway == null ? "" : " via " + gateway) + (device > 0 ? " dev " + device : "")
                + " weight " + weight + (flags != 0 ? " flags 0x" + Integer.toHexString(flags) : "");
    }

    /** RTA_MULTIPATH: the rtnexthop structs one after another, each padded to 4. */
    static final AttributeCodec<List<Nexthop>> LIST = new AttributeCodec<List<Nexthop>>() {
        @Override
        void put(NetlinkMessageBuilder m, int type, List<Nexthop> hops) {
            int multipath = m.beginNested(type);
            for (int i = 0; i < hops.size(); i++) {
                Nexthop h = hops.get(i);
                int nh = m.beginStruct();
                m.u16(0).u8(h.flags).u8(h.weight - 1).u32(h.device);
                if (h.gateway != null) {
                    AttributeCodec.IP_ADDRESS.put(m, RouteAttribute.RTA_GATEWAY, h.gateway);
                }
                m.endNested(nh);
            }
            m.endNested(multipath);
        }

        @Override
        List<Nexthop> get(AttributeReader a) {
            byte[] b = a.bytes();
            List<Nexthop> hops = new ArrayList<>();
            int off = 0;
            while (off + RTNH_LENGTH <= b.length) {
                int len = HostOrder.u16(b, off);
                if (len < RTNH_LENGTH || off + len > b.length) {
                    break;
                }
                IpAddress gateway = null;
                AttributeReader attrs = new AttributeReader(b, off + RTNH_LENGTH, off + len);
                while (attrs.next()) {
                    if (attrs.type() == RouteAttribute.RTA_GATEWAY) {
                        gateway = AttributeCodec.IP_ADDRESS.get(attrs);
                    }
                }
                int ifindex = HostOrder.i32(b, off + 4);
                if (gateway != null || ifindex > 0) {
                    hops.add(new Nexthop(gateway, ifindex, (b[off + 3] & 0xff) + 1, b[off + 2] & 0xff));
                }
                off += NetlinkConstants.align(len);
            }
            return Collections.unmodifiableList(hops);
        }
    };
}
