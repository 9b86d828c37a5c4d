#!/usr/bin/env bash
# Refreshes the vendored axe-core used by the browser accessibility checks (tests only).
# Usage: scripts/update-axe.sh 4.14.1
set -euo pipefail
version="${1:?usage: $0 <axe-core version>}"
dest="$(cd "$(dirname "$0")/.." && pwd)/static_test/axe-core"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent "axe-core@${version}" >/dev/null && tar -xzf axe-core-*.tgz)
cp "$work/package/axe.min.js" "$work/package/LICENSE" "$dest/"
echo "axe-core ${version} copied to ${dest}; update the version in ${dest}/README.md and tests/e2e/axe.py"
