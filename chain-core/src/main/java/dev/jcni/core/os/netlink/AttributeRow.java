package dev.jcni.core.os.netlink;

import java.util.List;
import java.util.Objects;

/**
 * One row of an attribute table whose rows are all plain attributes ({@link BridgeAttribute},
 * {@link BridgePortAttribute}, {@link AddressAttribute}, {@link RouteAttribute}): the attribute's
 * type, its name in iproute2's words, and the {@link AttributeCodec} of its payload. The same
 * shape as {@link LinkAttribute}'s attribute rows; each table class declares its rows as
 * constants, numbers them in declaration order, and lists them in an {@code ALL} list.
 *
 * <p>A value holder (a link, an address, a route) keeps one slot per row of a table, so reading
 * any row is {@code get(row)}, and encoding or decoding a table is one loop over its rows.
 *
 * @param <T> the row's value type
 */
public abstract class AttributeRow<T> {
    private final String name;
    private final int type;
    private final AttributeCodec<T> codec;
    private final int ordinal;

    /** @param ordinal the row's position in its table: the table's size before this row is added */
    AttributeRow(String name, int type, AttributeCodec<T> codec, int ordinal) {
        this.name = name;
        this.type = type;
        this.codec = codec;
        this.ordinal = ordinal;
    }

    /** The row's name, e.g. "hairpin". */
    public String name() {
        return name;
    }

    /** The change in words, for an operation description: "hairpin on", "metric 100". */
    public String describe(T value) {
        if (value instanceof Boolean) {
            return name + ((Boolean) value ? " on" : " off");
        }
        return name + " " + value;
    }

    @Override
    public String toString() {
        return name;
    }

    /** The attribute type (the IFLA_BRPORT_*, IFA_*, RTA_* number). */
    final int type() {
        return type;
    }

    final int ordinal() {
        return ordinal;
    }

    /** Appends this row's attribute carrying {@code value}. */
    final void encode(NetlinkMessageBuilder m, T value) {
        codec.put(m, type, Objects.requireNonNull(value, name));
    }

    /** Reads the attribute the reader is on into this row's slot of {@code values}. */
    final void decodeInto(AttributeReader a, AttributeValues values) {
        values.put(this, codec.get(a));
    }

    /** The row of {@code table} carried in attribute {@code type}, or null when none is (the parser skips it). */
    static <R extends AttributeRow<?>> R byType(List<R> table, int type) {
        for (int i = 0; i < table.size(); i++) {
            if (table.get(i).type() == type) {
                return table.get(i);
            }
        }
        return null;
    }
}
