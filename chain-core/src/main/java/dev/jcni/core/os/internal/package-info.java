/**
 * Native bindings (jnr-ffi). Not an API: only the os packages call {@link dev.jcni.core.os.internal.Native},
 * and no jnr type, pointer or file descriptor leaves this package through a public os signature.
 */
package dev.jcni.core.os.internal;
