package dev.jcni.it.layers;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layer rules of docs/architecture.md, checked on the compiled classes of every module, so a
 * violation fails {@code mvn verify} instead of waiting for a reviewer:
 *
 * <pre>
 *   net (values)  <-  protocol  <-  skel  <-  plugins
 *   json (tree writing) knows nothing of ours; protocol and os use it
 *   hash (SHA-512 for derived names) knows nothing of ours
 *   net           <-  os (kernel layer: below skel and the plugins, above nothing of ours)
 *   os.internal   only from os
 *   plugins       never import one another, nor the tool (cnictl), nor the daemon (jcnid)
 *   chain-core    never imports a plugin, the tool or the daemon
 *   core.daemon   (the wire protocol) knows os only: no CNI
 *   jcnid         imports no plugin: it finds them by their META-INF/jcni/plugins declarations
 * </pre>
 *
 * Needs no root; it lives here because this is the module that sees every other one.
 */
class LayerRulesTest {
    private static final String NET = "dev.jcni.core.net..";
    /** Writing Jackson trees, shared by the protocol and the nftables layer. */
    private static final String JSON = "dev.jcni.core.json..";
    /** SHA-512 for the names plugins derive from an attachment. */
    private static final String HASH = "dev.jcni.core.hash..";
    private static final String PROTOCOL = "dev.jcni.core.protocol..";
    private static final String SKEL = "dev.jcni.core.skel..";
    private static final String INVOKE = "dev.jcni.core.invoke..";
    private static final String OS = "dev.jcni.core.os..";
    private static final String OS_INTERNAL = "dev.jcni.core.os.internal..";
    private static final String CHAIN_CORE = "dev.jcni.core..";
    private static final String TOOL = "dev.jcni.cnictl..";
    /** The wire protocol of the launcher and jcnid, in chain-core. */
    private static final String WIRE = "dev.jcni.core.daemon..";
    /** jcnid, its own module: above every plugin, importing none. */
    private static final String DAEMON = "dev.jcni.daemon..";
    private static final String[] PLUGINS = {"dev.jcni.tuning..", "dev.jcni.bridge..", "dev.jcni.hostlocal..",
            "dev.jcni.portmap..", "dev.jcni.bandwidth.."};

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                // chain-core's test jar is on this module's class path (its fixtures): tests too.
                .withImportOption(location -> !location.contains("-tests.jar"))
                .importPackages("dev.jcni");
        if (main.size() < 50) {
            // Fewer classes than chain-core alone holds: the import went wrong, and every rule
            // below would pass vacuously.
            throw new AssertionError("imported only " + main.size() + " classes of dev.jcni");
        }
    }

    @Test
    void valuesDependOnNothingOfOurs() {
        noClasses().that().resideInAPackage(NET)
                .should().dependOnClassesThat().resideInAnyPackage(PROTOCOL, SKEL, INVOKE, OS, TOOL)
                .check(main);
    }

    @Test
    void jsonWritingDependsOnNothingOfOurs() {
        noClasses().that().resideInAPackage(JSON)
                .should().dependOnClassesThat().resideInAnyPackage(NET, PROTOCOL, SKEL, INVOKE, OS, TOOL, WIRE, DAEMON)
                .because("both the protocol and the kernel layer use it, so it sits below both")
                .check(main);
    }

    @Test
    void hashingDependsOnNothingOfOurs() {
        noClasses().that().resideInAPackage(HASH)
                .should().dependOnClassesThat().resideInAnyPackage(NET, JSON, PROTOCOL, SKEL, INVOKE, OS, TOOL, WIRE, DAEMON)
                .check(main);
    }

    @Test
    void kernelLayerKnowsNoCni() {
        noClasses().that().resideInAPackage(OS)
                .should().dependOnClassesThat().resideInAnyPackage(PROTOCOL, SKEL, INVOKE, TOOL, WIRE, DAEMON)
                .because("the kernel layer sits below the protocol; CNI errors are made at one place above it")
                .check(main);
    }

    @Test
    void nativeCodeOnlyFromTheKernelLayer() {
        classes().that().resideInAPackage(OS_INTERNAL)
                .should().onlyBeAccessed().byAnyPackage(OS)
                .because("native bindings (function rows, pointers, errno) stay inside os")
                .check(main);
    }

    @Test
    void protocolKnowsNeitherSkelNorKernel() {
        noClasses().that().resideInAPackage(PROTOCOL)
                .should().dependOnClassesThat().resideInAnyPackage(SKEL, INVOKE, OS, TOOL)
                .check(main);
    }

    @Test
    void skelDoesNotReachUpwards() {
        noClasses().that().resideInAPackage(SKEL)
                .should().dependOnClassesThat().resideInAnyPackage(INVOKE, TOOL)
                .check(main);
    }

    @Test
    void wireProtocolKnowsNoCni() {
        noClasses().that().resideInAPackage(WIRE)
                .should().dependOnClassesThat().resideInAnyPackage(PROTOCOL, SKEL, INVOKE, TOOL, DAEMON)
                .because("the launcher/daemon wire carries bytes; the daemon module joins it to the skel")
                .check(main);
    }

    @Test
    void theDaemonImportsNoPlugin() {
        noClasses().that().resideInAPackage(DAEMON)
                .should().dependOnClassesThat().resideInAnyPackage(concat(PLUGINS, TOOL))
                .because("jcnid loads the plugins its class path declares, by name")
                .check(main);
    }

    @Test
    void pluginLibraryKnowsNoPluginAndNoTool() {
        noClasses().that().resideInAPackage(CHAIN_CORE)
                .should().dependOnClassesThat().resideInAnyPackage(concat(concat(PLUGINS, TOOL), DAEMON))
                .because("chain-core is what every plugin needs, and nothing else")
                .check(main);
    }

    @Test
    void pluginsDoNotImportOneAnother() {
        for (String plugin : PLUGINS) {
            noClasses().that().resideInAPackage(plugin)
                    .should().dependOnClassesThat().resideInAnyPackage(concat(concat(others(plugin), TOOL), DAEMON))
                    .allowEmptyShould(true)
                    .check(main);
        }
    }

    private static String[] others(String plugin) {
        String[] out = new String[PLUGINS.length - 1];
        int i = 0;
        for (String p : PLUGINS) {
            if (!p.equals(plugin)) {
                out[i++] = p;
            }
        }
        return out;
    }

    private static String[] concat(String[] a, String b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + 1);
        out[a.length] = b;
        return out;
    }
}
