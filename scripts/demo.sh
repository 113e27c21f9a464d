#!/usr/bin/env bash
# The demo: installs what is missing, builds, makes keys in a temp dir, starts samlad, lets
# the four example förbund push every month of 2025, prints the comparison for December and
# stops the daemon. The two förbund taken from annual reports push 2024 first.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/deps.sh build
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSAMLA_TESTS=OFF > /dev/null
cmake --build build -j "$(nproc)" > /dev/null
bin=$root/build
work=$(mktemp -d)
daemon_pid=
cleanup() {
  if [ -n "$daemon_pid" ] && kill -0 "$daemon_pid" 2>/dev/null; then
    kill -TERM "$daemon_pid"; wait "$daemon_pid" || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
cp config/*.conf "$work/"
# The example configs use 5560/5561; if something else holds them, use free ones instead.
if ! port_free 5560 || ! port_free 5561; then
  for p in $(seq 25560 2 25700); do
    if port_free "$p" && port_free $((p + 1)); then
      sed -i "s/:5560\"/:$p\"/; s/:5561\"/:$((p + 1))\"/" "$work"/*.conf
      break
    fi
  done
fi
mkdir "$work/keys"
forbund=(vanersborg-mellerud vast trollhattan alvdalen)
for name in samlad analyst "${forbund[@]}"; do
  "$bin/agent/samla-agent" keygen "$work/keys/$name" > /dev/null
done
"$bin/daemon/samlad" --config "$work/samlad.conf" --check
"$bin/daemon/samlad" --config "$work/samlad.conf" 2> "$work/samlad.log" &
daemon_pid=$!
echo "samlad started (pid $daemon_pid, log $work/samlad.log)"
# push_year FÖRBUND YEAR: every month of the year, each acknowledged before the next.
push_year() {
  printf '%-26s' "$1 $2"
  for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
    "$bin/agent/samla-agent" --config "$work/agent-$1.conf" push --period "$2-$m" \
      --sie "examples/$1/$1-$2.se" --participants "examples/$1/deltagare-$2-$m.csv" > /dev/null
    printf ' %s' "$m"
  done
  echo "  pushed and acknowledged"
}
# Last year first where the example has it (the two förbund from the annual reports), so
# that every figure of 2025 has last year's beside it, as the reports print them.
for f in "${forbund[@]}"; do
  if [ -f "examples/$f/$f-2024.se" ]; then
    push_year "$f" 2024
  fi
done
for f in "${forbund[@]}"; do
  push_year "$f" 2025
done
echo
"$bin/analyst/samla" --config "$work/analyst.conf" compare --period 2025-12
