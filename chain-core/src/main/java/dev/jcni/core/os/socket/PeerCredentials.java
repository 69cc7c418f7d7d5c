package dev.jcni.core.os.socket;

/**
 * Who is at the other end of a local socket, as the kernel recorded it when the peer connected
 * ({@code SO_PEERCRED}): its process, user and group IDs. Not something the peer says.
 */
public record PeerCredentials(long pid, long uid, long gid) {}
