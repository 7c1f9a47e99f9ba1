#!/usr/bin/env bash
# Bad input a careful user gives (issue 10): each case ends with a clear
# error naming the file / option / JSON path, or with correct behaviour.
. "$(dirname "$0")/lib.sh" "$@"

copy_example mx
"$LA" scan -p "$T/mx" --db "$T/mx.db" -j 2 >/dev/null 2>&1 || fail "scan of minixen"
RULES=$SRC/rules/xen-pci.json

# --- 7: an analysis with no finding (rules {}): no NULL to qsort/memcpy
# (fails under UBSan only: LOCKAUDIT_SANITIZE=ON) ---
echo '{}' >"$T/empty.json"
cp "$T/mx.db" "$T/empty.db"
run "$LA" analyze --db "$T/empty.db" --rules "$T/empty.json"
expect_rc 0 "analyze with rules {}"
expect_out err '; 0 findings' "analyze with rules {} finds nothing"
expect_no_out err 'runtime error' "analyze with rules {}: no UBSan report"
run "$LA" check --db "$T/empty.db" --all
expect_rc 0 "check after rules {}"
expect_no_out err 'runtime error' "check after rules {}: no UBSan report"
run "$LA" guards pci_dev --db "$T/empty.db"
expect_rc 0 "guards after rules {}"
expect_no_out err 'runtime error' "guards after rules {}: no UBSan report"

# --- 4: numeric options are range-checked, the option is named ---
for j in 0 -1 1025 2147483647 4294967297 ' 2' 2x ''; do
	run "$LA" scan -p "$T/mx" --db "$T/j.db" -j "$j"
	expect_rc 1 "scan -j '$j'"
	expect_out err "-j takes a number from 1 to 1024, not '$j'" "scan -j '$j' names the option and range"
	[ ! -e "$T/j.db" ] || fail "scan -j '$j' created the database"
done
for t in -1 86401 99999999999999999999 1.5; do
	run "$LA" scan -p "$T/mx" --db "$T/j.db" --timeout "$t"
	expect_rc 1 "scan --timeout '$t'"
	expect_out err "--timeout takes seconds from 0 to 86400, not '$t'" "scan --timeout '$t' names the option"
done
run "$LA" held drivers/vpci.c:99999999999 --db "$T/mx.db"
expect_rc 1 "held with a line beyond int"
expect_out err "expected FILE:LINE or FILE:LINE:COL" "held with a line beyond int says what it takes"

# --- 6: held matches file names exactly: % and _ are not wildcards ---
cp "$T/mx.db" "$T/held.db"
"$LA" analyze --db "$T/held.db" --rules "$RULES" 2>/dev/null
run "$LA" held --file % --db "$T/held.db"
expect_rc 1 "held --file %"
[ ! -s "$T/out" ] || fail "held --file % lists events"
run "$LA" held --file 'softirq_c' --db "$T/held.db"
expect_rc 1 "held --file softirq_c"
run "$LA" held --file 'common/softir_.c' --db "$T/held.db"
expect_rc 1 "held --file common/softir_.c (_ is not a wildcard)"
run "$LA" held --file 'oftirq.c' --db "$T/held.db"
expect_rc 1 "held --file oftirq.c (not part of a component)"
run "$LA" held --file common/softirq.c --db "$T/held.db"
expect_rc 0 "held --file common/softirq.c"
cp "$T/out" "$T/softirq.out"
for f in ./common/softirq.c softirq.c "$T/mx/common/softirq.c"; do
	run "$LA" held --file "$f" --db "$T/held.db"
	expect_rc 0 "held --file $f"
	cmp -s "$T/out" "$T/softirq.out" || fail "held --file $f differs from common/softirq.c"
done
run "$LA" held drivers/vpci.c:113:22 --db "$T/held.db"
expect_rc 0 "held FILE:LINE:COL as check prints it"
expect_out out '^drivers/vpci\.c:113:22: in modify_bars: write vpci\.header\.enabled' "held FILE:LINE:COL shows that event"
expect_no_out out '^drivers/vpci\.c:113:15:' "held FILE:LINE:COL shows only that column"
run "$LA" held ./drivers/vpci.c:113 --db "$T/held.db"
expect_rc 0 "held ./FILE:LINE"
expect_out out '^drivers/vpci\.c:113:15:' "held ./FILE:LINE shows the line"
run "$LA" held 'drivers/vpc_.c:113' --db "$T/held.db"
expect_rc 1 "held with _ in FILE:LINE"

# --- 3: an expression nested deeper than the lowering goes fails its TU
# cleanly (no stack overflow); the other TUs are stored ---
mkdir -p "$T/deep"
deep_expr() {   # deep_expr FUNC N: return p->f + ... (N terms)
	printf 'struct s { int f; };\nint %s(struct s *p)\n{\n\treturn p->f' "$1"
	for ((i = 1; i < $2; i++)); do printf ' + p->f'; done
	printf ';\n}\n'
}
deep_expr sum 10000 >"$T/deep/deep.c"
deep_expr wsum 900 >"$T/deep/wide.c"
printf 'struct s { int f; };\nint one(struct s *p)\n{\n\treturn p->f;\n}\n' >"$T/deep/one.c"
printf 'int cond(int a)\n{\n\tif (a' >"$T/deep/cond.c"
for ((i = 1; i < 5000; i++)); do printf ' && a' >>"$T/deep/cond.c"; done
printf ')\n\t\treturn 1;\n\treturn 0;\n}\n' >>"$T/deep/cond.c"
cat >"$T/deep/compile_commands.json" <<JSON
[
 {"directory": "$T/deep", "file": "deep.c", "arguments": ["cc", "-c", "deep.c"]},
 {"directory": "$T/deep", "file": "cond.c", "arguments": ["cc", "-c", "cond.c"]},
 {"directory": "$T/deep", "file": "wide.c", "arguments": ["cc", "-c", "wide.c"]},
 {"directory": "$T/deep", "file": "one.c", "arguments": ["cc", "-c", "one.c"]}
]
JSON
run "$LA" ir --file "$T/deep/deep.c"
expect_rc 3 "ir --file on a 10,000-term expression"
expect_out err 'deep\.c:4:[0-9]+: fatal: expression nested deeper than 1000 in sum\(\)' "ir --file names the file, line and limit"
run "$LA" ir --file "$T/deep/cond.c"
expect_rc 3 "ir --file on a 5,000-term condition"
expect_out err 'cond\.c:3:[0-9]+: fatal: expression nested deeper than 1000 in cond\(\)' "ir --file on a deep condition"
run "$LA" ir --file "$T/deep/wide.c"
expect_rc 0 "ir --file on a 900-term expression"
run "$LA" scan -p "$T/deep" --db "$T/deep.db" -j 2
expect_rc 3 "scan with a too-deep TU"
expect_out err "deep\.c: TU failed \(compile_commands\.json entry [0-9]+\): fatal parse error: deep\.c:4:[0-9]+: fatal: expression nested deeper than 1000 in sum\(\)" "scan says which TU and why"
expect_out err "cond\.c: TU failed" "scan fails the deep condition's TU"
expect_out err ' 4 TUs: 2 ok, 2 failed' "scan stores the other TUs"
[ "$(sql "$T/deep.db" "SELECT count(*) FROM tu t JOIN file f ON f.id = t.file_id WHERE t.status = 'failed' AND f.path LIKE '%/deep.c'")" = 1 ] || fail "deep.c is marked failed"
[ "$(sql "$T/deep.db" "SELECT count(*) FROM diag WHERE message LIKE 'expression nested deeper than 1000%'")" = 2 ] || fail "the diagnostic is stored"
[ "$(sql "$T/deep.db" "SELECT count(*) FROM func WHERE name IN ('one', 'wsum', 'sum')")" = 2 ] || fail "one() and wsum() stored, sum() not"
echo '{}' >"$T/deep-rules.json"
run "$LA" analyze --db "$T/deep.db" --rules "$T/deep-rules.json"
expect_rc 0 "analyze after a too-deep TU (a 900-term expression stored)"

# --- 10: rules mistakes are reported with their JSON path ---
cat >"$T/typo.json" <<'JSON'
{
  "primitives": { "_spin_lock": { "acquire": 99, "mode": "exclusive" }, "_spin_lokc": { "acquire": 0, "mode": "exclusive" },
                  "_spin_unlock": { "release": 0 }, "_rspin_lock": { "acquire": 0, "mode": "recursive" },
                  "_rspin_unlock": { "release": 0 }, "_read_lock": { "acquire": 0, "mode": "shared" },
                  "_read_unlock": { "release": 0 }, "_write_lock": { "acquire": 0, "mode": "exclusive" },
                  "_write_unlock": { "release": 0 } },
  "guards": [ { "field": "pci_dev.vpic", "access": { "any": ["domain.pci_lok"] } } ],
  "exclusive": ["vpci.lock", "vpci.lock"],
  "forbidden_under_lock": [ { "function": "process_pending_sofirqs", "reason": "r" } ]
}
JSON
cp "$T/held.db" "$T/lint.db"
run "$LA" rules-check --db "$T/lint.db" --rules "$T/typo.json"
expect_rc 2 "rules-check with mistakes"
expect_out err 'typo\.json: \$\.primitives\._spin_lock\.acquire: lock argument 99 is beyond _spin_lock\(\)' "rules-check: argument beyond the parameters"
expect_out err 'typo\.json: \$\.primitives\._spin_lokc: primitive "_spin_lokc" matches no function' "rules-check: unknown primitive"
expect_out err '\$\.guards\[0\]\.field: no access to pci_dev\.vpic' "rules-check: unknown field"
expect_out err '\$\.guards\[0\]\.read\.any\[0\]: lock class "domain\.pci_lok" matches no lock' "rules-check: lock class typo"
expect_out err '\$\.exclusive\[1\]: "vpci\.lock" is already at \$\.exclusive\[0\]' "rules-check: repeated exclusive"
expect_out err '\$\.forbidden_under_lock\[0\]\.function: function "process_pending_sofirqs" is not defined' "rules-check: unknown function"
expect_out err '^rules-check: 6 problems in ' "rules-check counts the problems"
run "$LA" analyze --db "$T/lint.db" --rules "$T/typo.json"
expect_rc 0 "analyze with mistakes in the rules"
expect_out err 'warning: .*typo\.json: \$\.primitives\._spin_lock\.acquire' "analyze warns about the rules"
expect_out err '\$\.exclusive\[1\]: "vpci\.lock" is already' "analyze shows the mistakes"
expect_out err '4 entries name nothing in this tree .*`lockaudit rules-check' "analyze counts the names the tree lacks in one line"
printf '{"primitives": {"_spin_lock": {"acquire": 0, "mode": "exclusive"}, "_spin_unlock": {"release": 0}}}\n' >"$T/ok.json"
run "$LA" rules-check --db "$T/lint.db" --rules "$T/ok.json"
expect_rc 0 "rules-check on correct rules"
run "$LA" rules-check --db "$T/lint.db"
expect_rc 1 "rules-check without --rules"
expect_out err '^usage: lockaudit rules-check' "rules-check without --rules prints its usage"

# --- 9: a database in a read-only place: read where possible, else say why ---
if command -v setpriv >/dev/null && [ "$(id -u)" = 0 ]; then
	as_other() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
else
	as_other() { "$@"; }
fi
mkdir "$T/ro"
cp "$T/held.db" "$T/ro/la.db"
chmod 755 "$T" "$T/ro"
chmod 644 "$T/ro/la.db"
chmod 555 "$T/ro"
chmod 755 "$(dirname "$LA")" 2>/dev/null
for c in "accesses pci_dev.vpci" "calls vpci_read" "guards pci_dev.vpci" "held drivers/vpci.c:113" "check"; do
	# shellcheck disable=SC2086
	run as_other "$LA" $c --db "$T/ro/la.db"
	[ "$rc" -eq 0 ] || [ "$rc" -eq 2 ] || fail "$c on a read-only database: exit status $rc"
	expect_no_out err 'not a lockaudit database' "$c on a read-only database"
done
run as_other "$LA" analyze --db "$T/ro/la.db" --rules "$T/empty.json"
expect_rc 1 "analyze on a read-only database"
expect_out err "ro/la\.db: cannot write the database \(read-only (file|directory)" "analyze says why it cannot write"
[ "$(grep -c 'cannot write' "$T/err")" = 1 ] || fail "analyze prints its error once"
run as_other "$LA" check --db "$T/ro/la.db" --rules "$T/empty.json"
expect_rc 1 "check needing a new analysis on a read-only database"
expect_out err "cannot write the database .*the analysis is out of date: run \`lockaudit analyze\` where it can write" "check says what to do"
chmod 755 "$T/ro"

# --- 8: two scans into one new database: both end well, the DB is valid ---
for try in 1 2 3 4 5; do
	rm -f "$T/race.db"*
	"$LA" scan -p "$T/mx" --db "$T/race.db" -j 1 >"$T/race1.out" 2>&1 &
	p1=$!
	"$LA" scan -p "$T/mx" --db "$T/race.db" -j 1 >"$T/race2.out" 2>&1 &
	p2=$!
	wait $p1; r1=$?
	wait $p2; r2=$?
	for i in 1 2; do
		r=$([ $i = 1 ] && echo $r1 || echo $r2)
		if [ "$r" -ne 0 ] && ! grep -Eq 'database is (busy|locked)' "$T/race$i.out"; then
			fail "concurrent scan $i of try $try: exit $r: $(head -3 "$T/race$i.out")"
		fi
	done
	[ "$(sql "$T/race.db" "SELECT value FROM meta WHERE key = 'schema_version'")" != "" ] || fail "try $try: no schema"
	[ "$(sql "$T/race.db" "SELECT count(*) FROM tu WHERE status = 'ok'")" = 9 ] || fail "try $try: not every TU stored"
done

# --- a scan killed with -9 takes its workers with it ---
LOCKAUDIT_TEST_WORKER=hang:common/pci.c "$LA" scan -p "$T/mx" --db "$T/kill.db" -j 1 --full >/dev/null 2>&1 &
scan_pid=$!
cleanup_pids+=("$scan_pid")
for _ in $(seq 50); do worker=$(pgrep -P "$scan_pid" | head -1); [ -n "$worker" ] && break; sleep 0.1; done
if [ -z "$worker" ]; then
	fail "no worker started under the scan"
else
	cleanup_pids+=("$worker")
	kill -9 "$scan_pid"
	wait "$scan_pid" 2>/dev/null
	for _ in $(seq 30); do kill -0 "$worker" 2>/dev/null || break; sleep 0.1; done
	! kill -0 "$worker" 2>/dev/null || fail "the worker outlives a scan killed with -9"
fi

finish
