package dev.jcni.portmap;

import dev.jcni.core.os.nft.Chain;
import dev.jcni.core.os.nft.ListTarget;
import dev.jcni.core.os.nft.Nft;
import dev.jcni.core.os.nft.NftBatch;
import dev.jcni.core.os.nft.NftBusyException;
import dev.jcni.core.os.nft.NftException;
import dev.jcni.core.os.nft.NftExistsException;
import dev.jcni.core.os.nft.NftListing;
import dev.jcni.core.os.nft.NftNotFoundException;
import dev.jcni.core.os.nft.NftRunner;
import dev.jcni.core.os.nft.NftSet;
import dev.jcni.core.os.nft.Rule;
import dev.jcni.core.os.nft.SetElement;
import dev.jcni.core.os.nft.Verdict;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.skel.Log;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The nftables side of DEL and GC: each one batch that removes attachments' elements and chains,
 * every element deleted only on the condition that it still goes to the chain being removed
 * ({@link HostportTable#deleteOwned}), so a removal racing a takeover fails instead of deleting
 * the new owner's element, and is read again.
 *
 * <p><b>DEL</b> reads its own chain only: the keys its rules record ({@link OwnedKeys}), never
 * the maps, so its cost does not grow with the number of attachments on the node. Its batch
 * deletes those elements, then the chain. Two refusals mean the record is not the whole truth,
 * and make the next attempt scan the maps for the elements that go to the chain instead
 * ({@link MapScan#keysGoingTo}): EBUSY (an element the record does not name still goes to the
 * chain: state of an earlier build, or added by hand), and a second EEXIST in a row (a recorded
 * key now goes elsewhere without the record having been updated, as no batch of this plugin
 * does). A first EEXIST is a takeover between the read and the batch: the record is read again.
 *
 * <p><b>GC</b> is a sweep over the whole table by nature: one list, one batch.
 */
final class RemoveOperation {
    static final int ATTEMPTS = 8;

    private final HostportTable t;
    private final NftRunner nft;

    RemoveOperation(HostportTable t, NftRunner nft) {
        this.t = t;
        this.nft = nft;
    }

    /**
     * Removes {@code owner}'s elements and chain, and nothing else: an element another attachment
     * has taken over stays.
     *
     * @return the keys removed (their UDP and SCTP flows are flushed by the caller)
     */
    List<MapKey> del(Attachment owner) throws CniException, NftException {
        Chain chain = t.table.chain(owner.chainName());
        boolean scan = false;
        int refusedAsExisting = 0;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            OwnedKeys own = OwnedKeys.read(t, nft, chain);
            if (own == null) {
                // No chain, so no element can go to it (nft refuses a goto to a missing chain).
                return List.of();
            }
            Collection<MapKey> keys = scan ? new MapScan(t, nft).keysGoingTo(chain) : own.keys();
            NftBatch.Builder b = Nft.batch();
            t.deleteOwned(b, chain, keys);
            b.flush(chain).delete(chain);
            try {
                nft.apply(b.build());
                return List.copyOf(keys);
            } catch (NftBusyException stillReferenced) {
                Log.info("DEL of " + owner + ": its chain is referenced beyond its record; scanning the maps");
                scan = true;
            } catch (NftExistsException movedAway) {
                refusedAsExisting++;
                if (refusedAsExisting >= 2) {
                    Log.info("DEL of " + owner + ": its record names a key that goes elsewhere; scanning the maps");
                    scan = true;
                }
            } catch (NftNotFoundException gone) {
                Log.info("DEL of " + owner + " met a concurrent change, reading again: " + gone.getMessage());
            }
        }
        throw new CniException(CniException.TRY_AGAIN_LATER, "hostPort mappings of " + owner + " kept changing under this DEL",
                ATTEMPTS + " attempts met concurrent changes");
    }

    /**
     * Removes the chains and elements of {@code network}'s attachments whose chain is not one of
     * {@code validChains}; other networks' state is never touched.
     *
     * @return the keys removed
     */
    List<MapKey> gc(String network, Set<String> validChains) throws CniException, NftException {
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            NftListing l;
            try {
                l = nft.list(ListTarget.table(t.table));
            } catch (NftNotFoundException e) {
                return List.of();
            }
            Map<String, List<MapKey>> stale = new LinkedHashMap<>();
            for (Chain c : l.chains(t.table)) {
                if (!c.name().startsWith(Attachment.CHAIN_PREFIX) || validChains.contains(c.name())) {
                    continue;
                }
                boolean ours = false;
                for (Rule r : l.rules(c)) {
                    ours |= Attachment.ofNetwork(r.comment(), network);
                }
                if (ours) {
                    stale.put(c.name(), new ArrayList<>());
                }
            }
            if (stale.isEmpty()) {
                return List.of();
            }
            List<MapKey> keys = new ArrayList<>();
            for (NftSet map : t.maps()) {
                NftSet listed = l.set(t.table, map.name());
                if (listed == null) {
                    continue;
                }
                for (SetElement e : listed.listedElements()) {
                    Verdict v = e.verdict();
                    List<MapKey> of = v == null ? null : stale.get(v.target());
                    if (of != null) {
                        MapKey k = MapKey.of(t.familyOf(map), e);
                        of.add(k);
                        keys.add(k);
                    }
                }
            }
            NftBatch.Builder b = Nft.batch();
            for (Map.Entry<String, List<MapKey>> e : stale.entrySet()) {
                Chain c = t.table.chain(e.getKey());
                t.deleteOwned(b, c, e.getValue());
                b.flush(c).delete(c);
            }
            try {
                nft.apply(b.build());
                Log.info("GC: removed " + stale.size() + " stale attachment chain(s) of network " + network + ": " + stale.keySet());
                return keys;
            } catch (NftNotFoundException | NftBusyException | NftExistsException changedMeanwhile) {
                Log.info("GC met a concurrent change, reading again: " + changedMeanwhile.getMessage());
            }
        }
        throw new CniException(CniException.TRY_AGAIN_LATER, "hostPort mappings of network " + network + " kept changing under this GC",
                ATTEMPTS + " attempts met concurrent changes");
    }
}
