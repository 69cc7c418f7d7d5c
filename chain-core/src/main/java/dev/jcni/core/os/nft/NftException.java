package dev.jcni.core.os.nft;

import dev.jcni.core.os.OsException;

/**
 * nftables refused a batch or a list command. Carries, for diagnosis, the JSON that was sent
 * and nft's complete error text: libnftables reports kernel errors as
 * {@code internal:0:0-0: Error: Could not process rule: File exists} with no command index, so
 * the batch is the only way to see which command it was.
 *
 * <p>Callers branch on the subclasses, as with {@link OsException}: {@link NftExistsException}
 * (EEXIST: an element key owned by someone else, a {@code create} of an existing object),
 * {@link NftNotFoundException} (ENOENT: deleting what is not there, listing a missing table),
 * {@link NftBusyException} (EBUSY: deleting a chain or set still referenced). Other causes
 * (EOPNOTSUPP for a changed base-chain hook or a NAT statement on the wrong hook, EINVAL for
 * input nft could not parse, ...) stay a plain NftException with their errno. Runners build
 * instances with {@link NftErrors#fromErrorText}.
 */
public class NftException extends OsException {
    private final String batchJson;
    private final String errorText;

    public NftException(String operation, int errno, String message, String batchJson, String errorText) {
        super(operation, errno, message);
        this.batchJson = batchJson;
        this.errorText = errorText;
    }

    /** The JSON document sent to nftables ({@code {"nftables":[...]}}), or null if nothing was sent. */
    public String batchJson() {
        return batchJson;
    }

    /** nft's error output, unchanged (possibly several lines, one per failed command); may be empty. */
    public String errorText() {
        return errorText;
    }
}
