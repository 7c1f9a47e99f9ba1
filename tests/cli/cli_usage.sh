#!/usr/bin/env bash
# The command line itself: help, version, usage errors, bad paths.
. "$(dirname "$0")/lib.sh" "$@"

run "$LA" --help
expect_rc 0 "--help"
for c in scan accesses calls; do
	expect_out out "^  $c +[a-z]" "--help lists the $c command"
done
[ ! -s "$T/err" ] || fail "--help writes to stderr"

run "$LA"
expect_rc 1 "no command"
expect_out err '^usage: lockaudit <command>' "no command prints the usage on stderr"

run "$LA" --version
expect_rc 0 "--version"
expect_out out '^lockaudit [0-9]+\.[0-9]+\.[0-9]+$' "--version prints a version"
if [ -n "${LOCKAUDIT_VERSION:-}" ]; then
	expect_out out "^lockaudit ${LOCKAUDIT_VERSION//./\\.}\$" "--version matches the project version"
fi

for c in scan accesses calls; do
	run "$LA" "$c" --help
	expect_rc 0 "$c --help"
	expect_out out "^usage: lockaudit $c" "$c --help prints its usage on stdout"
done
run "$LA" scan --help
expect_out out '--timeout SEC' "scan --help describes --timeout"
expect_out out '^Exit status:' "scan --help describes the exit status"

run "$LA" frobnicate
expect_rc 1 "unknown command"
expect_out err "'frobnicate' is not a command" "unknown command is named"

# --- usage errors: exit 1 with the usage ---
run "$LA" accesses
expect_rc 1 "accesses without argument"
expect_out err '^usage: lockaudit accesses' "accesses without argument prints its usage"
run "$LA" accesses a b
expect_rc 1 "accesses with two arguments"
run "$LA" calls
expect_rc 1 "calls without argument"
expect_out err '^usage: lockaudit calls' "calls without argument prints its usage"
run "$LA" scan --no-such-option
expect_rc 1 "scan with an unknown option"
expect_out err '^usage: lockaudit scan' "scan with an unknown option prints its usage"
run "$LA" scan -j 0
expect_rc 1 "scan -j 0"
expect_out err "-j takes a number from 1 to 1024, not '0'" "scan -j 0 says why"
run "$LA" scan --timeout soon
expect_rc 1 "scan --timeout soon"
expect_out err "--timeout takes seconds from 0 to 86400, not 'soon'" "scan --timeout soon says why"
run "$LA" accesses pci_dev.vpci --mode sideways
expect_rc 1 "accesses --mode sideways"
expect_out err "--mode is read, write or addr, not 'sideways'" "accesses --mode says what it takes"

# --- paths that do not exist ---
run "$LA" accesses x --db "$T/nonexistent/la.db"
expect_rc 1 "accesses on a missing database"
expect_out err "$T/nonexistent/la\.db" "the missing database is named"
expect_out err 'lockaudit scan' "the message says to scan first"
[ ! -e "$T/nonexistent" ] || fail "a query created $T/nonexistent"
run "$LA" calls f --db "$T/nonexistent.db"
expect_rc 1 "calls on a missing database"
expect_out err "$T/nonexistent\.db" "the missing database is named"
[ ! -e "$T/nonexistent.db" ] || fail "a query created $T/nonexistent.db"
run "$LA" scan -p "$T/no-tree" --db "$T/x.db"
expect_rc 1 "scan of a missing tree"
expect_out err "$T/no-tree" "the missing compile database is named"
[ ! -e "$T/x.db" ] || fail "a failed scan created the database"

# --- a tree without functions: an empty, queryable database ---
# (an empty compile database is an error: tests/cli/bad_compdb.sh)
mkdir "$T/empty"
: >"$T/empty/e.c"
echo '[{"directory": ".", "file": "e.c", "arguments": ["cc", "-c", "e.c"]}]' >"$T/empty/compile_commands.json"
run "$LA" scan -p "$T/empty" --db "$T/empty.db"
expect_rc 0 "scan of a tree without functions"
expect_out err ' 1 TUs: 1 ok.*stored 0 functions' "scan of a tree without functions stores none"
run "$LA" accesses pci_dev --db "$T/empty.db"
expect_rc 0 "accesses with no facts"
[ ! -s "$T/out" ] || fail "accesses with no facts prints rows"
expect_out err '^no access to pci_dev recorded' "accesses says nothing was found"
run "$LA" calls vpci_read --db "$T/empty.db"
expect_rc 1 "calls of an unknown function"
expect_out err "no function named 'vpci_read'" "calls names the unknown function"

# a file that is not a lockaudit database is refused, not overwritten
echo "not a database, just text that is long enough to be a page header" >"$T/notes.txt"
cp "$T/notes.txt" "$T/notes.orig"
run "$LA" accesses x --db "$T/notes.txt"
expect_rc 1 "accesses on a text file"
expect_out err "$T/notes\.txt" "the text file is named"
run "$LA" scan -p "$T/empty" --db "$T/notes.txt"
expect_rc 1 "scan into a text file"
cmp -s "$T/notes.txt" "$T/notes.orig" || fail "scan changed a file that is not a lockaudit database"

finish
