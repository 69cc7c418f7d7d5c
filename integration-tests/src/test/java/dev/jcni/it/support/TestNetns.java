package dev.jcni.it.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A uniquely named network namespace ({@code jcni-t-<run id>}) for one test, plus veth pairs
 * whose container end lives in it. {@link #close} deletes everything, and is safe to call after
 * a half-failed setup; use it in a finally block or an @AfterEach.
 *
 * <pre>
 * try (TestNetns ns = TestNetns.create()) {
 *     TestNetns.Veth veth = ns.addVeth();
 *     NetNs.run(ns.path(), ...);
 *     JsonNode link = ns.link(veth.containerName());
 * }
 * </pre>
 *
 * Names come from {@link TestRun#nextId}, so no other run on the host (another clone's suite)
 * can hold them, and every namespace and host link is recorded in the run's lease before it is
 * made: what a killed JVM leaves behind is removed by the next run's {@link LeftoverSweep}.
 */
public final class TestNetns implements AutoCloseable {
    public static final String PREFIX = "jcni-t-";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String name;
    private final List<String> hostLinks = new ArrayList<>();
    private boolean closed;

    private TestNetns(String name) {
        this.name = name;
    }

    /** Creates {@code jcni-t-<run id>} with {@code ip netns add}, and brings its lo up. */
    public static TestNetns create() {
        TestRun run = TestRun.current();
        TestNetns ns = new TestNetns(PREFIX + run.nextId());
        run.record(TestRun.NETNS, ns.name, true);
        Cmd.check("ip", "netns", "add", ns.name);
        try {
            ns.ip("link", "set", "lo", "up");
        } catch (RuntimeException | AssertionError e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    public String name() {
        return name;
    }

    /** The name without {@link #PREFIX}: eight hex digits unique on the host, for naming this test's links. */
    public String suffix() {
        return name.substring(PREFIX.length());
    }

    /** The bind mount that {@code NetNs.run} enters. */
    public String path() {
        return "/run/netns/" + name;
    }

    /** Two ends of a veth pair: one in the host namespace, one in this namespace. */
    public record Veth(String hostName, String containerName) {}

    /** A veth pair {@code jt<run id>h} (host) / {@code jt<run id>c} (here). */
    public Veth addVeth() {
        String base = "jt" + TestRun.current().nextId();
        return addVeth(base + "h", base + "c");
    }

    /**
     * A veth pair with chosen names (at most 15 characters; the container name may contain dots).
     * A host name should carry this namespace's {@link #suffix}, as {@code "jtu" + ns.suffix()}.
     */
    public Veth addVeth(String hostName, String containerName) {
        hostLinks.add(hostName);
        TestRun.current().record(TestRun.LINK, hostName, true);
        // The peer is created inside the namespace directly: its name (eth0, say) may be taken
        // on the host.
        Cmd.check("ip", "link", "add", hostName, "type", "veth", "peer", "name", containerName, "netns", name);
        return new Veth(hostName, containerName);
    }

    /** {@code ip -n <ns> args...}; stdout, or an AssertionError on failure. */
    public String ip(String... args) {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "ip";
        cmd[1] = "-n";
        cmd[2] = name;
        System.arraycopy(args, 0, cmd, 3, args.length);
        return Cmd.check(cmd);
    }

    /** {@code ip netns exec <ns> command...}; stdout, or an AssertionError on failure. */
    public String exec(String... command) {
        return execResult(command).orFail();
    }

    public Cmd.Result execResult(String... command) {
        String[] cmd = new String[command.length + 4];
        cmd[0] = "ip";
        cmd[1] = "netns";
        cmd[2] = "exec";
        cmd[3] = name;
        System.arraycopy(command, 0, cmd, 4, command.length);
        return Cmd.run(Cmd.DEFAULT_TIMEOUT, cmd);
    }

    /** The kernel's view of a link in this namespace: {@code ip -d -j -n <ns> link show dev <ifname>}. */
    public JsonNode link(String ifname) {
        return parseFirst(ip("-d", "-j", "link", "show", "dev", ifname));
    }

    /** The kernel's view of a host link: {@code ip -d -j link show dev <ifname>}. */
    public static JsonNode hostLink(String ifname) {
        return parseFirst(Cmd.check("ip", "-d", "-j", "link", "show", "dev", ifname));
    }

    /** {@code cat /proc/sys/<path>} inside this namespace, trailing newline removed. */
    public String procSys(String slashPath) {
        return exec("cat", "/proc/sys/" + slashPath).stripTrailing();
    }

    /** True if the JSON link's "flags" array holds {@code flag} (e.g. "UP", "PROMISC"). */
    public static boolean hasFlag(JsonNode link, String flag) {
        for (JsonNode f : link.path("flags")) {
            if (flag.equals(f.asText())) {
                return true;
            }
        }
        return false;
    }

    /** Deletes the namespace (which destroys its veth ends, and so their peers) and any host end left over. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        // A process still inside (a server the test did not stop) would keep the namespace alive unnamed.
        LeftoverSweep.killProcessesIn(name);
        Cmd.Result del = Cmd.run(Cmd.DEFAULT_TIMEOUT, "ip", "netns", "del", name);
        if (!del.ok() && Files.exists(Path.of(path()))) {
            // EBUSY while another process briefly holds a copy of the mount: once more, after a moment.
            sleepQuietly(200);
            del = Cmd.run(Cmd.DEFAULT_TIMEOUT, "ip", "netns", "del", name);
        }
        if (del.ok() || !Files.exists(Path.of(path()))) {
            TestRun.current().record(TestRun.NETNS, name, false);
        } else {
            System.err.println("TestNetns: cannot delete " + name + " (" + del.stderr().trim() + "); the next run's sweep will");
        }
        for (String link : hostLinks) {
            // Gone with the namespace; still there only if creating the pair half-failed.
            Cmd.Result linkDel = Cmd.run(Cmd.DEFAULT_TIMEOUT, "ip", "link", "del", link);
            if (linkDel.ok() || linkDel.stderr().contains("Cannot find device")) {
                TestRun.current().record(TestRun.LINK, link, false);
            }
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static JsonNode parseFirst(String json) {
        try {
            JsonNode arr = JSON.readTree(json);
            if (!arr.isArray() || arr.size() != 1) {
                throw new AssertionError("expected one link in: " + json);
            }
            return arr.get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
