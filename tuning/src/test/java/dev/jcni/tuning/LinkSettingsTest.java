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
    }

    @Test
    void theTextListsWhatIsSetInTheReferencesApplyOrder() {
        assertEquals("{}", LinkSettings.NONE.toString());
        assertEquals("{mtu=1400}", LinkSettings.NONE.with(TunableAttribute.MTU, 1400).toString());
        assertEquals("{promisc=true, mtu=1400}",
                LinkSettings.NONE.with(TunableAttribute.PROMISC, true).with(TunableAttribute.MTU, 1400).toString());
    }
}
