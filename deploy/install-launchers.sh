#!/bin/sh
# Installs the native launcher (launcher/jcni-launch.c) as bin/<plugin> for every plugin whose JVM
# launcher script is bin/lib/jvm/<plugin>, compiled with this build's identity.
#   install-launchers.sh BIN_DIR
# Called by deploy/package-bin.sh at the end of every module's package phase, after that module
# put its jars into bin/lib: the build identity is a hash of every jar there, so the module that
# packages last compiles the launchers with the identity of the complete build (earlier modules
# install launchers too, so that bin/<plugin> always works; their identity is superseded).
#
# Build identity (docs/daemon-protocol.md, which jcnid computes the same way at its start): the
# SHA-256 of the bytes of the regular files named *.jar directly in bin/lib (symbolic links
# followed), concatenated in the byte order of their names, its first 16 lowercase hex digits.
#
# Linking: static when the C library can be linked statically (libc6-dev ships libc.a): it starts
# about 0.2 ms faster (docs/benchmarks.md, "launcher"); dynamic otherwise. CC picks the compiler
# (default cc). The binary is compiled once per source, flags and identity: bin/lib/launcher/
# keeps the last one.
#
# Each bin/<plugin> is a copy, not a link (the launcher takes the plugin's name from
# /proc/self/exe), written aside and renamed over the old one, so a runtime exec'ing it meanwhile
# gets the old or the new file, never half of one.
set -eu

bin=$1
here=$(cd "$(dirname "$0")" && pwd)
source=$here/../launcher/jcni-launch.c
lib=$bin/lib
jvm=$lib/jvm
[ -d "$jvm" ] || exit 0
set -- "$jvm"/*
[ -e "$1" ] || exit 0

# --- the build identity -------------------------------------------------------------------------
LC_ALL=C
export LC_ALL
found=""
for jar in "$lib"/*.jar; do
  if [ -f "$jar" ]; then found=yes; fi
done
[ -n "$found" ] || { echo "install-launchers: no jars in $lib" >&2; exit 1; }
identity=$(for jar in "$lib"/*.jar; do [ ! -f "$jar" ] || cat "$jar"; done | sha256sum | cut -c1-16)

# --- the compiled launcher ------------------------------------------------------------------------
cc=${CC:-cc}
if ! command -v "$cc" >/dev/null 2>&1; then
  echo "install-launchers: no C compiler ($cc): install gcc and libc6-dev (deploy/install-deps.sh)" >&2
  exit 1
fi
cflags="-O2 -Wall -Wextra -Werror -std=gnu11"
key=$( { cat "$source"; echo "$cc $cflags $identity"; "$cc" --version 2>/dev/null | head -n 1; } | sha256sum | cut -c1-16)
cache=$lib/launcher
compiled=$cache/jcni-launch-$key
if [ ! -x "$compiled" ]; then
  mkdir -p "$cache"
  rm -f "$cache"/jcni-launch-*
  link=static
  if ! "$cc" $cflags -static -DJCNI_BUILD="\"$identity\"" -o "$compiled.tmp" "$source" 2>"$cache/static.log"; then
    # No static C library (or another link failure): the dynamic build; a compile error fails
    # both, and then both messages are shown.
    link=dynamic
    if ! "$cc" $cflags -DJCNI_BUILD="\"$identity\"" -o "$compiled.tmp" "$source"; then
      echo "install-launchers: the static build said:" >&2
      cat "$cache/static.log" >&2
      exit 1
    fi
  fi
  rm -f "$cache/static.log"
  mv "$compiled.tmp" "$compiled"
  echo "install-launchers: compiled the launcher ($link, build $identity)"
fi

# --- bin/<plugin> -----------------------------------------------------------------------------------
for script in "$jvm"/*; do
  name=$(basename "$script")
  out=$bin/$name
  if [ -f "$out" ] && [ ! -L "$out" ] && cmp -s "$compiled" "$out"; then
    continue
  fi
  cp "$compiled" "$out.tmp.$$"
  chmod 0755 "$out.tmp.$$"
  mv -f "$out.tmp.$$" "$out"
done
echo "install-launchers: bin/ plugins $(cd "$jvm" && echo *) are native launchers (build $identity)"
