package dev.jcni.core.net;

/**
 * Text that is not an address of the expected kind. Checked, because every caller holds text from
 * outside (a config, a result, a state file) and must turn the failure into its own error: the
 * protocol layer into a CNI error naming the field, the kernel layer into its own exception.
 */
public final class AddressFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String input;
    private final String reason;

    /**
     * @param kind   what was expected, e.g. "IP address"
     * @param input  the text as given
     * @param reason why it was refused, e.g. "IPv4 field has octet with leading zero"
     */
    public AddressFormatException(String kind, String input, String reason) {
        super("invalid " + kind + " \"" + input + "\": " + reason);
        this.input = input;
        this.reason = reason;
    }

    /** The refused text, as given. */
    public String input() {
        return input;
    }

    /** Why it was refused, without the input: for messages that show the input themselves. */
    public String reason() {
        return reason;
    }
}
