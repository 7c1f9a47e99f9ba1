#!/usr/bin/env bash
# tests/browser/run.sh LOCKAUDIT OUT_DIR
#   Makes the HTML report of the check corpus (tests/corpus/checks, --all)
#   and the audit page of a three-commit series (tests/cli/series.sh), and
#   opens both in headless Chromium through the pinned puppeteer-core of
#   package.json (pages.js): no console error, nothing requested but the
#   file, the table shows every finding, a filter narrows it, the arrow
#   keys step through traces and findings. The pages and screenshots stay
#   in OUT_DIR (a CI artifact: build/browser/).
#
#   scripts/setup.sh test installs Debian's chromium and runs `npm ci` here.
#   Skipped (exit 77) only when chromium is not installed outside CI; with
#   CI=true a missing browser fails.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd -P)
src=$(cd "$here/../.." && pwd -P)
la=${1:?usage: run.sh LOCKAUDIT OUT_DIR}
out=${2:?usage: run.sh LOCKAUDIT OUT_DIR}
chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [ -z "$chromium" ]; then
	if [ "${CI:-}" = true ]; then
		echo "FAIL: chromium is not installed, and CI must run the browser test (scripts/setup.sh test installs it)"
		exit 1
	fi
	echo "SKIP: chromium is not installed (scripts/setup.sh test installs Debian's chromium; it could not here)"
	exit 77
fi
command -v node >/dev/null || { echo "FAIL: no node to drive the browser (scripts/setup.sh test installs nodejs)"; exit 1; }
[ -f "$here/node_modules/puppeteer-core/package.json" ] ||
	{ echo "FAIL: the browser driver is not installed: run 'npm ci' in tests/browser (scripts/setup.sh test does)"; exit 1; }
mkdir -p "$out"
work=$(mktemp -d "${TMPDIR:-/tmp}/lockaudit-browser.XXXXXX")
trap 'rm -rf "$work"' EXIT
export TMPDIR=$work CHROMIUM=$chromium
status=0

. "$src/tests/corpus/lib.sh"
corpus_analyse "$la" "$src/tests/corpus/checks" "$work" "$src/rules/xen-pci.json" || exit 1
"$la" check --db "$work/db" --all > "$work/check.out" 2> "$work/check.err"
rc=$?
[ $rc = 0 ] || [ $rc = 2 ] || { echo "FAIL: lockaudit check (exit $rc)"; cat "$work/check.err"; exit 1; }
findings=$(grep -c '\[lockaudit-[a-z-]*\]$' "$work/check.out")
"$la" report --db "$work/db" --all -o "$out/report.html" || { echo "FAIL: lockaudit report"; exit 1; }
echo "== report of the check corpus: $findings findings ($out/report.html)"
node "$here/pages.js" report "$out/report.html" "$findings" "$out" || status=1

. "$src/tests/cli/series.sh"
make_series "$work/repo" "$work/rules.json"
"$la" audit --each-commit --rules "$work/rules.json" -p "$work/repo" --cache "$work/cache" -j 1 \
	--format html -o "$out/audit.html" master~3..master 2> "$work/audit.err"
rc=$?
[ $rc = 2 ] || { echo "FAIL: lockaudit audit: exit $rc, expected 2 (commit 2 adds a finding)"; cat "$work/audit.err"; exit 1; }
echo "== audit page of a three-commit series ($out/audit.html)"
node "$here/pages.js" audit "$out/audit.html" 3 1 "$out" || status=1
exit $status
