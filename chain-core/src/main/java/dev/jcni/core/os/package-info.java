/**
 * The kernel layer: the only code in jcni that touches the kernel. It knows nothing of CNI (no
 * protocol or skel type appears here); the plugins turn its exceptions into CNI errors.
 *
 * <ul>
 *   <li>{@code netns}: {@code NetNs}, a handle on a network namespace (an open descriptor) whose
 *       {@code run(task)} runs the task on a fresh platform thread inside it;
 *       {@code NetNs.run(path, task)} for one-off work;</li>
 *   <li>{@code netlink}: an rtnetlink client ({@code RtNetlink}) and what is built on it:
 *       {@code Links}, {@code BridgeVlans}, {@code Addresses}, {@code Routes}, each kind's
 *       attributes one table ({@code LinkAttribute}, {@code BridgePortAttribute}...); see its
 *       package documentation;</li>
 *   <li>{@code sysctl}: {@code /proc/sys} reads and writes, per calling thread's namespace, the
 *       rule that keeps a path below {@code /proc/sys/net}, and IP forwarding ({@code Forwarding});</li>
 *   <li>{@code fs}: reading a file that is input, not ours to trust (a policy file, a state file
 *       read back): no symbolic link followed, no blocking open, a regular file of ours, bounded;
 *       and flock(2) lock files ({@code Flock}), shared with Go plugins;</li>
 *   <li>{@code nft}: the nftables JSON model, its listing parser, the runner interface with typed
 *       errors, and an in-memory fake;</li>
 *   <li>{@code socket}: local {@code SOCK_SEQPACKET} sockets that carry descriptors
 *       ({@code SCM_RIGHTS}): a listener bound in a private directory or inherited from systemd,
 *       connections with peer credentials and receive deadlines, owned {@code Descriptor}s;</li>
 *   <li>{@code process}: running a program under a deadline ({@code ProcessRunner}), never from inside a namespace;</li>
 *   <li>{@link dev.jcni.core.os.NativeLibraries}: what code above this layer may know of the
 *       native libraries (when to load them);</li>
 *   <li>{@code internal}: the native binding (jffi, jnr-ffi's native core), one table row per C
 *       function; never part of a public signature, and used by the os packages only.</li>
 * </ul>
 *
 * Failures are checked {@link dev.jcni.core.os.OsException}s carrying errno and the operation;
 * {@link dev.jcni.core.os.Errno} is the table of errno numbers, names and texts, and
 * {@code OsException} alone decides which subclass (not found, exists, permission, busy,
 * invalid) an errno becomes.
 */
package dev.jcni.core.os;
