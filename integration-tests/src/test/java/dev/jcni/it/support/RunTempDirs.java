package dev.jcni.it.support;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

/**
 * Where {@code @TempDir} directories are made in this suite: inside the run's scratch directory
 * ({@code <tmpdir>/jcni-t-<token>}) rather than loose in /tmp, so those of a JVM killed before
 * JUnit could delete them are found and removed by the next run's {@link LeftoverSweep}. Set as
 * the default factory by {@code junit.jupiter.tempdir.factory.default} in the surefire
 * configuration.
 */
public final class RunTempDirs implements TempDirFactory {
    @Override
    public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext context) throws Exception {
        return Files.createTempDirectory(TestRun.current().scratch(), "junit");
    }
}
