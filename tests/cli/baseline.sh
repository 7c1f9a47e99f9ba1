#!/usr/bin/env bash
# The CI gate: check --update-baseline writes the fingerprints of today's
# findings; check --baseline fails (exit 2) only on findings not in it and
# says how many of its entries are gone. Fingerprints survive lines moving
# and unrelated edits of the same file and function.
. "$(dirname "$0")/lib.sh" "$@"

mkdir -p "$T/tree"
cat > "$T/tree/dev.c" <<C
$(spinlock_decls)
struct dev { spinlock_t lock; int state; int count; int mode; };
void dev_set(struct dev *d, int v)
{
	_spin_lock(&d->lock);
	d->state = v;
	d->count = v;
	d->mode = v;
	_spin_unlock(&d->lock);
}
void dev_reset(struct dev *d)
{
	d->state = 0;
	d->count = 0;
}
void dev_poke(struct dev *d)
{
	d->mode = 1;
}
C
one_tu_tree "$T/tree" dev.c
guard_rules "$T/rules.json" dev.state dev.count dev.mode </dev/null
run "$LA" scan -p "$T/tree" --db "$T/t.db"
run "$LA" analyze --db "$T/t.db" --rules "$T/rules.json"
expect_rc 0 "analyze"
run "$LA" check --db "$T/t.db" --format json -o "$T/before.json"
expect_rc 2 "three findings"

run "$LA" check --db "$T/t.db" --update-baseline "$T/lockaudit.baseline"
expect_rc 0 "--update-baseline"
expect_out err "^check: wrote 3 fingerprints to $T/lockaudit.baseline$" "it says what it wrote"
[ -s "$T/out" ] && fail "--update-baseline prints no report"
[ "$(grep -cE '^[0-9a-f]{16} guard dev\.c dev_(reset|poke)\(\): write to dev\.' "$T/lockaudit.baseline")" = 3 ] ||
	fail "one line per finding: fingerprint, check, file, function, message"
grep -v '^#' "$T/lockaudit.baseline" | sort -c || fail "the baseline is sorted"

run "$LA" check --db "$T/t.db" --baseline "$T/lockaudit.baseline"
expect_rc 0 "nothing new"
expect_out err '^check: 0 new findings \(3 in the baseline\); 0 baseline entries are gone$' "the summary"

# Lines move (a comment and a helper above everything), the functions
# change around the findings, one finding is fixed and one bug is new.
cat > "$T/tree/dev.c" <<C
/* Device state.
 * A comment that moves every line down. */
$(spinlock_decls)
struct dev { spinlock_t lock; int state; int count; int mode; int gen; };
static int helper(int x)
{
	return x + 1;
}
void dev_set(struct dev *d, int v)
{
	_spin_lock(&d->lock);
	d->state = v;
	d->count = helper(v);
	d->mode = v;
	_spin_unlock(&d->lock);
}
void dev_reset(struct dev *d)
{
	d->gen++;
	d->state = 0;
	d->gen++;
	_spin_lock(&d->lock);
	d->count = 0;
	_spin_unlock(&d->lock);
}
void dev_poke(struct dev *d)
{
	int unused = helper(2);
	d->mode = unused;
}
void dev_new(struct dev *d)
{
	d->count = 7;
}
C
run "$LA" scan -p "$T/tree" --db "$T/t.db"
run "$LA" check --db "$T/t.db" --baseline "$T/lockaudit.baseline" --rules "$T/rules.json"
expect_rc 2 "a new finding"
[ "$(grep -c '\[lockaudit-' "$T/out")" = 1 ] || fail "exactly the new finding"
expect_out out '^dev\.c:35:[0-9]+: warning: write to dev\.count without dev\.lock held \[lockaudit-guard\]$' "the new one"
expect_out err '^check: 1 new finding \(2 in the baseline\); 1 baseline entry is gone$' "the fixed one is gone"

# the two findings that stayed kept their fingerprints across the moves
run "$LA" check --db "$T/t.db" --format json -o "$T/after.json"
fps() {
	sqlite3 :memory: "SELECT json_extract(value, '\$.function') || ' ' || json_extract(value, '\$.line') || ' ' ||
		json_extract(value, '\$.fingerprint') FROM json_each(json_extract(CAST(readfile('$1') AS TEXT), '\$.findings'))
		WHERE json_extract(value, '\$.function') IN ('dev_reset', 'dev_poke') AND json_extract(value, '\$.message')
		NOT LIKE '%count%' ORDER BY 1"
}
before=$(fps "$T/before.json" | awk '{ print $1, $3 }')
after=$(fps "$T/after.json" | awk '{ print $1, $3 }')
[ "$before" = "$after" ] || fail "fingerprints changed with the lines: before [$before], after [$after]"
[ "$(fps "$T/before.json" | awk '{ print $2 }' | tr '\n' ' ')" != "$(fps "$T/after.json" | awk '{ print $2 }' | tr '\n' ' ')" ] ||
	fail "the findings did not move: the test proves nothing"

# the gate in SARIF: only the new finding, marked new
run "$LA" check --db "$T/t.db" --baseline "$T/lockaudit.baseline" --format sarif -o "$T/gate.sarif"
expect_rc 2 "sarif gate"
[ "$(json_count "$T/gate.sarif" '$.runs[0].results')" = 1 ] || fail "sarif: one result"
[ "$(sqlite3 :memory: "SELECT json_extract(CAST(readfile('$T/gate.sarif') AS TEXT), '\$.runs[0].results[0].baselineState')")" = new ] ||
	fail "sarif: baselineState new"
sarif_validate "$T/gate.sarif"

printf '0123456789abcdef ok\nxyz not a fingerprint\n' > "$T/bad.baseline"
run "$LA" check --db "$T/t.db" --baseline "$T/bad.baseline"
expect_rc 1 "a malformed baseline"
expect_out err "bad\.baseline:2: expected a fingerprint of 16 lower-case hex digits, not 'xyz'" "it names the line"
run "$LA" check --db "$T/t.db" --baseline "$T/missing.baseline"
expect_rc 1 "a missing baseline"
expect_out err "missing\.baseline" "the missing file is named"
run "$LA" check --db "$T/t.db" --baseline "$T/lockaudit.baseline" --update-baseline "$T/x"
expect_rc 1 "--baseline with --update-baseline"
finish
