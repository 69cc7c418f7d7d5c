/**
 * Delegation: what the reference's {@code pkg/invoke} gives plugins. {@link dev.jcni.core.invoke.Delegator}
 * finds a plugin by type on CNI_PATH ({@link dev.jcni.core.invoke.PluginFinder}) and runs it for
 * ADD, DEL, CHECK, GC or STATUS with a {@link dev.jcni.core.invoke.DelegateRequest}: how
 * {@code bridge} gets its addresses from {@code host-local}.
 *
 * <p>{@link dev.jcni.core.invoke.InProcessPlugins} lets the delegator answer a delegate that is one
 * of our own plugins in-process (through {@code Skel.runNested}) instead of starting a second JVM:
 * plugin jars declare their types in {@code META-INF/jcni/plugins/<type>}, and only our launcher
 * of that type, starting that class from exactly our class path ({@link dev.jcni.core.invoke.LauncherScript};
 * a native launcher stands for the script beside it, {@link dev.jcni.core.invoke.LauncherFile}),
 * qualifies; the node turns it off with {@code JCNI_DELEGATE_IN_PROCESS=0}.
 *
 * <p>{@link dev.jcni.core.invoke.PluginExec} is the CNI meaning of one plugin exec (its answer,
 * or its error with the plugin's code), shared with the runtime in the cnictl module. Processes
 * are run by {@code dev.jcni.core.os.process.ProcessRunner}.
 *
 * <p>Layer: above protocol and the os layer, beside skel (it uses skel's {@code Command},
 * {@code Invocation} and {@code Log}); used by plugins and by the runtime, never by skel.
 */
package dev.jcni.core.invoke;
