package dev.jcni.core.runtime;

import java.util.List;

/** A plugin's VERSION answer: the version it answered in and the versions it supports. */
public record PluginVersionInfo(String cniVersion, List<String> supportedVersions) {
    public PluginVersionInfo {
        supportedVersions = List.copyOf(supportedVersions);
    }

    public boolean supports(String version) {
        return supportedVersions.contains(version == null || version.isEmpty() ? "0.1.0" : version);
    }
}
