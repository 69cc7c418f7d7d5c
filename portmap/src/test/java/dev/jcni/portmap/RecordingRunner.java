package dev.jcni.portmap;

import dev.jcni.core.os.nft.FakeNftRunner;
import dev.jcni.core.os.nft.ListTarget;
import dev.jcni.core.os.nft.NftBatch;
import dev.jcni.core.os.nft.NftException;
import dev.jcni.core.os.nft.NftListing;
import dev.jcni.core.os.nft.NftRunner;
import java.util.ArrayList;
import java.util.List;

/**
 * A FakeNftRunner seen through what a verb reads: every list target is recorded (as
 * {@code nft list ...}), and a test may run one change of "another process" just before a verb's
 * next batch, to play the race between that verb's read and its write.
 */
final class RecordingRunner implements NftRunner {
    /** A concurrent change, made with the fake directly (so it is neither recorded nor intercepted). */
    interface Interference {
        void run(FakeNftRunner kernel) throws Exception;
    }

    final FakeNftRunner kernel;
    final List<String> lists = new ArrayList<>();
    /** Batches this runner was asked to apply, refused ones included. */
    int applies;
    /** When set, every batch is refused with this, as nftables would refuse it. */
    NftException refuseEvery;
    private Interference beforeNextApply;

    RecordingRunner(FakeNftRunner kernel) {
        this.kernel = kernel;
    }

    /** Runs {@code change} once, just before the next batch this runner applies. */
    void beforeNextApply(Interference change) {
        beforeNextApply = change;
    }

    @Override
    public void apply(NftBatch batch) throws NftException {
        applies++;
        if (refuseEvery != null) {
            throw refuseEvery;
        }
        Interference change = beforeNextApply;
        beforeNextApply = null;
        if (change != null) {
            try {
                change.run(kernel);
            } catch (Exception e) {
                throw new AssertionError("the interfering change failed", e);
            }
        }
        kernel.apply(batch);
    }

    @Override
    public void check(NftBatch batch) throws NftException {
        kernel.check(batch);
    }

    @Override
    public NftListing list(ListTarget target) throws NftException {
        lists.add(target.describe());
        return kernel.list(target);
    }
}
