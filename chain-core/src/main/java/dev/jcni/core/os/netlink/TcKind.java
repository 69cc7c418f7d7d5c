package dev.jcni.core.os.netlink;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A kind of tc object, as its TCA_KIND names it ("tbf", "htb", "u32", "mirred"), with its table
 * of {@link TcParameter} rows and the shape of its options on the wire. The kinds this package
 * knows are constants of the kind classes ({@link QdiscTbf#KIND}, {@link FilterU32#KIND}...);
 * any other kind a dump reports ("noqueue", "pfifo_fast", "fq_codel") is an unknown kind without
 * rows, so listing a device never fails on what it does not model.
 */
public class TcKind {
    /** Which message family a kind belongs to; "htb" is both a qdisc and a class kind. */
    public enum Family { QDISC, CLASS, FILTER, ACTION }

    /** How the options travel: not at all, as a nest of attributes, or as one bare struct. */
    enum Layout { NONE, NESTED, STRUCT }

    private final String name;
    private final Family family;
    private final Layout layout;
    private final int[] order;
    /** The kind whose rows this one shares (pfifo and bfifo share a table); itself otherwise. */
    private final TcKind table;
    private final List<TcParameter<?>> rows;

    TcKind(String name, Family family, Layout layout, int... order) {
        this.name = name;
        this.family = family;
        this.layout = layout;
        this.order = order;
        this.table = this;
        this.rows = new ArrayList<>();
    }

    /** A kind with another name that shares {@code table}'s rows and wire shape. */
    TcKind(String name, TcKind table) {
        this.name = name;
        this.family = table.family;
        this.layout = table.layout;
        this.order = table.order;
        this.table = table;
        this.rows = table.rows;
    }

    /** A kind this package does not model: no rows, its options ignored. */
    static TcKind unknown(String name, Family family) {
        return new TcKind(name, family, Layout.NONE);
    }

    /** The kind called {@code name} in {@code family}: one of the known kinds, or an unknown one. */
    static TcKind named(Family family, String name) {
        TcKind[] known;
        switch (family) {
            case QDISC:
                known = new TcKind[] {QdiscTbf.KIND, QdiscHtb.KIND, QdiscFifo.PFIFO, QdiscFifo.BFIFO,
                    QdiscIngress.INGRESS, QdiscIngress.CLSACT};
                break;
            case CLASS:
                known = new TcKind[] {QdiscHtbClass.KIND};
                break;
            case FILTER:
                known = new TcKind[] {FilterU32.KIND};
                break;
            default:
                known = new TcKind[] {ActionMirred.KIND};
                break;
        }
        for (TcKind k : known) {
            if (k.name.equals(name)) {
                return k;
            }
        }
        return unknown(name, family);
    }

    /** The TCA_KIND string. */
    public final String name() {
        return name;
    }

    public final Family family() {
        return family;
    }

    /** The rows, in table order. */
    public final List<TcParameter<?>> parameters() {
        return Collections.unmodifiableList(rows);
    }

    /** True if {@code row} is one of this kind's rows. */
    final boolean has(TcParameter<?> row) {
        return row.kind().table == table;
    }

    final int add(TcParameter<?> row) {
        rows.add(row);
        return rows.size() - 1;
    }

    /** Fields every request of the kind carries whatever the rows say (HTB's version 3). */
    void prepare(TcWire.Writer out) {
        // Nothing by default.
    }

    /**
     * The options of a request: every settable row's value, or its default; IllegalArgumentException
     * naming the row when a required one is missing or a value does not fit its field.
     */
    TcWire.Writer encode(TcOptions options, Psched clock) {
        TcWire.Writer out = new TcWire.Writer(order);
        if (layout == Layout.NONE) {
            return out;
        }
        prepare(out);
        for (int i = 0; i < rows.size(); i++) {
            encodeRow(rows.get(i), out, options, clock);
        }
        return out;
    }

    private static <T> void encodeRow(TcParameter<T> row, TcWire.Writer out, TcOptions options, Psched clock) {
        if (!row.settable()) {
            return;
        }
        T value = options.get(row);
        if (value == null) {
            value = row.defaultValue(options, clock);
        }
        if (value == null) {
            if (row.required()) {
                throw new IllegalArgumentException(row.kind().name() + " needs " + row.name());
            }
            return;
        }
        row.encode(out, value, options, clock);
    }

    /** The options of a dump: every row the kernel reported. {@code payload} is TCA_OPTIONS' (null: none). */
    TcOptions decode(byte[] payload, Psched clock) {
        TcOptions.Builder b = new TcOptions.Builder(this);
        if (layout == Layout.NONE || payload == null) {
            return b.build();
        }
        TcWire.Reader in = layout == Layout.STRUCT ? TcWire.Reader.rawStruct(payload) : TcWire.Reader.nested(payload);
        for (int i = 0; i < rows.size(); i++) {
            decodeRow(rows.get(i), in, b, clock);
        }
        return b.build();
    }

    private static <T> void decodeRow(TcParameter<T> row, TcWire.Reader in, TcOptions.Builder b, Psched clock) {
        T value = row.decode(in, clock);
        if (value != null) {
            b.set(row, value);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
