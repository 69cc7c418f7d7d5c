package dev.jcni.it.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.protocol.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A scripted stand-in for jcnid (fake_jcnid.py beside this class: the daemon side of
 * docs/daemon-protocol.md in Python, written apart from the C launcher), listening at a socket
 * of the test's own directory. Each connection's request is recorded: {@link #requests()} gives
 * the HELLOs as the daemon decoded them, {@link #stdin} the bytes that followed.
 */
final class FakeJcnid implements AutoCloseable {
    private final Process process;
    private final Path socket;
    private final Path records;

    private FakeJcnid(Process process, Path socket, Path records) {
        this.process = process;
        this.socket = socket;
        this.records = records;
    }

    /**
     * Starts the daemon in {@code mode} (see fake_jcnid.py) at {@code dir}/d.sock, recording into
     * {@code dir}/records; returns once it listens.
     */
    static FakeJcnid start(Path dir, String mode, String... options) throws IOException {
        Path script = Files.createDirectories(dir).resolve("fake_jcnid.py");
        try (InputStream in = FakeJcnid.class.getResourceAsStream("fake_jcnid.py")) {
            if (in == null) {
                throw new IllegalStateException("fake_jcnid.py is not on the test class path");
            }
            Files.write(script, in.readAllBytes());
        }
        Path records = Files.createDirectories(dir.resolve("records"));
        Path socket = dir.resolve("d.sock");
        List<String> argv = new ArrayList<>(List.of("/usr/bin/python3", script.toString(), socket.toString(), mode, records.toString()));
        argv.addAll(List.of(options));
        Process p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        FakeJcnid daemon = new FakeJcnid(p, socket, records);
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try {
                return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)).readLine();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try {
            String line = ready.get(20, TimeUnit.SECONDS);
            if (!"ready".equals(line)) {
                throw new IllegalStateException("fake_jcnid.py " + mode + " did not start: " + line);
            }
        } catch (Exception e) {
            daemon.close();
            throw new IllegalStateException("fake_jcnid.py " + mode + " did not start", e);
        }
        return daemon;
    }

    Path socket() {
        return socket;
    }

    /** The requests received so far, in order (waiting briefly for one still being written). */
    List<JsonNode> requests() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (int n = 1; ; n++) {
            Path json = records.resolve(n + ".json");
            Path error = records.resolve(n + ".error");
            if (Files.exists(error)) {
                throw new AssertionError("the daemon could not decode request " + n + ": " + Files.readString(error));
            }
            if (!Files.exists(json)) {
                return out;
            }
            out.add(Json.parse(Files.readAllBytes(json)));
        }
    }

    /** The one request received; fails unless there was exactly one. */
    JsonNode onlyRequest() throws Exception {
        List<JsonNode> all = requests();
        if (all.size() != 1) {
            throw new AssertionError("expected one request to the daemon, got " + all.size());
        }
        return all.get(0);
    }

    /** The stdin bytes of request {@code n} (1-based). */
    byte[] stdin(int n) throws IOException {
        return Files.readAllBytes(records.resolve(n + ".stdin"));
    }

    /** Whether it is still running (stale mode exits at once). */
    boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
