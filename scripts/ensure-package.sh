#!/usr/bin/env bash
# Installs a Debian package the build needs, unless the file it provides is already there (a
# header for a system library, say). A fresh machine has no apt package lists, so a failed
# install refreshes them and tries once more; without root it asks sudo, and failing that says
# what to install.
# Usage: scripts/ensure-package.sh FILE PACKAGE
set -euo pipefail
[ -e "$1" ] && exit 0
export DEBIAN_FRONTEND=noninteractive
SUDO=""
[ "$(id -u)" -ne 0 ] && command -v sudo > /dev/null && SUDO="sudo"
if ! command -v apt-get > /dev/null; then
  echo "missing $1: install the package that provides it ($2 on Debian and Ubuntu)" >&2
  exit 1
fi
echo "installing $2 (for $1)" >&2
$SUDO apt-get install -y -qq "$2" > /dev/null 2>&1 || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "$2" > /dev/null; } || {
  echo "cannot install $2 (needed for $1); install it and run make again" >&2
  exit 1
}
