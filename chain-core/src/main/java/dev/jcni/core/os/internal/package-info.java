/**
 * Native bindings (jffi, the native core of jnr-ffi). Not an API: only the os packages call {@link dev.jcni.core.os.internal.Native},
 * and no jffi type, address or file descriptor leaves this package through a public os signature.
 */
package dev.jcni.core.os.internal;
