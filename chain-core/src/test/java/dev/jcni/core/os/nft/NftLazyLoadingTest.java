package dev.jcni.core.os.nft;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Offering the backends loads no native code: VERSION and config validation may build the
 * candidate list, or a batch, without jffi (and so libnftables) being loaded. Checked in a class
 * loader of its own that records every jcni and jffi class it defines, because in this JVM other
 * tests have long loaded jffi.
 */
class NftLazyLoadingTest {
    /** Child-first for jcni's and jffi's classes, recording each one it defines. */
    private static final class Recording extends URLClassLoader {
        final List<String> defined = Collections.synchronizedList(new ArrayList<>());

        Recording(URL[] urls, ClassLoader parent) {
            super(urls, parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith("dev.jcni.") && !name.startsWith("com.kenai.jffi.")) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    c = findClass(name);
                    defined.add(name);
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }

        boolean loadedJffi() {
            synchronized (defined) {
                for (String n : defined) {
                    if (n.startsWith("com.kenai.jffi.")) {
                        return true;
                    }
                }
                return false;
            }
        }
    }

    @Test
    void theCandidateListAndItsNamesLoadNoNativeCode() throws Exception {
        URL jcni = NftRunners.class.getProtectionDomain().getCodeSource().getLocation();
        URL jffi = com.kenai.jffi.Library.class.getProtectionDomain().getCodeSource().getLocation();
        try (Recording loader = new Recording(new URL[] {jcni, jffi}, NftLazyLoadingTest.class.getClassLoader())) {
            Class<?> runners = Class.forName(NftRunners.class.getName(), true, loader);
            List<?> backends = (List<?>) runners.getMethod("defaultBackends").invoke(null);
            Method name = Class.forName(NftBackend.class.getName(), true, loader).getMethod("name");
            List<Object> names = new ArrayList<>();
            for (Object b : backends) {
                names.add(name.invoke(b));
            }
            assertEquals(List.of("libnftables", "process"), names);
            assertTrue(loader.defined.contains("dev.jcni.core.os.internal.LibNftables"), "the rows were declared: " + loader.defined);
            assertFalse(loader.loadedJffi(), "jffi loaded before any probe: " + loader.defined);

            // The control: the probe does load it (so the recorder would have seen it above).
            Method cause = Class.forName(NftBackend.class.getName(), true, loader).getMethod("unavailabilityCause");
            cause.invoke(backends.get(0));
            assertTrue(loader.loadedJffi(), "the libnftables probe loads jffi");
        }
    }
}
