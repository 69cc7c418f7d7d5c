package dev.jcni.core.os.nft;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The node's override reaches the choice; an impossible one is an error, never a silent fallback. */
class ChosenNftRunnerTest {
    @Test
    void anOverrideNamingNoBackendFailsOnUseAndIsReportedAsTheUnavailability() {
        ChosenNftRunner chosen = new ChosenNftRunner("no-such-runner");
        NftException e = assertThrows(NftException.class, chosen::get);
        assertTrue(e.getMessage().contains("choose an nftables runner"), e.getMessage());
        assertTrue(e.getMessage().contains("no-such-runner"), e.getMessage());
        String why = chosen.unavailability();
        assertNotNull(why);
        assertTrue(why.contains("no-such-runner"), why);
    }
}
