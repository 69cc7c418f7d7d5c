package dev.jcni.it.portmap;

import dev.jcni.core.os.OsException;
import dev.jcni.core.os.netns.NetNs;
import dev.jcni.it.support.TestNetns;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Servers in sandboxes and UDP clients in namespaces, for the portmap traffic tests. */
final class Sandboxes {
    /** A TCP (HTTP-less: it answers its name and closes) and a UDP echo of its name, dual-stack. */
    static final String SERVER = String.join("\n",
            "import socket, sys, threading",
            "name = sys.argv[1].encode()",
            "def tcp(port):",
            "    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM); s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)",
            "    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(('::', port)); s.listen(64)",
            "    while True:",
            "        c, a = s.accept(); c.sendall(name + b' ' + a[0].encode() + b'\\n'); c.close()",
            "def udp(port):",
            "    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM); s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)",
            "    s.bind(('::', port))",
            "    while True:",
            "        d, a = s.recvfrom(2048); s.sendto(name, a)",
            "threading.Thread(target=udp, args=(5353,), daemon=True).start()",
            "tcp(8080)");

    private Sandboxes() {}

    static Process serve(TestNetns ns, Path work) throws IOException {
        Path script = work.resolve("server.py");
        if (!Files.exists(script)) {
            Files.writeString(script, SERVER);
        }
        return new ProcessBuilder("ip", "netns", "exec", ns.name(), "python3", script.toString(), ns.name())
                .redirectErrorStream(true).redirectOutput(work.resolve(ns.name() + ".log").toFile()).start();
    }

    /**
     * A UDP exchange from namespace {@code nsPath}, from a fixed local port (so conntrack sees
     * one flow): the answer, or null after {@code timeoutMs}.
     */
    static String udp(String nsPath, int localPort, String address, int port, int timeoutMs) throws IOException, OsException {
        InetSocketAddress to = new InetSocketAddress(InetAddress.getByName(address), port);
        DatagramSocket s = NetNs.run(nsPath, () -> {
            DatagramSocket d = new DatagramSocket(null);
            d.setReuseAddress(true);
            d.bind(new InetSocketAddress(localPort));
            return d;
        });
        try {
            s.setSoTimeout(timeoutMs);
            byte[] ping = "ping".getBytes(StandardCharsets.US_ASCII);
            s.send(new DatagramPacket(ping, ping.length, to));
            byte[] buf = new byte[2048];
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            s.receive(p);
            return new String(buf, 0, p.getLength(), StandardCharsets.UTF_8);
        } catch (SocketTimeoutException e) {
            return null;
        } finally {
            s.close();
        }
    }

    /** The first line a TCP connection to {@code address:port} from namespace {@code nsPath} reads, or null when refused or silent. */
    static String tcp(String nsPath, String address, int port) throws OsException {
        InetSocketAddress to = new InetSocketAddress(address, port);
        try {
            return NetNs.run(nsPath, () -> {
                try (java.net.Socket s = new java.net.Socket(java.net.Proxy.NO_PROXY)) {
                    s.connect(to, 3000);
                    s.setSoTimeout(3000);
                    String line = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                    return line.isEmpty() ? null : line;
                } catch (IOException e) {
                    return null;
                }
            });
        } catch (RuntimeException e) {
            return null;
        }
    }
}
