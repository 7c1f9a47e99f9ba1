#!/usr/bin/env bash
# docs/checks/examples/run.sh [FILE.c...]
#   Checks each example on its own, as docs/checks/*.md show it: a compile
#   database for FILE.c alone (compiled as hypervisor code: -D__XEN__), `lockaudit scan`, `analyze` with
#   rules/xen-pci.json (or $RULES, or CHECK.rules.json beside it for the check the
#   example is about), then `check --all` (plus $CHECK_ARGS).
#   Prints "== FILE.c", the findings (stdout and stderr) and the exit status.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
la=${LOCKAUDIT_BIN:-$top/build/lockaudit}
rules=${RULES:-$top/rules/xen-pci.json}
[ $# -gt 0 ] || set -- "$here"/*.c
for f in "$@"; do
	name=$(basename "$f")
	own=$here/${name%-*}.rules.json
	[ -z "${RULES:-}" ] && [ -f "$own" ] && rules=$own || rules=${RULES:-$top/rules/xen-pci.json}
	work=$(mktemp -d)
	cp "$here/locks.h" "$here/$name" "$work/"
	printf '[{"directory": "%s", "file": "%s/%s", "arguments": ["cc", "-std=gnu11", "-nostdinc", "-D__XEN__", "-c", "%s/%s"]}]\n' \
		"$work" "$work" "$name" "$work" "$name" > "$work/compile_commands.json"
	echo "== $name"
	if "$la" scan -p "$work" --db "$work/db" > "$work/log" 2>&1 &&
	   "$la" analyze --db "$work/db" --rules "$rules" > "$work/log" 2>&1; then
		# shellcheck disable=SC2086
		"$la" check --db "$work/db" --all ${CHECK_ARGS:-} 2> "$work/err"
		rc=$?
		cat "$work/err"
		echo "(exit $rc)"
	else
		cat "$work/log"
	fi
	rm -rf "$work"
done
