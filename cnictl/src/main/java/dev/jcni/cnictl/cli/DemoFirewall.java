package dev.jcni.cnictl.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The host firewall as far as the demo's attachment is concerned: iptables nat rules that name
 * the container (bridge's ipMasq, portmap's DNAT), the per-container chains they jump to, and
 * nftables rules that name the container or the hostPort.
 *
 * <p>Those chains are named by a hash, so they are learned from the rules while the attachment
 * exists ({@link #natRules}); after DEL, a rule still in one of them counts as a leftover.
 */
final class DemoFirewall {
    private final String containerId;
    private final int hostPort;
    private final Set<String> chains = new LinkedHashSet<>();
    /** "dport 18080" or "dport { 80, 18080 }", and not "dport 180800" or "dport 8080" for port 80. */
    private final Pattern namesPort;

    DemoFirewall(String containerId, int hostPort) {
        this.containerId = containerId;
        this.hostPort = hostPort;
        this.namesPort = Pattern.compile("dport\\s+(\\{[0-9, ]*)?(?<![0-9])" + hostPort + "(?![0-9])");
    }

    /** The attachment's nat rules, as iptables-save prints them; remembers the chains they jump to. */
    List<String> natRules() {
        List<String> nat = HostCommands.run("iptables-save", "-t", "nat").lines();
        for (String l : nat) {
            String target = l.contains(containerId) ? jumpTarget(l) : null;
            // CNI-HOSTPORT-* are portmap's chains for every container, not this one's.
            if (target != null && target.startsWith("CNI-") && !target.startsWith("CNI-HOSTPORT-")) {
                chains.add(target);
            }
        }
        List<String> rules = new ArrayList<>();
        for (String l : nat) {
            if (l.startsWith("-A ") && (l.contains(containerId) || inOurChain(l))) {
                rules.add(l);
            }
        }
        return rules;
    }

    /** nftables rules outside iptables-nft's own tables that name the container or the hostPort, with their table. */
    List<String> nftRules() {
        List<String> out = new ArrayList<>();
        if (HostCommands.which("nft") == null) {
            return out;
        }
        String table = "";
        for (String l : HostCommands.run("nft", "list", "ruleset").lines()) {
            String t = l.trim();
            if (t.startsWith("table ")) {
                table = t.substring(6).replace(" {", "");
                continue;
            }
            boolean iptablesTable = table.matches("ip6? (nat|filter|mangle|raw|security)");
            if (!iptablesTable && (t.contains(containerId) || namesPort.matcher(t).find())) {
                out.add("[" + table + "] " + t);
            }
        }
        return out;
    }

    /** Every iptables rule (any table) or nftables rule that still names the container, the hostPort or one of its chains. */
    List<String> leftovers() {
        List<String> out = new ArrayList<>();
        for (String l : HostCommands.run("iptables-save").lines()) {
            boolean ours = l.contains(containerId) || l.contains("--dport " + hostPort + " ") || l.endsWith("--dport " + hostPort);
            for (String c : chains) {
                ours |= l.contains(c + " ") || l.endsWith(c);
            }
            if (ours && !l.startsWith("#")) {
                out.add(l.trim());
            }
        }
        out.addAll(nftRules());
        return out;
    }

    private boolean inOurChain(String rule) {
        for (String c : chains) {
            if (rule.startsWith("-A " + c + " ")) {
                return true;
            }
        }
        return false;
    }

    /** The chain or target after {@code -j}, or null. */
    private static String jumpTarget(String rule) {
        int j = rule.indexOf(" -j ");
        return j > 0 ? rule.substring(j + 4).trim().split("\\s+")[0] : null;
    }
}
