package dev.jcni.bridge;

import static dev.jcni.core.os.nft.Statement.match;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.net.IpPrefix;
import dev.jcni.core.os.nft.Chain;
import dev.jcni.core.os.nft.Expr;
import dev.jcni.core.os.nft.Family;
import dev.jcni.core.os.nft.ListTarget;
import dev.jcni.core.os.nft.Nft;
import dev.jcni.core.os.nft.NftBatch;
import dev.jcni.core.os.nft.NftException;
import dev.jcni.core.os.nft.NftNotFoundException;
import dev.jcni.core.os.nft.NftRunner;
import dev.jcni.core.os.nft.Rule;
import dev.jcni.core.os.nft.Statement;
import dev.jcni.core.os.nft.Table;
import dev.jcni.core.os.nft.Verdict;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.skel.Log;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code ipMasq}: the container's traffic to anywhere outside its subnet leaves masqueraded, in
 * the reference's nftables layout (its {@code ipMasqBackend: "nftables"}), so the reference's DEL
 * and GC find our rules and ours find theirs:
 *
 * <pre>
 * table inet cni_plugins_masquerade {
 *     chain masq_checks {
 *         ip saddr 10.22.0.5 ip daddr != 10.22.0.0/16 masquerade comment "&lt;net hash&gt;-&lt;instance hash&gt;, net: N, if: eth0, id: C"
 *     }
 *     chain postrouting {
 *         type nat hook postrouting priority srcnat;
 *         ip daddr 224.0.0.0/4 return
 *         ip6 daddr ff00::/8 return
 *         goto masq_checks
 *     }
 * }
 * </pre>
 *
 * Ownership is the comment's hash prefix ({@link Attachment#masqueradeInstance}), derived from
 * network, container ID and ifname: DEL never needs the addresses (the reference's iptables
 * backend needs them, and leaks when the link is gone first). Every ADD re-sends the shared part
 * whole ({@code add}, {@code flush}, the three rules) in its own transaction, so concurrent ADDs
 * leave one copy; an ADD also drops rules its attachment still had (an ADD without DEL).
 */
final class Masquerade {
    static final Table TABLE = Table.of(Family.INET, "cni_plugins_masquerade");
    static final Chain CHECKS = TABLE.chain("masq_checks");
    static final Chain POSTROUTING = TABLE.baseChain("postrouting", Chain.Type.NAT, Chain.Hook.POSTROUTING, Chain.Priority.SRCNAT);
    /** Retries when a rule read for deletion went away before the batch (a concurrent DEL or GC). */
    static final int ATTEMPTS = 5;

    private final NftRunner nft;

    Masquerade(NftRunner nft) {
        this.nft = nft;
    }

    static List<Rule> postroutingRules() {
        return List.of(
                Rule.in(POSTROUTING, match(Expr.IP_DADDR, Expr.prefix("224.0.0.0", 4)), Verdict.RETURN),
                Rule.in(POSTROUTING, match(Expr.IP6_DADDR, Expr.prefix("ff00::", 8)), Verdict.RETURN),
                Rule.in(POSTROUTING, Verdict.goTo(CHECKS)));
    }

    /** {@code ip saddr <address> ip daddr != <its subnet> masquerade}, commented with its owner. */
    static Rule rule(Attachment owner, IpPrefix address) {
        boolean v4 = address.family() == IpAddress.Family.IPV4;
        IpPrefix subnet = address.network();
        return Rule.in(CHECKS,
                match(v4 ? Expr.IP_SADDR : Expr.IP6_SADDR, address.address().toString()),
                match(v4 ? Expr.IP_DADDR : Expr.IP6_DADDR, Statement.Op.NE,
                        Expr.prefix(subnet.address().toString(), subnet.length())),
                Statement.masquerade()).withComment(owner.masqueradeComment());
    }

    /** Masquerades {@code addresses} for {@code owner}, replacing rules it had. */
    void add(Attachment owner, List<IpPrefix> addresses) throws CniException, NftException {
        for (int attempt = 1; ; attempt++) {
            List<Rule> stale = owned(owner.masqueradeInstance());
            Log.timing("masquerade rules listed");
            NftBatch.Builder b = Nft.batch().add(TABLE).add(CHECKS).add(POSTROUTING).flush(POSTROUTING);
            for (Rule r : postroutingRules()) {
                b.add(r);
            }
            for (Rule r : stale) {
                b.delete(r);
            }
            for (IpPrefix a : addresses) {
                b.add(rule(owner, a));
            }
            try {
                nft.apply(b.build());
                return;
            } catch (NftNotFoundException raced) {
                retryOrFail(attempt, owner, raced);
            }
        }
    }

    /** Removes {@code owner}'s rules, whatever addresses they name; nothing there is success. */
    void remove(Attachment owner) throws CniException, NftException {
        removeMatching(owner.masqueradeInstance(), null, owner.toString());
    }

    /**
     * GC: removes the rules of {@code network} whose attachment is not one of {@code validInstances}
     * ({@link Attachment#masqueradeInstance}s); other networks' rules are never touched.
     *
     * @return how many rules went
     */
    int collect(String network, Set<String> validInstances) throws CniException, NftException {
        return removeMatching(Attachment.masqueradeNetworkHash(network) + "-", validInstances, "network " + network);
    }

    private int removeMatching(String prefix, Set<String> keep, String whose) throws CniException, NftException {
        for (int attempt = 1; ; attempt++) {
            List<Rule> doomed = new ArrayList<>();
            for (Rule r : owned(prefix)) {
                if (keep == null || !keep.contains(instanceOf(r.comment()))) {
                    doomed.add(r);
                }
            }
            if (doomed.isEmpty()) {
                return 0;
            }
            Log.timing("masquerade rules listed");
            NftBatch.Builder b = Nft.batch();
            for (Rule r : doomed) {
                b.delete(r);
            }
            try {
                nft.apply(b.build());
                return doomed.size();
            } catch (NftNotFoundException raced) {
                retryOrFail(attempt, whose, raced);
            }
        }
    }

    /** The rules of masq_checks whose comment starts with {@code prefix}; none when the chain is absent. */
    private List<Rule> owned(String prefix) throws NftException {
        List<Rule> out = new ArrayList<>();
        try {
            for (Rule r : nft.list(ListTarget.chain(CHECKS)).rules(CHECKS)) {
                if (r.comment() != null && r.comment().startsWith(prefix)) {
                    out.add(r);
                }
            }
        } catch (NftNotFoundException absent) {
            // No table or chain yet: nobody has rules.
        }
        return out;
    }

    /** The instance hash a comment begins with (16 hex, '-', 16 hex). */
    static String instanceOf(String comment) {
        return comment.substring(0, Math.min(33, comment.length()));
    }

    private static void retryOrFail(int attempt, Object whose, NftNotFoundException raced) throws CniException {
        if (attempt >= ATTEMPTS) {
            throw new CniException(CniException.TRY_AGAIN_LATER, "masquerade rules of " + whose + " kept changing",
                    ATTEMPTS + " attempts met concurrent changes: " + raced.getMessage());
        }
        Log.info("masquerade rules of " + whose + " changed under us, reading again: " + raced.getMessage());
    }
}
