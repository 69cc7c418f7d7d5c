#!/bin/sh
# Placeholder (branch runtime) for the real bin/ packaging script on main: writes bin/<name>
# as `exec java -cp <classpath> <main>`. Args: name main-class jar classpath-file bin-dir.
set -eu
name=$1 main=$2 jar=$3 cpfile=$4 bin=$5
mkdir -p "$bin/lib"
cp "$jar" "$bin/lib/"
cp=$(cat "$cpfile" 2>/dev/null || true)
cat > "$bin/$name" <<LAUNCHER
#!/bin/sh
LIB="\$(dirname "\$(readlink -f "\$0")")/lib"
exec java -cp "\$LIB/$(basename "$jar")${cp:+:}$(printf '%s' "$cp" | sed 's#@LIB@#$LIB#g')" $main "\$@"
LAUNCHER
chmod 755 "$bin/$name"
