#!/bin/sh
# Writes the launchers of a module's jcni executables, and trains their start-up caches; for each
# of the module's launchers when it ships several.
# Called by Maven in the package phase of each module that ships an executable (see the root
# pom's pluginManagement):
#   package-bin.sh LAUNCHERS MODULE_JAR CLASSPATH_FILE BIN_DIR DEPS_DIR NATIVE [JVM]
# LAUNCHERS is one or more entries separated by spaces or commas: NAME, whose main class is
# MODULE_JAR's manifest Main-Class (from the module's jcni.launcher.main), or NAME=MAIN_CLASS
# for a module with several executables (interface-bridge: host-local and bridge), each with its
# own launcher and start-up cache. MAIN_CLASS must be a class of MODULE_JAR.
# CLASSPATH_FILE is maven-dependency-plugin's build-classpath output, every entry prefixed @LIB@;
# DEPS_DIR holds those jars (its copy-dependencies output), installed here into BIN_DIR/lib.
# NATIVE is the module's jcni.launcher.native: "true" for plugins, whose JVM launcher script is
# written to BIN_DIR/lib/jvm/NAME and whose BIN_DIR/NAME is the native launcher
# (deploy/install-launchers.sh; it forwards to the jcnid daemon, or execs that script); anything
# else (cnictl, jcnid: tools) writes the script as BIN_DIR/NAME.
# JVM is the module's jcni.launcher.jvm: "short" (the default: a process living milliseconds, a
# plugin or cnictl) or "resident" (jcnid, a process living for days); it picks the JIT, GC and heap
# flags below, for the launcher script and the start-up cache's training alike.
# No other Java class name is written here: the trainer and logging configuration classes are
# chain-core's manifest attributes Jcni-Trainer and Jcni-Logging-Config.
#
# The launcher script is POSIX sh holding only absolute paths, because runtimes exec plugins
# with a minimal environment (no PATH, no JAVA_HOME) from any working directory.
# JDK choice: JCNI_JAVA_HOME if set, else the newest JDK >= 25 under /usr/lib/jvm (its AOT cache
# halves start-up), else the java running this build (AppCDS archive instead).
set -eu

launchers=$(printf '%s' "$1" | tr ',' ' ') jar=$2 cpfile=$3 bin=$4 deps=$5 native=$6 jvm=${7:-short}
case $jvm in short|resident) ;; *) echo "package-bin: JVM \"$jvm\" is neither short nor resident (jcni.launcher.jvm)" >&2; exit 1 ;; esac
[ -n "$(echo $launchers)" ] || { echo "package-bin: no launcher named (set jcni.launcher.name or jcni.launchers)" >&2; exit 1; }
lib=$bin/lib
mkdir -p "$lib/native" "$lib/cache"

# install_file SOURCE TARGET: TARGET gets SOURCE's bytes, unless it has them already. Written
# aside and renamed over the old file: a JVM running from bin/ (a plugin exec'd meanwhile, a
# daemon) keeps reading the old file it opened, never a half-written one; and an unchanged jar
# keeps its time stamp, so the start-up caches trained against it stay valid.
install_file() {
  if [ -f "$2" ] && cmp -s "$1" "$2"; then
    return 0
  fi
  cp "$1" "$2.tmp.$$"
  mv -f "$2.tmp.$$" "$2"
}
install_file "$jar" "$lib/$(basename "$jar")"
for dep in "$deps"/*.jar; do
  [ ! -f "$dep" ] || install_file "$dep" "$lib/$(basename "$dep")"
done

# --- the JDK -------------------------------------------------------------------------------
java_major() { "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p'; }
java_home=${JCNI_JAVA_HOME:-}
if [ -z "$java_home" ]; then
  for candidate in /usr/lib/jvm/*; do
    [ -x "$candidate/bin/java" ] || continue
    major=$(java_major "$candidate")
    case $major in ''|*[!0-9]*) continue ;; esac
    if [ "$major" -ge 25 ]; then java_home=$candidate; fi
  done
fi
if [ -z "$java_home" ]; then
  java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
fi
java=$java_home/bin/java
major=$(java_major "$java_home")

# --- class path ------------------------------------------------------------------------------
cp_deps=$(sed "s#@LIB@/#$lib/#g" "$cpfile")
classpath=$lib/$(basename "$jar")${cp_deps:+:$cp_deps}

# --- declared class names ---------------------------------------------------------------------
# manifest_of JAR: the META-INF/MANIFEST.MF of JAR, an absolute path ("" if it has none).
manifest_of() {
  if command -v unzip >/dev/null 2>&1; then
    unzip -p "$1" META-INF/MANIFEST.MF 2>/dev/null || true
  else
    m_tmp=$(mktemp -d)
    (cd "$m_tmp" && "$java_home/bin/jar" xf "$1" META-INF/MANIFEST.MF) 2>/dev/null || true
    cat "$m_tmp/META-INF/MANIFEST.MF" 2>/dev/null || true
    rm -rf "$m_tmp"
  fi
}
# attribute NAME: the value of a main-section attribute of the manifest on stdin ("" if absent).
# The format wraps lines at 72 bytes; a continuation line starts with one space.
attribute() {
  tr -d '\r' | awk -v key="$1: " '
    /^$/ { exit }
    /^ / { cur = cur substr($0, 2); next }
    { if (index(cur, key) == 1) { print substr(cur, length(key) + 1); found = 1; exit } cur = $0 }
    END { if (!found && index(cur, key) == 1) print substr(cur, length(key) + 1) }'
}
manifest_main=$(manifest_of "$jar" | attribute Main-Class)
# jar_has_class CLASS: true when MODULE_JAR holds CLASS (a main class named in LAUNCHERS).
jar_has_class() {
  entry=$(printf '%s' "$1" | tr '.' '/').class
  if command -v unzip >/dev/null 2>&1; then
    unzip -l "$jar" "$entry" >/dev/null 2>&1
  else
    "$java_home/bin/jar" tf "$jar" | grep -qx "$entry"
  fi
}
trainer="" logging_config=""
for entry in $(echo "$classpath" | tr ':' ' '); do
  manifest=$(manifest_of "$entry")
  trainer=$(printf '%s\n' "$manifest" | attribute Jcni-Trainer)
  if [ -n "$trainer" ]; then
    logging_config=$(printf '%s\n' "$manifest" | attribute Jcni-Logging-Config)
    break
  fi
done
if [ -z "$trainer" ] || [ -z "$logging_config" ]; then
  echo "package-bin: no jar on the class path of $launchers declares Jcni-Trainer and Jcni-Logging-Config (chain-core does)" >&2
  exit 1
fi

# jffi ships its native stub inside a jar and otherwise extracts it to /tmp on every start
# (about 15 ms, and it fails on a noexec /tmp): extract it once here.
arch=$(uname -m)
case $arch in x86_64) jffi_dir=x86_64-Linux ;; aarch64) jffi_dir=aarch64-Linux ;; *) jffi_dir=$arch-Linux ;; esac
native_jar=$(ls "$lib"/jffi-*-native.jar 2>/dev/null | head -n 1 || true)
if [ -n "$native_jar" ] && [ ! -f "$lib/native/libjffi-1.2.so" ]; then
  tmp=$(mktemp -d)
  (cd "$tmp" && "$java_home/bin/jar" xf "$native_jar" "jni/$jffi_dir/libjffi-1.2.so")
  install_file "$tmp/jni/$jffi_dir/libjffi-1.2.so" "$lib/native/libjffi-1.2.so"
  rm -rf "$tmp"
fi

# --- JVM flags ---------------------------------------------------------------------------------
if [ "$jvm" = resident ]; then
  # jcnid runs for days and answers thousands of short requests: full tiered compilation (C1,
  # then C2 for the hot request path), and a heap bounded at 256 MiB (a request holds at most
  # 16 MiB of stdin; the live set is a few MiB), started at 64 MiB so that the young generation
  # is not resized in the first minutes. The serial GC still: the smallest footprint, and with a
  # live set this small its pauses are a millisecond or two, between requests that take as long
  # (docs/daemon.md, "jcnid's JVM"). Compilation thresholds at a tenth: a node's daemon sees a
  # few requests a minute, so at the default thresholds its request path stays in the
  # interpreter and C1 for its first hundreds of requests; with the method profiles its start-up
  # cache carries (the training replays every plugin's requests), compiling ten times sooner is
  # informed. Measured with bench/daemon.sh's shape (3 warm-up pairs, 30 measured): tuning ADD
  # through jcnid 6.5-6.9 ms before, 4.8-6.1 ms after.
  flags="-XX:+UseSerialGC -Xms64m -Xmx256m -XX:CompileThresholdScaling=0.1"
else
  # C1 only and the serial GC: a plugin runs for milliseconds.
  flags="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
fi
# No hsperfdata file in /tmp. -Xlog:disable keeps every JVM message off stdout (stdout carries the
# CNI protocol, or nothing for jcnid); warnings go to stderr instead.
flags="$flags -XX:-UsePerfData -Xlog:disable -Xlog:all=warning:stderr"
# jffi (jnr-ffi's native core): its stub library, extracted above.
flags="$flags -Djffi.boot.library.path=$lib/native"
# Core reflection through native accessors: since JDK 18 it spins method-handle classes at run
# time instead, which no start-up cache can hold (measured: about 20 ms on the first use).
flags="$flags -Djdk.reflect.useNativeAccessorOnly=true"
# jffi initialises java.util.logging; skip the default configuration (chain-core's
# SilentLoggingConfig, declared as Jcni-Logging-Config).
flags="$flags -Djava.util.logging.config.class=$logging_config"
# Map the start-up cache at its preferred address instead of relocating it (about 5 ms here).
# This was the default until JDK 20; the trade-off is that the cache's address is not randomised.
flags="$flags -XX:+UnlockDiagnosticVMOptions -XX:ArchiveRelocationMode=0"
if [ "$major" -ge 24 ]; then
  # jffi uses System.load and sun.misc.Unsafe: allowed explicitly, so the JDK prints no warnings.
  flags="$flags --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
fi

# --- start-up cache -----------------------------------------------------------------------------
# Named by a hash of the class path's content: JDK 25.0.3 does not notice a stale AOT cache
# (JDK-8377932) and would run old classes. Training output goes to a log, never to stdout.
hash=$(cat "$lib/$(basename "$jar")" $(echo "$cp_deps" | tr ':' ' ') | sha256sum | cut -c1-16)
# The training sandbox: a namespace holding one end of a veth pair named eth0, so ADD, CHECK
# and DEL touch a real kernel. Needs root; without it training covers parsing and errors only.
# One for all the module's launchers; each gets its own scratch directory.
train_ns=-
ns_name=jcni-train-$$
scratch=""
cleanup_training() {
  ip netns del "$ns_name" 2>/dev/null || true
  [ -z "$scratch" ] || rm -rf "$scratch"
}
trap cleanup_training EXIT
if [ "$(id -u)" = 0 ] && command -v ip >/dev/null 2>&1 && ip netns add "$ns_name" 2>/dev/null; then
  if ip link add "jt$$" type veth peer name eth0 netns "$ns_name" 2>/dev/null; then
    train_ns=/run/netns/$ns_name
  fi
fi

# write_launcher NAME MAIN_CLASS: trains NAME's start-up cache and writes NAME's launcher script:
# bin/lib/jvm/NAME for a plugin (NATIVE=true), bin/NAME for a tool.
write_launcher() {
  name=$1 main=$2
  rm -f "$lib/cache/$name"-*
  log=$(dirname "$jar")/launcher-training-$name.log
  [ -z "$scratch" ] || rm -rf "$scratch"
  scratch=$(mktemp -d)
  train="$trainer $name $main $train_ns $scratch"
  cache_flags=""
  # Trained in the locale the launcher runs the JVM in (below), so the cache holds the same charset classes.
  if [ "$major" -ge 25 ]; then
    cache=$lib/cache/$name-$hash.aot
    if LC_ALL=C.UTF-8 "$java" $flags -XX:AOTCacheOutput="$cache" -cp "$classpath" $train >"$log" 2>&1 </dev/null \
       && LC_ALL=C.UTF-8 "$java" $flags -XX:AOTCache="$cache" -XX:AOTMode=on -cp "$classpath" "$main" </dev/null >/dev/null 2>>"$log"; then
      cache_flags="-XX:AOTCache=$cache -XX:AOTMode=auto"
    fi
  else
    cache=$lib/cache/$name-$hash.jsa
    if LC_ALL=C.UTF-8 "$java" $flags -XX:ArchiveClassesAtExit="$cache" -cp "$classpath" $train >"$log" 2>&1 </dev/null \
       && LC_ALL=C.UTF-8 "$java" $flags -XX:SharedArchiveFile="$cache" -Xshare:on -cp "$classpath" "$main" </dev/null >/dev/null 2>>"$log"; then
      cache_flags="-XX:SharedArchiveFile=$cache -Xshare:auto"
    fi
  fi
  if [ -z "$cache_flags" ]; then
    echo "package-bin: WARNING: no start-up cache for $name (see $log); it will start slower" >&2
  fi

  # --- the launcher ---------------------------------------------------------------------------------
  if [ "$native" = true ]; then
    mkdir -p "$lib/jvm"
    out=$lib/jvm/$name
  else
    out=$bin/$name
  fi
  cat >"$out.tmp" <<LAUNCHER
#!/bin/sh
# jcni $name: launcher written by deploy/package-bin.sh at build time; rebuild rather than edit.
# Options from the caller's environment could print "Picked up ..." or invalidate the start-up
# cache, so they are dropped.
unset JAVA_TOOL_OPTIONS JDK_JAVA_OPTIONS _JAVA_OPTIONS CLASSPATH
# The JVM decodes file names and the environment with its locale's charset, and runtimes exec
# plugins with a minimal environment (no LANG): ASCII, in which a non-ASCII CNI_NETNS or data
# directory cannot even be named (-Dsun.jnu.encoding does not change that; the locale does).
# So the JVM runs in C.UTF-8 whatever the caller's locale, and the caller's LC_ALL is kept in
# JCNI_CALLER_LC_ALL ("set:<value>" or "unset"), from which the Java side (CallerEnvironment)
# restores it before a request sees the environment.
JCNI_CALLER_LC_ALL=\${LC_ALL+set:\$LC_ALL}
JCNI_CALLER_LC_ALL=\${JCNI_CALLER_LC_ALL:-unset}
LC_ALL=C.UTF-8
export JCNI_CALLER_LC_ALL LC_ALL
exec $java $flags $cache_flags -cp $classpath $main "\$@"
LAUNCHER
  chmod 0755 "$out.tmp"
  mv -f "$out.tmp" "$out"
  echo "package-bin: wrote $out (java $major${cache_flags:+, start-up cache $(basename "$cache")})"
}

for entry in $launchers; do
  case $entry in
    *=*) launcher_name=${entry%%=*} launcher_main=${entry#*=} ;;
    *) launcher_name=$entry launcher_main=$manifest_main ;;
  esac
  if [ -z "$launcher_name" ] || [ -z "$launcher_main" ]; then
    echo "package-bin: launcher \"$entry\": no main class (set jcni.launcher.main in the pom, or write NAME=MAIN_CLASS)" >&2
    exit 1
  fi
  if ! jar_has_class "$launcher_main"; then
    echo "package-bin: launcher $launcher_name: $jar has no class $launcher_main" >&2
    exit 1
  fi
  write_launcher "$launcher_name" "$launcher_main"
done

# Every bin/<plugin> gets the native launcher, compiled with the identity of the jars in bin/lib
# now: the module packaged last leaves the identity of the whole build (install-launchers.sh).
sh "$(dirname "$0")/install-launchers.sh" "$bin"
