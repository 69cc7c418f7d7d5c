/**
 * Native bindings (jffi, the native core of jnr-ffi). Not an API: only the os packages use this
 * package, and no jffi type, address or file descriptor leaves it through a public os signature.
 *
 * <p>A library is a {@link dev.jcni.core.os.internal.NativeLibrary}; each C function called is one
 * {@link dev.jcni.core.os.internal.NativeFunction} row of it (name, return and parameter
 * {@link dev.jcni.core.os.internal.CType}s), bound on first use. {@link dev.jcni.core.os.internal.Native}
 * holds libc's rows and the Java wrappers around them; another library (libnftables) gets a class
 * of the same shape. {@link dev.jcni.core.os.internal.NamespaceDescriptors} lets kernel-layer code
 * reach the descriptor behind a namespace handle.
 */
package dev.jcni.core.os.internal;
