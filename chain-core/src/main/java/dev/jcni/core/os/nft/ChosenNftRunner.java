package dev.jcni.core.os.nft;

import java.util.Map;

/**
 * The runner a plugin uses for a request, chosen on first use among {@link NftRunners#defaultBackends()}
 * (honouring an override from the node or the system property) and kept for the rest of the
 * request. Plugins that touch nftables only on some verbs, or only with some options, pay for
 * loading libnftables only when they do.
 */
public final class ChosenNftRunner {
    private final String override;
    private NftRunner runner;

    /** {@code nodeOverride}: the node's {@value NftRunners#OVERRIDE_ENV} setting, or null; the system property wins. */
    public ChosenNftRunner(String nodeOverride) {
        this.override = NftRunners.override(System.getProperties(),
                nodeOverride == null ? Map.<String, String>of() : Map.of(NftRunners.OVERRIDE_ENV, nodeOverride));
    }

    /** The runner, chosen and opened on the first call. */
    public synchronized NftRunner get() throws NftException {
        if (runner == null) {
            try {
                runner = NftRunners.choose(override, NftRunners.defaultBackends());
            } catch (NftUnavailableException e) {
                throw NftErrors.runnerFailure("choose an nftables runner", null, e.errno(), e.getMessage());
            }
        }
        return runner;
    }

    /** Why no runner can be chosen here (what STATUS reports), or null when one can. */
    public String unavailability() {
        return NftRunners.unavailabilityCause(override, NftRunners.defaultBackends());
    }
}
