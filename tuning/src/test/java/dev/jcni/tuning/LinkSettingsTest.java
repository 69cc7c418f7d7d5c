package dev.jcni.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** Link settings compare by value: backups and configs are compared through them. */
class LinkSettingsTest {
    @Test
    void equalSettingsAreEqualAndOthersAreNot() {
        LinkSettings a = LinkSettings.NONE.with(TunableAttribute.MTU, 1400).with(TunableAttribute.PROMISC, true);
        LinkSettings same = LinkSettings.NONE.with(TunableAttribute.PROMISC, true).with(TunableAttribute.MTU, 1400);
        assertEquals(a, same);
        assertEquals(a.hashCode(), same.hashCode());
        assertNotEquals(a, LinkSettings.NONE.with(TunableAttribute.MTU, 1400));
        assertNotEquals(a, LinkSettings.NONE.with(TunableAttribute.MTU, 1500).with(TunableAttribute.PROMISC, true));
        assertNotEquals(a, "{mtu=1400, promisc=true}");
        java.util.Set<Integer> hashes = new java.util.HashSet<>();
        for (int mtu = 1000; mtu < 1100; mtu++) {
            hashes.add(LinkSettings.NONE.with(TunableAttribute.MTU, mtu).hashCode());
        }
        assertEquals(100, hashes.size(), "different settings, different hashes");
        assertEquals("mtu", TunableAttribute.MTU.toString());
    }

    @Test
    void theTextListsWhatIsSetInTheReferencesApplyOrder() {
        assertEquals("{}", LinkSettings.NONE.toString());
        assertEquals("{mtu=1400}", LinkSettings.NONE.with(TunableAttribute.MTU, 1400).toString());
        assertEquals("{promisc=true, mtu=1400}",
                LinkSettings.NONE.with(TunableAttribute.PROMISC, true).with(TunableAttribute.MTU, 1400).toString());
    }
}
