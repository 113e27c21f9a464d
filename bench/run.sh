#!/usr/bin/env bash
# Runs every benchmark on this machine and prints the figures (docs/performance.md says how
# to read them). Not part of the test suite. Usage: bench/run.sh [AGENTS PER_AGENT]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/deps.sh build
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DSAMLA_TESTS=OFF > /dev/null
cmake --build build-bench -j "$(nproc)" > /dev/null
b=build-bench
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "Samla benchmarks, $(date -u +%Y-%m-%d), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo
echo "3. Agent (SIE reader and samla-agent check)"
"$b/bench/bench_sie" 200000 "$work/big.se" | sed 's/^/   /'
"$b/bench/bench_net" "$b" agent "$work/big.se" 222000-0001 "samla-agent check, 200 000 rows"
"$b/bench/bench_net" "$b" agent examples/vast/vast-2025.se 222000-2030 \
  "samla-agent check, a typical month (Väst)"
"$b/bench/bench_net" "$b" ingest "${1:-800}" "${2:-10}"
"$b/bench/bench_net" "$b" history 300 10
