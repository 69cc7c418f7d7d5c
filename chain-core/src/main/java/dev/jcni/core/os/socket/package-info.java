/**
 * Local sockets of the {@code SOCK_SEQPACKET} kind, over the native layer: one message per send,
 * boundaries kept, descriptors passed as {@code SCM_RIGHTS}. What the node daemon and its
 * clients talk over (docs/daemon-protocol.md), but nothing here knows that protocol or CNI.
 *
 * <ul>
 *   <li>{@link dev.jcni.core.os.socket.SeqpacketListener}: a listening socket bound at a path in
 *       a 0700 directory of ours (a stale file replaced, nothing else ever removed; the file it made
 *       removed again, only while it is still that file), or inherited from systemd's socket
 *       activation (descriptor 3); {@code accept} waits a bounded time so the caller can stop;</li>
 *   <li>{@link dev.jcni.core.os.socket.SeqpacketSocket}: a connection (connected, accepted or one
 *       end of a socketpair): peer credentials ({@code SO_PEERCRED}), receive and send deadlines,
 *       messages with descriptors, received close-on-exec;</li>
 *   <li>{@link dev.jcni.core.os.socket.Descriptor}: an open descriptor we own, received or opened
 *       to be sent; its number stays in the kernel layer.</li>
 * </ul>
 */
package dev.jcni.core.os.socket;
