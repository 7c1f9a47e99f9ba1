#!/usr/bin/env bash
# check --format text|json|sarif|codequality and -o: every format reports
# the same findings; the SARIF validates with the SARIF multitool and holds
# rules, code flows with step kinds, fingerprints and the tree's root.
. "$(dirname "$0")/lib.sh" "$@"

mkdir -p "$T/tree"
cat > "$T/tree/dev.c" <<C
$(spinlock_decls)
struct dev { spinlock_t lock; int state; int count; };
void dev_set(struct dev *d, int v)
{
	_spin_lock(&d->lock);
	d->state = v;
	_spin_unlock(&d->lock);
}
static void poke(struct dev *d)
{
	d->state = 0;
}
void dev_reset(struct dev *d)
{
	poke(d);
	d->count = 1;
}
void dev_twice(struct dev *d)
{
	_spin_lock(&d->lock);
	_spin_lock(&d->lock);
}
C
one_tu_tree "$T/tree" dev.c
guard_rules "$T/rules.json" dev.state dev.count <<'JSON'
"ignore": [ { "check": "guard", "function": "dev_reset", "reason": "reset runs before the device is published" } ]
JSON
run "$LA" scan -p "$T/tree" --db "$T/t.db"
expect_rc 0 "scan"
run "$LA" analyze --db "$T/t.db" --rules "$T/rules.json"
expect_rc 0 "analyze"

run "$LA" check --db "$T/t.db"
expect_rc 2 "text"
text_findings=$(grep -c '\[lockaudit-' "$T/out")
[ "$text_findings" = 2 ] || fail "text: $text_findings findings, expected 2 (one ignored)"
cp "$T/out" "$T/text.out"
run "$LA" check --db "$T/t.db" --format text -o "$T/text.txt"
expect_rc 2 "text -o"
[ -s "$T/out" ] && fail "-o: something was written to stdout"
cmp -s "$T/text.out" "$T/text.txt" || fail "-o FILE differs from stdout"

for fmt in json sarif codequality; do
	run "$LA" check --db "$T/t.db" --format $fmt -o "$T/r.$fmt"
	expect_rc 2 "--format $fmt"
	expect_out err '^check: 2 findings$' "--format $fmt: the summary on stderr"
done
[ "$(json_count "$T/r.json" '$.findings')" = 2 ] || fail "json: not 2 findings"
[ "$(json_count "$T/r.sarif" '$.runs[0].results')" = 2 ] || fail "sarif: not 2 results"
[ "$(json_count "$T/r.codequality" '$')" = 2 ] || fail "codequality: not 2 issues"

q() { sqlite3 :memory: "SELECT $2 FROM (SELECT CAST(readfile('$1') AS TEXT) AS j)"; }
# json: the versioned schema, every field, the steps
[ "$(q "$T/r.json" "json_extract(j, '\$.schema') || ' ' || json_extract(j, '\$.version')")" = "lockaudit-findings 1" ] ||
	fail "json: schema and version"
[ "$(q "$T/r.json" "json_extract(j, '\$.findings[0].check') || ' ' || json_extract(j, '\$.findings[0].file') || ':' ||
	json_extract(j, '\$.findings[0].line') || ' ' || json_extract(j, '\$.findings[0].function')")" = "guard dev.c:13 poke" ] ||
	fail "json: the first finding"
[ "$(q "$T/r.json" "json_extract(j, '\$.findings[0].steps[0].kind') || ' ' || json_extract(j, '\$.findings[0].steps[0].text')")" = \
	"call dev_reset() calls poke() without dev.lock (it has no analysed callers)" ] || fail "json: the first step"
[ "$(q "$T/r.json" "json_extract(j, '\$.counts.ignored')")" = 1 ] || fail "json: the ignored finding is counted"

# sarif: one rule per check, fingerprints, code flows, the root, the exit code
nchecks=$("$LA" check --list | wc -l)
[ "$(json_count "$T/r.sarif" '$.runs[0].tool.driver.rules')" = "$nchecks" ] || fail "sarif: not one rule per check"
[ "$(q "$T/r.sarif" "json_extract(j, '\$.runs[0].results[0].partialFingerprints') ")" = \
	"{\"lockaudit/v1\":\"$(q "$T/r.json" "json_extract(j, '\$.findings[0].fingerprint')")\"}" ] ||
	fail "sarif: partialFingerprints are the findings' fingerprints"
[ "$(q "$T/r.sarif" "json_extract(j, '\$.runs[0].originalUriBaseIds.SRCROOT.uri')")" = "file://$T/tree/" ] ||
	fail "sarif: SRCROOT is the scanned tree"
[ "$(q "$T/r.sarif" "json_extract(j, '\$.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri')")" = dev.c ] ||
	fail "sarif: paths relative to SRCROOT"
[ "$(q "$T/r.sarif" "json_extract(j, '\$.runs[0].invocations[0].exitCode')")" = 2 ] || fail "sarif: the exit code"
[ "$(q "$T/r.sarif" "json_extract(j, '\$.runs[0].results[1].codeFlows[0].threadFlows[0].locations[0].kinds')")" = \
	'["acquire","lock"]' ] || fail "sarif: the double lock's first step is an acquire"
[ "$(q "$T/r.sarif" "json_extract(j, '\$.runs[0].results[1].level')")" = error ] || fail "sarif: the level"
[ "$(q "$T/r.codequality" "json_extract(j, '\$[1].severity') || ' ' || json_extract(j, '\$[1].check_name') || ' ' ||
	json_extract(j, '\$[1].location.path') || ':' || json_extract(j, '\$[1].location.lines.begin')")" = \
	"critical lockaudit-double-lock dev.c:23" ] || fail "codequality: the double lock"

# every check and the ignored finding: still the same count everywhere
run "$LA" check --db "$T/t.db" --all --show-ignored --format sarif -o "$T/all.sarif"
[ "$(json_count "$T/all.sarif" '$.runs[0].results')" = 3 ] || fail "sarif --show-ignored: not 3 results"
[ "$(q "$T/all.sarif" "json_extract(j, '\$.runs[0].results[1].suppressions[0].justification')")" = \
	"reset runs before the device is published" ] || fail "sarif: an ignored finding is a suppressed result"
run "$LA" check --db "$T/t.db" --disable guard --disable double-lock --format sarif -o "$T/none.sarif"
expect_rc 0 "no finding shown"
[ "$(json_count "$T/none.sarif" '$.runs[0].results')" = 0 ] || fail "sarif: results when none is shown"
sarif_validate "$T/r.sarif" "$T/all.sarif" "$T/none.sarif"

run "$LA" check --db "$T/t.db" --format xml
expect_rc 1 "an unknown format"
expect_out err "--format takes text\|json\|sarif\|codequality, not 'xml'" "the unknown format is named"
run "$LA" check --db "$T/t.db" -o "$T/no/such/dir/r.txt"
expect_rc 1 "-o into a missing directory"
expect_out err "no/such/dir/r.txt: cannot write" "the output file is named"
finish
