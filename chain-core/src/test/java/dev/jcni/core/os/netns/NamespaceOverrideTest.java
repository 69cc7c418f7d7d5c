package dev.jcni.core.os.netns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.os.InvalidArgumentException;
import dev.jcni.core.os.NotFoundException;
import dev.jcni.core.os.socket.Descriptor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A passed namespace descriptor standing in for a request's CNI_NETNS path. No root needed. */
class NamespaceOverrideTest {
    private static final String NOWHERE = "/nonexistent/jcni-test/netns";

    @TempDir
    Path tmp;

    @Test
    void adoptTakesADuplicateOfAReceivedNamespaceDescriptor() throws Exception {
        try (Descriptor d = Descriptor.openReadOnly("/proc/self/ns/net");
             NetNs adopted = NetNs.adopt(d, "passed");
             NetNs own = NetNs.openCurrent()) {
            d.close();
            assertTrue(adopted.sameNamespaceAs(own), "the handle keeps its own descriptor after the original closes");
            assertEquals("passed", adopted.path());
        }
    }

    @Test
    void adoptRefusesADescriptorThatIsNoNetworkNamespace() throws Exception {
        Path file = Files.writeString(tmp.resolve("f"), "x");
        try (Descriptor regular = Descriptor.openReadOnly(file.toString());
             Descriptor uts = Descriptor.openReadOnly("/proc/self/ns/uts")) {
            assertThrows(InvalidArgumentException.class, () -> NetNs.adopt(regular, "file"));
            assertThrows(InvalidArgumentException.class, () -> NetNs.adopt(uts, "uts"));
        }
    }

    @Test
    void aBoundPathOpensAsTheBoundNamespaceWithoutBeingLookedUp() throws Exception {
        assertFalse(NetNs.exists(NOWHERE));
        assertThrows(NotFoundException.class, () -> NetNs.open(NOWHERE));
        try (Descriptor d = Descriptor.openReadOnly("/proc/self/ns/net");
             NetNs passed = NetNs.adopt(d, "passed")) {
            try (NamespaceOverride.Binding b = NamespaceOverride.bind(NOWHERE, passed)) {
                assertTrue(NetNs.exists(NOWHERE));
                assertTrue(NamespaceIdentity.exists(NOWHERE));
                assertTrue(NamespaceIdentity.isOwnNamespace(NOWHERE));
                try (NetNs opened = NetNs.open(NOWHERE); NetNs own = NetNs.openCurrent()) {
                    assertEquals(NOWHERE, opened.path(), "named as the request names it");
                    assertTrue(opened.sameNamespaceAs(own));
                    opened.close();
                    assertTrue(passed.sameNamespaceAs(own), "closing the opened handle leaves the bound one open");
                }
                // Another spelling is not the bound string: looked up as usual.
                assertThrows(NotFoundException.class, () -> NetNs.open(NOWHERE + "/"));
            }
            assertFalse(NetNs.exists(NOWHERE), "the binding ends with its scope");
            assertThrows(NotFoundException.class, () -> NetNs.open(NOWHERE));
        }
    }

    @Test
    void threadsStartedUnderABindingSeeItAndOthersDoNot() throws Exception {
        AtomicReference<Boolean> before = new AtomicReference<>();
        AtomicReference<Boolean> inside = new AtomicReference<>();
        Thread earlier = new Thread(() -> {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            before.set(NetNs.exists(NOWHERE));
        });
        earlier.start();
        try (Descriptor d = Descriptor.openReadOnly("/proc/self/ns/net");
             NetNs passed = NetNs.adopt(d, "passed");
             NamespaceOverride.Binding b = NamespaceOverride.bind(NOWHERE, passed)) {
            Thread child = new Thread(() -> inside.set(NetNs.exists(NOWHERE)));
            child.start();
            child.join();
            earlier.join();
        }
        assertEquals(Boolean.TRUE, inside.get());
        assertEquals(Boolean.FALSE, before.get(), "a thread started before the binding never sees it");
    }

    @Test
    void bindingNeedsAPathAndANamespace() {
        assertThrows(IllegalArgumentException.class, () -> NamespaceOverride.bind("", null));
    }
}
