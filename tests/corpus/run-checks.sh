#!/usr/bin/env bash
# tests/corpus/run-checks.sh [--update] [FILE...]
#   Scans tests/corpus/checks/*.c into one database, analyses it with
#   rules/xen-pci.json, and compares the findings of `lockaudit check --all`
#   located in each file (each finding with its note lines) with the block
#   between check-findings-start and check-findings-end at the end of the
#   file. Paths in the block are relative to tests/corpus/checks/.
#
#   Each file is named after the check it is about (guard.c, order.c, ...).
#   Besides the block, a file fails when
#     - it has no check-findings block,
#     - a warn_* function of it has no finding of that check,
#     - a good_* function of it has a finding of any check.
#   known_fp_* and known_miss_* functions record what lockaudit gets wrong
#   today (a false positive, a missed bug; the comment at each says which):
#   only the block holds them to their current output, so that a fix shows
#   up as a diff and the function is then renamed good_ or warn_.
#   --update rewrites the blocks from the current analysis (review the diff:
#   the blocks are the oracle); the warn_/good_ rules are still reported.
#   CORPUS_DIR, CORPUS_RULES and CORPUS_DEFINE run another corpus the same
#   way: tests/corpus/linux with its rules.json, compiled with -D__KERNEL__.
set -uo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd -P)
la=${LOCKAUDIT_BIN:-$here/build/lockaudit}
update=0
[ "${1:-}" = --update ] && { update=1; shift; }
dir=${CORPUS_DIR:-$here/tests/corpus/checks}
rules=${CORPUS_RULES:-$here/rules/xen-pci.json}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

files=("$dir"/*.c)
. "$here/tests/corpus/lib.sh"
corpus_analyse "$la" "$dir" "$work" "$rules" "${CORPUS_DEFINE:-__XEN__}" || exit 1
"$la" check --db "$work/db" --all > "$work/check.out" 2> "$work/check.err"
rc=$?
# 0: no findings, 2: findings; anything else is a tool error
if [ $rc != 0 ] && [ $rc != 2 ]; then
	echo "lockaudit check failed (exit $rc):"
	cat "$work/check.err"
	exit 1
fi
known_checks=$("$la" check --list | awk '{ print $1 }')

# Paths are printed relative to the scanned tree's root (the directory of
# compile_commands.json) when under it, else as they are. `shown` is the
# prefix the corpus directory gets; the blocks have it stripped.
root=$(sqlite3 "$work/db" "SELECT value FROM meta WHERE key = 'root'")
case "$dir/" in
"$root"/*) shown="${dir#"$root"/}/" ;;
*) shown="$dir/" ;;
esac
sq() { printf '%s' "$1" | sed "s/'/''/g"; }

# One record per finding: its line (ending in [lockaudit-ID]) and the note
# lines that follow it, joined by \001 so that a record is one line.
records=$(awk -v p="$shown" '
	{ out = ""; rest = $0   # drop every occurrence of the prefix
	  while ((i = index(rest, p)) > 0) { out = out substr(rest, 1, i - 1); rest = substr(rest, i + length(p)) }
	  $0 = out rest }
	/ \[lockaudit-[a-z-]+\]$/ { if (rec != "") print rec; rec = $0; next }
	{ rec = rec "\001" $0 }
	END { if (rec != "") print rec }' "$work/check.out")

expected_of() {  # the lines of the check-findings block, without " * "
	awk '/^ \* check-findings-end$/ { on = 0 } on { sub(/^ \* ?/, ""); print } /^ \* check-findings-start$/ { on = 1 }' "$1"
}
has_block() {
	grep -q '^ \* check-findings-start$' "$1" && grep -q '^ \* check-findings-end$' "$1"
}

pass=0 fail=0
for f in ${@:-${files[@]}}; do
	case "$f" in /*) ;; *) f="$dir/$(basename "$f")" ;; esac
	base=$(basename "$f")
	check=${base%.c}
	problems=()
	printf '%s\n' "$known_checks" | grep -qx -- "$check" ||
		problems+=("no check is called \"$check\" (lockaudit check --list)")

	got=$(printf '%s\n' "$records" | awk -v b="$base:" 'index($0, b) == 1' | tr '\001' '\n')

	# warn_* must have a finding of the file's check, good_* none at all
	fnames=$(sqlite3 "$work/db" "SELECT DISTINCT f.name FROM func f JOIN file fl ON fl.id = f.file_id
		WHERE fl.path = '$(sq "$f")' AND (f.name LIKE 'warn\_%' ESCAPE '\' OR f.name LIKE 'good\_%' ESCAPE '\')
		ORDER BY f.line")
	nwarn=0 ngood=0
	for fn in $fnames; do
		case "$fn" in
		warn_*)
			nwarn=$((nwarn + 1))
			n=$(sqlite3 "$work/db" "SELECT count(*) FROM finding WHERE ignored IS NULL AND func = '$fn'
				AND check_id = '$(sq "$check")' AND file = '$(sq "$shown$base")'")
			[ "$n" = 0 ] && problems+=("$fn() has no $check finding")
			;;
		good_*)
			ngood=$((ngood + 1))
			bad=$(sqlite3 -separator ' ' "$work/db" "SELECT check_id, line FROM finding WHERE ignored IS NULL
				AND func = '$fn' AND file = '$(sq "$shown$base")' ORDER BY line" | awk '{ printf "%s%s at line %s", sep, $1, $2; sep = ", " }')
			[ -n "$bad" ] && problems+=("$fn() has findings: $bad")
			;;
		esac
	done
	[ $((nwarn + ngood)) = 0 ] && problems+=("no good_* or warn_* function")
	# one program: a global function defined in two files is analysed once
	dups=$(sqlite3 "$work/db" "SELECT DISTINCT f.name FROM func f JOIN file fl ON fl.id = f.file_id
		WHERE fl.path = '$(sq "$f")' AND f.name IN (SELECT f2.name FROM func f2 JOIN file fl2 ON fl2.id = f2.file_id
		WHERE fl2.path LIKE '%.c' GROUP BY f2.name HAVING count(DISTINCT f2.file_id) > 1)" | tr '\n' ' ')
	[ -n "$dups" ] && problems+=("also defined in another corpus file (rename): $dups")

	if [ $update = 1 ]; then
		body=$(awk '/^ \* check-findings-start$/ { exit }
			    { l[n++] = $0 }
			    END { while (n > 0 && (l[n-1] == "/*" || l[n-1] == "")) n--
				  for (i = 0; i < n; i++) print l[i] }' "$f")
		{ printf '%s\n\n/*\n * check-findings-start\n' "$body"
		  [ -n "$got" ] && printf '%s\n' "$got" | sed 's/^/ * /; s/ *$//'
		  printf ' * check-findings-end\n */\n'; } > "$f.new" && mv "$f.new" "$f"
		for p in "${problems[@]}"; do echo "NOTE $base: $p"; done
		continue
	fi

	if ! has_block "$f"; then
		problems+=("no check-findings block")
	else
		want=$(expected_of "$f")
		if [ "$got" != "$want" ]; then
			problems+=("findings differ from the check-findings block (-expected +got):")
			problems+=("$(diff <(printf '%s\n' "$want") <(printf '%s\n' "$got") | sed 's/^/    /')")
		fi
	fi
	if [ ${#problems[@]} = 0 ]; then
		echo "PASS $base ($nwarn warn_, $ngood good_)"
		pass=$((pass + 1))
	else
		echo "FAIL $base:"
		for p in "${problems[@]}"; do printf '  %s\n' "$p"; done
		fail=$((fail + 1))
	fi
done
[ $update = 1 ] && exit 0
echo "corpus checks: $pass passed, $fail failed"
[ $fail = 0 ]
