package dev.jcni.it.os;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.netlink.Filters;
import dev.jcni.core.os.netlink.Links;
import dev.jcni.core.os.netlink.Psched;
import dev.jcni.core.os.netlink.Qdiscs;
import dev.jcni.core.os.netlink.RtNetlink;
import dev.jcni.core.os.netlink.TcClasses;
import dev.jcni.core.os.netns.NetNs;
import dev.jcni.it.support.TestNetns;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Test helper for the tc kernel tests: a test namespace with a veth pair whose both ends are in
 * it (nothing on the host), our clients run inside it, and iproute2's {@code tc} as the oracle
 * ({@code ip netns exec NS tc -j ...}). Link names carry the namespace's suffix.
 */
final class TcLab implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    final TestNetns ns;
    /** The veth end the tests put qdiscs on, and its peer. */
    final String dev;
    final String peer;

    TcLab() {
        ns = TestNetns.create();
        try {
            dev = "ta" + ns.suffix();
            peer = "tb" + ns.suffix();
            ns.ip("link", "add", dev, "type", "veth", "peer", "name", peer);
            ns.ip("link", "set", dev, "up");
            ns.ip("link", "set", peer, "up");
        } catch (RuntimeException | AssertionError e) {
            ns.close();
            throw e;
        }
    }

    /** What a test does with the clients, inside the namespace. */
    interface Task<T> {
        T run(Clients tc) throws OsException;
    }

    /** The clients on one socket in the namespace, with the names' indexes. */
    static final class Clients {
        final Qdiscs qdiscs;
        final TcClasses classes;
        final Filters filters;
        final Links links;
        final Psched clock;

        Clients(RtNetlink nl) throws OsException {
            this.qdiscs = new Qdiscs(nl);
            this.classes = new TcClasses(nl);
            this.filters = new Filters(nl);
            this.links = new Links(nl);
            this.clock = qdiscs.clock();
        }

        int index(String name) throws OsException {
            return links.byName(name).index();
        }
    }

    <T> T inside(Task<T> task) throws Exception {
        return NetNs.run(ns.path(), () -> {
            try (RtNetlink nl = RtNetlink.open()) {
                return task.run(new Clients(nl));
            }
        });
    }

    /** An ifb in the namespace (made by the test with ip: creating links is not what is tested here). */
    String addIfb(String role) {
        String name = role + ns.suffix();
        ns.ip("link", "add", name, "type", "ifb");
        ns.ip("link", "set", name, "up");
        return name;
    }

    int index(String name) {
        return ns.link(name).get("ifindex").asInt();
    }

    /** {@code tc args...} in the namespace; stdout. */
    String tc(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "tc";
        System.arraycopy(args, 0, cmd, 1, args.length);
        return ns.exec(cmd);
    }

    /** {@code tc -j args...} parsed (duplicate keys, as u32's "match", keep the last). */
    JsonNode tcJson(String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "-j";
        System.arraycopy(args, 0, cmd, 1, args.length);
        try {
            return JSON.readTree(tc(cmd));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The one element of {@code array} whose {@code field} is {@code value}; AssertionError if not exactly one. */
    static JsonNode only(JsonNode array, String field, String value) {
        JsonNode found = null;
        for (JsonNode n : array) {
            if (value.equals(n.path(field).asText())) {
                if (found != null) {
                    throw new AssertionError("two with " + field + "=" + value + " in " + array);
                }
                found = n;
            }
        }
        if (found == null) {
            throw new AssertionError("none with " + field + "=" + value + " in " + array);
        }
        return found;
    }

    @Override
    public void close() {
        ns.close();
    }
}
