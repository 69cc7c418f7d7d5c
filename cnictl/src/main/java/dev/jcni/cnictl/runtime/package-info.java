/**
 * The runtime side of CNI, libcni's behaviour in Java (cni-protocol.md §4): load a network
 * ({@link dev.jcni.cnictl.runtime.ConfigLoader}), find its plugins on CNI_PATH
 * ({@link dev.jcni.cnictl.runtime.PluginLocator}), build each plugin's stdin
 * ({@link dev.jcni.cnictl.runtime.RequestBuilder}), exec them under a deadline
 * ({@link dev.jcni.cnictl.runtime.PluginExecutor}), and keep libcni's result cache
 * ({@link dev.jcni.cnictl.runtime.ResultCache}), all driven by
 * {@link dev.jcni.cnictl.runtime.CniRuntime}.
 *
 * <p>Where this runtime deliberately differs from libcni (each is safer, none changes what a
 * plugin sees for a well-formed chain):
 * <ul>
 *   <li>All plugins of the chain are located before the first one runs: a missing binary fails
 *       ADD/DEL/CHECK before anything is changed. (GC and STATUS look plugins up one by one, so
 *       GC still collects every error and STATUS still reports the first.)</li>
 *   <li>Every exec has a deadline (default 60 s, as CRI-O); on expiry the plugin and its child
 *       processes are SIGKILLed and the error (code 11) names the plugin.</li>
 *   <li>DEL and CHECK complete the caller's arguments from the cache: capability arguments and
 *       CNI_ARGS the caller does not pass are those cached at ADD. That is what podman does via
 *       {@code GetNetworkListCachedConfig}, and it is what keeps portmap from leaking rules when
 *       a DEL arrives without port mappings (plugins#509).</li>
 *   <li>The cache file is written atomically (temporary file + rename), so a crash never leaves
 *       the 0-byte cache files that block teardown (cni#1055); such files are still tolerated.</li>
 *   <li>GC holds a host-wide exclusive lock ({@code <cacheDir>/jcni-runtime.lock}) that ADD and
 *       DEL take shared, as the spec requires; libcni leaves this to its caller.</li>
 *   <li>On ADD, a plugin's result is passed to the next plugin as that plugin printed it (with
 *       {@code cniVersion} filled in when missing), like libcni; cached results are converted to
 *       the list's version for DEL and CHECK, like libcni.</li>
 * </ul>
 * The runtime never prints; a caller sees plugin stderr and timings through an
 * {@link dev.jcni.cnictl.runtime.ExecObserver}.
 */
package dev.jcni.cnictl.runtime;
