package dev.jcni.it.bridge;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the bridge test classes start each test from: a fresh {@link BridgeLab} (its private
 * host, work directory and names from the run's lease), closed after the test whatever happened.
 * Each subclass keeps its own class-level {@code @Timeout}.
 */
abstract class BridgeLabTest {
    BridgeLab lab;

    @BeforeEach
    void openLab() throws Exception {
        lab = new BridgeLab();
    }

    @AfterEach
    void closeLab() {
        if (lab != null) {
            lab.close();
        }
    }
}
