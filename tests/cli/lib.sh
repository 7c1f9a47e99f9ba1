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

# The start of a small C tree: a spinlock type and its primitives (C text
# on stdout, for a heredoc's first lines).
spinlock_decls() {
	printf '%s\n' 'typedef struct { int raw; } spinlock_t;' 'void _spin_lock(spinlock_t *l);' \
		'void _spin_unlock(spinlock_t *l);'
}

# one_tu_tree DIR FILE: DIR/compile_commands.json compiling DIR/FILE alone.
one_tu_tree() {
	printf '[{"directory": "%s", "file": "%s", "arguments": ["cc", "-c", "%s"]}]\n' "$1" "$2" "$2" \
		> "$1/compile_commands.json"
}

# guard_rules FILE STRUCT.FIELD...: rules with the _spin_lock primitives in
# which each field needs STRUCT.lock held; more JSON members may follow on
# stdin (`"ignore": [...]`).
guard_rules() {
	local out=$1 sep="" g="" extra
	shift
	for f in "$@"; do
		g="$g$sep{ \"field\": \"$f\", \"access\": { \"all\": [\"${f%%.*}.lock\"] } }"
		sep=", "
	done
	extra=$(cat)
	printf '{\n  "primitives": { "_spin_lock": { "acquire": 0, "mode": "exclusive" }, "_spin_unlock": { "release": 0 } },\n  "guards": [ %s ]%s\n}\n' \
		"$g" "${extra:+,
  $extra}" > "$out"
}

# sarif_validate FILE...: the SARIF multitool (npm @microsoft/sarif-multitool,
# installed by scripts/setup.sh test, which sets LOCKAUDIT_SARIF_MULTITOOL)
# must report no error on any of the files; its warnings are shown.
sarif_validate() {
	local tool=${LOCKAUDIT_SARIF_MULTITOOL:-$SRC/build/node/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool}
	if [ ! -x "$tool" ]; then
		fail "no SARIF multitool at $tool (scripts/setup.sh test installs it)"
		return
	fi
	"$tool" validate "$@" > "$T/sarif-validate.out" 2>&1
	local status=$?
	if [ $status != 0 ] || grep -Eq '(^|: )error [A-Z]+[0-9]+:' "$T/sarif-validate.out"; then
		echo "FAIL: sarif-multitool validate $* (exit $status):"
		sed 's/^/  | /' "$T/sarif-validate.out"
		failures=$((failures + 1))
	fi
	grep -E ': warning [A-Z]+[0-9]+:' "$T/sarif-validate.out" | sed 's/^/  sarif-multitool: /'
	return 0
}

# json_count FILE PATH: the length of the JSON array at PATH ($.findings)
# in FILE, read with SQLite's JSON functions.
json_count() {
	sqlite3 :memory: "SELECT json_array_length(CAST(readfile('$1') AS TEXT), '$2')"
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
	git() { command git -C "$R" -c user.name=t -c user.email=t@example.org -c commit.gpgsign=false \
		-c init.defaultBranch=master "$@"; }
	git init -q
}
