#!/usr/bin/env bash
# Issue 10, defect 5: an empty path option (`--db ""`) is a usage error that
# names the option; nothing is scanned or written.
. "$(dirname "$0")/lib.sh" "$@"

R=$SRC/rules/xen-pci.json
copy_example mx
mkdir "$T/cwd"
LA=$(cd "$(dirname "$LA")" && pwd)/$(basename "$LA")   # absolute: the test runs in $T/cwd
cd "$T/cwd" || exit 2

empty_rejected() {   # empty_rejected OPTION COMMAND...
	local opt=$1
	shift
	run "$LA" "$@"
	expect_rc 1 "$*"
	expect_out err "^lockaudit [a-z-]+: $opt takes a path, not an empty string" "$* names $opt"
	expect_no_out err '^scan: ' "$* scans nothing"
}

empty_rejected --db scan -p "$T/mx" --db ""
empty_rejected --db scan -p "$T/mx" --db=
empty_rejected -p scan -p "" --db "$T/x.db"
empty_rejected --rules scan -p "$T/mx" --db "$T/x.db" --rules ""
[ -z "$(ls -A "$T/cwd")" ] || fail "a rejected scan wrote $(ls -A "$T/cwd")"
[ ! -e "$T/x.db" ] || fail "a rejected scan created the database"

run "$LA" scan -p "$T/mx" --db "$T/mx.db"
expect_rc 0 "scan of minixen"
empty_rejected --db analyze --db "" --rules "$R"
empty_rejected --rules analyze --db "$T/mx.db" --rules ""
empty_rejected --db rules-check --db "" --rules "$R"
empty_rejected --rules rules-check --db "$T/mx.db" --rules ""
empty_rejected --db check --db ""
empty_rejected --rules check --db "$T/mx.db" --rules ""
empty_rejected --db accesses pci_dev --db ""
empty_rejected --db calls vpci_read --db ""
empty_rejected --db guards pci_dev.vpci --db ""
empty_rejected --rules guards pci_dev.vpci --db "$T/mx.db" --rules ""
empty_rejected --db held drivers/vpci.c:113 --db ""
empty_rejected --file held --file "" --db "$T/mx.db"
empty_rejected --db ir vpci_read --db ""
empty_rejected --file ir --file ""
empty_rejected -p tu-args -p ""
[ -z "$(ls -A "$T/cwd")" ] || fail "a rejected command wrote $(ls -A "$T/cwd")"

finish
