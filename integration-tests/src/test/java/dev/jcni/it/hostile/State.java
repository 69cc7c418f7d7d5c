package dev.jcni.it.hostile;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A snapshot as data: a sorted map from what was looked at ("host link lo", "sandbox sysctl
 * net/ipv4/ip_forward", "file host/canary") to how it was, so any two snapshots compare the same
 * way and a difference reads as "what: before -> after".
 */
final class State {
    static final String ABSENT = "(absent)";

    private final Map<String, String> entries;

    State(Map<String, String> entries) {
        this.entries = Collections.unmodifiableMap(new TreeMap<>(entries));
    }

    static State of(Map<String, String> entries) {
        return new State(entries);
    }

    Map<String, String> entries() {
        return entries;
    }

    String get(String key) {
        return entries.get(key);
    }

    /** Every entry that differs, appeared or vanished, one line each. */
    List<String> diff(State after) {
        List<String> out = new ArrayList<>();
        TreeSet<String> keys = new TreeSet<>(entries.keySet());
        keys.addAll(after.entries.keySet());
        for (String k : keys) {
            String b = entries.getOrDefault(k, ABSENT);
            String a = after.entries.getOrDefault(k, ABSENT);
            if (!b.equals(a)) {
                out.add(k + ": " + b + " -> " + a);
            }
        }
        return out;
    }

    /** This state merged with {@code other}'s entries. */
    State with(State other) {
        Map<String, String> m = new TreeMap<>(entries);
        m.putAll(other.entries);
        return new State(m);
    }
}
