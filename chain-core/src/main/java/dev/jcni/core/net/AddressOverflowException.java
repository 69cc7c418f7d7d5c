package dev.jcni.core.net;

/**
 * Address arithmetic left the address space: the address after 255.255.255.255, before ::, or an
 * offset past either end. Unchecked like {@link ArithmeticException}, which it is: a caller that
 * walks a range checks the range's end first (or catches this), and a silent wrap-around to
 * 0.0.0.0 would hand out addresses nobody asked for.
 */
public final class AddressOverflowException extends ArithmeticException {
    private static final long serialVersionUID = 1L;

    public AddressOverflowException(String message) {
        super(message);
    }
}
