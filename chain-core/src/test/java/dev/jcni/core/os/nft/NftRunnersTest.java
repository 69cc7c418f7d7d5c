package dev.jcni.core.os.nft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class NftRunnersTest {
    /** A backend with a fixed probe answer; counts opens so a test can see which one was used. */
    private static final class Scripted implements NftBackend {
        final String name;
        final String cause;
        final FakeNftRunner runner = new FakeNftRunner();
        int opened;

        Scripted(String name, String cause) {
            this.name = name;
            this.cause = cause;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String unavailabilityCause() {
            return cause;
        }

        @Override
        public NftRunner open() {
            opened++;
            return runner;
        }
    }

    private final Scripted lib = new Scripted("libnftables", "libnftables.so.1 not found");
    private final Scripted process = new Scripted("process", null);
    private final Scripted fake = new Scripted("fake", null);

    @Test
    void firstAvailableInOrder() throws Exception {
        assertSame(process.runner, NftRunners.choose(null, List.of(lib, process, fake)));
        assertEquals(0, lib.opened);
        assertEquals(1, process.opened);
        assertEquals(0, fake.opened);
    }

    @Test
    void overrideWinsAndNeverFallsBack() throws Exception {
        assertSame(fake.runner, NftRunners.choose("fake", List.of(lib, process, fake)));
        NftUnavailableException e = assertThrows(NftUnavailableException.class,
                () -> NftRunners.choose("libnftables", List.of(lib, process, fake)));
        assertTrue(e.getMessage().contains("'libnftables'") && e.getMessage().contains("libnftables.so.1 not found"), e.getMessage());
        assertEquals(0, process.opened);
        NftUnavailableException unknown = assertThrows(NftUnavailableException.class,
                () -> NftRunners.choose("iptables", List.of(lib, process, fake)));
        assertTrue(unknown.getMessage().endsWith("known: libnftables, process, fake"), unknown.getMessage());
    }

    @Test
    void noneAvailableListsEveryCause() {
        Scripted noNft = new Scripted("process", "nft not found in /usr/sbin, /sbin");
        NftUnavailableException e = assertThrows(NftUnavailableException.class, () -> NftRunners.choose(null, List.of(lib, noNft)));
        assertEquals("no nftables runner can be used: libnftables: libnftables.so.1 not found; process: nft not found in /usr/sbin, /sbin",
                e.getMessage());
        assertTrue(assertThrows(NftUnavailableException.class, () -> NftRunners.choose(null, List.of())).getMessage().contains("none offered"));
    }

    @Test
    void overrideComesFromThePropertyThenTheEnvironment() {
        Properties props = new Properties();
        assertNull(NftRunners.override(props, Map.of()));
        assertEquals("process", NftRunners.override(props, Map.of(NftRunners.OVERRIDE_ENV, " process ")));
        props.setProperty(NftRunners.OVERRIDE_PROPERTY, "fake");
        assertEquals("fake", NftRunners.override(props, Map.of(NftRunners.OVERRIDE_ENV, "process")));
        props.setProperty(NftRunners.OVERRIDE_PROPERTY, " ");
        assertNull(NftRunners.override(props, Map.of(NftRunners.OVERRIDE_ENV, "")));
        assertNull(NftRunners.override(null, null));
    }

    @Test
    void unavailabilityCauseSaysWhatChooseWouldThrowAndOpensNothing() {
        assertNull(NftRunners.unavailabilityCause(null, List.of(lib, process)));
        assertNull(NftRunners.unavailabilityCause("fake", List.of(lib, process, fake)));
        assertEquals("no nftables runner can be used: libnftables: libnftables.so.1 not found", NftRunners.unavailabilityCause(null, List.of(lib)));
        assertEquals("nftables runner 'libnftables' (from jcni.nft.runner or JCNI_NFT_RUNNER) cannot be used: libnftables.so.1 not found",
                NftRunners.unavailabilityCause("libnftables", List.of(lib, process)));
        assertEquals("unknown nftables runner 'nft' (from jcni.nft.runner or JCNI_NFT_RUNNER); known: libnftables, process",
                NftRunners.unavailabilityCause("nft", List.of(lib, process)));
        assertEquals(0, lib.opened + process.opened + fake.opened);
        NftUnavailableException e = assertThrows(NftUnavailableException.class, () -> NftRunners.choose(null, List.of(lib)));
        assertEquals(NftRunners.unavailabilityCause(null, List.of(lib)), e.getMessage());
    }

    @Test
    void productionPrefersTheLibraryThenTheProcess() {
        List<String> names = new java.util.ArrayList<>();
        for (NftBackend b : NftRunners.defaultBackends()) {
            names.add(b.name());
        }
        assertEquals(List.of("libnftables", "process"), names);
    }
}
