package dev.jcni.cnictl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.protocol.Result;
import dev.jcni.cnictl.runtime.NetworkConfigList;
import dev.jcni.cnictl.runtime.PluginConfig;
import dev.jcni.cnictl.runtime.RuntimeConf;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the demo's ADD made, in the terms the later steps look for it on the host.
 *
 * @param rt          the attachment's arguments (container ID, netns, ifname)
 * @param hostPort    the port portmap forwards to the container
 * @param containerIp the container's address, without prefix length
 * @param hostLinks   the result's interfaces on the host, the bridge excepted: the veth and, with
 *                    bandwidth's egress shaping, the ifb
 * @param cacheFile   the runtime's cache entry
 * @param leaseDir    where host-local keeps this network's leases
 */
record DemoAttachment(RuntimeConf rt, int hostPort, String containerIp, List<String> hostLinks, Path cacheFile,
                      Path leaseDir, Path tuningBackup) {

    /** host-local's default data directory. */
    private static final String HOST_LOCAL_DIR = "/var/lib/cni/networks";
    /** tuning's default data directory (ours and the reference's). */
    private static final String TUNING_DIR = "/run/cni/tuning";

    static DemoAttachment of(NetworkConfigList list, RuntimeConf rt, int hostPort, Result result, String bridgeName,
                             Path cacheFile) {
        String address = result.ips().get(0).address().address().toString();
        List<String> hostLinks = new ArrayList<>();
        for (Result.Interface i : result.interfaces()) {
            boolean onHost = i.sandbox() == null || i.sandbox().isEmpty();
            if (onHost && !i.name().equals(bridgeName)) {
                hostLinks.add(i.name());
            }
        }
        return new DemoAttachment(rt, hostPort, address, hostLinks, cacheFile,
                leaseDir(list), tuningBackup(list, rt));
    }

    /** Where tuning keeps the attachment's original values: {@code <dataDir>/<containerID>_<ifname>.json}. */
    private static Path tuningBackup(NetworkConfigList list, RuntimeConf rt) {
        String dir = TUNING_DIR;
        for (PluginConfig p : list.plugins()) {
            if (p.tree().path("type").asText("").equals("tuning")) {
                dir = p.tree().path("dataDir").asText(TUNING_DIR);
            }
        }
        return Path.of(dir).resolve(rt.containerId() + "_" + rt.ifName() + ".json");
    }

    private static Path leaseDir(NetworkConfigList list) {
        for (PluginConfig p : list.plugins()) {
            JsonNode ipam = p.tree().path("ipam");
            if (ipam.path("type").asText("").equals("host-local")) {
                return Path.of(ipam.path("dataDir").asText(HOST_LOCAL_DIR)).resolve(list.name());
            }
        }
        return Path.of(HOST_LOCAL_DIR).resolve(list.name());
    }
}
