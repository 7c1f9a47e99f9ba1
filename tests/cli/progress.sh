#!/usr/bin/env bash
# Progress on a terminal: scan (and audit, per revision) redraw a line on
# stderr with TUs done of total, failures so far and the time left; nothing
# of it when stderr is no terminal or with --quiet. `script` gives the
# command a terminal.
. "$(dirname "$0")/lib.sh" "$@"

command -v script >/dev/null || { echo "FAIL: no script(1) (util-linux) to give lockaudit a terminal"; exit 1; }
# on_tty FILE CMD...: run CMD with a terminal as stdin, stdout and stderr;
# what it printed in FILE, exit status in $rc
on_tty() {
	local out=$1
	shift
	local cmd
	printf -v cmd '%q ' "$@"
	script -qec "$cmd" /dev/null > "$out" 2>&1 < /dev/null
	rc=$?
}

copy_example mx
on_tty "$T/tty.out" "$LA" scan -p "$T/mx" --db "$T/mx.db" -j 2
[ "$rc" = 0 ] || fail "scan on a terminal: exit $rc"
grep -q $'\r\033\[Kscan: 0/9 TUs, 0 failed' "$T/tty.out" || fail "no progress line at the start"
grep -q $'\r\033\[Kscan: 9/9 TUs, 0 failed, [0-9]*:[0-9][0-9]' "$T/tty.out" || fail "no progress line at the end"
grep -q $'\r\033\[Kscan: 9 TUs: 9 ok' "$T/tty.out" || fail "the summary erases the progress line"

# a failing TU: its line is printed above the progress line, which counts it
LOCKAUDIT_TEST_WORKER=crash:common/pci.c on_tty "$T/fail.out" "$LA" scan -p "$T/mx" --db "$T/mx.db" -j 1 --full
[ "$rc" = 3 ] || fail "scan with a crashing worker: exit $rc"
grep -q $'\r\033\[Klockaudit: .*pci.c: TU failed' "$T/fail.out" || fail "the failure line erases the progress line"
grep -q $'\r\033\[Kscan: 9/9 TUs, 1 failed' "$T/fail.out" || fail "the failure is counted"

on_tty "$T/quiet.out" "$LA" scan -p "$T/mx" --db "$T/mx.db" --full -q
[ "$rc" = 0 ] || fail "scan -q: exit $rc"
[ -s "$T/quiet.out" ] && { fail "scan -q printed something:"; cat -v "$T/quiet.out"; }

run "$LA" scan -p "$T/mx" --db "$T/mx.db" --full
expect_rc 0 "scan without a terminal"
grep -q $'\r' "$T/err" && fail "no terminal: no progress line"
expect_out err '^scan: 9 TUs: 9 ok' "no terminal: the summary"

# audit: one line per revision
if command -v git >/dev/null; then
	R=$T/repo
	mkdir -p "$R"
	git() { command git -C "$R" -c user.name=t -c user.email=t@example.org -c commit.gpgsign=false "$@"; }
	git init -q
	{ spinlock_decls; printf '%s\n' 'struct obj { spinlock_t lock; int n; };' \
		'void get(struct obj *o) { _spin_lock(&o->lock); o->n++; _spin_unlock(&o->lock); }'; } > "$R/a.c"
	one_tu_tree "$R" a.c
	guard_rules "$T/rules.json" obj.n </dev/null
	git add a.c
	git commit -qm one
	echo 'void put(struct obj *o) { o->n = 0; }' >> "$R/a.c"
	git commit -qam two
	on_tty "$T/audit.out" "$LA" audit --rules "$T/rules.json" -p "$R" --cache "$T/cache" HEAD~1..HEAD
	[ "$rc" = 2 ] || fail "audit on a terminal: exit $rc (a new finding expected)"
	grep -q $'\r\033\[Kaudit base [0-9a-f]\{12\}: 0/1 TUs' "$T/audit.out" || fail "audit: no progress line for the base"
	grep -q $'\r\033\[Kaudit \[1/1\] [0-9a-f]\{12\}: 1/1 TUs, 0 failed' "$T/audit.out" ||
		fail "audit: no progress line for the commit"
	on_tty "$T/audit-q.out" "$LA" audit -q --rules "$T/rules.json" -p "$R" --cache "$T/cache2" HEAD~1..HEAD
	grep -q $'\033\[K' "$T/audit-q.out" && fail "audit -q: a progress line"
fi
finish
