package dev.jcni.tuning;

import com.fasterxml.jackson.databind.JsonNode;
import dev.jcni.core.net.AddressFormatException;
import dev.jcni.core.net.MacAddress;
import dev.jcni.core.os.netlink.LinkAttribute;
import dev.jcni.core.protocol.CniException;
import dev.jcni.core.protocol.Json;
import dev.jcni.core.protocol.JsonFields;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The link attributes tuning manages: one row per attribute, and everything tuning does with it
 * loops over these rows (reading the config, capturing originals, applying with undo,
 * restoring, comparing for CHECK, writing and reading the backup).
 *
 * <p>A row says: its key in the config and in the backup file (the reference's spelling), its
 * row of the kernel layer's {@link LinkAttribute} table, how a JSON value is read and validated
 * (one function, for a config value and for a value read back from a backup alike), how it is
 * written back to JSON, and how it is named in messages.
 *
 * <p>Rows are declared in the reference's apply order (MAC, promiscuous, MTU, all-multicast,
 * queue length), which is also the backup file's key order; {@link #RESTORE_ORDER} is the
 * reference's restore order.
 */
abstract class TunableAttribute<T> {
    private static final List<TunableAttribute<?>> ROWS = new ArrayList<>();

    static final TunableAttribute<MacAddress> MAC = new Mac();
    static final TunableAttribute<Boolean> PROMISC = new Flag("promisc", LinkAttribute.PROMISC, "promiscuous mode");
    /** 68 (IPv4's minimum) to 65535. */
    static final TunableAttribute<Integer> MTU = new Count("mtu", LinkAttribute.MTU, "MTU", 68, 65535, "expected 68 to 65535", true);
    static final TunableAttribute<Boolean> ALLMULTI = new Flag("allmulti", LinkAttribute.ALLMULTI, "all-multicast mode");
    static final TunableAttribute<Integer> TX_QUEUE_LENGTH = new Count("txQLen", LinkAttribute.TX_QUEUE_LENGTH,
            "transmit queue length", 0, Integer.MAX_VALUE, "must not be negative", false);

    /** Every row, in the reference's apply order. */
    static final List<TunableAttribute<?>> APPLY_ORDER = Collections.unmodifiableList(ROWS);
    /** The reference's restore order (MTU first: a MAC change may depend on nothing, an MTU on the driver's state). */
    static final List<TunableAttribute<?>> RESTORE_ORDER = List.of(MTU, MAC, PROMISC, ALLMULTI, TX_QUEUE_LENGTH);

    private final String key;
    private final LinkAttribute<T> kernel;
    private final String description;
    private final int ordinal;

    private TunableAttribute(String key, LinkAttribute<T> kernel, String description) {
        this.key = key;
        this.kernel = kernel;
        this.description = description;
        this.ordinal = ROWS.size();
        ROWS.add(this);
    }

    /** The key in the config, {@code args.cni} and the backup file, e.g. "txQLen". */
    final String key() {
        return key;
    }

    /** The kernel layer's row for this attribute. */
    final LinkAttribute<T> kernel() {
        return kernel;
    }

    /** How messages name it, e.g. "transmit queue length". */
    final String description() {
        return description;
    }

    final int ordinal() {
        return ordinal;
    }

    /**
     * The value of {@code key} in {@code fields}, validated; null when absent or JSON null.
     * Errors name the field by its path and carry the document's code (7 for a network config).
     */
    final T read(JsonFields fields) throws CniException {
        JsonNode node = fields.get(key);
        return node == null ? null : parse(node, fields.source(), fields.pathOf(key));
    }

    /** {@code node} as this row's value, checked with the config's rules; {@code path} names it in errors. */
    abstract T parse(JsonNode node, JsonFields.Source source, String path) throws CniException;

    /**
     * True when a backup's {@code node} means "not backed up": the reference writes its int
     * {@code mtu} with omitempty, so its 0 is absence, not a bad value.
     */
    boolean unsetInBackup(JsonNode node) {
        return false;
    }

    /** The value as the backup file stores it. */
    abstract JsonNode toJson(T value);

    /** The value in messages: "on"/"off" for modes, the number or address otherwise. */
    String text(T value) {
        return String.valueOf(value);
    }

    /** The change in words: "set MTU to 1400", "set promiscuous mode off". */
    String change(T value) {
        return "set " + description + " to " + text(value);
    }

    /** True when the live value is what was configured. */
    final boolean same(T configured, T live) {
        return Objects.equals(configured, live);
    }

    @Override
    public String toString() {
        return key;
    }

    /** A MAC address: any spelling Go parses; only one an interface can take (unicast, not all-zero). */
    private static final class Mac extends TunableAttribute<MacAddress> {
        Mac() {
            super("mac", LinkAttribute.MAC, "MAC address");
        }

        @Override
        MacAddress parse(JsonNode node, JsonFields.Source source, String path) throws CniException {
            if (!node.isTextual()) {
                throw JsonFields.typeError(source, path, node, "a string");
            }
            return assignable(node.textValue(), path, source.code());
        }

        @Override
        JsonNode toJson(MacAddress value) {
            return Json.NODES.textNode(value.toString());
        }

        /**
         * The address, refused unless an interface can take it: the kernel would refuse a
         * multicast or all-zero address on a veth only after the first changes were made.
         */
        static MacAddress assignable(String text, String from, int code) throws CniException {
            MacAddress mac;
            try {
                mac = MacAddress.parse(text);
            } catch (AddressFormatException e) {
                throw new CniException(code, "invalid MAC address \"" + text + "\"",
                        from + ": expected six hex octets such as c2:11:22:33:44:55 (" + e.reason() + ")");
            }
            if (mac.isZero() || mac.isMulticast()) {
                throw new CniException(code, "invalid MAC address \"" + text + "\"",
                        mac.isZero() ? "the all-zero address cannot be assigned" : "a multicast address cannot be assigned to an interface");
            }
            return mac;
        }
    }

    /** A mode that is on or off; false switches it off (the reference's promisc only ever switches on). */
    private static final class Flag extends TunableAttribute<Boolean> {
        Flag(String key, LinkAttribute<Boolean> kernel, String description) {
            super(key, kernel, description);
        }

        @Override
        Boolean parse(JsonNode node, JsonFields.Source source, String path) throws CniException {
            if (!node.isBoolean()) {
                throw JsonFields.typeError(source, path, node, "true or false");
            }
            return node.booleanValue();
        }

        @Override
        JsonNode toJson(Boolean value) {
            return Json.NODES.booleanNode(value);
        }

        @Override
        String text(Boolean on) {
            return on ? "on" : "off";
        }

        @Override
        String change(Boolean on) {
            return "set " + description() + " " + text(on);
        }
    }

    /** A whole number within a range. */
    private static final class Count extends TunableAttribute<Integer> {
        private final int min;
        private final int max;
        private final String range;
        private final boolean zeroUnsetInBackup;

        Count(String key, LinkAttribute<Integer> kernel, String description, int min, int max, String range,
              boolean zeroUnsetInBackup) {
            super(key, kernel, description);
            this.min = min;
            this.max = max;
            this.range = range;
            this.zeroUnsetInBackup = zeroUnsetInBackup;
        }

        @Override
        boolean unsetInBackup(JsonNode node) {
            return zeroUnsetInBackup && node.isIntegralNumber() && node.asLong() == 0;
        }

        @Override
        Integer parse(JsonNode node, JsonFields.Source source, String path) throws CniException {
            if (!node.isIntegralNumber() || !node.canConvertToInt()) {
                throw JsonFields.typeError(source, path, node, "an integer");
            }
            int v = node.intValue();
            if (v < min || v > max) {
                throw new CniException(source.code(), "invalid value " + v + " for \"" + path + "\": " + range);
            }
            return v;
        }

        @Override
        JsonNode toJson(Integer value) {
            return Json.NODES.numberNode(value);
        }
    }
}
