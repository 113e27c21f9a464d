#!/usr/bin/env bash
# Builds the Debian packages from the tracked files (in a copy, so the tree stays clean),
# runs lintian on them (any error fails), and checks what they hold by extracting them into
# a temporary root and running the programs and systemd-analyze from there.
# Usage: scripts/packages.sh [OUTDIR]   (the .deb files are left in OUTDIR, default dist/deb)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out=$(realpath -m "${1:-$root/dist/deb}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/samla" "$out"
# the tree as it is: tracked and new files that exist (not build trees or ignored files)
(cd "$root" && git ls-files -co --exclude-standard -z |
  while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done |
  tar --null -T - -cf -) | tar -xf - -C "$work/samla"
echo "== dpkg-buildpackage -b -us -uc"
(cd "$work/samla" && dpkg-buildpackage -b -us -uc > "$work/build.log" 2>&1) ||
  { tail -40 "$work/build.log"; exit 1; }
debs=("$work"/samla-{daemon,agent,client}_*.deb)
cp "${debs[@]}" "$out/"
echo "== lintian"
lintian --tag-display-limit 0 --fail-on error "${debs[@]}" 2>&1 | grep -v "root privileges" || true
lintian --fail-on error "${debs[@]}" > /dev/null 2>&1
echo "== the packages, extracted into a temporary root"
sysroot="$work/root"
for d in "${debs[@]}"; do dpkg-deb -x "$d" "$sysroot"; done
for f in usr/bin/samlad usr/bin/samla-agent usr/bin/samla usr/share/locale/sv/LC_MESSAGES/samla.mo \
         usr/share/locale/sv/LC_MESSAGES/samla-agent.mo usr/share/locale/sv/LC_MESSAGES/samlad.mo \
         lib/systemd/system/samlad.service lib/systemd/system/samla-agent-inbox.path \
         usr/lib/sysusers.d/samla-agent.conf usr/lib/sysusers.d/samla-daemon.conf \
         etc/samla/examples/samlad.conf usr/share/man/man1/samla-agent.1.gz; do
  [ -e "$sysroot/$f" ] || { echo "missing in the packages: $f"; exit 1; }
done
"$sysroot/usr/bin/samlad" --version
"$sysroot/usr/bin/samla" --version
"$sysroot/usr/bin/samla-agent" --version
# the agent from the packages reads an example month, as a förbund would check it
cat > "$work/agent.conf" <<CONF
orgnr = "222000-2030";
CONF
# (outputs into files: `grep -q` in a pipe would end the writer early, and pipefail with it)
"$sysroot/usr/bin/samla-agent" --config "$work/agent.conf" check --period 2025-06 \
  --sie "$root/examples/vast/vast-2025.se" > "$work/check.txt"
grep -q "RESULTATRÄKNING" "$work/check.txt"
# each package carries its own catalog: the agent's alone speaks Swedish
dpkg-deb -c "$work"/samla-agent_*.deb > "$work/agent.list"
grep -q "LC_MESSAGES/samla-agent.mo" "$work/agent.list"
echo "check from the packages: ok"
if command -v systemd-analyze > /dev/null; then
  units="$work/units"
  mkdir -p "$units"
  for u in "$sysroot"/lib/systemd/system/*; do
    sed "s|/usr/bin/|$sysroot/usr/bin/|g" "$u" > "$units/$(basename "$u")"
  done
  SYSTEMD_UNIT_PATH="$units:" systemd-analyze verify --man=no "$units"/* 2>&1 |
    grep -v "sysinit.target\|/bin/kill" && { echo "systemd-analyze verify complains"; exit 1; }
  echo "systemd-analyze verify: ok"
fi
ls -1 "$out"
