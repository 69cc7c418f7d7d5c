#!/bin/sh
# The README's first command: on a fresh machine (as root), installs the system packages,
# builds the executables into bin/, and runs the end-to-end demo (bin/cnictl demo).
set -eu
cd "$(dirname "$0")/.."
sh deploy/install-deps.sh
mvn -B -q -DskipTests package
exec bin/cnictl demo
