package dev.jcni.cnictl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.protocol.Json;
import dev.jcni.cnictl.runtime.PluginExecution;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The demo's "what each plugin changed": per ADD, what the plugin added to the result (from its
 * prevResult and its output), and what it did that a result does not show, read back from the
 * host and the sandbox: portmap's firewall rules, bandwidth's qdiscs, tuning's sysctls and MTU.
 */
final class ChangeReport {
    private final DemoConsole console;
    private final DemoSandbox sandbox;
    private final DemoAttachment attachment;
    private final DemoFirewall firewall;

    ChangeReport(DemoConsole console, DemoSandbox sandbox, DemoAttachment attachment, DemoFirewall firewall) {
        this.console = console;
        this.sandbox = sandbox;
        this.attachment = attachment;
        this.firewall = firewall;
    }

    void print(List<PluginExecution> adds) {
        for (PluginExecution e : adds) {
            console.heading(e.pluginType() + ":");
            List<String> lines = resultChanges(e);
            switch (e.pluginType()) {
                case "bridge":
                    lines.addAll(bridgeRules());
                    break;
                case "portmap":
                    lines.addAll(firewallLines());
                    break;
                case "bandwidth":
                    lines.addAll(qdiscLines());
                    break;
                case "tuning":
                    lines.addAll(tuningLines(e));
                    break;
                default:
            }
            for (String line : lines) {
                console.detail(line);
            }
        }
    }

    /** Interfaces, addresses and routes this plugin added or changed in the result, then its exec time. */
    private static List<String> resultChanges(PluginExecution e) {
        List<String> lines = new ArrayList<>();
        try {
            JsonNode prev = Json.parse(e.stdin()).path("prevResult");
            JsonNode now = Json.parse(e.stdout());
            interfaceChanges(prev, now, lines);
            Set<String> oldIps = new HashSet<>();
            for (JsonNode ip : prev.path("ips")) {
                oldIps.add(ip.path("address").asText());
            }
            for (JsonNode ip : now.path("ips")) {
                if (!oldIps.contains(ip.path("address").asText())) {
                    lines.add("address " + ip.path("address").asText() + " gateway " + ip.path("gateway").asText("-"));
                }
            }
            if (!prev.path("routes").equals(now.path("routes"))) {
                lines.add("routes " + Json.toString(now.path("routes")));
            }
        } catch (IOException ex) {
            lines.add("(output not readable: " + ex.getMessage() + ")");
        }
        if (lines.isEmpty()) {
            lines.add("result passed through unchanged");
        }
        lines.add(String.format("exec took %s ms", DemoConsole.millis(e.elapsed())));
        return lines;
    }

    /** An interface is the same one when its name and sandbox are. */
    private static void interfaceChanges(JsonNode prev, JsonNode now, List<String> lines) {
        Map<String, JsonNode> before = new LinkedHashMap<>();
        for (JsonNode i : prev.path("interfaces")) {
            before.put(i.path("name").asText() + "@" + i.path("sandbox").asText(""), i);
        }
        for (JsonNode i : now.path("interfaces")) {
            String name = i.path("name").asText();
            String sandboxPath = i.path("sandbox").asText("");
            String where = sandboxPath.isEmpty() ? "host" : "in " + sandboxPath;
            JsonNode old = before.get(name + "@" + sandboxPath);
            if (old == null) {
                lines.add("interface " + name + " (" + where + ") mac " + i.path("mac").asText("?"));
            } else if (!old.equals(i)) {
                lines.add("interface " + name + " (" + where + ") now " + Json.toString(i));
            }
        }
    }

    /** The attachment's nat and nftables rules, and the sysctl that lets the hostPort work on 127.0.0.1. */
    private List<String> firewallLines() {
        List<String> lines = new ArrayList<>();
        for (String rule : firewall.natRules()) {
            lines.add("iptables -t nat " + rule);
        }
        for (String rule : firewall.nftRules()) {
            if (!isBridgeRule(rule)) {
                lines.add("nft " + rule);
            }
        }
        String bridge = sandbox.bridgeName();
        String localnet = HostCommands.readQuietly(Path.of("/proc/sys/net/ipv4/conf/" + bridge + "/route_localnet"));
        lines.add("net.ipv4.conf." + bridge + ".route_localnet = " + localnet.trim() + " (lets 127.0.0.1:"
                + attachment.hostPort() + " be DNATed)");
        return lines;
    }

    /** jcni bridge's nftables rules of the attachment: its masquerade (ipMasq) and spoof check (macspoofchk). */
    private List<String> bridgeRules() {
        List<String> lines = new ArrayList<>();
        for (String rule : firewall.nftRules()) {
            if (isBridgeRule(rule)) {
                lines.add("nft " + rule);
            }
        }
        return lines;
    }

    /** The tables jcni's bridge (and the reference's nftables backend) keep: "[table] rule" lines of {@link DemoFirewall#nftRules}. */
    private static boolean isBridgeRule(String rule) {
        return rule.startsWith("[inet cni_plugins_masquerade]") || rule.startsWith("[bridge cni_spoofcheck]");
    }

    /** The qdiscs on the host links: bandwidth shapes ingress on the veth and egress on the ifb. */
    private List<String> qdiscLines() {
        List<String> lines = new ArrayList<>();
        for (String link : attachment.hostLinks()) {
            for (String q : HostCommands.run("tc", "qdisc", "show", "dev", link).lines()) {
                lines.add("tc " + link + ": " + q.trim());
            }
        }
        return lines;
    }

    /** Each sysctl and the MTU that tuning was asked for, next to the value now in the sandbox. */
    private List<String> tuningLines(PluginExecution e) {
        List<String> lines = new ArrayList<>();
        JsonNode conf = Json.NODES.objectNode();
        try {
            conf = Json.parse(e.stdin());
        } catch (IOException ignored) {
            // shown as nothing configured
        }
        for (Map.Entry<String, JsonNode> s : conf.path("sysctl").properties()) {
            String file = "/proc/sys/" + s.getKey().replace('.', '/');
            String value = HostCommands.run("ip", "netns", "exec", sandbox.netnsName(), "cat", file).text().trim();
            lines.add("sysctl " + s.getKey() + " = " + value + " in the sandbox (asked: " + s.getValue().asText() + ")");
        }
        if (conf.has("mtu")) {
            String ifName = attachment.rt().ifName();
            String link = HostCommands.run("ip", "-n", sandbox.netnsName(), "-o", "link", "show", "dev", ifName).text();
            String[] f = link.trim().split("\\s+");
            String mtu = "?";
            for (int i = 0; i + 1 < f.length; i++) {
                if (f[i].equals("mtu")) {
                    mtu = f[i + 1];
                }
            }
            lines.add(ifName + " mtu " + mtu + " in the sandbox (asked: " + conf.get("mtu").asText() + ")");
        }
        return lines;
    }
}
