package dev.jcni.it.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.jcni.core.os.netns.NetNs;
import dev.jcni.it.support.Cmd;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * The kernel as a {@link State}: a namespace's links (what a tuning-like plugin could change:
 * MTU, MAC, queue length, promiscuous and all-multicast modes) read by {@code ip -j}, and
 * sysctls read from {@code /proc/sys}, for the host or inside a namespace.
 */
final class KernelState {
    private static final ObjectMapper JSON = new ObjectMapper();

    private KernelState() {}

    private static final Path SYS_CLASS_NET = Path.of("/sys/class/net");
    private static final int IFF_UP = 0x1;
    private static final int IFF_PROMISC = 0x100;
    private static final int IFF_ALLMULTI = 0x200;

    /**
     * The host's links, keyed "host link NAME", from {@code /sys/class/net}: this JVM's sysfs is
     * the host's, and reading it costs no process (a snapshot is taken twice per case). Same
     * description as {@link #describe}, except the promiscuity count, which sysfs does not give.
     */
    static State hostLinks() {
        Map<String, String> m = new TreeMap<>();
        try (java.util.stream.Stream<Path> links = Files.list(SYS_CLASS_NET)) {
            for (Path link : (Iterable<Path>) links::iterator) {
                String name = link.getFileName().toString();
                try {
                    int flags = Integer.decode(Files.readString(link.resolve("flags")).strip());
                    m.put("host link " + name, "mtu " + Files.readString(link.resolve("mtu")).strip() + " txqlen "
                            + Files.readString(link.resolve("tx_queue_len")).strip() + " address "
                            + Files.readString(link.resolve("address")).strip() + " promisc " + ((flags & IFF_PROMISC) != 0)
                            + " allmulti " + ((flags & IFF_ALLMULTI) != 0) + " up " + ((flags & IFF_UP) != 0));
                } catch (IOException | NumberFormatException gone) {
                    // a link of another process vanishing while it is read: not this case's business
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot list " + SYS_CLASS_NET + ": " + e, e);
        }
        return State.of(m);
    }

    /** The links of a named namespace, keyed "{@code prefix} link NAME" ({@code ip -j}: sysfs shows only the host's). */
    static State links(String prefix, String netnsName) {
        String out = Cmd.check("ip", "-n", netnsName, "-d", "-j", "link", "show");
        Map<String, String> m = new TreeMap<>();
        try {
            for (JsonNode link : JSON.readTree(out)) {
                m.put(prefix + " link " + link.path("ifname").asText(), describe(link));
            }
        } catch (IOException e) {
            throw new AssertionError("ip -j link show printed no JSON: " + out, e);
        }
        return State.of(m);
    }

    /** What a case could change on a link; operational state and counters are not (they move by themselves). */
    static String describe(JsonNode link) {
        boolean promisc = false;
        boolean allmulti = false;
        for (JsonNode f : link.path("flags")) {
            promisc |= f.asText().equals("PROMISC");
            allmulti |= f.asText().equals("ALLMULTI");
        }
        return "mtu " + link.path("mtu").asText() + " txqlen " + link.path("txqlen").asText() + " address "
                + link.path("address").asText() + " promisc " + promisc + "/" + link.path("promiscuity").asText()
                + " allmulti " + allmulti + " up " + hasFlag(link, "UP");
    }

    private static boolean hasFlag(JsonNode link, String flag) {
        for (JsonNode f : link.path("flags")) {
            if (f.asText().equals(flag)) {
                return true;
            }
        }
        return false;
    }

    /** Sysctls (relative to /proc/sys) as this thread sees them (the host, for the suite's threads). */
    static State hostSysctls(Collection<String> relative) {
        return State.of(read("host", relative));
    }

    /** Sysctls inside the namespace at {@code netnsPath}, read on a thread that entered it. */
    static State sandboxSysctls(String netnsPath, Collection<String> relative) {
        try {
            return State.of(NetNs.run(netnsPath, () -> read("sandbox", relative)));
        } catch (Exception e) {
            throw new AssertionError("cannot read sysctls in " + netnsPath + ": " + e, e);
        }
    }

    private static Map<String, String> read(String prefix, Collection<String> relative) {
        Map<String, String> m = new TreeMap<>();
        for (String rel : relative) {
            m.put(prefix + " sysctl " + rel, readSysctl(rel));
        }
        return m;
    }

    static String readSysctl(String relative) {
        Path p = Path.of("/proc/sys").resolve(relative).normalize();
        if (!p.startsWith("/proc/sys/")) {
            throw new IllegalArgumentException("not below /proc/sys: " + relative);
        }
        try {
            return Files.readString(p).strip();
        } catch (NoSuchFileException e) {
            return State.ABSENT;
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    /** Writes a host sysctl back (only ever a value read from it before). */
    static void writeHostSysctl(String relative, String value) {
        try {
            Files.writeString(Path.of("/proc/sys").resolve(relative).normalize(), value);
        } catch (IOException e) {
            System.err.println("[hostile] cannot put host sysctl " + relative + " back to " + value + ": " + e);
        }
    }
}
