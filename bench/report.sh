#!/usr/bin/env bash
# bench/report.sh DB RULES [OUT_DIR]
#   The HTML report of a real tree, measured: analyses a copy of DB with
#   RULES, then times `lockaudit report --all -o` (best of 3), and opens the
#   page in headless Chromium (tests/browser/pages.js, which needs
#   scripts/setup.sh test's chromium and npm packages): load and draw
#   times, and that every finding's file:line:col is in the table (paging
#   through it), the filters, keys, guard map and lock-order graph work,
#   with no console error and nothing requested from outside the file.
#   The page and screenshots stay in OUT_DIR (default /tmp/lockaudit-report).
#   Xen staging: bench/report.sh /tmp/xen-boot.db rules/xen-pci.json
#   (the database's tree must be where it was scanned: the excerpts are read
#   from it, and an older schema is brought up to date by a scan first)
set -euo pipefail
[ $# -ge 2 ] || { echo "usage: $0 DB RULES [OUT_DIR]" >&2; exit 2; }
db=$1 rules=$2 out=${3:-/tmp/lockaudit-report}
here=$(cd "$(dirname "$0")/.." && pwd)
la=${LOCKAUDIT:-$here/build/lockaudit}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
cp "$db" "$work/db"   # the analysis rewrites its result tables: keep the input as it was
# a database of an older schema is brought up to date by a scan (every TU
# parsed again); on a current one the scan finds nothing changed
root=$(sqlite3 "$work/db" "SELECT value FROM meta WHERE key = 'root'")
/usr/bin/time -f '%e' -o "$work/t" "$la" scan -p "$root" --db "$work/db" -j 2 -q > "$work/scan.log" 2>&1 ||
	[ $? = 3 ] || { cat "$work/scan.log"; exit 1; }
echo "scan of $root (to the current schema, or nothing changed): $(cat "$work/t") s"
"$la" analyze --db "$work/db" --rules "$rules" 2> "$work/analyze.log" || { cat "$work/analyze.log"; exit 1; }
tail -1 "$work/analyze.log"
"$la" check --db "$work/db" --all > "$work/check.out" 2>/dev/null || [ $? = 2 ]
findings=$(grep -c '\[lockaudit-[a-z-]*\]$' "$work/check.out" || true)
best=""
for i in 1 2 3; do
	/usr/bin/time -f '%e %M' -o "$work/t" "$la" report --db "$work/db" --all -o "$out/report.html" 2> "$work/report.log"
	read -r secs kb < "$work/t"
	if [ -z "$best" ] || awk "BEGIN{exit !($secs < $best)}"; then best=$secs; best_kb=$kb; fi
done
size=$(stat -c %s "$out/report.html")
echo "lockaudit report --all: $findings findings; best of 3: $best s wall, peak RSS $((best_kb / 1024)) MB;" \
	"page $((size / 1024)) KB ($out/report.html)"
grep -v '^report: wrote' "$work/report.log" || true
CHROMIUM=${CHROMIUM:-$(command -v chromium || true)} \
	node "$here/tests/browser/pages.js" report "$out/report.html" "$findings" "$out" --all-pages
