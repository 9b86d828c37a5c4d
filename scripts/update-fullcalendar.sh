#!/usr/bin/env bash
# Refreshes the vendored FullCalendar standard bundle (MIT; core, dayGrid, timeGrid, list; no
# premium plugins) used by the meeting-room calendar. Usage: scripts/update-fullcalendar.sh 6.1.22
set -euo pipefail
version="${1:?usage: $0 <fullcalendar version>}"
dest="$(cd "$(dirname "$0")/.." && pwd)/static/vendor/fullcalendar"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "fullcalendar@${version}" >/dev/null && tar -xzf fullcalendar-*.tgz)
cp "$work/package/index.global.min.js" "$work/package/LICENSE.md" "$dest/"
echo "FullCalendar ${version} copied to ${dest}"
