/**
 * The wire protocol between the native launcher (and {@code cnictl}) and the node daemon
 * {@code jcnid}, docs/daemon-protocol.md: {@link dev.jcni.core.daemon.Wire} (numbers and bounds),
 * {@link dev.jcni.core.daemon.Hello} and {@link dev.jcni.core.daemon.Reply} (each message, both
 * ways, decoded with every bound checked: a malformed message is a
 * {@link dev.jcni.core.daemon.ProtocolException} carrying its decline reason, never another
 * exception), {@link dev.jcni.core.daemon.BuildIdentity} (which jars make an installation's
 * identity), and {@link dev.jcni.core.daemon.DaemonClient} (one request, client side).
 *
 * <p>Here rather than in the daemon module because {@code cnictl} speaks it too, and the daemon
 * module depends on every plugin module, which cnictl must not. Layer: on the kernel layer's
 * {@code os.socket} only; it knows no CNI (the daemon module joins it to the skel).
 */
package dev.jcni.core.daemon;
