package dev.jcni.cnictl.runtime;

import java.util.List;

/**
 * A network: a conflist after loading, as libcni's {@code NetworkConfigList}.
 *
 * @param name                   the network name, injected into every plugin request
 * @param cniVersion             the negotiated version (cniVersion and cniVersions, highest not
 *                               above 1.1.0), injected into every plugin request
 * @param disableCheck           CHECK succeeds without running any plugin
 * @param disableGC              GC does nothing
 * @param loadOnlyInlinedPlugins drop-in plugins from {@code <confdir>/<name>/} are not loaded
 * @param plugins                inline plugins, then drop-ins
 * @param bytes                  the exact bytes of the conflist file; stored base64 in the cache
 *                               so that a runtime can tear down with the config used at ADD
 * @param source                 the file it was read from, or a description ("cache", "bytes")
 */
public record NetworkConfigList(String name, String cniVersion, boolean disableCheck, boolean disableGC,
                                boolean loadOnlyInlinedPlugins, List<PluginConfig> plugins, byte[] bytes,
                                String source) {
    public NetworkConfigList {
        plugins = List.copyOf(plugins);
    }

    /** The same network with another plugin list (drop-ins appended, or a sub-chain to CHECK). */
    public NetworkConfigList withPlugins(List<PluginConfig> all) {
        return new NetworkConfigList(name, cniVersion, disableCheck, disableGC, loadOnlyInlinedPlugins, all, bytes, source);
    }
}
