/**
 * {@code cnictl}, the command line on top of the runtime library ({@link dev.jcni.cnictl.runtime}).
 * The library never prints; this package is where output happens.
 *
 * <ul>
 *   <li>{@link dev.jcni.cnictl.cli.Cnictl}: the commands, the help text, errors and exit codes;
 *       {@link dev.jcni.cnictl.cli.CommandLine} parses the arguments.</li>
 *   <li>{@link dev.jcni.cnictl.cli.Demo}: {@code cnictl demo}, step by step. Its parts:
 *     <ul>
 *       <li>{@link dev.jcni.cnictl.cli.PluginChoice}: ours from bin/ or the system's, per plugin type;</li>
 *       <li>{@link dev.jcni.cnictl.cli.DemoSandbox}: run directory, network namespace and bridge,
 *           made and removed again, all named by the run's id;</li>
 *       <li>{@link dev.jcni.cnictl.cli.DemoRuns}: every run on the host, their owners
 *           ({@link dev.jcni.cnictl.cli.DemoOwner}) and claims; the sweep of dead runs and the
 *           claim of a hostPort, under {@link dev.jcni.cnictl.cli.DemoLock};</li>
 *       <li>{@link dev.jcni.cnictl.cli.DemoNetwork}: the conflist made this run's own (name,
 *           bridge, a free subnet, state directories);</li>
 *       <li>{@link dev.jcni.cnictl.cli.DemoAttachment}: what the ADD made;</li>
 *       <li>{@link dev.jcni.cnictl.cli.ChangeReport}: what each plugin changed;</li>
 *       <li>{@link dev.jcni.cnictl.cli.HttpCheck}: traffic through the hostPort;</li>
 *       <li>{@link dev.jcni.cnictl.cli.LeakCheck}: nothing left after DEL;</li>
 *       <li>{@link dev.jcni.cnictl.cli.DemoFirewall}: the iptables and nftables rules of the
 *           attachment, for the last two;</li>
 *       <li>{@link dev.jcni.cnictl.cli.DemoConsole} and {@link dev.jcni.cnictl.cli.ExecLog}: how it
 *           prints, and the plugin execs it prints about;</li>
 *       <li>{@link dev.jcni.cnictl.cli.HostCommands}: {@code ip}, {@code tc}, {@code iptables-save}
 *           and {@code nft}, run with a deadline through the project's {@code ProcessRunner}.</li>
 *     </ul>
 *   </li>
 * </ul>
 */
package dev.jcni.cnictl.cli;
