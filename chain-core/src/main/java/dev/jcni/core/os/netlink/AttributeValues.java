package dev.jcni.core.os.netlink;

import java.util.Arrays;
import java.util.List;

/**
 * The values of one table's rows for one object (a bridge's options, a port's flags, an
 * address's or a route's attributes): one slot per row, null where the object has no such
 * attribute. Mutable while a parser or builder fills it; the value classes copy it and never
 * hand it out.
 */
final class AttributeValues {
    private final Object[] values;

    AttributeValues(int rows) {
        this.values = new Object[rows];
    }

    private AttributeValues(Object[] values) {
        this.values = values;
    }

    @SuppressWarnings("unchecked")
    <T> T get(AttributeRow<T> row) {
        return (T) values[row.ordinal()];
    }

    <T> void put(AttributeRow<T> row, T value) {
        values[row.ordinal()] = value;
    }

    /** Decodes every attribute of {@code a} that a row of {@code table} carries; others are skipped. */
    void readAll(AttributeReader a, List<? extends AttributeRow<?>> table) {
        while (a.next()) {
            AttributeRow<?> row = AttributeRow.byType(table, a.type());
            if (row != null) {
                row.decodeInto(a, this);
            }
        }
    }

    AttributeValues copy() {
        return new AttributeValues(values.clone());
    }

    /** Appends ", name=value" for every row that has a value, in table order. */
    void appendTo(StringBuilder sb, List<? extends AttributeRow<?>> table) {
        for (int i = 0; i < table.size(); i++) {
            Object v = values[table.get(i).ordinal()];
            if (v != null) {
                sb.append(", ").append(table.get(i).name()).append('=').append(v);
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AttributeValues && Arrays.equals(values, ((AttributeValues) o).values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }
}
