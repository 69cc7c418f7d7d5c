/**
 * The kernel layer: the only code in jcni that touches the kernel.
 *
 * <ul>
 *   <li>{@code netns}: {@code NetNs.run(path, task)} runs a task on a fresh platform thread inside
 *       a network namespace;</li>
 *   <li>{@code netlink}: an rtnetlink client ({@code RtNetlink}) and what is built on it
 *       ({@code Links});</li>
 *   <li>{@code sysctl}: {@code /proc/sys} reads and writes, per calling thread's namespace;</li>
 *   <li>{@code process}: running a program under a deadline ({@code ProcessRunner}), never from inside a namespace;</li>
 *   <li>{@code internal}: the libc binding (jffi, jnr-ffi's native core); never part of a public signature.</li>
 * </ul>
 *
 * Failures are checked {@link dev.jcni.core.os.OsException}s carrying errno and the operation;
 * the subclasses name the causes callers branch on (not found, exists, permission, busy, invalid).
 */
package dev.jcni.core.os;
