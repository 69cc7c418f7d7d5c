package dev.jcni.portmap;

import dev.jcni.core.os.nft.Chain;
import dev.jcni.core.os.nft.Nft;
import dev.jcni.core.os.nft.NftBatch;
import dev.jcni.core.os.nft.NftBusyException;
import dev.jcni.core.os.nft.NftException;
import dev.jcni.core.os.nft.NftExistsException;
import dev.jcni.core.os.nft.NftNotFoundException;
import dev.jcni.core.os.nft.NftRunner;
import dev.jcni.core.os.nft.NftSet;
import dev.jcni.core.os.nft.Rule;
import dev.jcni.core.os.nft.Verdict;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.skel.Log;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The nftables side of an ADD: one batch holding the shared part, the attachment's chain with
 * its rules (its ownership record, {@link OwnedKeys}) and its elements.
 *
 * <p>The common case reads nothing: the batch creates the chain ({@code create}, so an existing
 * one fails it) and adds the elements ({@code add}, so a key mapped elsewhere fails it). Only a
 * refusal (EEXIST) makes it read, and only what concerns it:
 *
 * <ul>
 *   <li>its own chain: if it exists this is a re-ADD, which rewrites the chain in place and
 *       releases the keys the chain recorded that the plan no longer has (each deleted only if
 *       it still goes to this chain: {@link HostportTable#deleteOwned});</li>
 *   <li>else the maps its keys live in ({@link MapScan#conflicts}: nft 1.0.6 cannot read one
 *       element through JSON), to name the owners. Under {@code strict} the ADD fails naming
 *       them; under {@code takeover} the next batch also deletes each owner's element and, read
 *       from that owner's own chain, its rules of that key (by handle), with the owner's chain
 *       itself when nothing is left in it. The previous owner's record and the element change in
 *       the same transaction as this attachment's part, so the previous owner's DEL later removes
 *       only what is still its own.</li>
 * </ul>
 *
 * A batch that meets a concurrent change (EEXIST, ENOENT: a handle or element read is gone;
 * EBUSY: an emptied owner's chain is still referenced by an element its record did not know)
 * changed nothing; the ADD reads again and retries, {@value #ATTEMPTS} times at most.
 *
 * <p>Under {@code strict}, a hostIP-bound key must not take its port on that address from
 * another attachment's any-address key: the batch probes each such any-address key with a
 * {@code create} (EEXIST if anyone maps it) and a {@code delete} of what it created, which
 * together change nothing.
 */
final class AddOperation {
    static final int ATTEMPTS = 8;

    private final HostportTable t;
    private final NftRunner nft;
    private final AttachmentPlan plan;
    private final ConflictPolicy policy;
    /** Whether a batch went in: from then on a failure of the ADD has something to take back. */
    private boolean committed;

    /** A key taken from another attachment, with the previous owner's record (null when the element goes to no chain of ours). */
    private record Takeover(MapScan.Conflict conflict, OwnedKeys previous) {}

    AddOperation(HostportTable t, NftRunner nft, AttachmentPlan plan, ConflictPolicy policy) {
        this.t = t;
        this.nft = nft;
        this.plan = plan;
        this.policy = policy;
    }

    /** Applies the plan; keys taken over are warned about (their UDP and SCTP flows are flushed by the caller, as the plan's). */
    void run() throws CniException, NftException {
        OwnedKeys own = null;
        List<Takeover> takeovers = List.of();
        boolean keepEmptied = false;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                nft.apply(batch(own, takeovers, keepEmptied));
                committed = true;
                for (Takeover to : takeovers) {
                    Log.warn("hostPort " + to.conflict().describe() + "; " + plan.owner + " took it over (node policy "
                            + ConflictPolicy.VARIABLE + "=takeover)");
                }
                return;
            } catch (NftExistsException e) {
                OwnedKeys now = OwnedKeys.read(t, nft, plan.chain);
                if (own == null && now != null) {
                    own = now;
                    continue;
                }
                own = now;
                List<MapScan.Conflict> found = new MapScan(t, nft).conflicts(plan, policy == ConflictPolicy.STRICT);
                if (policy == ConflictPolicy.STRICT) {
                    refuse(found);
                    continue;
                }
                takeovers = takeovers(found);
            } catch (NftNotFoundException e) {
                Log.info("ADD of " + plan.owner + " met a concurrent change, reading again: " + e.getMessage());
                if (own != null) {
                    own = OwnedKeys.read(t, nft, plan.chain);
                }
                if (!takeovers.isEmpty()) {
                    takeovers = takeovers(new MapScan(t, nft).conflicts(plan, false));
                }
            } catch (NftBusyException e) {
                Log.info("ADD of " + plan.owner + ": a previous owner's chain is still referenced; it stays for its own DEL");
                keepEmptied = true;
            }
        }
        throw new CniException(CniException.TRY_AGAIN_LATER, "hostPort mappings of " + plan.owner + " kept changing under this ADD",
                ATTEMPTS + " attempts met concurrent changes");
    }

    /** Whether {@link #run} changed the ruleset (its batch is atomic: a refused one changed nothing). */
    boolean committed() {
        return committed;
    }

    private NftBatch batch(OwnedKeys own, List<Takeover> takeovers, boolean keepEmptied) {
        NftBatch.Builder b = Nft.batch();
        t.addShared(b, plan.snat, plan.markBit);
        if (own == null) {
            b.create(plan.chain);
        } else {
            b.add(plan.chain).flush(plan.chain);
            List<MapKey> released = new ArrayList<>();
            for (MapKey k : own.keys()) {
                if (!plan.keys.contains(k)) {
                    released.add(k);
                }
            }
            t.deleteOwned(b, plan.chain, released);
        }
        Map<String, List<MapKey>> takenFrom = new LinkedHashMap<>();
        Map<String, OwnedKeys> previousOwners = new LinkedHashMap<>();
        for (Takeover to : takeovers) {
            if (to.previous() != null) {
                for (Rule r : to.previous().rulesOf(to.conflict().key())) {
                    b.delete(r);
                }
                String name = to.previous().chain.name();
                previousOwners.put(name, to.previous());
                List<MapKey> keys = takenFrom.get(name);
                if (keys == null) {
                    keys = new ArrayList<>();
                    takenFrom.put(name, keys);
                }
                keys.add(to.conflict().key());
            }
            b.delete(to.conflict().map().elements(to.conflict().listed()));
        }
        if (!keepEmptied) {
            for (Map.Entry<String, OwnedKeys> e : previousOwners.entrySet()) {
                if (e.getValue().emptiedBy(takenFrom.get(e.getKey()))) {
                    Chain emptied = t.table.chain(e.getKey());
                    b.flush(emptied).delete(emptied);
                }
            }
        }
        plan.addRules(b);
        plan.addElements(b);
        if (policy == ConflictPolicy.STRICT) {
            probeNarrowing(b);
        }
        return b.build();
    }

    /** For each hostIP-bound key, a create and a delete of the any-address key of its port: EEXIST if another maps it. */
    private void probeNarrowing(NftBatch.Builder b) {
        List<MapKey> probed = new ArrayList<>();
        for (MapKey k : plan.keys) {
            if (k.hostIp() == null) {
                continue;
            }
            MapKey any = k.anyAddress();
            if (plan.keys.contains(any) || probed.contains(any)) {
                continue;
            }
            probed.add(any);
            NftSet map = t.mapOf(any);
            b.create(map.elements(any.element().mapsTo(Verdict.goTo(plan.chain))));
            b.delete(map.elements(any.element()));
        }
    }

    private List<Takeover> takeovers(List<MapScan.Conflict> found) throws NftException {
        Map<String, OwnedKeys> records = new LinkedHashMap<>();
        List<Takeover> out = new ArrayList<>();
        for (MapScan.Conflict c : found) {
            String owner = c.ownerChain();
            OwnedKeys previous = null;
            if (owner != null && owner.startsWith(Attachment.CHAIN_PREFIX)) {
                if (!records.containsKey(owner)) {
                    records.put(owner, OwnedKeys.read(t, nft, t.table.chain(owner)));
                }
                previous = records.get(owner);
            }
            out.add(new Takeover(c, previous));
        }
        return out;
    }

    private static void refuse(List<MapScan.Conflict> conflicts) throws CniException {
        if (conflicts.isEmpty()) {
            return;
        }
        List<String> why = new ArrayList<>();
        for (MapScan.Conflict c : conflicts) {
            why.add(c.describe());
        }
        throw new CniException(CniException.PLUGIN_FAILURE, "hostPort already in use: " + why.get(0),
                String.join("; ", why) + " (node policy " + ConflictPolicy.VARIABLE + "=strict)");
    }
}
