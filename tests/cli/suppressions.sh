#!/usr/bin/env bash
# Inline suppressions: `lockaudit: ignore[CHECK] reason` in a block or line
# comment on the finding's line or the line before (a header's too) hides
# the finding; they are counted, listed with --show-ignored, a stale one is
# reported, and one without a reason or check is an error naming file:line.
. "$(dirname "$0")/lib.sh" "$@"

mkdir -p "$T/tree"
cat > "$T/tree/dev.h" <<C
$(spinlock_decls)
struct dev { spinlock_t lock; int state; int count; int mode; };
static inline void dev_clear(struct dev *d)
{
	d->mode = 0; /* lockaudit: ignore[guard] only called on a device no other CPU sees */
}
C
cat > "$T/tree/dev.c" <<C
#include "dev.h"
const char *doc = "lockaudit: ignore[guard] in a string is no suppression";
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
	// lockaudit: ignore[guard] the reset path runs with the device quiesced
	d->state = 0;
	d->count = 0;
	/*
	 * lockaudit: ignore[precondition, guard]: a comment over
	 * several lines covers the line after it
	 */
	d->mode = 1;
	dev_clear(d);
}
void dev_other(struct dev *d)
{
	/* lockaudit: ignore[double-lock] nothing here takes a lock twice */
	// lockaudit: ignore[guard] two lines up: too far

	d->count = 3;
}
C
one_tu_tree "$T/tree" dev.c
guard_rules "$T/rules.json" dev.state dev.count dev.mode </dev/null
run "$LA" scan -p "$T/tree" --db "$T/t.db"
expect_rc 0 "scan"
[ "$(sql "$T/t.db" "SELECT group_concat(line || '-' || end_line || ':' || check_id, ' ') FROM
	(SELECT * FROM suppression ORDER BY file_id, line, check_id)")" = \
	"13-13:guard 16-19:guard 16-19:precondition 25-25:double-lock 26-26:guard 7-7:guard" ] ||
	fail "the scan records the comments (not the string), one row per check"
run "$LA" analyze --db "$T/t.db" --rules "$T/rules.json"
expect_rc 0 "analyze"

run "$LA" check --db "$T/t.db"
expect_rc 2 "check"
[ "$(grep -c '\[lockaudit-' "$T/out")" = 2 ] || fail "two findings are not suppressed"
expect_out out '^dev\.c:15:[0-9]+: warning: write to dev\.count without dev\.lock' "the line after the comment's is not covered"
expect_out out '^dev\.c:28:[0-9]+: warning: write to dev\.count' "a comment two lines up does not cover"
expect_out err '^check: 2 findings \(3 suppressed inline\)$' "the suppressed findings are counted"
expect_out err "^lockaudit: warning: dev\.c:25: lockaudit suppression ignore\[double-lock\] matches no finding$" \
	"a stale suppression is reported"
expect_out err "^lockaudit: warning: dev\.c:16: lockaudit suppression ignore\[precondition\] matches no finding$" \
	"each check of a comment is matched on its own"
expect_out err "^lockaudit: warning: dev\.c:26: lockaudit suppression ignore\[guard\] matches no finding$" \
	"a suppression two lines up matches nothing"
expect_no_out err "dev\.h:7: .*matches no finding" "the header's suppression matched"

run "$LA" check --db "$T/t.db" --show-ignored
expect_rc 2 "--show-ignored"
[ "$(grep -c '\[lockaudit-' "$T/out")" = 5 ] || fail "--show-ignored lists the suppressed findings"
expect_out out '^dev\.c:14:[0-9]+: warning: write to dev\.state .*\(suppressed: the reset path runs with the device quiesced\)$' \
	"the reason is shown"
expect_out out '^dev\.c:20:[0-9]+: .*\(suppressed: a comment over several lines covers the line after it\)$' \
	"a multi-line reason is one line"
expect_out out '^dev\.h:7:[0-9]+: .*\(suppressed: only called on a device no other CPU sees\)$' "a header's comment"
run "$LA" check --db "$T/t.db" --show-ignored --format sarif -o "$T/s.sarif"
[ "$(sqlite3 :memory: "SELECT count(*) FROM json_each(json_extract(CAST(readfile('$T/s.sarif') AS TEXT),
	'\$.runs[0].results')) WHERE json_extract(value, '\$.suppressions[0].kind') = 'inSource'")" = 3 ] ||
	fail "sarif: 3 results suppressed in source"
[ "$(json_count "$T/s.sarif" '$.runs[0].invocations[0].toolExecutionNotifications')" = 3 ] ||
	fail "sarif: the stale suppressions are notifications"
sarif_validate "$T/s.sarif"
run "$LA" check --db "$T/t.db" --format json -o "$T/s.json"
[ "$(json_count "$T/s.json" '$.unmatched_suppressions')" = 3 ] || fail "json: the stale suppressions"
[ "$(sqlite3 :memory: "SELECT json_extract(CAST(readfile('$T/s.json') AS TEXT), '\$.counts.suppressed')")" = 3 ] ||
	fail "json: the suppressed count"

# a suppression without a reason, or without a check, is an error at its place
sed -i 's|// lockaudit: ignore\[guard\] the reset path runs with the device quiesced|// lockaudit: ignore[guard]|' "$T/tree/dev.c"
run "$LA" scan -p "$T/tree" --db "$T/t.db"
run "$LA" check --db "$T/t.db"
expect_rc 1 "a suppression without a reason"
expect_out err '^lockaudit: error: dev\.c:13: lockaudit suppression ignore\[guard\] has no reason' "it names file:line"
sed -i 's|// lockaudit: ignore\[guard\]|// lockaudit: ignore guard, reason missing brackets|' "$T/tree/dev.c"
run "$LA" scan -p "$T/tree" --db "$T/t.db"
run "$LA" check --db "$T/t.db"
expect_rc 1 "a suppression without brackets"
expect_out err '^lockaudit: error: dev\.c:13: lockaudit suppression names no check' "no check: named file:line"
sed -i 's|// lockaudit: ignore guard, reason missing brackets|// lockaudit: ignore[gaurd] typo|' "$T/tree/dev.c"
run "$LA" scan -p "$T/tree" --db "$T/t.db"
run "$LA" check --db "$T/t.db"
expect_rc 1 "a suppression naming no check"
expect_out err "^lockaudit: error: dev\.c:13: lockaudit suppression names an unknown check 'gaurd'" "the typo is named"
finish
