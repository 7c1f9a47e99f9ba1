#!/usr/bin/env bash
# Issue 10, defect 11: a compile database that would throw the stored facts
# away is refused: no entries, no C entry, an entry with an empty "file",
# or one that leaves out more than half of the stored TUs (unless --prune).
# A refused scan changes nothing.
. "$(dirname "$0")/lib.sh" "$@"

copy_example mx
cdb=$T/mx/compile_commands.json
cp "$cdb" "$T/cdb.orig"
run "$LA" scan -p "$T/mx" --db "$T/mx.db"
expect_rc 0 "scan of minixen"
tus=$(sql "$T/mx.db" "SELECT count(*) FROM tu")
accesses=$(sql "$T/mx.db" "SELECT count(*) FROM access")
[ "$tus" -eq 9 ] || fail "minixen has $tus TUs stored, expected 9"

unchanged() {   # unchanged WHAT: the database still holds every fact
	[ "$(sql "$T/mx.db" "SELECT count(*) FROM tu")" -eq "$tus" ] || fail "$1 pruned TUs"
	[ "$(sql "$T/mx.db" "SELECT count(*) FROM access")" -eq "$accesses" ] || fail "$1 lost accesses"
}

# entries 1..N of the original (lines 2..N+1), as a JSON array
first_entries() {
	{ echo '['; sed -n "2,$(($1 + 1))p" "$T/cdb.orig" | sed '$ s/,$//'; echo ']'; } >"$cdb"
}

echo '[]' >"$cdb"
run "$LA" scan -p "$T/mx" --db "$T/mx.db"
expect_rc 1 "scan of []"
expect_out err "compile_commands\.json: no entries: nothing to scan" "scan of [] names the file"
unchanged "scan of []"

cat >"$cdb" <<'JSON'
[{"directory": ".", "file": "arch/head.S", "arguments": ["gcc", "-c", "arch/head.S"]},
 {"directory": ".", "file": "arch/entry.S", "command": "gcc -c arch/entry.S"}]
JSON
run "$LA" scan -p "$T/mx" --db "$T/mx.db"
expect_rc 1 "scan of assembly entries only"
expect_out err "compile_commands\.json: none of its 2 entries is a C file" "scan of assembly only names the file"
unchanged "scan of assembly entries only"

sed '4 s/"file": "[^"]*"/"file": ""/' "$T/cdb.orig" >"$cdb"
run "$LA" scan -p "$T/mx" --db "$T/mx.db"
expect_rc 1 "scan with an entry whose file is empty"
expect_out err 'compile_commands\.json: entry 2: "file" is empty' "the empty file's entry is named"
unchanged "scan with an empty file"

# leaving out 5 of the 9 TUs: more than half, refused without --prune
first_entries 4
run "$LA" scan -p "$T/mx" --db "$T/mx.db"
expect_rc 1 "scan pruning 5 of 9 TUs"
expect_out err 'compile_commands\.json leaves out 5 of the 9 TUs in the database: 5 would be pruned; nothing was changed\. Pass --prune' \
	"the refusal says how many and how to allow it"
unchanged "a refused prune"
# 4 of 9: allowed
first_entries 5
run "$LA" scan -p "$T/mx" --db "$T/mx.db"
expect_rc 0 "scan pruning 4 of 9 TUs"
expect_out err '\(removed ones pruned\)' "the summary says TUs were pruned"
[ "$(sql "$T/mx.db" "SELECT count(*) FROM tu")" -eq 5 ] || fail "5 TUs should be left"
# 3 of 5 with --prune
first_entries 2
run "$LA" scan -p "$T/mx" --db "$T/mx.db" --prune
expect_rc 0 "scan --prune pruning 3 of 5 TUs"
[ "$(sql "$T/mx.db" "SELECT count(*) FROM tu")" -eq 2 ] || fail "--prune: 2 TUs should be left"

run "$LA" scan --help
expect_out out '--prune' "scan --help documents --prune"

finish
