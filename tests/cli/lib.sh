# Sourced by the CLI tests (tests/cli/*.sh). Usage in a test:
#   . "$(dirname "$0")/lib.sh" "$@"
# The lockaudit binary is the first argument or $LOCKAUDIT_BIN; the source
# tree is $LOCKAUDIT_SRC (default: two levels up). Each test works in its own
# temporary directory $T, removed at exit.

LA=${1:-${LOCKAUDIT_BIN:-}}
if [ -z "$LA" ] || [ ! -x "$LA" ]; then
	echo "FAIL: no lockaudit binary: pass it as the first argument or set LOCKAUDIT_BIN" >&2
	exit 2
fi
SRC=${LOCKAUDIT_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
T=$(mktemp -d "${TMPDIR:-/tmp}/lockaudit-cli.XXXXXX")
# lockaudit's workers put their output files under $TMPDIR: keep them in $T
export TMPDIR=$T
cleanup_pids=()
cleanup() {
	for p in "${cleanup_pids[@]}"; do
		kill -9 "$p" 2>/dev/null
	done
	rm -rf "$T"
}
trap cleanup EXIT

failures=0
test_name=$(basename "$0" .sh)

# Show what the last command printed (for a failed check).
show_output() {
	echo "  --- stdout of: ${last_cmd:-?}"
	head -n 40 "$T/out" | sed 's/^/  | /'
	echo "  --- stderr"
	head -n 40 "$T/err" | sed 's/^/  | /'
}

fail() {
	echo "FAIL: $*"
	show_output
	failures=$((failures + 1))
}

# run CMD...: stdout in $T/out, stderr in $T/err, exit status in $rc.
run() {
	last_cmd="$*"
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
}

expect_rc() {   # expect_rc WANT WHAT
	[ "$rc" -eq "$1" ] || fail "$2: exit status $rc, expected $1"
}

# expect_out out|err EXTENDED-REGEX WHAT
expect_out() {
	grep -Eq -- "$2" "$T/$1" || fail "$3: std$1 has no line matching /$2/"
}

expect_no_out() {
	! grep -Eq -- "$2" "$T/$1" || fail "$3: std$1 has a line matching /$2/"
}

# A fresh copy of the bundled example in $T/NAME.
copy_example() {
	cp -r "$SRC/examples/minixen" "$T/$1"
}

# sql DB QUERY: one value out of the database.
sql() {
	sqlite3 -cmd ".timeout 5000" "$1" "$2"
}

finish() {
	if [ "$failures" -eq 0 ]; then
		echo "PASS: $test_name"
		exit 0
	fi
	echo "$test_name: $failures check(s) failed"
	exit 1
}

# A git repository for a test in $R (under $T), and git() working in it
# with a fixed identity; skips the test without git.
test_repo() {
	command -v git >/dev/null || { echo "SKIP: no git"; exit 0; }
	R=$T/repo
	mkdir -p "$R"
	git() { command git -C "$R" -c user.name=t -c user.email=t@example.org -c commit.gpgsign=false "$@"; }
	git init -q
}
