package dev.jcni.core.os.nft;

import dev.jcni.core.os.Errno;
import dev.jcni.core.os.OsException;

/**
 * No way to reach nftables on this host, or the one an override asked for cannot work here.
 * The message names each backend and why it cannot be used (a plugin's STATUS reports it).
 */
public class NftUnavailableException extends OsException {
    public NftUnavailableException(String message) {
        super("choose an nftables runner", Errno.ENOSYS, message);
    }
}
