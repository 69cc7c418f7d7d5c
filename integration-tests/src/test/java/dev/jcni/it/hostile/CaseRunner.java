package dev.jcni.it.hostile;

import dev.jcni.it.support.PluginRunner;
import dev.jcni.core.os.process.ProcessRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs one case: makes its workspace, plants its files, takes the snapshots, runs the target
 * through {@code env -i} (exactly the case's environment, values as bytes), takes the snapshots
 * again and says what broke the rules: the protocol ({@link Protocol}), the expected outcome
 * ({@link Expect}), the time bound, and every change that was not allowed: on the host (links,
 * sysctls, the files a case names), in the workspace's stand-ins for host files, in the
 * sandbox and in the target's state.
 */
final class CaseRunner {
    /** Past this the process tree is killed: a hang. */
    static final Duration DEADLINE = Duration.ofSeconds(30);
    /** A case must answer within this; a JVM plugin answers in a fraction of a second. */
    static final Duration BOUND = Duration.ofSeconds(15);

    /** Host sysctls every case watches (besides those it names); {@code ${HOSTIF}} is the suite's host link. */
    static final List<String> HOST_SYSCTLS = List.of("kernel/domainname", "kernel/hostname", "net/ipv4/ip_forward",
            "net/core/somaxconn", "net/ipv4/conf/all/rp_filter", "net/ipv4/conf/default/rp_filter", "net/ipv4/conf/lo/rp_filter",
            "net/ipv4/conf/${HOSTIF}/rp_filter", "net/ipv4/ip_local_port_range");
    /** Sandbox sysctls every case watches. */
    static final List<String> SANDBOX_SYSCTLS = List.of("net/ipv4/ip_forward", "net/core/somaxconn", "net/ipv4/conf/all/rp_filter",
            "net/ipv4/conf/default/rp_filter", "net/ipv4/conf/eth0/rp_filter", "net/ipv4/conf/eth0/arp_ignore",
            "net/ipv4/ip_local_port_range");

    private static final ProcessRunner RUNNER = new ProcessRunner(0, Duration.ZERO);

    private final Target target;
    private final Map<String, String> suiteValues;
    private final Path scratch;
    private final Set<String> inFlight;

    CaseRunner(Target target, Map<String, String> suiteValues, Path scratch, Set<String> inFlight) {
        this.target = target;
        this.suiteValues = suiteValues;
        this.scratch = scratch;
        this.inFlight = inFlight;
    }

    /** Runs {@code c} against {@code sandbox}; resets the sandbox when the case changed it. */
    CaseResult run(String id, HostileCase c, WorkerSandbox sandbox) {
        Map<String, String> values = new LinkedHashMap<>(suiteValues);
        values.put("NETNS", sandbox.path());
        List<String> problems = new ArrayList<>();
        Set<String> concurrent = new TreeSet<>(inFlight);
        inFlight.add(id);
        boolean sandboxChanged = false;
        Phases phases = new Phases();
        try (Workspace ws = Workspace.create(scratch, id.replaceAll("[^a-zA-Z0-9]", "-"), values)) {
            ws.plant(c.plants());
            phases.mark("setup");
            Watch watch = new Watch(ws, c, sandbox);
            Snapshot before = watch.take();
            phases.mark("snapshot");

            ProcessRunner.Outcome o = exec(ws, c);
            phases.mark("process");

            Snapshot after = watch.take();
            phases.mark("snapshot");
            concurrent.addAll(inFlight);
            concurrent.remove(id);
            String stderr = new String(o.stderr(), StandardCharsets.UTF_8);
            Protocol.Answer answer = check(c, o, stderr, problems);
            boolean succeeded = answer.succeeded();

            List<String> hostChanges = before.hostChanges(after, ws.expand("${HOSTIF}"));
            for (String change : hostChanges) {
                problems.add("the host changed: " + change);
            }
            for (String change : before.files.diff(after.files)) {
                problems.add("a file outside the plugin's state changed: " + change);
            }
            List<String> sandboxChanges = before.sandbox.diff(after.sandbox);
            sandboxChanged = !sandboxChanges.isEmpty();
            if (!c.expect().sandboxMayChange(succeeded)) {
                for (String change : sandboxChanges) {
                    problems.add("the sandbox changed" + (succeeded ? "" : " although the request failed") + ": " + change);
                }
            }
            if (!c.expect().stateMayChange(succeeded)) {
                for (String change : before.state.diff(after.state)) {
                    problems.add("the plugin's state changed although the request failed: " + change);
                }
            }
            restoreHostSysctls(before, after, inputText(ws, c));
            return new CaseResult(id, c, problems, o.elapsed(), o.exitCode(), new String(o.stdout(), StandardCharsets.UTF_8), stderr,
                    new ArrayList<>(concurrent), phases);
        } catch (RuntimeException | AssertionError e) {
            problems.add("the case could not be run: " + e);
            sandboxChanged = true;
            return new CaseResult(id, c, problems, Duration.ZERO, -1, "", "", new ArrayList<>(concurrent), phases);
        } finally {
            inFlight.remove(id);
            phases.mark("setup");
            if (sandboxChanged) {
                sandbox.reset();
                phases.mark("sandbox reset");
            }
        }
    }

    /** The protocol, the expected outcome and the time bound. */
    private Protocol.Answer check(HostileCase c, ProcessRunner.Outcome o, String stderr, List<String> problems) {
        if (o.timedOut()) {
            problems.add("no answer within " + DEADLINE.toSeconds() + " s: it hung and was killed");
        } else if (o.elapsed().compareTo(BOUND) > 0) {
            problems.add("answered only after " + o.elapsed().toMillis() + " ms (bound " + BOUND.toMillis() + " ms)");
        }
        Protocol.checkCommon(o.stdout(), stderr, problems);
        Protocol.Answer a = target.protocol().read(c, o.exitCode(), o.stdout(), stderr, problems);
        Expect e = c.expect();
        switch (a.kind()) {
            case SUCCESS -> {
                if (!e.allowsSuccess()) {
                    problems.add("succeeded, expected " + e);
                }
            }
            case ERROR -> {
                if (!e.allowsError(a.code())) {
                    problems.add("failed with code " + a.code() + ", expected " + e);
                }
            }
            case USAGE -> {
                if (e.outcome() != Expect.Outcome.USAGE) {
                    problems.add("a usage error, expected " + e);
                }
            }
            case BROKEN -> problems.add("no valid answer, expected " + e);
        }
        return a;
    }

    /** {@code env -i} with exactly the case's environment, from a script whose values are printf escapes. */
    private ProcessRunner.Outcome exec(Workspace ws, HostileCase c) {
        Map<String, Text> env = new LinkedHashMap<>(target.defaultEnv(c));
        env.putAll(c.env());
        for (Map.Entry<String, String> m : PluginRunner.modeEnvironment().entrySet()) {
            env.putIfAbsent(m.getKey(), Text.of(m.getValue()));  // how the plugin runs (PluginMode)
        }
        ShellScript sh = new ShellScript();
        sh.line("cd " + ShellScript.quote(ws.expand("${CWD}")) + " || exit 97");
        StringBuilder exec = new StringBuilder("exec /usr/bin/env -i");
        for (Map.Entry<String, Text> e : env.entrySet()) {
            if (e.getValue() != null) {
                byte[] value = ws.bytes(e.getValue());
                byte[] pair = new byte[e.getKey().length() + 1 + value.length];
                System.arraycopy(e.getKey().getBytes(StandardCharsets.US_ASCII), 0, pair, 0, e.getKey().length());
                pair[e.getKey().length()] = '=';
                System.arraycopy(value, 0, pair, e.getKey().length() + 1, value.length);
                exec.append(' ').append(ShellScript.word(sh.assign(pair)));
            }
        }
        for (Text word : target.command(c)) {
            exec.append(' ').append(ShellScript.word(sh.assign(ws.bytes(word))));
        }
        if (c.stdin().redirect() != null) {
            exec.append(" < ").append(ShellScript.word(sh.assign(ws.bytes(c.stdin().redirect()))));
        }
        sh.line(exec.toString());
        Path script = ws.root().resolve(".run.sh");
        try {
            Files.writeString(script, sh.toString(), StandardCharsets.US_ASCII);
            return RUNNER.run(List.of("/bin/sh", script.toString()), Map.of(), c.stdin().bytes(ws.values()), DEADLINE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + target.name(), e);
        }
    }

    /**
     * A host sysctl this case changed is put back at once (only a regression changes one). Only
     * one it changed: the new value must be text the case fed in. On a shared host another
     * process may change a sysctl during the case (another suite putting back its own value), and
     * writing the "before" value over that would make this suite the one that changes the host.
     */
    private static void restoreHostSysctls(Snapshot before, Snapshot after, String input) {
        for (Map.Entry<String, String> e : before.host.entries().entrySet()) {
            String key = e.getKey();
            String now = after.host.get(key);
            if (key.startsWith("host sysctl ") && now != null && !e.getValue().equals(now) && !e.getValue().equals(State.ABSENT)
                    && !now.isEmpty() && input.contains(now)) {
                KernelState.writeHostSysctl(key.substring("host sysctl ".length()), e.getValue());
            }
        }
    }

    /** Everything the case fed in (stdin, environment, arguments, planted contents), as text, for {@link #restoreHostSysctls}. */
    private String inputText(Workspace ws, HostileCase c) {
        StringBuilder sb = new StringBuilder();
        byte[] in = c.stdin().bytes(ws.values());
        if (in != null && in.length < (1 << 20)) {
            sb.append(new String(in, StandardCharsets.UTF_8));
        }
        for (Text t : c.env().values()) {
            if (t != null) {
                sb.append('\n').append(new String(ws.bytes(t), StandardCharsets.UTF_8));
            }
        }
        for (Text t : c.args()) {
            sb.append('\n').append(new String(ws.bytes(t), StandardCharsets.UTF_8));
        }
        for (Plant p : c.plants()) {
            if (p.content() != null) {
                sb.append('\n').append(new String(ws.bytes(p.content()), StandardCharsets.UTF_8));
            }
        }
        return sb.toString();
    }

    /** What one case watches. */
    private final class Watch {
        private final Workspace ws;
        private final WorkerSandbox sandbox;
        private final Set<String> hostSysctls = new LinkedHashSet<>();
        private final Set<String> sandboxSysctls = new LinkedHashSet<>();
        private final List<Path> paths = new ArrayList<>();

        Watch(Workspace ws, HostileCase c, WorkerSandbox sandbox) {
            this.ws = ws;
            this.sandbox = sandbox;
            for (String s : HOST_SYSCTLS) {
                hostSysctls.add(ws.expand(s));
            }
            for (String s : SANDBOX_SYSCTLS) {
                sandboxSysctls.add(ws.expand(s));
            }
            for (String s : c.watchedSysctls()) {
                hostSysctls.add(ws.expand(s));
                sandboxSysctls.add(ws.expand(s));
            }
            for (String p : c.watchedPaths()) {
                paths.add(Path.of(ws.expand(p)));
            }
        }

        Snapshot take() {
            State host = KernelState.hostLinks().with(KernelState.hostSysctls(hostSysctls));
            State inSandbox = KernelState.links("sandbox", sandbox.name()).with(KernelState.sandboxSysctls(sandbox.path(), sandboxSysctls));
            State files = FileState.ofTrees(ws.root(), Workspace.WATCHED).with(FileState.ofPaths(paths));
            State state = FileState.ofTrees(ws.root(), target.stateDirs(), true);
            return new Snapshot(host, inSandbox, files, state);
        }
    }

    /** The four snapshots of one moment. */
    private record Snapshot(State host, State sandbox, State files, State state) {
        /**
         * Host changes: any watched sysctl; a link's attributes; and a link vanishing if it is
         * {@code lo} or the suite's own host link. Other links appearing or vanishing are other
         * processes' business on a shared host, and so are the links of other test runs (named
         * {@code jt...}, see the support package: their tests bring them up and down meanwhile).
         */
        List<String> hostChanges(Snapshot after, String hostLink) {
            List<String> out = new ArrayList<>();
            for (String line : host.diff(after.host)) {
                boolean appeared = line.contains(": " + State.ABSENT + " -> ");
                boolean vanished = line.endsWith(" -> " + State.ABSENT);
                boolean link = line.startsWith("host link ");
                boolean own = line.startsWith("host link " + hostLink + ":");
                boolean otherRuns = link && line.startsWith("host link jt") && !own;
                boolean mustStay = line.startsWith("host link lo:") || own;
                if (!otherRuns && (!link || !(appeared || vanished) || (vanished && mustStay))) {
                    out.add(line);
                }
            }
            return out;
        }
    }
}
