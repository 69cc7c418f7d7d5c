package dev.jcni.portmap;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.os.conntrack.ConntrackFilter;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The nftables side of ADD, DEL, CHECK and GC: each change one atomic batch.
 *
 * <p>No file lock: each verb reads what it needs, builds one batch from it and applies it; a
 * batch that meets a concurrent change (a key taken meanwhile: EEXIST; an element or chain gone
 * meanwhile: ENOENT; a chain still referenced: EBUSY) changed nothing, and the verb reads again
 * and retries, {@value #ATTEMPTS} times at most. ADD reads nothing in the common case: it sends
 * the shared part and its own part, and only an EEXIST (a key owned by another attachment) makes
 * it list the maps concerned.
 */
final class PortmapSession {
    static final int ATTEMPTS = 8;

    private final HostportTable t;
    private final NftRunner nft;

    PortmapSession(HostportTable t, NftRunner nft) {
        this.t = t;
        this.nft = nft;
    }

    /** One element of another attachment in the way of an ADD. */
    record Conflict(NftSet map, SetElement listed, MapKey key, String owner) {
        String describe() {
            return key + " is mapped by " + (owner == null ? "an attachment whose element carries no comment" : "\"" + owner + "\"");
        }
    }

    /**
     * Applies {@code plan}: the shared part, then the attachment's chain and elements. Keys owned
     * by another attachment are taken over (TAKEOVER, each with a warning) or refused (STRICT,
     * checked before anything is sent, including a hostIP-bound key over an any-address one).
     *
     * @return the conflicts taken over
     */
    List<Conflict> add(AttachmentPlan plan, ConflictPolicy policy) throws CniException, NftException {
        boolean needMasqueradeRule = plan.snat && !hasMasqueradeRule(plan.mark);
        if (policy == ConflictPolicy.STRICT) {
            refuse(conflicts(plan, true));
        }
        List<Conflict> takeover = List.of();
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            NftBatch.Builder b = Nft.batch();
            t.addBase(b);
            if (needMasqueradeRule) {
                b.add(t.masqueradeRule(plan.mark));
            }
            for (Conflict c : takeover) {
                b.delete(c.map().elements(c.listed()));
            }
            plan.addTo(b);
            try {
                nft.apply(b.build());
                return takeover;
            } catch (NftExistsException e) {
                List<Conflict> found = conflicts(plan, false);
                if (policy == ConflictPolicy.STRICT) {
                    refuse(found);
                }
                takeover = found;
                for (Conflict c : found) {
                    Log.warn("hostPort " + c.describe() + "; " + plan.owner + " takes it over (node policy "
                            + ConflictPolicy.VARIABLE + "=takeover)");
                }
            } catch (NftNotFoundException e) {
                // An element to take over went away meanwhile: read again.
                takeover = conflicts(plan, false);
            }
        }
        throw new CniException(CniException.TRY_AGAIN_LATER, "hostPort mappings of " + plan.owner + " kept changing under this ADD",
                ATTEMPTS + " attempts met concurrent changes");
    }

    private static void refuse(List<Conflict> conflicts) throws CniException {
        if (conflicts.isEmpty()) {
            return;
        }
        List<String> why = new ArrayList<>();
        for (Conflict c : conflicts) {
            why.add(c.describe());
        }
        throw new CniException(CniException.PLUGIN_FAILURE, "hostPort already in use: " + why.get(0),
                String.join("; ", why) + " (node policy " + ConflictPolicy.VARIABLE + "=strict)");
    }

    private boolean hasMasqueradeRule(int mark) throws NftException {
        Rule wanted = t.masqueradeRule(mark);
        try {
            for (Rule r : nft.list(ListTarget.chain(t.masquerading)).rules(t.masquerading)) {
                if (wanted.sameContent(r)) {
                    return true;
                }
            }
        } catch (NftNotFoundException absent) {
            // No table yet: the base goes in with this ADD.
        }
        return false;
    }

    /**
     * Elements of other attachments whose key is one of the plan's ({@code overlap}: or catches
     * some of the same packets, as an any-address key does under a hostIP-bound one).
     */
    List<Conflict> conflicts(AttachmentPlan plan, boolean overlap) throws NftException {
        List<MapKey> mine = new ArrayList<>();
        List<NftSet> maps = new ArrayList<>();
        for (Map.Entry<NftSet, List<SetElement>> e : plan.elements.entrySet()) {
            IpAddress.Family f = familyOf(e.getKey());
            for (SetElement el : e.getValue()) {
                mine.add(MapKey.of(f, el));
            }
            if (overlap) {
                addIfAbsent(maps, t.hostipMap(f));
                addIfAbsent(maps, t.portsMap(f));
            } else {
                addIfAbsent(maps, e.getKey());
            }
        }
        List<Conflict> out = new ArrayList<>();
        for (NftSet map : maps) {
            IpAddress.Family f = familyOf(map);
            for (SetElement listed : listElements(map)) {
                Verdict v = listed.verdict();
                if (v != null && plan.chain.name().equals(v.target())) {
                    continue;
                }
                MapKey k = MapKey.of(f, listed);
                for (MapKey m : mine) {
                    if (overlap ? m.overlaps(k) : m.equals(k)) {
                        out.add(new Conflict(map, listed, k, listed.comment()));
                        break;
                    }
                }
            }
        }
        return out;
    }

    private static <T> void addIfAbsent(List<T> list, T item) {
        if (!list.contains(item)) {
            list.add(item);
        }
    }

    IpAddress.Family familyOf(NftSet map) {
        return map.equals(t.hostipV4) || map.equals(t.portsV4) ? IpAddress.Family.IPV4 : IpAddress.Family.IPV6;
    }

    private List<SetElement> listElements(NftSet map) throws NftException {
        try {
            NftSet listed = nft.list(ListTarget.set(map)).set(t.table, map.name());
            return listed == null ? List.of() : listed.listedElements();
        } catch (NftNotFoundException absent) {
            return List.of();
        }
    }

    /**
     * Removes {@code owner}'s elements and chain, and nothing else: only elements whose verdict
     * goes to its chain, so an element another attachment took over stays.
     *
     * @return the keys removed (their UDP and SCTP flows are flushed by the caller)
     */
    List<MapKey> del(Attachment owner) throws CniException, NftException {
        Chain chain = t.table.chain(owner.chainName());
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                nft.list(ListTarget.chain(chain));
            } catch (NftNotFoundException gone) {
                // No chain, so no element can go to it (nft refuses a goto to a missing chain).
                return List.of();
            }
            Map<NftSet, List<SetElement>> mine = new LinkedHashMap<>();
            for (NftSet map : t.maps()) {
                List<SetElement> own = new ArrayList<>();
                for (SetElement e : listElements(map)) {
                    Verdict v = e.verdict();
                    if (v != null && chain.name().equals(v.target())) {
                        own.add(e);
                    }
                }
                if (!own.isEmpty()) {
                    mine.put(map, own);
                }
            }
            NftBatch.Builder b = Nft.batch();
            List<MapKey> keys = new ArrayList<>();
            for (Map.Entry<NftSet, List<SetElement>> e : mine.entrySet()) {
                b.delete(e.getKey().elements(e.getValue()));
                for (SetElement el : e.getValue()) {
                    keys.add(MapKey.of(familyOf(e.getKey()), el));
                }
            }
            b.flush(chain).delete(chain);
            try {
                nft.apply(b.build());
                return keys;
            } catch (NftNotFoundException | NftBusyException changedMeanwhile) {
                Log.info("DEL of " + owner + " met a concurrent change, reading again: " + changedMeanwhile.getMessage());
            }
        }
        throw new CniException(CniException.TRY_AGAIN_LATER, "hostPort mappings of " + owner + " kept changing under this DEL",
                ATTEMPTS + " attempts met concurrent changes");
    }

    /** Every difference between the kernel's ruleset and {@code plan} (and the shared part it needs); empty when none. */
    List<String> drift(AttachmentPlan plan) throws NftException {
        NftListing l;
        try {
            l = nft.list(ListTarget.table(t.table));
        } catch (NftNotFoundException e) {
            return List.of("table inet " + HostportTable.NAME + " does not exist");
        }
        List<String> out = new ArrayList<>();
        compareRules(out, "chain hostports", t.hostportsRules(), l, t.hostports);
        compareRules(out, "chain prerouting", List.of(t.entryRule(t.prerouting)), l, t.prerouting);
        compareRules(out, "chain output", List.of(t.entryRule(t.output)), l, t.output);
        if (plan.snat) {
            boolean found = false;
            Rule wanted = t.masqueradeRule(plan.mark);
            for (Rule r : l.rules(t.masquerading)) {
                found |= wanted.sameContent(r);
            }
            if (!found) {
                out.add("chain masquerading has no rule masquerading mark 0x" + Integer.toHexString(plan.mark));
            }
        }
        if (l.chain(t.table, plan.chain.name()) == null) {
            out.add("chain " + plan.chain.name() + " of " + plan.owner + " does not exist");
        } else {
            compareRules(out, "chain " + plan.chain.name(), plan.rules, l, plan.chain);
        }
        for (Map.Entry<NftSet, List<SetElement>> e : plan.elements.entrySet()) {
            NftSet listed = l.set(t.table, e.getKey().name());
            for (SetElement wanted : e.getValue()) {
                String problem = "map " + e.getKey().name() + " has no element " + MapKey.of(familyOf(e.getKey()), wanted);
                if (listed != null) {
                    for (SetElement have : listed.listedElements()) {
                        if (have.key().equals(wanted.key())) {
                            Verdict v = have.verdict();
                            problem = v != null && plan.chain.name().equals(v.target()) ? null
                                    : "map " + e.getKey().name() + " sends " + MapKey.of(familyOf(e.getKey()), wanted) + " to "
                                    + (v == null ? have.data() : v.kind() + " " + v.target()) + ", not to " + plan.chain.name();
                        }
                    }
                }
                if (problem != null) {
                    out.add(problem);
                }
            }
        }
        return out;
    }

    private static void compareRules(List<String> out, String what, List<Rule> wanted, NftListing l, Chain chain) {
        List<Rule> have = l.rules(chain);
        if (have.size() != wanted.size()) {
            out.add(what + " has " + have.size() + " rules, expected " + wanted.size());
            return;
        }
        for (int i = 0; i < wanted.size(); i++) {
            if (!wanted.get(i).sameContent(have.get(i))) {
                out.add(what + " rule " + (i + 1) + " is " + have.get(i).statements() + ", expected " + wanted.get(i).statements());
            }
        }
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
            List<Chain> stale = new ArrayList<>();
            for (Chain c : l.chains(t.table)) {
                if (!c.name().startsWith(Attachment.CHAIN_PREFIX) || validChains.contains(c.name())) {
                    continue;
                }
                boolean ours = false;
                for (Rule r : l.rules(c)) {
                    ours |= Attachment.ofNetwork(r.comment(), network);
                }
                if (ours) {
                    stale.add(t.table.chain(c.name()));
                }
            }
            if (stale.isEmpty()) {
                return List.of();
            }
            List<String> staleNames = new ArrayList<>();
            for (Chain c : stale) {
                staleNames.add(c.name());
            }
            NftBatch.Builder b = Nft.batch();
            List<MapKey> keys = new ArrayList<>();
            for (NftSet map : t.maps()) {
                NftSet listed = l.set(t.table, map.name());
                List<SetElement> doomed = new ArrayList<>();
                if (listed != null) {
                    for (SetElement e : listed.listedElements()) {
                        Verdict v = e.verdict();
                        if (v != null && staleNames.contains(v.target())) {
                            doomed.add(e);
                            keys.add(MapKey.of(familyOf(map), e));
                        }
                    }
                }
                if (!doomed.isEmpty()) {
                    b.delete(map.elements(doomed));
                }
            }
            for (Chain c : stale) {
                b.flush(c).delete(c);
            }
            try {
                nft.apply(b.build());
                Log.info("GC: removed " + stale.size() + " stale attachment chain(s) of network " + network + ": " + staleNames);
                return keys;
            } catch (NftNotFoundException | NftBusyException changedMeanwhile) {
                Log.info("GC met a concurrent change, reading again: " + changedMeanwhile.getMessage());
            }
        }
        throw new CniException(CniException.TRY_AGAIN_LATER, "hostPort mappings of network " + network + " kept changing under this GC",
                ATTEMPTS + " attempts met concurrent changes");
    }

    /** The conntrack filters for {@code keys} (UDP and SCTP only). */
    static List<ConntrackFilter> conntrackFilters(List<MapKey> keys) {
        List<ConntrackFilter> out = new ArrayList<>();
        for (MapKey k : keys) {
            ConntrackFilter f = k.conntrackFilter();
            if (f != null && !out.contains(f)) {
                out.add(f);
            }
        }
        return out;
    }
}
