#!/usr/bin/env bash
# What a scan does when things go wrong: a worker crashes or hangs, the
# compile database is malformed or names a missing file, a TU does not
# compile, the scan itself is killed. Exit status 3 means "some TU failed,
# the others are stored"; 1 means the tool could not do its job.
. "$(dirname "$0")/lib.sh" "$@"

# The crash hook raises SIGSEGV in the worker; under AddressSanitizer the
# sanitizer's handler would turn that into an exit status.
crash_env=(env "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}handle_segv=0")

# --- (a) a worker crashes: that TU fails, the others are stored ---
copy_example a
run "${crash_env[@]}" LOCKAUDIT_TEST_WORKER=crash:drivers/vpci.c "$LA" scan -p "$T/a" --db "$T/a.db"
expect_rc 3 "(a) scan with a crashing worker"
expect_out err 'drivers/vpci\.c: TU failed .*worker crashed' "(a) the crash is reported for drivers/vpci.c"
expect_out err ' 8 ok, 1 failed, 0 skipped' "(a) the other 8 TUs are stored"
status=$(sql "$T/a.db" "SELECT t.status || ': ' || t.error FROM tu t JOIN file f ON f.id = t.file_id
	WHERE f.path LIKE '%/drivers/vpci.c'")
case "$status" in
"failed: worker crashed"*) ;;
*) fail "(a) tu row of drivers/vpci.c: '$status'" ;;
esac
run "$LA" accesses pci_dev.vpci --db "$T/a.db"
expect_rc 0 "(a) accesses after a crash"
expect_out out '^common/pci\.c:.* write pci_dev\.vpci in pci_remove_device' "(a) common/pci.c facts are there"
expect_no_out out '^drivers/vpci\.c:' "(a) drivers/vpci.c never stored"

# a good scan completes it: only the failed TU is parsed
run "$LA" scan -p "$T/a" --db "$T/a.db"
expect_rc 0 "(a) rescan without the hook"
expect_out err ' 1 ok, 0 failed, 8 skipped' "(a) the rescan parses only the failed TU"
run "$LA" accesses pci_dev.vpci --db "$T/a.db"
good=$(grep -c '^drivers/vpci\.c:' "$T/out")
[ "$good" -gt 0 ] || fail "(a) drivers/vpci.c accesses missing after a good scan"

# drivers/vpci.c changes and its worker crashes: the facts of the last good
# scan stay queryable
echo "/* edited */" >>"$T/a/drivers/vpci.c"
run "${crash_env[@]}" LOCKAUDIT_TEST_WORKER=crash:drivers/vpci.c "$LA" scan -p "$T/a" --db "$T/a.db"
expect_rc 3 "(a) crash after an edit"
expect_out err ' 0 ok, 1 failed, 8 skipped' "(a) only the edited TU was tried"
run "$LA" accesses pci_dev.vpci --db "$T/a.db"
after=$(grep -c '^drivers/vpci\.c:' "$T/out")
[ "$after" -eq "$good" ] || fail "(a) drivers/vpci.c accesses after the crash: $after, before: $good"

# --- (b) a worker hangs: the timeout ends it, the scan goes on ---
copy_example b
start=$(date +%s)
run env LOCKAUDIT_TEST_WORKER=hang:common/pci.c "$LA" scan -p "$T/b" --db "$T/b.db" --timeout 2
elapsed=$(($(date +%s) - start))
expect_rc 3 "(b) scan with a hanging worker"
expect_out err 'common/pci\.c: TU failed .*timed out' "(b) the timeout is reported for common/pci.c"
expect_out err ' 8 ok, 1 failed' "(b) the other 8 TUs are stored"
[ "$elapsed" -lt 30 ] || fail "(b) the scan took $elapsed s with --timeout 2"

# --- (c) a malformed compile_commands.json changes nothing ---
copy_example c
run "$LA" scan -p "$T/c" --db "$T/c.db"
expect_rc 0 "(c) first scan"
cp "$T/c.db" "$T/c.db.before"
head -c 700 "$T/c/compile_commands.json" >"$T/c/cc.tmp"
mv "$T/c/cc.tmp" "$T/c/compile_commands.json"
run "$LA" scan -p "$T/c" --db "$T/c.db"
expect_rc 1 "(c) scan of a truncated compile_commands.json"
expect_out err "$T/c/compile_commands\.json:[0-9]+: malformed JSON" "(c) the message names the file and a line"
cmp -s "$T/c.db" "$T/c.db.before" || fail "(c) the database changed"
[ ! -e "$T/c.db-wal" ] || [ ! -s "$T/c.db-wal" ] || fail "(c) the database has a write-ahead log now"

# --- (d) an entry whose source file does not exist ---
copy_example d
cc=$T/d/compile_commands.json
{
	sed '$d' "$cc" | sed '$ s/}$/},/'
	echo '  {"directory": ".", "arguments": ["gcc", "-Iinclude", "-c", "drivers/missing.c"], "file": "drivers/missing.c"}'
	echo ']'
} >"$cc.new"
mv "$cc.new" "$cc"
run "$LA" scan -p "$T/d" --db "$T/d.db"
expect_rc 3 "(d) scan with a missing source"
expect_out err "entry 9: source file not found: $T/d/drivers/missing\.c" \
	"(d) the message names the entry and the missing path"
expect_out err '10 TUs: 9 ok, 1 failed' "(d) the other TUs are stored"
[ "$(sql "$T/d.db" "SELECT count(*) FROM tu WHERE status = 'ok'")" = 9 ] || fail "(d) 9 TUs ok in the database"
run "$LA" calls vpci_read --db "$T/d.db"
expect_rc 0 "(d) queries work"

# --- (e) a TU that does not compile: fatal parse error, named header ---
copy_example e
echo '#include "no_such_header.h"' >>"$T/e/common/softirq.c"
run "$LA" scan -p "$T/e" --db "$T/e.db"
expect_rc 3 "(e) scan with a fatal error"
expect_out err 'common/softirq\.c: TU failed .*fatal parse error.*no_such_header\.h' \
	"(e) the message says fatal parse error and names the header"
expect_out err ' 8 ok, 1 failed' "(e) the other 8 TUs are stored"
n=$(sql "$T/e.db" "SELECT count(*) FROM diag WHERE severity = 'fatal' AND message LIKE '%no_such_header.h%'")
[ "$n" = 1 ] || fail "(e) the fatal diagnostic is stored ($n rows)"

# --- (f) the scan is killed with SIGKILL half-way ---
# 60 small TUs; -j 1 takes them in order, and the last one hangs (test hook)
# so the scan cannot end before it is killed.
K=$T/k
mkdir -p "$K"
nfiles=60
nfuncs=40
{
	echo '['
	for i in $(seq 0 $((nfiles - 1))); do
		awk -v n="$i" -v m="$nfuncs" 'BEGIN {
			print "struct gen_dev { int lock; int val; struct gen_dev *next; };"
			print "void gen_lock(int *l);"
			print "void gen_unlock(int *l);"
			for (j = 0; j < m; j++) {
				printf "int f_%d_%d(struct gen_dev *d)\n{\n", n, j
				print "\tgen_lock(&d->lock);"
				print "\tif (d->next && d->next->val > 0)"
				print "\t\td->next->val = d->val;"
				print "\td->val++;"
				print "\tgen_unlock(&d->lock);"
				print "\treturn d->val;"
				print "}"
			}
		}' >"$K/gen_$i.c"
		sep=,
		[ "$i" -eq $((nfiles - 1)) ] && sep=
		echo "  {\"directory\": \".\", \"arguments\": [\"cc\", \"-c\", \"gen_$i.c\"], \"file\": \"gen_$i.c\"}$sep"
	done
	echo ']'
} >"$K/compile_commands.json"
DB=$T/k.db
LOCKAUDIT_TEST_WORKER=hang:gen_$((nfiles - 1)).c "$LA" scan -p "$K" --db "$DB" -j 1 --timeout 60 \
	>"$T/kill.out" 2>&1 &
pid=$!
cleanup_pids+=("$pid")
stored=0
for _ in $(seq 1 600); do
	if [ -s "$DB" ]; then
		stored=$(sql "$DB" "SELECT count(*) FROM tu WHERE status = 'ok'" 2>/dev/null || echo 0)
		[ "${stored:-0}" -ge 5 ] && break
	fi
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.05
done
if ! kill -0 "$pid" 2>/dev/null; then
	fail "(f) the scan ended before it could be killed: $(cat "$T/kill.out")"
else
	workers=$(pgrep -P "$pid")
	kill -9 "$pid"
	wait "$pid" 2>/dev/null
	cleanup_pids=()
	for w in $workers; do
		kill -9 "$w" 2>/dev/null
	done
	[ "${stored:-0}" -ge 5 ] || fail "(f) only ${stored:-0} TUs stored after 30 s"
	ok=$(sql "$DB" "PRAGMA integrity_check")
	[ "$ok" = ok ] || fail "(f) integrity_check after SIGKILL: $ok"
	# every TU stored is stored whole (one transaction per TU)
	partial=$(sql "$DB" "SELECT count(*) FROM tu t WHERE t.status = 'ok' AND
		(SELECT count(*) FROM func WHERE tu_id = t.id) != $nfuncs")
	[ "$partial" = 0 ] || fail "(f) $partial TUs stored with a partial set of functions"
	done_before=$(sql "$DB" "SELECT count(*) FROM tu WHERE status = 'ok'")
	[ "$done_before" -lt "$nfiles" ] || fail "(f) all $nfiles TUs stored although the last one hangs"
	run "$LA" accesses gen_dev.val --db "$DB"
	expect_rc 0 "(f) accesses on the killed scan's database"
	lines=$(wc -l <"$T/out")
	# each function reads d->val twice and writes it once... at least once per function
	[ "$lines" -ge $((done_before * nfuncs)) ] ||
		fail "(f) accesses gen_dev.val: $lines lines for $done_before stored TUs"

	run "$LA" scan -p "$K" --db "$DB" -j 2
	expect_rc 0 "(f) rescan after SIGKILL"
	expect_out err "$nfiles TUs: $((nfiles - done_before)) ok, 0 failed, $done_before skipped" \
		"(f) the rescan parses only what was not stored"
	[ "$(sql "$DB" "SELECT count(*) FROM func")" = $((nfiles * nfuncs)) ] ||
		fail "(f) $(sql "$DB" "SELECT count(*) FROM func") functions after the rescan, expected $((nfiles * nfuncs))"
	[ "$(sql "$DB" "PRAGMA integrity_check")" = ok ] || fail "(f) integrity_check after the rescan"
fi

finish
