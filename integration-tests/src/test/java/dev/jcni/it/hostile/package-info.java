/**
 * The hostile-input suite (issue 6): generated hostile inputs fed to the real launchers in
 * {@code bin/}, as root, each checked against the protocol and against a snapshot of the host and
 * of the sandbox taken before and after it. Skipped (reported, never passed) without root.
 *
 * <h2>The model</h2>
 * <ul>
 *   <li>A <b>case</b> ({@link dev.jcni.it.hostile.HostileCase}) is one input: environment over the
 *       target's defaults, arguments, stdin, files to plant ({@link dev.jcni.it.hostile.Plant}),
 *       extra host paths and sysctls to watch, and what must come out
 *       ({@link dev.jcni.it.hostile.Expect}: an error with this code, success, or either).
 *       Values are templates ({@link dev.jcni.it.hostile.Text}) with {@code ${...}} placeholders
 *       for the case's {@link dev.jcni.it.hostile.Workspace} and the suite's sandbox, and may hold
 *       raw bytes that are no UTF-8.</li>
 *   <li>An <b>input class</b> ({@link dev.jcni.it.hostile.InputClass}) generates cases, from the
 *       suite's seeded {@link java.util.Random} ({@code -Djcni.hostile.seed}; the default is fixed
 *       and printed, so a failure is reproduced exactly).</li>
 *   <li>A <b>target</b> ({@link dev.jcni.it.hostile.Target}) is what cases are fed to: a plugin
 *       ({@link dev.jcni.it.hostile.PluginTarget}, CNI protocol) or cnictl
 *       ({@link dev.jcni.it.hostile.CnictlTarget}, cnitool's exit codes).</li>
 * </ul>
 *
 * <h2>What every case asserts</h2>
 * The expected outcome, with the right code; exit 1 for an error (plugins: 0 or 1, nothing else;
 * cnictl: 0, 1 or 2); on stdout exactly one JSON document where the protocol puts one, nothing
 * where it puts none; no Java stack trace; no output holding a host file's content; an answer
 * within {@code CaseRunner.BOUND} (the process tree is killed at {@code CaseRunner.DEADLINE}: a
 * hang is a failure, never a stuck build); and no change that was not allowed:
 * <ul>
 *   <li>the host: its links' attributes (and {@code lo} and the suite's own host link staying),
 *       the watched host sysctls ({@code CaseRunner.HOST_SYSCTLS} and the case's), the host
 *       paths the case names (existence, type, mode, owner, content), and the workspace's
 *       stand-ins for host files ({@code host/}, {@code policy/}, {@code net.d/}), where nothing
 *       may appear, vanish or change;</li>
 *   <li>the sandbox (its links and watched sysctls) and the target's state (data directory,
 *       cache entries): unchanged after a failure; after a success only if the case allows it.</li>
 * </ul>
 * Host-namespace cases aim at the suite's own veth end ({@code ${HOSTIF}}) and at canaries,
 * never at a real host link or file, so a regression writes where it harms nothing and is seen.
 *
 * <h2>Running</h2>
 * {@link dev.jcni.it.hostile.HostileSuite} makes one workspace per case, runs the cases on a
 * small pool of workers, each with its own sandbox namespace (reset after a case changed it),
 * and reports one JUnit dynamic test per case, grouped by class, plus a summary on stderr: inputs
 * per class, failures, wall time and where it went. {@code -Djcni.hostile.filter=REGEX} runs the
 * cases whose "class: label" matches; {@code -Djcni.hostile.workers=N} sets the pool. A case
 * marked {@link dev.jcni.it.hostile.Expect#knownHole} reproduces a hole waiting for a decision:
 * reported as skipped with the reason while it fails, a failure once it passes.
 *
 * <h2>Adding a plugin</h2>
 * A plugin's suite is a target and its input classes; the generic generators do most of the work:
 * <ul>
 *   <li>{@code new PluginTarget("bridge", Map.of(...node policy...))};</li>
 *   <li>a valid base request that changes the sandbox (so a hostile input that slips through is
 *       seen), fed to {@link dev.jcni.it.hostile.MalformedJson#documents} (broken, deep, huge,
 *       mis-encoded documents with their verdicts);</li>
 *   <li>a schema of every key the plugin reads ({@link dev.jcni.it.hostile.WrongTypes.Field}:
 *       path, JSON type, code), for {@link dev.jcni.it.hostile.WrongTypes#variants};</li>
 *   <li>each path-like field and variable against {@link dev.jcni.it.hostile.HostilePaths#all},
 *       deciding per {@link dev.jcni.it.hostile.HostilePaths.Kind} what it must give;</li>
 *   <li>its own state files planted with hostile content (see {@code TuningStateCases}), and
 *       its runtime arguments ({@code runtimeConfig}, CNI_ARGS);</li>
 *   <li>a test class: {@code new HostileSuite(target, classes).run().tests()} from a
 *       {@code @TestFactory}, {@code @RequiresRoot}, with a class-level {@code @Timeout}.</li>
 * </ul>
 * Plugins that change the host side (bridge, portmap, bandwidth) run in a
 * {@code PrivateHost}: give their target {@code nsenter} in its command and watch that
 * namespace's links and rules the way {@code KernelState} watches the sandbox.
 */
package dev.jcni.it.hostile;
