#!/usr/bin/env bash
# Issue 10, defect 2: the rules file is read once, so it may be a pipe
# (`--rules <(...)`): parsed and hashed from the same bytes.
. "$(dirname "$0")/lib.sh" "$@"

R=$SRC/rules/xen-pci.json
copy_example mx
run "$LA" scan -p "$T/mx" --db "$T/mx.db"
expect_rc 0 "scan of minixen"
cp "$T/mx.db" "$T/file.db"
run "$LA" analyze --db "$T/file.db" --rules "$R"
expect_rc 0 "analyze with the rules file"
want=$(sql "$T/file.db" "SELECT value FROM meta WHERE key = 'analysis_rules_hash'")
[ -n "$want" ] || fail "analyze recorded no rules hash"

cp "$T/mx.db" "$T/pipe.db"
run "$LA" analyze --db "$T/pipe.db" --rules <(cat "$R")
expect_rc 0 "analyze --rules <(cat R)"
got=$(sql "$T/pipe.db" "SELECT value FROM meta WHERE key = 'analysis_rules_hash'")
[ "$got" = "$want" ] || fail "analyze --rules <(cat R) recorded hash '$got', the file's is '$want'"
[ "$(sql "$T/pipe.db" "SELECT count(*) FROM finding")" = "$(sql "$T/file.db" "SELECT count(*) FROM finding")" ] ||
	fail "analyze --rules <(cat R) stored other findings than the file"

cp "$T/mx.db" "$T/check.db"
run "$LA" check --db "$T/check.db" --rules <(cat "$R")
[ "$rc" -eq 0 ] || [ "$rc" -eq 2 ] || fail "check --rules <(cat R): exit status $rc, expected 0 or 2"
expect_no_out err 'malformed' "check --rules <(cat R) reads valid JSON"
expect_out err '^check: [0-9]+ finding' "check --rules <(cat R) prints its findings"
run "$LA" check --db "$T/file.db" --rules "$R"
cp "$T/out" "$T/file.out"
run "$LA" check --db "$T/check.db" --rules <(cat "$R")
cmp -s "$T/out" "$T/file.out" || fail "check --rules <(cat R) prints other findings than the file"

run "$LA" guards pci_dev.vpci --db "$T/mx.db" --rules <(cat "$R")
expect_rc 0 "guards --rules <(cat R)"
expect_out out '^pci_dev\.vpci: ' "guards --rules <(cat R) answers"

finish
