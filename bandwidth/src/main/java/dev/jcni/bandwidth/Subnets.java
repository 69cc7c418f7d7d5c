package dev.jcni.bandwidth;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.net.IpPrefix;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Which traffic is shaped, by the address of its far end: everything ({@link Mode#ALL}),
 * everything but {@code unshapedSubnets} ({@link Mode#UNSHAPED}), or only {@code shapedSubnets}
 * ({@link Mode#SHAPED}). The far end is the destination of what the container sends and the
 * source of what it receives, so "unshaped 10.0.0.0/8" means traffic between the container and
 * 10.0.0.0/8, both ways. Prefixes are kept masked, without repeats, IPv4 before IPv6.
 */
record Subnets(Mode mode, List<IpPrefix> prefixes) {
    enum Mode { ALL, UNSHAPED, SHAPED }

    static final Subnets ALL = new Subnets(Mode.ALL, List.of());

    Subnets {
        prefixes = List.copyOf(prefixes);
    }

    /** {@code mode} over {@code given}, masked and without repeats, IPv4 first, each family in the order given. */
    static Subnets of(Mode mode, List<IpPrefix> given) {
        List<IpPrefix> v4 = new ArrayList<>();
        List<IpPrefix> v6 = new ArrayList<>();
        for (IpPrefix p : given) {
            IpPrefix masked = p.network();
            List<IpPrefix> family = masked.family() == IpAddress.Family.IPV4 ? v4 : v6;
            if (!family.contains(masked)) {
                family.add(masked);
            }
        }
        v4.addAll(v6);
        return new Subnets(mode, Collections.unmodifiableList(v4));
    }

    List<IpPrefix> of(IpAddress.Family family) {
        List<IpPrefix> out = new ArrayList<>();
        for (IpPrefix p : prefixes) {
            if (p.family() == family) {
                out.add(p);
            }
        }
        return out;
    }

    boolean isAll() {
        return mode == Mode.ALL;
    }
}
