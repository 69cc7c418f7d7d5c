package dev.jcni.core.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.protocol.Result;
import dev.jcni.core.runtime.NetworkConfigList;
import dev.jcni.core.runtime.PluginConfig;
import dev.jcni.core.runtime.RuntimeConf;
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
                      Path leaseDir) {

    /** host-local's default data directory. */
    private static final String HOST_LOCAL_DIR = "/var/lib/cni/networks";

    static DemoAttachment of(NetworkConfigList list, RuntimeConf rt, int hostPort, Result result, String bridgeName,
                             Path cacheFile) {
        String address = result.ips().get(0).address();
        List<String> hostLinks = new ArrayList<>();
        for (Result.Interface i : result.interfaces()) {
            boolean onHost = i.sandbox() == null || i.sandbox().isEmpty();
            if (onHost && !i.name().equals(bridgeName)) {
                hostLinks.add(i.name());
            }
        }
        return new DemoAttachment(rt, hostPort, address.substring(0, address.indexOf('/')), hostLinks, cacheFile,
                leaseDir(list));
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
