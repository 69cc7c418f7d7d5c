package dev.jcni.it.os;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.netlink.Addresses;
import dev.jcni.core.os.netlink.BridgeVlans;
import dev.jcni.core.os.netlink.Links;
import dev.jcni.core.os.netlink.Routes;
import dev.jcni.core.os.netlink.RtNetlink;
import dev.jcni.core.os.netns.NetNs;
import dev.jcni.it.support.TestNetns;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A test namespace as the kernel layer sees it: a {@link NetNs} handle and an rtnetlink socket
 * opened inside it, which then serves the test's own thread (a socket stays in the namespace it
 * was opened in), so tests call {@code links()}, {@code addresses()}... directly. The kernel's own
 * view is read with {@code ip -j} through {@link #json}, never through the code under test.
 */
final class Rtnl implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    final TestNetns test;
    final NetNs ns;
    final RtNetlink nl;

    private Rtnl(TestNetns test, NetNs ns, RtNetlink nl) {
        this.test = test;
        this.ns = ns;
        this.nl = nl;
    }

    static Rtnl of(TestNetns test) throws OsException {
        NetNs ns = NetNs.open(test.path());
        try {
            return new Rtnl(test, ns, ns.run(RtNetlink::open));
        } catch (OsException | RuntimeException e) {
            ns.close();
            throw e;
        }
    }

    Links links() {
        return new Links(nl);
    }

    Addresses addresses() {
        return new Addresses(nl);
    }

    Routes routes() {
        return new Routes(nl);
    }

    BridgeVlans vlans() {
        return new BridgeVlans(nl);
    }

    int index(String name) throws OsException {
        return links().byName(name).index();
    }

    /** {@code ip -j -n NS args...} parsed. */
    JsonNode json(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "-j";
        System.arraycopy(args, 0, all, 1, args.length);
        try {
            return JSON.readTree(test.ip(all));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True if {@code ip -n NS link show dev NAME} finds the link. */
    boolean hasLink(String name) {
        return dev.jcni.it.support.Cmd.run(dev.jcni.it.support.Cmd.DEFAULT_TIMEOUT,
                "ip", "-n", test.name(), "link", "show", "dev", name).ok();
    }

    @Override
    public void close() {
        nl.close();
        ns.close();
    }

    /** Closes each, ignoring nulls (a half-done setup). */
    static void closeAll(AutoCloseable... all) {
        for (AutoCloseable c : all) {
            if (c != null) {
                try {
                    c.close();
                } catch (Exception e) {
                    System.err.println("Rtnl: cannot close " + c + ": " + e);
                }
            }
        }
    }
}
