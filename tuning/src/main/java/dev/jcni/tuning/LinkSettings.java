package dev.jcni.tuning;

import java.util.Arrays;

/**
 * A value, or none, for each row of {@link TunableAttribute}: what a config sets, or what a backup
 * holds. Immutable; {@link #with} gives a changed copy.
 */
final class LinkSettings {
    static final LinkSettings NONE = new LinkSettings(new Object[TunableAttribute.APPLY_ORDER.size()]);

    private final Object[] values;

    private LinkSettings(Object[] values) {
        this.values = values;
    }

    /** The row's value, or null when there is none. */
    @SuppressWarnings("unchecked")
    <T> T get(TunableAttribute<T> row) {
        return (T) values[row.ordinal()];
    }

    boolean has(TunableAttribute<?> row) {
        return values[row.ordinal()] != null;
    }

    /** A copy with {@code row} set to {@code value} (null removes it). */
    <T> LinkSettings with(TunableAttribute<T> row, T value) {
        Object[] copy = values.clone();
        copy[row.ordinal()] = value;
        return new LinkSettings(copy);
    }

    boolean isEmpty() {
        for (Object v : values) {
            if (v != null) {
                return false;
            }
        }
        return true;
    }

    /** These values, with {@code other}'s for the rows that have none here. */
    LinkSettings orElse(LinkSettings other) {
        Object[] merged = values.clone();
        for (int i = 0; i < merged.length; i++) {
            if (merged[i] == null) {
                merged[i] = other.values[i];
            }
        }
        return new LinkSettings(merged);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LinkSettings && Arrays.equals(values, ((LinkSettings) o).values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("{");
        for (TunableAttribute<?> row : TunableAttribute.APPLY_ORDER) {
            if (has(row)) {
                sb.append(sb.length() > 1 ? ", " : "").append(row.key()).append('=').append(values[row.ordinal()]);
            }
        }
        return sb.append('}').toString();
    }
}
