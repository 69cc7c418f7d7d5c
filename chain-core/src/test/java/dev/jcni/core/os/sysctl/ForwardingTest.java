package dev.jcni.core.os.sysctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.jcni.core.net.IpAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Forwarding's keys, and its reading of this namespace's switches against the files read
 * directly (the oracle). Nothing is written: {@link Forwarding#enable} is only called for a
 * family that is already on, where it must not write.
 */
class ForwardingTest {
    @Test
    void theKeysAreTheKernelsSwitches() {
        assertEquals("net/ipv4/ip_forward", Forwarding.key(IpAddress.Family.IPV4));
        assertEquals("net/ipv6/conf/all/forwarding", Forwarding.key(IpAddress.Family.IPV6));
    }

    @Test
    void isEnabledReadsTheSwitchAndEnableLeavesAnOnSwitchAlone() throws Exception {
        String[] files = {"/proc/sys/net/ipv4/ip_forward", "/proc/sys/net/ipv6/conf/all/forwarding"};
        IpAddress.Family[] families = {IpAddress.Family.IPV4, IpAddress.Family.IPV6};
        for (int i = 0; i < 2; i++) {
            boolean on = "1".equals(Files.readString(Path.of(files[i])).trim());
            assertEquals(on, Forwarding.isEnabled(families[i]), files[i]);
            if (on) {
                assertFalse(Forwarding.enable(families[i]), "already on: nothing to do");
            }
        }
    }

    @Test
    void aLeadingDotSeparatesToo() {
        assertEquals("/net/ipv4", Sysctl.slashSeparated(".net.ipv4"));
    }
}
