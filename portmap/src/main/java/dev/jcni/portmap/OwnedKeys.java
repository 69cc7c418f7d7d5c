package dev.jcni.portmap;

import dev.jcni.core.os.nft.Chain;
import dev.jcni.core.os.nft.ListTarget;
import dev.jcni.core.os.nft.NftException;
import dev.jcni.core.os.nft.NftNotFoundException;
import dev.jcni.core.os.nft.NftRunner;
import dev.jcni.core.os.nft.Rule;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An attachment's ownership record, read from its own chain: the map keys it owns, each with the
 * rules (and their handles) that serve it. Every rule of an attachment's chain names the key it
 * serves in its comment ({@link Attachment#ruleComment}), and the batches keep the record and the
 * maps in step:
 *
 * <ul>
 *   <li>ADD writes the rules of a key and its element in one batch;</li>
 *   <li>a takeover, in the batch that points the element at the new owner, deletes the previous
 *       owner's rules of that key by handle (so that batch fails, changing nothing, if the
 *       previous owner's chain changed since it was read);</li>
 *   <li>DEL deletes the elements of the recorded keys and the chain in one batch.</li>
 * </ul>
 *
 * So a key an attachment's rules name is a key whose element goes to its chain, and reading the
 * record costs one list of one small chain, whatever the number of attachments on the node.
 * Rules that name no key (written by an earlier build, or by hand) are kept apart as
 * {@link #unrecorded}.
 */
final class OwnedKeys {
    final Chain chain;
    private final Map<MapKey, List<Rule>> rules;
    final List<Rule> unrecorded;

    private OwnedKeys(Chain chain, Map<MapKey, List<Rule>> rules, List<Rule> unrecorded) {
        this.chain = chain;
        this.rules = rules;
        this.unrecorded = unrecorded;
    }

    /** The record in {@code chain} as it is now; null when the chain does not exist. */
    static OwnedKeys read(HostportTable t, NftRunner nft, Chain chain) throws NftException {
        List<Rule> listed;
        try {
            listed = nft.list(ListTarget.chain(chain)).rules(chain);
        } catch (NftNotFoundException absent) {
            return null;
        }
        return of(t, chain, listed);
    }

    /** The record held by {@code listed}, the rules of {@code chain} as nft listed them (with handles). */
    static OwnedKeys of(HostportTable t, Chain chain, List<Rule> listed) {
        Map<MapKey, List<Rule>> byKey = new LinkedHashMap<>();
        List<Rule> unrecorded = new ArrayList<>();
        for (Rule r : listed) {
            String text = Attachment.recordedKey(r.comment());
            MapKey key = text == null ? null : MapKey.fromRecord(text, t);
            if (key == null) {
                unrecorded.add(r);
                continue;
            }
            List<Rule> l = byKey.get(key);
            if (l == null) {
                l = new ArrayList<>();
                byKey.put(key, l);
            }
            l.add(r);
        }
        return new OwnedKeys(chain, byKey, List.copyOf(unrecorded));
    }

    Set<MapKey> keys() {
        return rules.keySet();
    }

    /** The listed rules (with handles) that serve {@code key}; empty when it is not recorded. */
    List<Rule> rulesOf(MapKey key) {
        List<Rule> l = rules.get(key);
        return l == null ? List.of() : l;
    }

    /** True when every rule of the chain serves one of {@code keys}: taking them all leaves the chain empty. */
    boolean emptiedBy(Collection<MapKey> keys) {
        return unrecorded.isEmpty() && keys.containsAll(rules.keySet());
    }
}
