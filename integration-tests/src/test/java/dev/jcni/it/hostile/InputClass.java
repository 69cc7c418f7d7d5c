package dev.jcni.it.hostile;

import java.util.List;
import java.util.Random;

/**
 * A class of hostile input (malformed JSON, wrong types, path traversal...): a generator of
 * cases. Randomised classes draw from the suite's seeded {@link Random}, so a run is reproduced
 * with the seed it prints ({@code -Djcni.hostile.seed=N}).
 */
public interface InputClass {
    /** Its name in reports, e.g. "malformed JSON". */
    String name();

    List<HostileCase> cases(Random random);

    /** An input class from a name and a generator. */
    static InputClass of(String name, Generator generator) {
        return new InputClass() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public List<HostileCase> cases(Random random) {
                return generator.cases(name, random);
            }
        };
    }

    /** The body of a class: the cases of class {@code name}. */
    @FunctionalInterface
    interface Generator {
        List<HostileCase> cases(String name, Random random);
    }
}
