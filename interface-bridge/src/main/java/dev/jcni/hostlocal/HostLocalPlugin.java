package dev.jcni.hostlocal;

import dev.jcni.core.skel.ValidAttachments;
import dev.jcni.core.net.IpAddress;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.CniVersion;
import dev.jcni.core.protocol.JsonFields;
import dev.jcni.core.protocol.Result;
import dev.jcni.core.protocol.ResultCodec;
import dev.jcni.core.skel.AttachmentLock;
import dev.jcni.core.skel.CniPlugin;
import dev.jcni.core.skel.Invocation;
import dev.jcni.core.skel.Log;
import dev.jcni.core.skel.PluginMain;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code host-local} IPAM plugin: addresses from configured ranges, leased in files on the
 * node, in the reference plugin's store format and under its lock, so the two can be swapped (or
 * run side by side) on a node with leases. Beyond the reference: GC releases the leases of
 * attachments that no longer exist, STATUS reports an exhausted pool, a failed ADD undoes exactly
 * its own work, everything read from disk is untrusted input (docs/host-local.md).
 *
 * <p>The verbs orchestrate: {@link IpamConfig} reads and validates the request,
 * {@link LeaseStore} is the store under its lock, {@link Allocator} takes addresses,
 * {@link LeaseCollector} and {@link PoolStatus} are GC and STATUS. host-local never enters the
 * sandbox: it hands out addresses, and its caller (bridge, ptp...) puts them on links.
 */
public final class HostLocalPlugin implements CniPlugin {
    public static final String NAME = "host-local";

    private final Duration lockWait;

    public HostLocalPlugin() {
        this(AttachmentLock.DEFAULT_WAIT);
    }

    /** {@code lockWait}: how long a request waits for the store's lock before code 11. */
    HostLocalPlugin(Duration lockWait) {
        this.lockWait = lockWait;
    }

    public static void main(String[] args) {
        PluginMain.run(NAME, new HostLocalPlugin());
    }

    @Override
    public String about() {
        return "jcni host-local IPAM plugin: addresses from ranges, leased in the reference's on-disk store";
    }

    @Override
    public List<String> supportedVersions() {
        return CniVersion.ALL;
    }

    /** Validates everything (config, resolv.conf), then leases one address per range set under the store's lock. */
    @Override
    public Result add(Invocation inv) throws CniException {
        IpamConfig config = IpamConfig.parse(inv);
        Result.Dns dns = config.resolvConf() == null ? null : ResolvConf.read(config.resolvConf());
        Log.timing("config validated");
        try (LeaseStore store = LeaseStore.create(config.location(), lockWait)) {
            Log.timing("store locked");
            Allocator allocator = new Allocator(store);
            // Everything up to the answer happens under the store's lock, so that any failure after
            // the leases are taken (a CNI error, or an unchecked one: jcnid fails a request past its
            // deadline at its next Log.timing mark) releases them while they are still ours alone.
            try {
                List<Result.IpConfig> ips = allocator.allocate(config, inv.containerId(), inv.ifName());
                Log.timing("allocated");
                return new Result(inv.cniVersion(), List.of(), ips, config.routes(), dns);
            } catch (CniException | RuntimeException e) {
                allocator.undo();
                throw e;
            }
        }
    }

    /**
     * Releases every lease of this container and interface; when there is none, every lease of
     * the container in the format without an interface name (as the reference does). Needs only
     * the store's location, so a config changed since ADD still releases. Succeeds when nothing
     * is leased, and when the store cannot be used (logged: nothing there can be trusted to be
     * ours); fails only when a lease of ours cannot be removed, which would leak its address.
     */
    @Override
    public void del(Invocation inv) throws CniException {
        LeaseStore.Location location = IpamConfig.location(inv);
        Log.timing("config validated");
        LeaseStore store;
        try {
            store = LeaseStore.openExisting(location, lockWait, true);
        } catch (CniException e) {
            if (e.code() == CniException.TRY_AGAIN_LATER) {
                throw e;
            }
            Log.warn(e.getMessage() + "; nothing released");
            return;
        }
        if (store == null) {
            return;
        }
        try (LeaseStore locked = store) {
            // Marked with the store in the try: a failure here must still unlock it.
            Log.timing("store locked");
            List<IpAddress> failed = new ArrayList<>();
            for (IpAddress ip : ownedBy(locked.leases(), inv.containerId(), inv.ifName())) {
                if (!locked.release(ip)) {
                    failed.add(ip);
                }
            }
            if (!failed.isEmpty()) {
                throw new CniException(CniException.PLUGIN_FAILURE, "failed to release " + failed + " in " + locked.dir(),
                        "the lease files could not be removed (see stderr)");
            }
        }
    }

    /**
     * The reference's check (some lease of this attachment exists), and more: every address of
     * the prevResult that lies in one of this config's range sets must be leased to it.
     */
    @Override
    public void check(Invocation inv) throws CniException {
        IpamConfig config = IpamConfig.parse(inv);
        JsonFields prevResult = inv.config().object("prevResult");
        Result prev = prevResult.isPresent() ? ResultCodec.parse(prevResult, inv.cniVersion()) : null;
        List<IpAddress> owned;
        try (LeaseStore store = LeaseStore.openExisting(config.location(), lockWait, false)) {
            owned = store == null ? List.<IpAddress>of() : ownedBy(store.leases(), inv.containerId(), inv.ifName());
        }
        if (owned.isEmpty()) {
            throw new CniException(CniException.CHECK_DRIFT, "host-local: Failed to find address added by container "
                    + inv.containerId());
        }
        if (prev == null) {
            return;
        }
        for (Result.IpConfig ip : prev.ips()) {
            IpAddress address = ip.address().address();
            if (inAnySet(config, address) && !owned.contains(address)) {
                throw new CniException(CniException.CHECK_DRIFT, "host-local: address " + address + " of the previous result is not leased to "
                        + inv.containerId() + "/" + inv.ifName(), "leased to it: " + owned);
            }
        }
    }

    @Override
    public void gc(Invocation inv) throws CniException {
        LeaseStore.Location location = IpamConfig.location(inv);
        ValidAttachments valid = ValidAttachments.of(inv);
        try (LeaseStore store = LeaseStore.openExisting(location, lockWait, false)) {
            if (store == null) {
                return;
            }
            List<String> released = new LeaseCollector(store).collect(valid);
            Log.info("GC: released " + released.size() + " stale lease(s) of network " + inv.networkName()
                    + (released.isEmpty() ? "" : ": " + released));
        }
    }

    @Override
    public void status(Invocation inv) throws CniException {
        PoolStatus.check(IpamConfig.parse(inv));
    }

    /**
     * The addresses leased to the attachment: those naming container and interface, or when there
     * is none, those naming the container alone (the format without an interface name).
     */
    static List<IpAddress> ownedBy(List<Lease> leases, String containerId, String ifName) {
        List<IpAddress> current = new ArrayList<>();
        List<IpAddress> legacy = new ArrayList<>();
        for (Lease lease : leases) {
            if (lease.isOwnedBy(containerId, ifName)) {
                current.add(lease.ip());
            } else if (lease.isLegacyOwnedBy(containerId)) {
                legacy.add(lease.ip());
            }
        }
        return current.isEmpty() ? legacy : current;
    }

    private static boolean inAnySet(IpamConfig config, IpAddress address) {
        for (RangeSet set : config.rangeSets()) {
            if (set.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
