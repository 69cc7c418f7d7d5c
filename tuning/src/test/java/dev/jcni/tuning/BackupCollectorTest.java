package dev.jcni.tuning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jcni.core.skel.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BackupCollectorTest {
    @TempDir
    Path dir;

    private BackupStore store() {
        return new BackupStore(dir.toString());
    }

    private void backup(String network, String containerId, String ifName) throws Exception {
        store().write(new TuningBackup(LinkSettings.NONE.with(TunableAttribute.MTU, 1500), Map.of(), network, containerId, ifName));
    }

    private void gc(String attachmentsJson) throws Exception {
        String list = attachmentsJson == null ? "" : ",\"cni.dev/valid-attachments\":" + attachmentsJson;
        new BackupCollector(store()).collect(Requests.invocation(Command.GC,
                "{\"cniVersion\":\"1.1.0\",\"name\":\"net1\",\"dataDir\":\"" + dir + "\"" + list + "}"));
    }

    @Test
    void removesStaleBackupsOfThisNetworkOnly() throws Exception {
        backup("net1", "live", "eth0");
        backup("net1", "dead_id", "eth_1");   // underscores on both sides of the separator
        backup("net2", "other", "eth0");
        Files.writeString(dir.resolve("legacy_eth0.json"), "{\"mtu\":1500}");
        gc("[{\"containerID\":\"live\",\"ifname\":\"eth0\"}]");
        assertTrue(store().exists("live", "eth0"));
        assertFalse(store().exists("dead_id", "eth_1"));
        assertTrue(store().exists("other", "eth0"), "another network's backup stays");
        assertTrue(Files.exists(dir.resolve("legacy_eth0.json")), "a backup without owner stays");
    }

    @Test
    void theSameContainerOnAnotherInterfaceIsStale() throws Exception {
        backup("net1", "c1", "eth0");
        backup("net1", "c1", "net1");
        gc("[{\"containerID\":\"c1\",\"ifname\":\"eth0\"}]");
        assertTrue(store().exists("c1", "eth0"));
        assertFalse(store().exists("c1", "net1"));
    }

    @Test
    void anAbsentOrNullListMakesEveryAttachmentStaleAsInGo() throws Exception {
        backup("net1", "c1", "eth0");
        gc(null);
        assertFalse(store().exists("c1", "eth0"));
        backup("net1", "c2", "eth0");
        gc("null");
        assertFalse(store().exists("c2", "eth0"));
    }

    @Test
    void onlyAFileNamedForTheAttachmentItNamesIsABackup() throws Exception {
        // The data directory is the config's to name: in a host directory, any JSON file saying
        // "network": <this network> was deleted as a stale backup.
        String owned = "{\"network\":\"net1\",\"containerID\":\"x\",\"ifName\":\"y\"}";
        Files.writeString(dir.resolve("victim.json"), owned);
        Files.writeString(dir.resolve("x_z.json"), owned);
        gc(null);
        assertTrue(Files.exists(dir.resolve("victim.json")), "a file that is not x_y.json is not the backup of x/y");
        assertTrue(Files.exists(dir.resolve("x_z.json")));
        Files.writeString(dir.resolve("x_y.json"), owned);
        gc(null);
        assertFalse(Files.exists(dir.resolve("x_y.json")), "the backup of x/y goes");
    }

    @Test
    void aMissingDataDirectoryIsNotAnError() throws Exception {
        new BackupCollector(new BackupStore(dir.resolve("absent").toString())).collect(Requests.invocation(Command.GC,
                "{\"cniVersion\":\"1.1.0\",\"name\":\"net1\",\"cni.dev/valid-attachments\":[]}"));
        assertEquals(0, Files.list(dir).count());
    }
}
