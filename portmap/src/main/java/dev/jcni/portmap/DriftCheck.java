package dev.jcni.portmap;

import dev.jcni.core.os.nft.Chain;
import dev.jcni.core.os.nft.ListTarget;
import dev.jcni.core.os.nft.Nft;
import dev.jcni.core.os.nft.NftBatch;
import dev.jcni.core.os.nft.NftException;
import dev.jcni.core.os.nft.NftExistsException;
import dev.jcni.core.os.nft.NftNotFoundException;
import dev.jcni.core.os.nft.NftRunner;
import dev.jcni.core.os.nft.NftSet;
import dev.jcni.core.os.nft.Rule;
import dev.jcni.core.os.nft.SetElement;
import dev.jcni.core.os.nft.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The nftables side of CHECK: every difference between the kernel's state and a plan, read
 * without listing the maps (whose size grows with the node's attachments) while all is well.
 *
 * <ul>
 *   <li>the attachment's chain, rule by rule, comments (its ownership record) included, and the
 *       shared chains it needs (the lookup and hook chains, its mark bit's masquerade chain),
 *       each listed alone;</li>
 *   <li>its elements by two dry runs ({@link NftRunner#check}, nothing committed): deleting its
 *       keys (ENOENT: one is missing) and adding each key mapping to its chain (EEXIST: one goes
 *       elsewhere). Only when one of them fails are the maps concerned listed, to say which
 *       element and where it goes.</li>
 * </ul>
 * Contents are compared, not counts or handles (an idempotent re-ADD renumbers handles).
 */
final class DriftCheck {
    private final HostportTable t;
    private final NftRunner nft;

    DriftCheck(HostportTable t, NftRunner nft) {
        this.t = t;
        this.nft = nft;
    }

    /** Every difference; empty when none. */
    List<String> drift(AttachmentPlan plan) throws NftException {
        List<String> out = new ArrayList<>();
        if (!compare(out, t.hostports, t.hostportsRules())) {
            // No lookup chain: no table, or not one this plugin made. Nothing else can hold.
            return out;
        }
        compare(out, t.prerouting, List.of(t.entryRule(t.prerouting)));
        compare(out, t.output, List.of(t.entryRule(t.output)));
        if (plan.snat) {
            compare(out, t.masqueradeChain(plan.markBit), List.of(t.masqueradeRule(plan.markBit)));
        }
        // A plan with rules has keys: every rule serves one.
        boolean chainExists = compare(out, plan.chain, plan.rules);
        if (chainExists && elementsInPlace(plan)) {
            return out;
        }
        List<SetElement> listed = new MapScan(t, nft).elementsOf(plan.keys);
        for (int i = 0; i < plan.keys.size(); i++) {
            MapKey k = plan.keys.get(i);
            String map = t.mapOf(k).name();
            SetElement have = listed.get(i);
            if (have == null) {
                out.add("map " + map + " has no element " + k);
                continue;
            }
            Verdict v = have.verdict();
            if (v == null || !"goto".equals(v.kind()) || !plan.chain.name().equals(v.target())) {
                out.add("map " + map + " sends " + k + " to " + (v == null ? String.valueOf(have.data()) : v.kind() + " " + v.target())
                        + ", not to " + plan.chain.name());
            }
        }
        return out;
    }

    /** True when both dry runs pass: every key is there, and goes to the plan's chain. */
    private boolean elementsInPlace(AttachmentPlan plan) throws NftException {
        NftBatch.Builder present = Nft.batch();
        NftBatch.Builder ours = Nft.batch();
        for (Map.Entry<NftSet, List<SetElement>> e : plan.elements.entrySet()) {
            present.delete(e.getKey().elements(e.getValue()));
            ours.add(e.getKey().elements(e.getValue()));
        }
        try {
            nft.check(present.build());
            nft.check(ours.build());
            return true;
        } catch (NftNotFoundException | NftExistsException differs) {
            return false;
        }
    }

    /**
     * Adds to {@code out} how {@code chain}'s rules differ from {@code wanted}; false (and says so)
     * when the chain does not exist.
     */
    private boolean compare(List<String> out, Chain chain, List<Rule> wanted) throws NftException {
        List<Rule> have;
        try {
            have = nft.list(ListTarget.chain(chain)).rules(chain);
        } catch (NftNotFoundException e) {
            out.add("chain " + chain.name() + " of table inet " + HostportTable.NAME + " does not exist");
            return false;
        }
        String what = "chain " + chain.name();
        if (have.size() != wanted.size()) {
            out.add(what + " has " + have.size() + " rules, expected " + wanted.size());
            return true;
        }
        for (int i = 0; i < wanted.size(); i++) {
            Rule w = wanted.get(i);
            Rule h = have.get(i);
            if (w.sameContent(h)) {
                continue;
            }
            if (w.statements().equals(h.statements())) {
                out.add(what + " rule " + (i + 1) + " has comment \"" + h.comment() + "\", expected \"" + w.comment() + "\"");
            } else {
                out.add(what + " rule " + (i + 1) + " is " + h.statements() + ", expected " + w.statements());
            }
        }
        return true;
    }
}
