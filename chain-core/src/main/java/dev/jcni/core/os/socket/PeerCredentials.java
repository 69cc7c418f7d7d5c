package dev.jcni.core.os.socket;

import dev.jcni.core.os.internal.Native;

/**
 * Who is at the other end of a local socket, as the kernel recorded it when the peer connected
 * ({@code SO_PEERCRED}): its process, user and group IDs. Not something the peer says.
 */
public record PeerCredentials(long pid, long uid, long gid) {
    /** This process's own pid and effective uid (gid unknown: -1), to compare a peer with. */
    public static PeerCredentials self() {
        return new PeerCredentials(Native.getpid(), Native.geteuid(), -1);
    }
}
