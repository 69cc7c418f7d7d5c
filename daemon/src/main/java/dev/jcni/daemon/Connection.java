package dev.jcni.daemon;

import dev.jcni.core.daemon.Hello;
import dev.jcni.core.daemon.ProtocolException;
import dev.jcni.core.daemon.Reply;
import dev.jcni.core.daemon.Wire;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.netns.NetNs;
import dev.jcni.core.os.socket.SeqpacketSocket;
import dev.jcni.core.protocol.Json;
import dev.jcni.core.skel.CniPlugin;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * One connection, on its own platform thread: read the request, check it, reserve a worker,
 * answer ACCEPTED, run it, answer RESULT, close. Every check that can decline comes before
 * ACCEPTED; after ACCEPTED the only failure is not answering (the connection closes without a
 * RESULT), which the launcher turns into code 11 for ADD and CHECK and an in-process re-run for
 * the verbs that may run twice.
 */
final class Connection implements Runnable {
    private final Daemon daemon;
    private final SeqpacketSocket c;
    private final long id;

    Connection(Daemon daemon, SeqpacketSocket c, long id) {
        this.daemon = daemon;
        this.c = c;
        this.id = id;
    }

    @Override
    public void run() {
        long start = System.nanoTime();
        try {
            c.receiveTimeout(DaemonSettings.READ_DEADLINE);
            c.sendTimeout(DaemonSettings.SEND_DEADLINE);
            Request request;
            try {
                request = RequestReader.read(c);
            } catch (ProtocolException e) {
                daemon.decline(c, id, e.reason(), e.getMessage());
                return;
            }
            try (request) {
                if (request.hello().kind() == Wire.KIND_CONTROL) {
                    control(request.hello());
                } else {
                    plugin(request, start);
                }
            }
        } catch (OsException | RuntimeException e) {
            daemon.log.warn("#" + id + " failed: " + e);
        } catch (Error e) {
            daemon.log.warn("#" + id + " failed: " + e);
            throw e;
        } finally {
            c.close();
            daemon.finished();
        }
    }

    private void plugin(Request request, long start) throws OsException {
        Hello hello = request.hello();
        if (daemon.drain.draining()) {
            daemon.decline(c, id, Wire.DECLINED_DRAINING, "jcnid is stopping: " + daemon.drain.reason());
            return;
        }
        if (!Wire.isBuildIdentity(hello.build())) {
            daemon.decline(c, id, Wire.DECLINED_MALFORMED, "build \"" + hello.build() + "\" is not a build identity");
            return;
        }
        if (!hello.build().equals(daemon.build)) {
            // Draining first: once the launcher has its answer, this daemon takes no new request.
            daemon.stop("a launcher of build " + hello.build() + " asked; this daemon is build " + daemon.build);
            daemon.decline(c, id, Wire.DECLINED_BUILD, "launcher build " + hello.build() + ", daemon build " + daemon.build);
            return;
        }
        if (!daemon.plugins.serves(hello.plugin())) {
            daemon.decline(c, id, Wire.DECLINED_UNKNOWN_PLUGIN, "no plugin \"" + hello.plugin() + "\" here; serving " + daemon.plugins);
            return;
        }
        Map<String, String> env = RequestEnvironment.of(hello.environment());
        String netns = env.get("CNI_NETNS");
        boolean namesSandbox = netns != null && !netns.isEmpty();
        if (namesSandbox != hello.hasSandbox()) {
            daemon.decline(c, id, Wire.DECLINED_MALFORMED, namesSandbox ? "CNI_NETNS is set but no namespace descriptor came"
                    : "a namespace descriptor came but CNI_NETNS is empty");
            return;
        }
        CniPlugin plugin;
        try {
            plugin = daemon.plugins.newInstance(hello.plugin());
        } catch (ReflectiveOperationException | LinkageError e) {
            daemon.decline(c, id, Wire.DECLINED_UNKNOWN_PLUGIN, "plugin \"" + hello.plugin() + "\" cannot be made: " + e);
            return;
        }
        try (NetNs caller = adopt(request, "the caller's network namespace", false)) {
            if (caller == null) {
                return;
            }
            try (NetNs sandbox = hello.hasSandbox() ? adopt(request, netns, true) : null) {
                if (hello.hasSandbox() && sandbox == null) {
                    return;
                }
                if (!daemon.workers.tryReserve()) {
                    daemon.decline(c, id, Wire.DECLINED_BUSY, "all " + daemon.workers.size() + " workers are busy");
                    return;
                }
                if (daemon.fault != null) {
                    // Before the 4 s check, so that even a test's hang never yields a late ACCEPTED.
                    daemon.fault.at(TestFault.Point.BEFORE_ACCEPT, hello.plugin());
                }
                long waited = System.nanoTime() - request.helloNanos();
                if (waited > DaemonSettings.LATEST_ACCEPT.toNanos()) {
                    // The launcher waits 5 s from sending its HELLO; a late ACCEPTED could cross
                    // its in-process run of the same request.
                    daemon.workers.release();
                    daemon.decline(c, id, Wire.DECLINED_BUSY, "too slow to accept (" + waited / 1_000_000 + " ms after the HELLO)");
                    return;
                }
                RequestDeadline deadline = new RequestDeadline(env, request.helloNanos());
                if (deadline.passed(System.nanoTime())) {
                    // A deadline under 4 s: accepting now would only turn the launcher's in-process run into code 11.
                    daemon.workers.release();
                    daemon.decline(c, id, Wire.DECLINED_BUSY, "too slow to accept: " + deadline.why(System.nanoTime()));
                    return;
                }
                try {
                    run(hello, env, plugin, request.stdin(), caller, sandbox, start, deadline);
                } finally {
                    daemon.workers.release();
                }
            }
        }
    }

    /** The passed descriptor as a namespace handle, or null after declining (it is no network namespace). */
    private NetNs adopt(Request request, String name, boolean sandbox) {
        try {
            return NetNs.adopt(sandbox ? request.sandbox() : request.callerNamespace(), name);
        } catch (OsException e) {
            daemon.decline(c, id, Wire.DECLINED_MALFORMED, (sandbox ? "the sandbox" : "the caller's") + " descriptor: " + e.getMessage());
            return null;
        }
    }

    private void run(Hello hello, Map<String, String> env, CniPlugin plugin, byte[] stdin, NetNs caller, NetNs sandbox, long start,
            RequestDeadline deadline) throws OsException {
        String verb = env.getOrDefault("CNI_COMMAND", "");
        String container = env.getOrDefault("CNI_CONTAINERID", "");
        try {
            c.send(Reply.encodeAccepted());
        } catch (OsException e) {
            daemon.log.warn("#" + id + " " + hello.plugin() + " " + verb + ": the launcher left before ACCEPTED (" + e.getMessage()
                    + "); nothing ran");
            return;
        }
        if (daemon.fault != null) {
            daemon.fault.at(TestFault.Point.AFTER_ACCEPT, hello.plugin());
        }
        RequestRunner.Output out;
        try {
            out = daemon.runner.run(id, hello.plugin(), plugin, env, stdin, caller, sandbox, deadline);
        } catch (OsException | RuntimeException e) {
            daemon.stats.failedAfterAccept();
            daemon.log.warn("#" + id + " " + hello.plugin() + " " + verb + " " + container + ": failed after ACCEPTED, no RESULT: " + e);
            return;
        }
        if (out.abandoned() != null) {
            // The launcher has given up (or is about to): it answers 11 or re-runs the verb itself,
            // so no RESULT may tell it otherwise.
            daemon.stats.abandoned();
            daemon.log.warn("#" + id + " " + hello.plugin() + " " + (verb.isEmpty() ? "-" : verb) + " " + (container.isEmpty() ? "-" : container)
                    + " abandoned, no RESULT: " + out.abandoned());
            return;
        }
        try {
            reply(out);
        } catch (OsException e) {
            daemon.stats.failedAfterAccept();
            daemon.log.warn("#" + id + " " + hello.plugin() + " " + verb + " " + container + ": RESULT not delivered: " + e.getMessage());
        }
        long nanos = System.nanoTime() - start;
        daemon.stats.served(hello.plugin(), verb.isEmpty() ? "(none)" : verb, nanos, out.exitCode());
        daemon.log.info("#" + id + " " + hello.plugin() + " " + (verb.isEmpty() ? "-" : verb) + " " + (container.isEmpty() ? "-" : container)
                + " exit " + out.exitCode() + " in " + nanos / 10_000 / 100.0 + " ms");
    }

    /** RESULT, then stdout and stderr as DATA chunks (a chunk never holds both). */
    private void reply(RequestRunner.Output out) throws OsException {
        c.send(Reply.encodeResult(out.exitCode(), out.stdout().length, out.stderr().length));
        chunks(out.stdout());
        chunks(out.stderr());
    }

    private void chunks(byte[] bytes) throws OsException {
        for (int offset = 0; offset < bytes.length; offset += Reply.MAX_DATA) {
            c.send(Reply.encodeData(bytes, offset, Math.min(Reply.MAX_DATA, bytes.length - offset)));
        }
    }

    /** status: a JSON object; stop: {"stopping":true}, then the drain. Not checked against the build. */
    private void control(Hello hello) throws OsException {
        byte[] answer;
        boolean stop = false;
        switch (hello.plugin()) {
            case "status":
                answer = Json.writePretty(daemon.status());
                break;
            case "stop":
                answer = "{\"stopping\":true}\n".getBytes(StandardCharsets.UTF_8);
                stop = true;
                break;
            default:
                daemon.decline(c, id, Wire.DECLINED_UNKNOWN_PLUGIN, "no control verb \"" + hello.plugin() + "\"; status or stop");
                return;
        }
        c.send(Reply.encodeAccepted());
        reply(new RequestRunner.Output(0, answer, new byte[0]));
        daemon.log.info("#" + id + " control " + hello.plugin());
        if (stop) {
            daemon.stop("control stop");
        }
    }
}
