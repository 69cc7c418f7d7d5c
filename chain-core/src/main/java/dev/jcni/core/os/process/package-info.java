/**
 * Running programs: {@link dev.jcni.core.os.process.ProcessRunner}, the one process runner of
 * jcni (argv, environment, stdin, deadline in; exit code, stdout, stderr out). Plain OS plumbing
 * that knows nothing of CNI: the runtime's plugin execs and a plugin's delegation
 * ({@code dev.jcni.core.invoke}) are built on it.
 */
package dev.jcni.core.os.process;
