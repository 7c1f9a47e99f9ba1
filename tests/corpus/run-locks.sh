#!/usr/bin/env bash
# tests/corpus/run-locks.sh [--update] [FILE...]
#   Scans tests/corpus/locks/*.c into one database, runs the lock analysis with
#   rules/xen-pci.json, and compares `lockaudit held --file F` with the block
#   between check-held-start and check-held-end at the end of each file.
#   --update rewrites the blocks from the current analysis (review the diff:
#   the blocks are the oracle).
set -uo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
la=${LOCKAUDIT_BIN:-$here/build/lockaudit}
update=0
[ "${1:-}" = --update ] && { update=1; shift; }
dir="$here/tests/corpus/locks"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

files=("$dir"/*.c)
. "$here/tests/corpus/lib.sh"
corpus_analyse "$la" "$dir" "$work" "$here/rules/xen-pci.json" || exit 1

expected_of() {  # the lines of the check-held block, without " * "
	awk '/^ \* check-held-end$/ { on = 0 } on { sub(/^ \* ?/, ""); print } /^ \* check-held-start$/ { on = 1 }' "$1"
}

pass=0 fail=0
for f in ${@:-${files[@]}}; do
	case "$f" in /*) ;; *) f="$dir/$(basename "$f")" ;; esac
	got=$("$la" held --file "$f" --db "$work/db" 2>&1)
	# and what was inferred about the file's functions (wrappers, preconditions)
	sums=$(sqlite3 -separator ' ' "$work/db" "SELECT f.name, s.kind, coalesce(s.lock, ''),
		coalesce(s.mode, ''), coalesce(s.cond, '') FROM func_summary s JOIN func f ON f.id = s.func_id
		JOIN file fl ON fl.id = f.file_id WHERE fl.path = '$f' ORDER BY f.line, s.kind, s.lock" |
		sed 's/ *$//; s/^/summary /')
	[ -n "$sums" ] && got=$(printf '%s\n%s' "$got" "$sums")
	if [ $update = 1 ]; then
		body=$(awk '/^ \* check-held-start$/ { exit }
			    { l[n++] = $0 }
			    END { while (n > 0 && (l[n-1] == "/*" || l[n-1] == "")) n--
				  for (i = 0; i < n; i++) print l[i] }' "$f")
		{ printf '%s\n\n/*\n * check-held-start\n' "$body"
		  printf '%s\n' "$got" | sed 's/^/ * /; s/ *$//'
		  printf ' * check-held-end\n */\n'; } > "$f.new" && mv "$f.new" "$f"
		continue
	fi
	want=$(expected_of "$f")
	if [ -z "$want" ]; then
		echo "FAIL $(basename "$f"): no check-held block"
		fail=$((fail + 1))
	elif [ "$got" = "$want" ]; then
		pass=$((pass + 1))
	else
		echo "FAIL $(basename "$f"):"
		diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | sed 's/^/    /'
		fail=$((fail + 1))
	fi
done
[ $update = 1 ] && exit 0
echo "corpus: $pass passed, $fail failed"
[ $fail = 0 ]
