package dev.jcni.core.os.nft;

/**
 * What the two real runners share: both send one JSON document ({@code {"nftables":[...]}}) to
 * libnftables' parser, one by a library call and one through {@code nft -j -f -}, and get back a
 * status, an output text and an error text. Turning that reply into a listing or a typed
 * exception happens here, once, so both runners (and {@link FakeNftRunner}, which uses the same
 * operation names) fail alike for the same batch.
 *
 * <p>Lists go through the same JSON path as batches, not through {@code nft list ...} words: the
 * command-line grammar refuses object names that are nft keywords (a chain called
 * {@code counter} reads as a syntax error), the JSON parser takes any name.
 */
abstract class NftJsonRunner implements NftRunner {
    /** What nft answered to one document. */
    static final class Reply {
        final int status;
        final String output;
        final String error;

        /**
         * @param status 0 on success (libnftables' return code, nft's exit code)
         * @param output what nft printed as output (list results), possibly empty
         * @param error what nft printed as errors, possibly empty
         */
        Reply(int status, String output, String error) {
            this.status = status;
            this.output = output == null ? "" : output;
            this.error = error == null ? "" : error;
        }
    }

    /**
     * Sends {@code json} to nftables and waits for its answer. Throws only when nftables could
     * not be reached at all (built with {@link NftErrors#runnerFailure}); nft's own refusals come
     * back as a reply with a non-zero status.
     *
     * @param operation what is being done, for the exception's message
     * @param dryRun check only: the kernel checks the batch and aborts it ({@code nft -c})
     */
    abstract Reply send(String operation, String json, boolean dryRun) throws NftException;

    @Override
    public final void apply(NftBatch batch) throws NftException {
        send(batch, applyOperation(batch.size()), false);
    }

    @Override
    public final void check(NftBatch batch) throws NftException {
        send(batch, checkOperation(batch.size()), true);
    }

    private void send(NftBatch batch, String operation, boolean dryRun) throws NftException {
        String json = batch.toJson();
        Reply reply = send(operation, json, dryRun);
        if (reply.status != 0) {
            throw NftErrors.fromErrorText(operation, json, reply.error);
        }
    }

    @Override
    public final NftListing list(ListTarget target) throws NftException {
        String json = target.toJson();
        String operation = target.describe();
        Reply reply = send(operation, json, false);
        if (reply.status != 0) {
            throw NftErrors.fromErrorText(operation, json, reply.error);
        }
        return NftListing.parse(reply.output);
    }

    /** {@code "nft apply (3 commands)"}: the operation every runner names a batch by. */
    static String applyOperation(int commands) {
        return "nft apply (" + commands + " command" + (commands == 1 ? "" : "s") + ")";
    }

    /** {@code "nft check (3 commands)"}: a dry run, named alike by every runner. */
    static String checkOperation(int commands) {
        return "nft check (" + commands + " command" + (commands == 1 ? "" : "s") + ")";
    }
}
