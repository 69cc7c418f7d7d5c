package dev.jcni.it.support;

import dev.jcni.core.os.OsException;
import dev.jcni.core.os.netns.NetNs;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A network namespace that stands in for the host, for tests of plugins that change the host's
 * side: bridges, veth host ends, ifbs, iptables and nftables rules, and host sysctls such as
 * {@code net.ipv4.ip_forward} (the reference bridge's isGateway) or {@code route_localnet}
 * (portmap's snat). Plugins run in it as a runtime on that host would run them ({@code nsenter
 * --net}), so nothing they change reaches the real host, two runs of the suite cannot meet on a
 * bridge, subnet, port or rule, and {@link #close} undoes everything at once.
 *
 * <p>It has what a host has: {@code lo} up, and an uplink ({@code uplink0}, {@value #UPLINK_ADDRESS}/24,
 * default route) whose address plays the host's own address.
 */
public final class PrivateHost implements AutoCloseable {
    /** The address of this host's uplink: the "host's own address" of hostPort tests. */
    public static final String UPLINK_ADDRESS = "198.51.100.1";
    private static final String NSENTER = "/usr/bin/nsenter";
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private final TestNetns ns;

    private PrivateHost(TestNetns ns) {
        this.ns = ns;
    }

    public static PrivateHost create() {
        if (!Files.isExecutable(Path.of(NSENTER))) {
            throw new AssertionError(NSENTER + " (util-linux) is needed to run plugins in a private host namespace");
        }
        TestNetns ns = TestNetns.create();
        try {
            ns.ip("link", "add", "uplink0", "type", "veth", "peer", "name", "uplink1");
            ns.ip("addr", "add", UPLINK_ADDRESS + "/24", "dev", "uplink0");
            ns.ip("link", "set", "uplink0", "up");
            ns.ip("link", "set", "uplink1", "up");
            ns.ip("route", "add", "default", "via", "198.51.100.254", "dev", "uplink0");
        } catch (RuntimeException | AssertionError e) {
            ns.close();
            throw e;
        }
        return new PrivateHost(ns);
    }

    public String name() {
        return ns.name();
    }

    /** {@code /run/netns/<name>}. */
    public String path() {
        return ns.path();
    }

    /** The namespace itself, for {@code ip -n} reads. */
    public TestNetns netns() {
        return ns;
    }

    /** {@code argv} prefixed so that it runs in this host: {@code nsenter --net=PATH -- argv}. */
    public List<String> inside(String... argv) {
        List<String> cmd = new ArrayList<>(List.of(NSENTER, "--net=" + path(), "--"));
        cmd.addAll(Arrays.asList(argv));
        return cmd;
    }

    /** Runs {@code argv} in this host with the default timeout. */
    public Cmd.Result run(String... argv) {
        return Cmd.run(Cmd.DEFAULT_TIMEOUT, inside(argv).toArray(new String[0]));
    }

    /**
     * A veth from this host into {@code sandbox}, both ends up: {@code hostEnd} here (a name of the
     * run's: a role and the sandbox's suffix) and eth0 in the sandbox, as an interface plugin
     * leaves them for a meta plugin.
     */
    public void vethTo(TestNetns sandbox, String hostEnd) {
        run("ip", "link", "add", hostEnd, "type", "veth", "peer", "name", "eth0", "netns", sandbox.name()).orFail();
        run("ip", "link", "set", hostEnd, "up").orFail();
        sandbox.ip("link", "set", "eth0", "up");
    }

    public boolean linkExists(String name) {
        return Cmd.run(Cmd.DEFAULT_TIMEOUT, "ip", "-n", name(), "link", "show", "dev", name).ok();
    }

    /** This host's iptables rules, every table ({@code iptables-save}): only this test's. */
    public String iptablesSave() {
        return run("iptables-save").orFail();
    }

    /**
     * This host's whole firewall: {@code iptables-save} and then {@code nft list ruleset}, since
     * the reference plugins write iptables rules and ours nftables ones. Only this test's.
     */
    public String firewall() {
        return iptablesSave() + "\n" + run("nft", "list", "ruleset").orFail();
    }

    /** Executes a plugin in this host, as a runtime here would: env and stdin as given. */
    public PluginRunner.Run exec(Path plugin, Map<String, String> env, String stdin) throws IOException {
        PluginRunner.requireExecutable(plugin);
        return PluginRunner.exec(inside(plugin.toString()), env, stdin);
    }

    /**
     * A plugin directory for a runtime: for each type, a script that execs {@code from/<type>}
     * inside this host. Delegated plugins (bridge calling host-local) inherit the namespace.
     */
    public Path pluginDir(Path dir, Path from, String... types) throws IOException {
        Files.createDirectories(dir);
        for (String type : types) {
            Path wrapper = dir.resolve(type);
            Files.writeString(wrapper, "#!/bin/sh\nexec " + NSENTER + " --net='" + path() + "' -- '" + from.resolve(type)
                    + "' \"$@\"\n", StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return dir;
    }

    /**
     * A TCP connection made from inside this host (the socket stays in its namespace, and is used
     * from the caller's thread); never through a proxy.
     */
    public Socket connect(String address, int port) throws IOException, OsException {
        InetSocketAddress to = new InetSocketAddress(InetAddress.getByName(address), port);
        return NetNs.run(path(), () -> {
            Socket s = new Socket(Proxy.NO_PROXY);
            try {
                s.connect(to, (int) CONNECT_TIMEOUT.toMillis());
                s.setSoTimeout((int) CONNECT_TIMEOUT.toMillis());
                return s;
            } catch (IOException e) {
                s.close();
                throw e;
            }
        });
    }

    /** True once something in this host accepts connections on {@code address:port}. */
    public boolean accepts(String address, int port) throws OsException {
        try (Socket s = connect(address, port)) {
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** {@code GET /} over HTTP/1.0 from inside this host; the body, after asserting status 200. */
    public String httpGet(String address, int port) throws IOException, OsException {
        try (Socket s = connect(address, port)) {
            OutputStream out = s.getOutputStream();
            out.write(("GET / HTTP/1.0\r\nHost: " + address + ":" + port + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            int headersEnd = response.indexOf("\r\n\r\n");
            String status = response.isEmpty() ? "" : response.substring(0, Math.max(0, response.indexOf("\r\n")));
            if (headersEnd < 0 || !status.matches("HTTP/1\\.[01] 200 .*")) {
                throw new AssertionError("GET http://" + address + ":" + port + "/ in " + name() + ": " + response);
            }
            return response.substring(headersEnd + 4);
        }
    }

    /** Deletes the namespace, and with it every bridge, link, rule and sysctl the plugins changed here. */
    @Override
    public void close() {
        ns.close();
    }
}
