package dev.jcni.core.os.nft;

/**
 * Sends batches and list commands to nftables in the calling thread's network namespace.
 *
 * <p>Implementations: {@link FakeNftRunner} (in memory, for tests); the libnftables binding and
 * the {@code nft -j -f -} process are chosen by {@link NftRunners#choose}. All of them report
 * failures through {@link NftErrors}, so callers see the same exception types whichever runs.
 */
public interface NftRunner {
    /**
     * Applies {@code batch} as one transaction: every command or none. On failure nothing has
     * changed, and the exception carries the batch JSON and nft's error text.
     *
     * @throws NftExistsException a create of an existing object, an element key mapped elsewhere
     * @throws NftNotFoundException a command naming a missing table, chain, set, rule or element
     * @throws NftBusyException a delete of a chain or set still referenced
     * @throws NftException any other refusal (its errno says which)
     */
    void apply(NftBatch batch) throws NftException;

    /**
     * A dry run of {@code batch} ({@code nft -c}): the kernel checks every command against the
     * current ruleset, as {@link #apply} would, and aborts the transaction, so nothing changes.
     * A way to ask "does this key still map to that chain?" ({@code add element} of the same
     * data succeeds, of other data is EEXIST) or "is it there?" ({@code delete element}: ENOENT)
     * without listing a whole map.
     *
     * @throws NftException as {@link #apply} would for the same batch
     */
    void check(NftBatch batch) throws NftException;

    /**
     * Lists one table, chain, set or map, or the whole ruleset.
     *
     * @throws NftNotFoundException when the listed object does not exist
     */
    NftListing list(ListTarget target) throws NftException;
}
