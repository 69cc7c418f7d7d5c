package dev.jcni.portmap;

import dev.jcni.core.os.nft.Chain;
import dev.jcni.core.os.nft.NftException;
import dev.jcni.core.os.nft.NftRunner;
import dev.jcni.core.os.nft.NftSet;
import dev.jcni.core.os.nft.SetElement;
import dev.jcni.core.os.nft.Verdict;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The reads that list whole maps, so grow with the number of attachments on the node: kept off
 * the common path, and used only where nothing cheaper answers the question.
 *
 * <ul>
 *   <li>Who owns a key an ADD met taken (EEXIST): nft 1.0.6's JSON has no way to read one
 *       element ({@code {"get":{"element":...}}} is refused as "Unknown object passed to add
 *       command"; the text {@code get element} answers in text only), so the maps the plan's keys
 *       live in are listed, on a conflict only.</li>
 *   <li>Which elements go to a chain whose record is incomplete (state of an earlier build, or
 *       changed by hand): DEL's fallback when its batch is refused for a reference it did not
 *       know of.</li>
 *   <li>CHECK's details, when its dry runs have found a difference.</li>
 * </ul>
 */
final class MapScan {
    private final HostportTable t;
    private final NftRunner nft;

    MapScan(HostportTable t, NftRunner nft) {
        this.t = t;
        this.nft = nft;
    }

    /**
     * Elements of other attachments in the way of {@code plan}: the same key, or with
     * {@code narrowing} also another's any-address key under a hostIP-bound key of the plan
     * (which would take that port on one address from it).
     */
    List<Conflict> conflicts(AttachmentPlan plan, boolean narrowing) throws NftException {
        List<NftSet> maps = new ArrayList<>();
        for (MapKey k : plan.keys) {
            addIfAbsent(maps, t.mapOf(k));
            if (narrowing && k.hostIp() != null) {
                addIfAbsent(maps, t.portsMap(k.family()));
            }
        }
        List<Conflict> out = new ArrayList<>();
        for (NftSet map : maps) {
            for (SetElement listed : t.listElements(nft, map)) {
                Verdict v = listed.verdict();
                if (v != null && plan.chain.name().equals(v.target())) {
                    continue;
                }
                MapKey k = MapKey.of(t.familyOf(map), listed);
                for (MapKey mine : plan.keys) {
                    if (mine.equals(k) || narrowing && mine.narrows(k)) {
                        out.add(new Conflict(map, listed, k));
                        break;
                    }
                }
            }
        }
        return out;
    }

    /** The keys of every element that sends its key to {@code chain}. */
    List<MapKey> keysGoingTo(Chain chain) throws NftException {
        List<MapKey> out = new ArrayList<>();
        for (NftSet map : t.maps()) {
            for (SetElement e : t.listElements(nft, map)) {
                Verdict v = e.verdict();
                if (v != null && chain.name().equals(v.target())) {
                    out.add(MapKey.of(t.familyOf(map), e));
                }
            }
        }
        return out;
    }

    /** The listed element of each key of {@code keys} in its map, or null where there is none. */
    List<SetElement> elementsOf(List<MapKey> keys) throws NftException {
        List<NftSet> maps = new ArrayList<>();
        for (MapKey k : keys) {
            addIfAbsent(maps, t.mapOf(k));
        }
        List<SetElement> found = new ArrayList<>(Collections.nCopies(keys.size(), (SetElement) null));
        for (NftSet map : maps) {
            for (SetElement e : t.listElements(nft, map)) {
                MapKey k = MapKey.of(t.familyOf(map), e);
                int at = keys.indexOf(k);
                if (at >= 0) {
                    found.set(at, e);
                }
            }
        }
        return found;
    }

    private static <T> void addIfAbsent(List<T> list, T item) {
        if (!list.contains(item)) {
            list.add(item);
        }
    }

    /** One element of another attachment in the way of an ADD. */
    record Conflict(NftSet map, SetElement listed, MapKey key) {
        /** The element's comment: the owner for a human, {@code jcni:<network hash> <container>/<ifname>}; null if none. */
        String owner() {
            return listed.comment();
        }

        /** The chain the element sends its key to, or null when its verdict is not a goto. */
        String ownerChain() {
            Verdict v = listed.verdict();
            return v != null && "goto".equals(v.kind()) ? v.target() : null;
        }

        String describe() {
            return key + " is mapped by " + (owner() == null ? "an element that carries no comment" : "\"" + owner() + "\"");
        }
    }
}
