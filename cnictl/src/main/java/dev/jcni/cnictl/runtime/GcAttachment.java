package dev.jcni.cnictl.runtime;

/** A still-valid attachment named to GC ({@code {"containerID":…,"ifname":…}} on the wire). */
public record GcAttachment(String containerId, String ifName) {}
