package dev.jcni.hostlocal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.net.IpAddress;
import org.junit.jupiter.api.Test;

/** What a lease's text says about its owner: either format of the reference, or nothing. */
class LeaseTest {
    private static Lease lease(String text) throws Exception {
        return new Lease(IpAddress.parse("10.1.0.2"), text, text == null ? "is a symbolic link" : null);
    }

    private static void owner(String text, String containerId, String ifName) throws Exception {
        assertEquals(containerId, lease(text).containerId(), "container of " + text);
        assertEquals(ifName, lease(text).ifName(), "interface of " + text);
    }

    @Test
    void bothFormatsOfTheReferenceNameTheirOwner() throws Exception {
        owner("c1\r\neth0", "c1", "eth0");
        owner("c1", "c1", null);
    }

    @Test
    void textThatIsNoLeaseNamesNobody() throws Exception {
        owner(null, null, null);
        owner("c1\r\n", null, null);
        owner("c1\r\n\reth0", null, null);
        owner("c1\r\n\neth0", null, null);
        owner("c1\r\neth\n0", null, null);
        assertNull(lease("-c1\r\neth0").containerId(), "not CNI_CONTAINERID's syntax");
        owner("not a lease", null, null);
        assertNull(lease("\r\neth0").containerId(), "no container ID before the line break");
    }

    @Test
    void anUnreadableLeaseIsNeitherReadableNorEmpty() throws Exception {
        assertFalse(lease(null).isReadable());
        assertFalse(lease(null).isEmpty());
        assertTrue(lease("").isReadable());
        assertTrue(lease("").isEmpty());
    }
}
