#!/usr/bin/env bash
# The whole test suite: installs what is missing, checks that GCC builds everything with
# -Wall -Wextra -Werror, then builds with clang under AddressSanitizer and
# UndefinedBehaviorSanitizer (plus the libFuzzer targets) and runs every test through CTest:
# unit tests, the end-to-end test with the real programs, and each fuzz target for a fixed
# short time; then builds the Debian packages, runs lintian on them and the programs from
# them (scripts/packages.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/deps.sh test
jobs=$(nproc)
echo "== GCC build (-Wall -Wextra -Werror)"
cmake -S . -B build-gcc -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSAMLA_TESTS=ON > /dev/null
cmake --build build-gcc -j "$jobs" > /dev/null
echo "== clang build with ASan, UBSan and libFuzzer"
CC=clang cmake -S . -B build-test -DCMAKE_BUILD_TYPE=Debug -DSAMLA_SANITIZE=ON \
  -DSAMLA_TESTS=ON -DSAMLA_FUZZ=ON -DSAMLA_FUZZ_SECONDS="${SAMLA_FUZZ_SECONDS:-20}" > /dev/null
cmake --build build-test -j "$jobs" > /dev/null
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
cd build-test
ctest --output-on-failure --timeout 600 -j 2
cd "$root"
echo "== Debian packages (dpkg-buildpackage, lintian, the programs from the packages)"
bash scripts/packages.sh "$root/build-test/deb"
