package dev.jcni.it.os;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.os.internal.Native;
import org.junit.jupiter.api.Test;

/**
 * This module's JVM runs with -Djnr.ffi.asm.enabled=false, as the launcher does, so every kernel
 * test here also proves the binding works with reflection stubs. This checks that the flag took.
 * (chain-core's unit tests exercise the default, ASM-generated stubs.) No root needed.
 */
class ReflectionStubsTest {
    @Test
    void libcIsBoundThroughReflectionProxies() {
        assertEquals("false", System.getProperty("jnr.ffi.asm.enabled"), "surefire argLine must set it");
        assertTrue(Native.usesReflectionStubs());
        assertEquals(ProcessHandle.current().pid(), Native.getpid());
    }
}
