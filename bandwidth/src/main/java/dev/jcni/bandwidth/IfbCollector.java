package dev.jcni.bandwidth;

import dev.jcni.core.skel.ValidAttachments;
import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.os.NotFoundException;
import dev.jcni.core.os.OsException;
import dev.jcni.core.os.netlink.LinkAttribute;
import dev.jcni.core.os.netlink.LinkInfo;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.JsonFields;
import dev.jcni.core.skel.Invocation;
import dev.jcni.core.skel.Log;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * GC for bandwidth: deletes the ifbs of this network's attachments that the runtime no longer
 * lists in {@code cni.dev/valid-attachments}. An ifb is a candidate only when it is provably ours
 * and this network's: kind ifb, a {@code bwe}/{@code bwi} name, an alias that
 * {@link Attachment#owner} reads, naming this network, whose attachment hash the name carries.
 * Anything else (someone's ifb called bwe..., the reference's bwp... ifbs, which say nothing of
 * their network, another network's ifbs) is left alone. The host veths of stale attachments went
 * with their sandboxes.
 */
final class IfbCollector {
    private final HostKernel host;

    IfbCollector(HostKernel host) {
        this.host = host;
    }

    /** Deletes the stale ifbs. */
    void collect(String network, Set<String> validHashes) throws CniException {
        String networkHash = Attachment.networkHash(network);
        List<String> removed = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        List<LinkInfo> links;
        try {
            links = host.links();
        } catch (OsException e) {
            throw new CniException(CniException.PLUGIN_FAILURE, "cannot list the host's links", e.getMessage(), e);
        }
        for (LinkInfo link : links) {
            Attachment.Owner owner = Attachment.owner(link.get(LinkAttribute.ALIAS));
            if (!"ifb".equals(link.kind()) || owner == null || !owner.networkHash().equals(networkHash)
                    || !owner.names(link.name()) || validHashes.contains(owner.attachmentHash())) {
                continue;
            }
            try {
                host.deleteLink(link.index());
                removed.add(link.name());
                Log.info("GC: deleted ifb " + link.name() + " (" + link.get(LinkAttribute.ALIAS) + ")");
            } catch (NotFoundException gone) {
                // Deleted meanwhile (its attachment's DEL).
            } catch (OsException e) {
                failed.add(link.name() + ": " + e.getMessage());
            }
        }
        if (!failed.isEmpty()) {
            throw new CniException(CniException.PLUGIN_FAILURE, "GC cannot delete stale ifbs of network " + network,
                    String.join("; ", failed));
        }
        Log.info("GC: deleted " + removed.size() + " stale ifb(s) of network " + network);
    }

    /** The hashes ({@link Attachment#hash}) of the attachments a GC request lists as still valid. */
    static Set<String> validHashes(Invocation inv) throws CniException {
        Set<String> valid = new HashSet<>();
        for (ValidAttachments.Entry a : ValidAttachments.of(inv).entries()) {
            if (a.ifName() != null) {
                valid.add(new Attachment(inv.networkName(), a.containerId(), a.ifName()).hash());
            }
        }
        return valid;
    }
}
