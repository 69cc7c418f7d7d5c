package dev.jcni.bridge;

import dev.jcni.core.os.nft.FakeNftRunner;
import dev.jcni.core.os.nft.ListTarget;
import dev.jcni.core.os.nft.NftBatch;
import dev.jcni.core.os.nft.NftException;
import dev.jcni.core.os.nft.NftListing;
import dev.jcni.core.os.nft.NftRunner;

/**
 * A FakeNftRunner whose next batches are refused, as nftables refuses a batch that met another
 * process's change (ENOENT, EEXIST, EBUSY), then applied again; every batch asked for is counted.
 */
final class FlakyRunner implements NftRunner {
    private final FakeNftRunner kernel;
    private final NftException refusal;
    private int refusalsLeft;
    /** Batches asked for, refused ones included. */
    int applies;

    /** Refuses the next {@code times} batches with {@code refusal} ({@code Integer.MAX_VALUE}: every one). */
    FlakyRunner(FakeNftRunner kernel, NftException refusal, int times) {
        this.kernel = kernel;
        this.refusal = refusal;
        this.refusalsLeft = times;
    }

    @Override
    public void apply(NftBatch batch) throws NftException {
        applies++;
        if (refusalsLeft > 0) {
            refusalsLeft--;
            throw refusal;
        }
        kernel.apply(batch);
    }

    @Override
    public void check(NftBatch batch) throws NftException {
        kernel.check(batch);
    }

    @Override
    public NftListing list(ListTarget target) throws NftException {
        return kernel.list(target);
    }
}
