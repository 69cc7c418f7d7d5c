package dev.jcni.cnictl.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The demo's proof that the attachment carries traffic: python3's http.server runs inside the
 * sandbox and is fetched through the hostPort, on 127.0.0.1 and on the host's own address. Only
 * local addresses and the demo's own namespace are ever contacted, and never through a proxy.
 */
final class HttpCheck {
    private final DemoConsole console;
    private final DemoSandbox sandbox;
    private final String containerIp;
    private final int containerPort;
    private final int hostPort;
    private Process server;

    HttpCheck(DemoConsole console, DemoSandbox sandbox, DemoAttachment attachment, int containerPort) {
        this.console = console;
        this.sandbox = sandbox;
        this.containerIp = attachment.containerIp();
        this.containerPort = containerPort;
        this.hostPort = attachment.hostPort();
    }

    /** Serves a greeting in the sandbox and fetches it through the hostPort; {@link #stop} ends the server. */
    void run() throws Demo.Failure, IOException {
        Path www = Files.createDirectories(sandbox.runDir().resolve("www"));
        String greeting = "hello from the jcni demo sandbox " + sandbox.netnsName();
        Files.writeString(www.resolve("index.html"), greeting + "\n");
        server = new ProcessBuilder("ip", "netns", "exec", sandbox.netnsName(), HostCommands.which("python3").toString(),
                "-m", "http.server", Integer.toString(containerPort), "--bind", "0.0.0.0", "--directory", www.toString())
                .redirectErrorStream(true).redirectOutput(log().toFile()).start();
        waitForServer();
        console.say("python3 http.server listening on " + containerIp + ":" + containerPort + " inside " + sandbox.netnsName());
        fetch("127.0.0.1", greeting);
        String hostAddress = hostAddress();
        if (hostAddress == null) {
            console.say("the host has no global IPv4 address besides the demo bridge: skipping the host-address fetch");
        } else {
            fetch(hostAddress, greeting);
        }
    }

    /** Ends the server, if it runs; idempotent. */
    void stop() {
        if (server == null || !server.isAlive()) {
            return;
        }
        server.destroy();
        try {
            if (!server.waitFor(3, TimeUnit.SECONDS)) {
                server.destroyForcibly();
                server.waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Path log() {
        return sandbox.runDir().resolve("http.log");
    }

    private void waitForServer() throws Demo.Failure {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            if (!server.isAlive()) {
                throw new Demo.Failure("the HTTP server in the namespace exited: " + HostCommands.readQuietly(log()));
            }
            try (Socket s = new Socket(Proxy.NO_PROXY)) {
                s.connect(new InetSocketAddress(containerIp, containerPort), 300);
                return;
            } catch (IOException notYet) {
                sleep(100);
            }
        }
        throw new Demo.Failure("the HTTP server in the namespace did not start listening within 15 s");
    }

    private void fetch(String host, String expected) throws Demo.Failure {
        String url = "http://" + host + ":" + hostPort + "/";
        long start = System.nanoTime();
        try {
            HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection(Proxy.NO_PROXY);
            c.setConnectTimeout(5000);
            c.setReadTimeout(5000);
            int status = c.getResponseCode();
            String body;
            try (InputStream in = c.getInputStream()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            }
            console.say("GET " + url + " -> " + status + " \"" + body + "\" in "
                    + DemoConsole.millis(Duration.ofNanos(System.nanoTime() - start)) + " ms");
            if (status != 200 || !body.equals(expected)) {
                throw new Demo.Failure("GET " + url + " returned " + status + " \"" + body + "\", expected \"" + expected + "\"");
            }
        } catch (IOException e) {
            throw new Demo.Failure("GET " + url + " failed: " + e);
        }
    }

    /** The host's own address: the source of its default route, else its first global address (never the demo bridge's). */
    private String hostAddress() {
        List<String> local = new ArrayList<>();
        for (String l : HostCommands.run("ip", "-4", "-o", "addr", "show", "scope", "global").lines()) {
            String[] f = l.trim().split("\\s+");
            if (f.length > 3 && !f[1].equals(sandbox.bridgeName())) {
                local.add(f[3].substring(0, f[3].indexOf('/')));
            }
        }
        String[] route = HostCommands.run("ip", "-4", "route", "get", "1.1.1.1").text().trim().split("\\s+");
        for (int i = 0; i + 1 < route.length; i++) {
            if (route[i].equals("src") && local.contains(route[i + 1])) {
                return route[i + 1];
            }
        }
        return local.isEmpty() ? null : local.get(0);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
