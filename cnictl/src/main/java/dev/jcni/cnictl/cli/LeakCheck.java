package dev.jcni.cnictl.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The demo's proof that DEL and teardown left nothing behind: no namespace, no host link, no
 * bridge the demo made, no firewall rule, no host-local lease, no tuning backup and no cache entry
 * of the attachment.
 */
final class LeakCheck {
    private final DemoConsole console;
    private final DemoSandbox sandbox;
    private final DemoAttachment attachment;
    private final DemoFirewall firewall;

    LeakCheck(DemoConsole console, DemoSandbox sandbox, DemoAttachment attachment, DemoFirewall firewall) {
        this.console = console;
        this.sandbox = sandbox;
        this.attachment = attachment;
        this.firewall = firewall;
    }

    /** Prints a line per check. @throws Demo.Failure naming everything that was left */
    void verify() throws Demo.Failure {
        List<String> problems = new ArrayList<>();
        console.expect(problems, !Files.exists(Path.of(sandbox.netnsPath())), "no namespace " + sandbox.netnsName());
        for (String link : attachment.hostLinks()) {
            console.expect(problems, !HostCommands.linkExists(link), "no link " + link + (link.startsWith("bwp") ? " (ifb)" : " (veth)"));
        }
        console.expect(problems, sandbox.bridgeExisted() || !HostCommands.linkExists(sandbox.bridgeName()),
                "no bridge " + sandbox.bridgeName());
        List<String> rules = firewall.leftovers();
        console.expect(problems, rules.isEmpty(), "no iptables/nftables rule for " + attachment.rt().containerId() + " or port "
                + attachment.hostPort() + (rules.isEmpty() ? "" : ": " + rules));
        List<String> leases = leases();
        console.expect(problems, leases.isEmpty(), "no host-local lease in " + attachment.leaseDir()
                + (leases.isEmpty() ? "" : ": " + leases));
        console.expect(problems, !Files.exists(attachment.cacheFile()), "no cache file " + attachment.cacheFile());
        console.expect(problems, !Files.exists(attachment.tuningBackup()), "no tuning backup " + attachment.tuningBackup());
        if (!problems.isEmpty()) {
            throw new Demo.Failure("left behind: " + String.join("; ", problems));
        }
        console.say("(kept on purpose, as with any CNI runtime: the nat chains CNI-HOSTPORT-* that every portmap user"
                + " shares, and net.ipv4.ip_forward=1 set by bridge's isGateway)");
    }

    /** host-local's lease files of the attachment: the one named by its address, and any naming its container ID. */
    private List<String> leases() {
        Path dir = attachment.leaseDir();
        List<String> out = new ArrayList<>();
        Path byAddress = dir.resolve(attachment.containerIp());
        if (Files.exists(byAddress)) {
            out.add(byAddress.toString());
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Iterator<Path> it = files.iterator(); it.hasNext(); ) {
                Path f = it.next();
                boolean ours = Files.isRegularFile(f) && HostCommands.readQuietly(f).contains(attachment.rt().containerId());
                if (ours && !out.contains(f.toString())) {
                    out.add(f.toString());
                }
            }
        } catch (IOException absent) {
            // no lease directory at all: nothing left
        }
        return out;
    }
}
