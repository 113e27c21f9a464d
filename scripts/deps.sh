#!/usr/bin/env bash
# Installs what Samla needs from Debian's packages, only where something is missing.
# Usage: scripts/deps.sh [build|test]   (test adds what the test suite needs)
set -euo pipefail
what=${1:-build}
pkgs=(build-essential cmake pkg-config libzmq3-dev libczmq-dev libprotobuf-c-dev
      protobuf-c-compiler libsqlite3-dev libconfig-dev libsodium-dev libjansson-dev
      libxlsxwriter-dev zlib1g-dev libglpk-dev gettext)
if [ "$what" = test ]; then
  pkgs+=(libcmocka-dev python3 python3-zmq python3-protobuf protobuf-compiler clang
        libclang-rt-14-dev chromium systemd python3-openpyxl debhelper lintian dpkg-dev)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "Installing from Debian's packages: ${missing[*]}"
sudo_cmd=()
[ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
