/**
 * Reading files whose content is input, not ours to trust: a node's policy file, a state file
 * read back from disk. {@link dev.jcni.core.os.fs.UntrustedFiles#read} opens without following a
 * symbolic link and without blocking, checks what it opened (a regular file, owned by us, not
 * writable by others, not too large), reads a bounded number of bytes, and says which of three
 * things happened ({@link dev.jcni.core.os.fs.FileRead}): nothing is there, what is there was
 * refused (and why), or the content. {@code readWorldReadable} reads a shared file a caller names
 * (a resolv.conf) only if every user of the node could read it anyway.
 *
 * <p>{@link dev.jcni.core.os.fs.Flock}: a lock file taken with flock(2), the lock Go programs take
 * on shared state, so that our plugins and the reference ones exclude each other (Java's own
 * {@code FileChannel.lock} is a POSIX record lock, which a flock never excludes).
 */
package dev.jcni.core.os.fs;
