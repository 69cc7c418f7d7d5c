package dev.jcni.core.skel;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.JsonFields;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The attachments a GC request says are still in use: {@code cni.dev/valid-attachments}, or the
 * older spelling {@code cni.dev/attachments} when the current one is absent. Every plugin's GC
 * reads them the same way, here.
 *
 * <p>As the Go plugins decode them: an absent or null list means none, which makes every
 * attachment of the network stale (said loudly in the log, because cnitool sends no list at
 * all); a list that is not an array is the config's error (7); an entry missing its
 * {@code containerID} names nothing, and one missing its {@code ifname} names the container
 * only (host-local's leases of the format without an interface name still match it).
 */
public final class ValidAttachments {
    /** The key the CNI spec defines since 1.1.0. */
    public static final String KEY = "cni.dev/valid-attachments";
    /** The key of the GC proposal some runtimes still send. */
    public static final String OLDER_KEY = "cni.dev/attachments";

    /** One listed attachment; {@code ifName} is null when the entry had none. */
    public record Entry(String containerId, String ifName) {}

    private final List<Entry> entries;
    private final Set<String> pairs = new HashSet<>();
    private final Set<String> containers = new HashSet<>();

    private ValidAttachments(List<Entry> entries) {
        this.entries = Collections.unmodifiableList(entries);
        for (Entry e : entries) {
            containers.add(e.containerId());
            if (e.ifName() != null) {
                pairs.add(pairKey(e.containerId(), e.ifName()));
            }
        }
    }

    /** The list of a GC request's config. */
    public static ValidAttachments of(Invocation inv) throws CniException {
        JsonFields conf = inv.config();
        String key = conf.get(KEY) != null ? KEY : OLDER_KEY;
        JsonNode list = conf.get(key);
        List<Entry> out = new ArrayList<>();
        if (list == null || list.isNull()) {
            Log.warn("GC request lists no valid attachments: every attachment of network " + inv.networkName()
                    + " counts as stale");
            return new ValidAttachments(out);
        }
        if (!list.isArray()) {
            throw conf.invalid(key, list, "an array of {containerID, ifname}");
        }
        for (JsonFields a : conf.objects(key)) {
            String id = a.string("containerID");
            if (id != null) {
                out.add(new Entry(id, a.string("ifname")));
            }
        }
        return new ValidAttachments(out);
    }

    /** The entries that name a container, in the request's order. */
    public List<Entry> entries() {
        return entries;
    }

    /** Whether the attachment {@code containerId}/{@code ifName} is listed. */
    public boolean contains(String containerId, String ifName) {
        return pairs.contains(pairKey(containerId, ifName));
    }

    /** Whether any entry names {@code containerId}, whatever its interface. */
    public boolean containsContainer(String containerId) {
        return containers.contains(containerId);
    }

    private static String pairKey(String containerId, String ifName) {
        // NUL separates: neither a container ID nor an interface name can hold one.
        return containerId + '\u0000' + ifName;
    }
}
