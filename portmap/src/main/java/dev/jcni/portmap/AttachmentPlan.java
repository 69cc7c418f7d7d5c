package dev.jcni.portmap;

import static dev.jcni.core.os.nft.Statement.match;

import dev.jcni.core.net.IpAddress;
import dev.jcni.core.net.IpPrefix;
import dev.jcni.core.os.conntrack.ConntrackFilter;
import dev.jcni.core.os.nft.Chain;
import dev.jcni.core.os.nft.Expr;
import dev.jcni.core.os.nft.NftBatch;
import dev.jcni.core.os.nft.NftSet;
import dev.jcni.core.os.nft.Rule;
import dev.jcni.core.os.nft.SetElement;
import dev.jcni.core.os.nft.Statement;
import dev.jcni.core.os.nft.Verdict;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one attachment's mappings become: its own chain with its rules, the map elements that
 * send each of its keys there, the conntrack entries to flush, and where {@code route_localnet}
 * is needed. Computed from the config and the container's addresses alone, so ADD applies it and
 * CHECK compares the kernel's state with it.
 *
 * <p>Per mapping and family, in the attachment's chain (all rules carry the family's conditions
 * and a comment naming the map key they serve: the attachment's ownership record, {@link OwnedKeys}):
 * <pre>
 * [ip daddr HOSTIP | meta nfproto ipv4] tcp dport 8080 ip saddr 127.0.0.0/8 meta mark set meta mark | 0x2000  # snat: localhost
 * [...]                                 tcp dport 8080 ip saddr 10.88.0.0/16 meta mark set meta mark | 0x2000 # snat: hairpin
 * [...]                                 tcp dport 8080 dnat ip to 10.88.0.9:80
 *                                       comment "jcni:2e2a72b595095673 tcp/8080/v4 c1/eth0" (each)
 * </pre>
 * With masqAll the two mark rules become one without a source match. A {@code meta nfproto} match
 * is written only where no address match follows: nft would list it away as the address match's
 * implied dependency, and CHECK compares the listed rules with these.
 */
final class AttachmentPlan {
    final Attachment owner;
    final Chain chain;
    final List<Rule> rules;
    /** Per map, the elements to add, typed for it; only maps with elements. */
    final Map<NftSet, List<SetElement>> elements;
    /** The keys of those elements, in plan order: what the attachment will own. */
    final List<MapKey> keys;
    final List<ConntrackFilter> conntrack;
    /** The container's IPv4 address when 127.0.0.1 traffic goes to it (route_localnet needed on its way), else null. */
    final IpAddress localnetDestination;
    final int markBit;
    final boolean snat;
    /** Mappings that apply to no address family of the container. */
    final List<PortMapping> unused;

    private AttachmentPlan(Attachment owner, Chain chain, List<Rule> rules, Map<NftSet, List<SetElement>> elements, List<MapKey> keys,
                           List<ConntrackFilter> conntrack, IpAddress localnetDestination, int markBit, boolean snat, List<PortMapping> unused) {
        this.owner = owner;
        this.chain = chain;
        this.rules = rules;
        this.elements = elements;
        this.keys = keys;
        this.conntrack = conntrack;
        this.localnetDestination = localnetDestination;
        this.markBit = markBit;
        this.snat = snat;
        this.unused = unused;
    }

    static AttachmentPlan build(HostportTable t, Attachment owner, PortmapConfig config, ContainerIps ips) {
        Chain chain = t.table.chain(owner.chainName());
        String elementComment = owner.comment();
        Verdict toChain = Verdict.goTo(chain);
        List<Rule> rules = new ArrayList<>();
        Map<NftSet, List<SetElement>> elements = new LinkedHashMap<>();
        List<MapKey> keys = new ArrayList<>();
        List<ConntrackFilter> conntrack = new ArrayList<>();
        List<PortMapping> unused = new ArrayList<>();
        IpAddress localnet = null;
        for (PortMapping m : config.mappings()) {
            boolean used = false;
            for (IpAddress.Family f : IpAddress.Family.values()) {
                IpPrefix container = ips.of(f);
                if (container == null || !m.appliesTo(f)) {
                    continue;
                }
                used = true;
                boolean v4 = f == IpAddress.Family.IPV4;
                NftSet map = m.hostIp() != null ? t.hostipMap(f) : t.portsMap(f);
                SetElement e = m.hostIp() != null
                        ? SetElement.of(m.hostIp().toString(), m.protocol(), m.hostPort())
                        : SetElement.of(m.protocol(), m.hostPort());
                SetElement typed = map.elements(e.withComment(elementComment).mapsTo(toChain)).elements().get(0);
                MapKey key = MapKey.of(f, typed);
                keys.add(key);
                List<SetElement> forMap = elements.get(map);
                if (forMap == null) {
                    forMap = new ArrayList<>();
                    elements.put(map, forMap);
                }
                forMap.add(typed);
                String comment = owner.ruleComment(key);
                List<Statement> conditions = v4 ? config.conditionsV4() : config.conditionsV6();
                if (config.snat()) {
                    if (config.masqAll()) {
                        rules.add(rule(chain, f, m, conditions, null, markStatement(config), comment));
                    } else {
                        if (v4 && m.answersOnLoopback()) {
                            rules.add(rule(chain, f, m, conditions, Expr.prefix("127.0.0.0", 8), markStatement(config), comment));
                            localnet = container.address();
                        }
                        rules.add(rule(chain, f, m, conditions, Expr.prefix(container.network().address().toString(), container.length()),
                                markStatement(config), comment));
                    }
                }
                rules.add(rule(chain, f, m, conditions, null, Statement.dnat(container.address().toString(), m.containerPort()), comment));
                if (m.connectionless()) {
                    conntrack.add(new ConntrackFilter(f, "udp".equals(m.protocol()) ? ConntrackFilter.UDP : ConntrackFilter.SCTP,
                            m.hostPort(), m.hostIp()));
                }
            }
            if (!used) {
                unused.add(m);
            }
        }
        return new AttachmentPlan(owner, chain, List.copyOf(rules), elements, List.copyOf(keys), List.copyOf(conntrack), localnet,
                config.markMasqBit(), config.snat(), List.copyOf(unused));
    }

    private static Statement markStatement(PortmapConfig config) {
        return Statement.setMark(Expr.or(Expr.META_MARK, (long) config.mark() & 0xffffffffL));
    }

    private static Rule rule(Chain chain, IpAddress.Family f, PortMapping m, List<Statement> conditions, Expr source,
                             Statement action, String comment) {
        boolean v4 = f == IpAddress.Family.IPV4;
        List<Statement> s = new ArrayList<>();
        boolean addressMatch = m.hostIp() != null || source != null || hasAddressMatch(conditions);
        if (!addressMatch) {
            s.add(match(Expr.META_NFPROTO, v4 ? "ipv4" : "ipv6"));
        }
        if (m.hostIp() != null) {
            s.add(match(v4 ? Expr.IP_DADDR : Expr.IP6_DADDR, m.hostIp().toString()));
        }
        s.add(match(portField(m.protocol()), m.hostPort()));
        s.addAll(conditions);
        if (source != null) {
            s.add(match(v4 ? Expr.IP_SADDR : Expr.IP6_SADDR, source));
        }
        s.add(action);
        return Rule.in(chain, s).withComment(comment);
    }

    private static boolean hasAddressMatch(List<Statement> conditions) {
        for (Statement c : conditions) {
            String json = c.toString();
            if (json.contains("\"protocol\":\"ip\"") || json.contains("\"protocol\":\"ip6\"")) {
                return true;
            }
        }
        return false;
    }

    private static Expr portField(String protocol) {
        switch (protocol) {
            case "udp":
                return Expr.UDP_DPORT;
            case "sctp":
                return Expr.SCTP_DPORT;
            default:
                return Expr.TCP_DPORT;
        }
    }

    boolean isEmpty() {
        return rules.isEmpty();
    }

    /** The attachment's rules (its chain already created or flushed in the batch). */
    void addRules(NftBatch.Builder b) {
        for (Rule r : rules) {
            b.add(r);
        }
    }

    /** The attachment's elements, after its rules: the record and the keys go in together. */
    void addElements(NftBatch.Builder b) {
        for (Map.Entry<NftSet, List<SetElement>> e : elements.entrySet()) {
            b.add(e.getKey().elements(e.getValue()));
        }
    }
}
