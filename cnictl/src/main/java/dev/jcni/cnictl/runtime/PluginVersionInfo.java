package dev.jcni.cnictl.runtime;

import dev.jcni.core.protocol.CniVersion;
import java.util.List;

/** A plugin's VERSION answer: the version it answered in and the versions it supports. */
public record PluginVersionInfo(String cniVersion, List<String> supportedVersions) {
    public PluginVersionInfo {
        supportedVersions = List.copyOf(supportedVersions);
    }

    /** True when {@code version} is listed; a missing or empty version means 0.1.0. */
    public boolean supports(String version) {
        return supportedVersions.contains(CniVersion.orDefault(version));
    }
}
