package dev.jcni.it.hostile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One hostile input: the environment (over the target's defaults), arguments, stdin and files to
 * plant, what must come out, and what besides the defaults to watch for changes: host files a
 * case names (a canary, /etc/shadow, a directory that must not appear) and sysctls it aims at.
 * Everything is a template bound to a {@link Workspace} when the case runs, so cases are plain
 * values that generators produce before any namespace exists.
 *
 * @param inputClass the class of input it belongs to, e.g. "malformed JSON"
 * @param label      what it is, for reports
 * @param verb       the verb (plugins: CNI_COMMAND; cnictl: its command word), which decides what
 *                   a successful answer looks like
 * @param env        variables over the target's defaults; a null value unsets one
 */
public record HostileCase(String inputClass, String label, String verb, Map<String, Text> env, List<Text> args, Stdin stdin,
                          List<Plant> plants, List<String> watchedPaths, List<String> watchedSysctls, Expect expect) {

    public static Builder in(String inputClass, String label) {
        return new Builder(inputClass, label);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(label).append(" [").append(verb).append("]");
        for (Map.Entry<String, Text> e : env.entrySet()) {
            sb.append("\n    env ").append(e.getKey()).append(e.getValue() == null ? " unset" : "=" + e.getValue());
        }
        if (!args.isEmpty()) {
            sb.append("\n    args ").append(args);
        }
        sb.append("\n    stdin ").append(stdin);
        for (Plant p : plants) {
            sb.append("\n    plant ").append(p);
        }
        return sb.append("\n    expect ").append(expect).toString();
    }

    /** Cases are built field by field: most differ from a base in one or two. */
    public static final class Builder {
        private final String inputClass;
        private final String label;
        private String verb = "ADD";
        private final Map<String, Text> env = new LinkedHashMap<>();
        private final List<Text> args = new ArrayList<>();
        private Stdin stdin = Stdin.none();
        private final List<Plant> plants = new ArrayList<>();
        private final List<String> watchedPaths = new ArrayList<>();
        private final List<String> watchedSysctls = new ArrayList<>();
        private Expect expect;

        private Builder(String inputClass, String label) {
            this.inputClass = inputClass;
            this.label = label;
        }

        public Builder verb(String v) {
            this.verb = v;
            return this;
        }

        public Builder env(String name, String template) {
            env.put(name, Text.of(template));
            return this;
        }

        public Builder env(String name, Text value) {
            env.put(name, value);
            return this;
        }

        public Builder unset(String name) {
            env.put(name, null);
            return this;
        }

        public Builder args(String... templates) {
            for (String t : templates) {
                args.add(Text.of(t));
            }
            return this;
        }

        public Builder arg(Text value) {
            args.add(value);
            return this;
        }

        public Builder stdin(Stdin s) {
            this.stdin = s;
            return this;
        }

        public Builder stdin(String template) {
            this.stdin = Stdin.text(template);
            return this;
        }

        public Builder plant(Plant p) {
            plants.add(p);
            return this;
        }

        /** A path outside the workspace the case names: its existence, type, mode and content must not change. */
        public Builder watch(String pathTemplate) {
            watchedPaths.add(pathTemplate);
            return this;
        }

        /** A sysctl (below /proc/sys, slash-separated, a template) that must not change on the host, nor in the sandbox on failure. */
        public Builder watchSysctl(String relativeTemplate) {
            watchedSysctls.add(relativeTemplate);
            return this;
        }

        public Builder expect(Expect e) {
            this.expect = e;
            return this;
        }

        public HostileCase build() {
            if (expect == null) {
                throw new IllegalStateException("case \"" + label + "\" has no expectation");
            }
            return new HostileCase(inputClass, label, verb, Collections.unmodifiableMap(new LinkedHashMap<>(env)),
                    List.copyOf(args), stdin, List.copyOf(plants), List.copyOf(watchedPaths), List.copyOf(watchedSysctls), expect);
        }
    }
}
