/**
 * What the root integration tests share: running commands and plugins, namespaces of their own,
 * and the rules that let two runs of the suite (two clones on one host, or a run and the leftovers
 * of a killed one) share a host without meeting.
 *
 * <h2>Runs and their names</h2>
 * Every test JVM is one run ({@link dev.jcni.it.support.TestRun}). On first use it claims a
 * <em>token</em>, four hex digits, by creating {@code /run/jcni-it/runs/<token>/} exclusively,
 * and writes its owner there ({@code owner}: pid and the process's start time in clock ticks,
 * {@link dev.jcni.it.support.Owner}, so a reused pid is not mistaken for the owner). A run id is
 * the token and a counter of the run, eight hex digits ({@code TestRun.nextId()}), and every name
 * the suite makes on the host carries one:
 * <table>
 *   <caption>names</caption>
 *   <tr><th>what</th><th>name</th></tr>
 *   <tr><td>network namespace</td><td>{@code jcni-t-<run id>} ({@link dev.jcni.it.support.TestNetns})</td></tr>
 *   <tr><td>veth host end</td><td>{@code jt<run id>h}, peer {@code jt<run id>c}; or a role letter and the
 *       namespace's suffix, {@code jtu<suffix>} ({@code TestNetns.suffix()}): at most 15 characters</td></tr>
 *   <tr><td>temporary directories</td><td>under {@code <tmpdir>/jcni-t-<token>/} ({@code TestRun.scratch()};
 *       {@code @TempDir} too, through {@link dev.jcni.it.support.RunTempDirs})</td></tr>
 *   <tr><td>demo runs started by a test</td><td>under {@code /run/jcni-it/runs/<token>/demo/}
 *       ({@code JCNI_DEMO_DIR}), namespaces {@code jcni-demo-<demo id>}</td></tr>
 * </table>
 * Before a namespace, host link or directory is made, it is recorded in the lease
 * ({@code made}: {@code + netns NAME}; {@code - netns NAME} once it is removed), so a run killed
 * at any moment leaves a list of what may still be there.
 *
 * <h2>The sweep</h2>
 * After claiming its token, a run sweeps ({@link dev.jcni.it.support.LeftoverSweep}): for every
 * lease whose owner is dead, the namespaces in its record (killing what still runs in them: a
 * python server keeps a namespace alive), its host links and directories, its demo runs'
 * namespaces, then the lease. Namespaces and scratch directories named {@code jcni-t-<token>...}
 * whose token has a dead lease, or no lease and an age beyond two hours (an older suite's), go too.
 * Nothing whose owner lives is touched, so a suite running in another clone at the same time
 * keeps everything it has. A JVM that ends normally drops its lease when its record is empty.
 *
 * <h2>The host itself is not touched</h2>
 * Tests that need a host side (a bridge, iptables rules, {@code ip_forward}, a hostPort) run the
 * plugins in a {@link dev.jcni.it.support.PrivateHost}, a namespace standing in for the host:
 * nothing reaches the real host's network settings, checks like {@code iptables-save} see only
 * the test's own rules, and deleting the namespace undoes it all. A test that must read a host
 * value (that a plugin must not change) saves it and puts it back in {@code finally} if it changed.
 * Tests that run whole chains with traffic take a {@link dev.jcni.it.support.ChainLab}: a private
 * host, a scratch directory and a runtime, whose close DELs every attachment and removes every
 * sandbox, server and file the test made.
 *
 * <h2>Deadlines</h2>
 * Every command runs under a deadline ({@link dev.jcni.it.support.Cmd}, {@link
 * dev.jcni.it.support.PluginRunner}); every test under {@code @Timeout}, or the default of the
 * surefire configuration ({@code junit.jupiter.execution.timeout.default}); the fork as a whole
 * under surefire's {@code forkedProcessTimeoutInSeconds}, after which the next run sweeps.
 */
package dev.jcni.it.support;
