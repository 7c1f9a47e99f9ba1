#!/usr/bin/env bash
# Issue 10, defect 1: a JSON file is one document and nothing after it but
# whitespace. Trailing data in a rules file or a compile database is an
# error naming the file and the line, and a rejected compile database
# prunes nothing.
. "$(dirname "$0")/lib.sh" "$@"

R=$SRC/rules/xen-pci.json
rlines=$(wc -l <"$R")
copy_example mx
run "$LA" scan -p "$T/mx" --db "$T/mx.db"
expect_rc 0 "scan of minixen"

# --- rules file ---
{ cat "$R"; echo xyz; } >"$T/garbage.json"
run "$LA" analyze --db "$T/mx.db" --rules "$T/garbage.json"
expect_rc 1 "rules with trailing garbage"
expect_out err "garbage\.json:$((rlines + 1)): trailing data after the JSON document" \
	"the error names the rules file and the line of the trailing data"
{ cat "$R"; echo '{}'; } >"$T/two.json"
run "$LA" analyze --db "$T/mx.db" --rules "$T/two.json"
expect_rc 1 "rules with a second JSON document"
expect_out err "two\.json:$((rlines + 1)): trailing data" "the second document is named"
printf '{}\0xyz' >"$T/nul.json"
run "$LA" check --list --rules "$T/nul.json"
expect_rc 1 "rules with a NUL byte and data after the document"
expect_out err 'nul\.json:1: trailing data' "the NUL byte is trailing data"
run "$LA" scan -p "$T/mx" --db "$T/mx.db" --rules "$T/two.json"
expect_rc 1 "scan --rules with a second JSON document"
expect_out err "two\.json:$((rlines + 1)): trailing data" "scan names the rules file"
{ cat "$R"; printf '\n \t\r\n'; } >"$T/ws.json"
run "$LA" analyze --db "$T/mx.db" --rules "$T/ws.json"
expect_rc 0 "rules followed by whitespace only"

# --- compile database: two arrays back to back ---
tus=$(sql "$T/mx.db" "SELECT count(*) FROM tu")
accesses=$(sql "$T/mx.db" "SELECT count(*) FROM access")
[ "$tus" -eq 9 ] || fail "minixen has $tus TUs stored, expected 9"
cdb=$T/mx/compile_commands.json
cp "$cdb" "$T/cdb.orig"
{ echo '['; sed -n 2,4p "$T/cdb.orig" | sed '$ s/,$//'; echo ']'
  echo '['; sed -n 5,10p "$T/cdb.orig"; echo ']'; } >"$cdb"
run "$LA" scan -p "$T/mx" --db "$T/mx.db"
expect_rc 1 "scan of two arrays back to back"
expect_out err "compile_commands\.json:6: trailing data after the JSON document" \
	"the error names the compile database and the line of the second array"
[ "$(sql "$T/mx.db" "SELECT count(*) FROM tu")" -eq "$tus" ] || fail "a rejected compile database pruned TUs"
[ "$(sql "$T/mx.db" "SELECT count(*) FROM access")" -eq "$accesses" ] || fail "a rejected compile database lost accesses"
run "$LA" tu-args -p "$T/mx"
expect_rc 1 "tu-args on two arrays back to back"

finish
