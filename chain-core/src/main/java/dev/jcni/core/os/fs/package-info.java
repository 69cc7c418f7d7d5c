/**
 * Reading files whose content is input, not ours to trust: a node's policy file, a state file
 * read back from disk. {@link dev.jcni.core.os.fs.UntrustedFiles#read} opens without following a
 * symbolic link and without blocking, checks what it opened (a regular file, owned by us, not
 * writable by others, not too large), reads a bounded number of bytes, and says which of three
 * things happened ({@link dev.jcni.core.os.fs.FileRead}): nothing is there, what is there was
 * refused (and why), or the content.
 */
package dev.jcni.core.os.fs;
