#!/usr/bin/env bash
# Installs the Debian package that provides a command the benchmarks need, unless the command
# is already there. A fresh machine has no apt package lists, so a failed install refreshes
# them and tries once more.
# Usage: scripts/ensure-command.sh COMMAND PACKAGE
set -euo pipefail
command -v "$1" > /dev/null && exit 0
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -qq "$2" > /dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "$2" > /dev/null; }
