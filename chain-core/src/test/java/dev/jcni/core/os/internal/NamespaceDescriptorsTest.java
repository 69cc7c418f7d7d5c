package dev.jcni.core.os.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.jcni.core.os.netns.NetNs;
import org.junit.jupiter.api.Test;

/** Opening a handle on one's own namespace needs no privilege; entering it would. */
class NamespaceDescriptorsTest {
    @Test
    void kernelLayerReachesTheHandlesOpenNamespaceDescriptor() throws Exception {
        NetNs own = NetNs.openCurrent();
        try {
            int fd = NamespaceDescriptors.of(own);
            assertEquals(Native.NSFS_MAGIC, Native.fileSystemType(fd, "fstatfs"));
            assertEquals(Native.CLONE_NEWNET, Native.ioctl(fd, Native.NS_GET_NSTYPE, "ioctl"));
        } finally {
            own.close();
        }
        assertThrows(IllegalStateException.class, () -> NamespaceDescriptors.of(own));
    }

    @Test
    void onlyOneSourceMayRegister() throws Exception {
        NetNs.openCurrent().close(); // makes sure NetNs has registered
        assertThrows(IllegalStateException.class, () -> NamespaceDescriptors.register(ns -> -1));
    }
}
