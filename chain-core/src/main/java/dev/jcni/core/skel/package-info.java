/**
 * The process edge of every plugin, and the pieces every plugin shares.
 *
 * <p>{@link dev.jcni.core.skel.PluginMain} and {@link dev.jcni.core.skel.Skel} turn the
 * environment and stdin into an {@link dev.jcni.core.skel.Invocation} and a
 * {@link dev.jcni.core.skel.CniPlugin} verb's answer into stdout and an exit code.
 *
 * <p><b>A plugin's shape</b> (tuning's, and bridge's, portmap's, bandwidth's after it): the verbs
 * orchestrate; a typed config is parsed and validated from the tree before any change; a session
 * applies the changes with undo, restores and compares; it works through a port onto the kernel
 * (real in production, a fake in unit tests), so the orchestration is tested without root. The
 * pieces of that shape every plugin needs live here, with the security rules built in:
 * <ul>
 *   <li>{@link dev.jcni.core.skel.NodePolicy}: node settings come from the runtime's environment,
 *       never from the network config (which tenants may write);</li>
 *   <li>{@link dev.jcni.core.skel.Sandbox}: entering CNI_NETNS with the CNI errors for it, and for
 *       DEL never entering the host's own namespace;</li>
 *   <li>{@link dev.jcni.core.skel.PrevResult}: requiring and parsing a chained plugin's
 *       prevResult, and checking before the first change that the answer can be printed in the
 *       request's version;</li>
 *   <li>{@link dev.jcni.core.skel.StateDirectory}: state files written atomically (0600 in a 0700
 *       directory) and read back as untrusted input (no link followed, no blocking, a regular
 *       file of ours, bounded), for the plugin to validate with its config's rules;</li>
 *   <li>attribute tables: one row per kernel attribute in the kernel layer
 *       ({@code os.netlink.LinkAttribute}), one row per managed attribute in the plugin
 *       (tuning's {@code TunableAttribute}), which capture, apply, restore, compare and the state
 *       file loop over.</li>
 * </ul>
 */
package dev.jcni.core.skel;
