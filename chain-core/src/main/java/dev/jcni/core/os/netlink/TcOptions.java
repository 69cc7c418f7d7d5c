package dev.jcni.core.os.netlink;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The parameters of one tc object: its kind and a value per {@link TcParameter} row of the kind's
 * table, null where unset. Immutable; {@link #with} gives a changed copy.
 *
 * <pre>
 * TcOptions tbf = TcOptions.of(QdiscTbf.KIND)
 *         .with(QdiscTbf.RATE, 1_250_000L)
 *         .with(QdiscTbf.BURST, 125_000L)
 *         .with(QdiscTbf.LIMIT, 156_250L);
 * long rate = tbf.get(QdiscTbf.RATE);
 * </pre>
 *
 * A wanted object (what a plugin asks for) sets the rows it cares about; an object read back
 * from the kernel has every row the kernel reported. {@link #differences} compares the two the
 * way CHECK needs: every row the wanted one sets must match, each row in its own units.
 */
public final class TcOptions {
    private final TcKind kind;
    /** By row ordinal; null where unset. */
    private final Object[] values;

    private TcOptions(TcKind kind, Object[] values) {
        this.kind = kind;
        this.values = values;
    }

    /** Options of {@code kind} with no row set. */
    public static TcOptions of(TcKind kind) {
        return new TcOptions(kind, new Object[kind.parameters().size()]);
    }

    public TcKind kind() {
        return kind;
    }

    /** The row's value, or null when unset (or not reported by the kernel). */
    @SuppressWarnings("unchecked")
    public <T> T get(TcParameter<T> row) {
        check(row);
        return (T) values[row.ordinal()];
    }

    /** A copy with {@code row} set to {@code value} (null: unset). Lists are copied, so the copy stays immutable. */
    public <T> TcOptions with(TcParameter<T> row, T value) {
        check(row);
        Object[] copy = values.clone();
        copy[row.ordinal()] = value instanceof List ? List.copyOf((List<?>) value) : value;
        return new TcOptions(kind, copy);
    }

    /**
     * What the kernel's {@code actual} object lacks of this wanted one, in words ("rate 1250000
     * (kernel: 1000000)"); empty when every row set here matches. A different kind is one
     * difference and ends the comparison.
     */
    public List<String> differences(TcOptions actual, Psched clock) {
        List<String> out = new ArrayList<>();
        if (!kind.name().equals(actual.kind.name())) {
            out.add("kind " + kind.name() + " (kernel: " + actual.kind.name() + ")");
            return out;
        }
        List<TcParameter<?>> rows = kind.parameters();
        for (int i = 0; i < rows.size(); i++) {
            String d = difference(rows.get(i), actual, clock);
            if (d != null) {
                out.add(d);
            }
        }
        return out;
    }

    private <T> String difference(TcParameter<T> row, TcOptions actual, Psched clock) {
        T wanted = get(row);
        if (wanted == null || row.matches(wanted, this, actual, clock)) {
            return null;
        }
        return row.mismatch(wanted, this, actual, clock);
    }

    private void check(TcParameter<?> row) {
        if (!kind.has(row)) {
            throw new IllegalArgumentException(row + " is not a parameter of " + kind.name());
        }
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TcOptions)) {
            return false;
        }
        TcOptions other = (TcOptions) o;
        return kind.name().equals(other.kind.name()) && kind.family() == other.kind.family()
                && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind.name(), Arrays.hashCode(values));
    }

    /** "tbf{rate 1250000, burst 125000, limit 156250}": the set rows in tc's words. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(kind.name()).append('{');
        List<TcParameter<?>> rows = kind.parameters();
        boolean first = true;
        for (int i = 0; i < rows.size(); i++) {
            if (values[i] != null) {
                sb.append(first ? "" : ", ").append(describe(rows.get(i)));
                first = false;
            }
        }
        return sb.append('}').toString();
    }

    private <T> String describe(TcParameter<T> row) {
        return row.describe(get(row));
    }

    /** Fills in a decoded object row by row (the decoder's and fakes' way to build one). */
    static final class Builder {
        private final TcKind kind;
        private final Object[] values;

        Builder(TcKind kind) {
            this.kind = kind;
            this.values = new Object[kind.parameters().size()];
        }

        <T> Builder set(TcParameter<T> row, T value) {
            values[row.ordinal()] = value instanceof List ? List.copyOf((List<?>) value) : value;
            return this;
        }

        TcOptions build() {
            return new TcOptions(kind, values.clone());
        }
    }
}
