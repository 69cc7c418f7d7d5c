package dev.jcni.it.hostile;

import java.util.ArrayList;
import java.util.List;

/**
 * Values of the wrong JSON type for every key a reader reads, nested keys included, from a schema
 * the plugin's case set writes: the key's path, the type it must have, the code a wrong type
 * gives, and what JSON null means there (for an optional key Go's decoder reads null as absent).
 */
final class WrongTypes {
    /** The JSON types a schema names. */
    enum Type {
        STRING("0", "-1", "1.5", "true", "[]", "[\"x\"]", "{}", "{\"a\":\"b\"}"),
        INT("\"1400\"", "\"\"", "1.5", "1400.0", "1e3", "true", "[]", "{}", "99999999999999999999", "-2147483649"),
        BOOL("\"true\"", "\"false\"", "1", "0", "\"\"", "[]", "{}", "\"yes\""),
        OBJECT("\"x\"", "\"\"", "1", "true", "[]", "[{}]"),
        ARRAY("\"x\"", "1", "true", "{}", "{\"0\":{}}");

        private final String[] wrong;

        Type(String... wrong) {
            this.wrong = wrong;
        }

        /** Raw JSON values that are not of this type. */
        String[] wrongValues() {
            return wrong.clone();
        }
    }

    /**
     * One key of the schema.
     *
     * @param path      where it is (see {@link JsonEdit#path})
     * @param type      what it must be
     * @param code      the error code of a wrong type there
     * @param whenNull  what JSON null there must give
     */
    record Field(List<Object> path, Type type, int code, Expect whenNull) {}

    /** One variant: the label, the document, and what it must give. */
    record Variant(String label, String document, Expect expect) {}

    private WrongTypes() {}

    /** Every wrong-typed value (and null) for every field of the schema, in {@code template}. */
    static List<Variant> variants(String template, List<Field> schema) {
        List<Variant> out = new ArrayList<>();
        for (Field f : schema) {
            String where = JsonEdit.show(f.path());
            for (String v : f.type().wrongValues()) {
                out.add(new Variant(where + " = " + v, JsonEdit.set(template, f.path(), v), Expect.error(f.code())));
            }
            if (f.whenNull() != null) {
                out.add(new Variant(where + " = null", JsonEdit.set(template, f.path(), "null"), f.whenNull()));
            }
        }
        return out;
    }
}
