#!/usr/bin/env bash
# Issue 12: lockaudit audit BASE..TIP on a small git repository with a
# three-commit series: commit 1 moves obj.count from a global lock to the
# object's own lock (a protection change, no new finding), commit 2 drops
# the lock on one path (a new guard finding), commit 3 changes no C file
# (no analysis needed). The work tree is not touched,
# and a second run takes every revision from the cache.
. "$(dirname "$0")/lib.sh" "$@"

command -v git >/dev/null || { echo "SKIP: no git"; exit 0; }
. "$(dirname "$0")/series.sh"
R=$T/repo
make_series "$R" "$T/rules.json"
# the work tree is elsewhere (back at the first commit, with an edit), and
# untracked files (the compile database) stay as they are
git checkout -q HEAD~3
echo "/* local edit */" >> "$R/obj.c"
snapshot() { (cd "$R" && find . -path ./.git -prune -o -type f -print0 | sort -z | xargs -0 sha1sum; git status --porcelain) ; }
before=$(snapshot)
CACHE=$T/cache

run "$LA" audit --help
expect_rc 0 "audit --help"
expect_out out "^usage: lockaudit audit" "audit --help prints the usage"

run "$LA" audit --each-commit --rules "$T/rules.json" -p "$R" --cache "$CACHE" -j 1 -v master~3..master
expect_rc 2 "audit of the series exits 2: commit 2 adds a finding"
expect_out out '^\[1/3\] [0-9a-f]{12} obj: protect count with the object.s own lock$' "commit 1 with its subject"
expect_out out '^  0 new findings, 0 resolved; 2 accesses changed protection' "commit 1: no finding, two accesses changed"
expect_out out 'obj\.c:[0-9]+: obj_get\(\) write o->count: lost g_lock \(exclusive\); gained obj\.lock \(exclusive\)' \
	"commit 1: the access in obj_get moved from g_lock to obj.lock"
expect_out out '^    obj\.count: g_lock 2/2 -> 0/2; obj\.lock 0/2 -> 2/2$' "commit 1: the guard share of obj.count moved"
expect_out out '^    obj\.count: obj\.lock 2/2 -> 1/2$' "commit 2: half of obj.count's accesses under obj.lock"
expect_out out '^\[2/3\] [0-9a-f]{12} obj: a lockless put$' "commit 2 with its subject"
expect_out out '^  1 new finding, 0 resolved; 1 access changed protection' "commit 2: one new finding"
expect_out out 'obj\.c:[0-9]+: .*\[lockaudit-guard\] in obj_put\(\)' "commit 2: the guard finding in obj_put"
expect_out out 'obj_put\(\) write o->count: lost obj\.lock \(exclusive\)' "commit 2: obj_put lost the lock"
expect_out out '^\[3/3\] [0-9a-f]{12} README: say what this is$' "commit 3 with its subject"
expect_out out '^  0 new findings, 0 resolved; 0 accesses changed protection, 0 new, 0 removed; lock order: 0 edges added, 0 removed$' \
	"commit 3 changes nothing"
expect_out err 'audit: [0-9a-f]{12}: 1 TUs parsed' "the revisions were parsed"
expect_out err 'audit: [0-9a-f]{12}: 0 TUs parsed .*none needed: no fact changed' "commit 3 needs no analysis"
[ "$(snapshot)" = "$before" ] || fail "the work tree changed"
cp "$T/out" "$T/first.txt"

[ -z "$(ls "$CACHE" | grep -v '\.db$')" ] || fail "the cache holds other files than databases: $(ls "$CACHE")"
# a second run: every revision from the cache, the same report
run "$LA" audit --each-commit --rules "$T/rules.json" -p "$R" --cache "$CACHE" -v master~3..master
expect_rc 2 "second audit"
expect_out err "cached" "the second run reuses the cache"
expect_no_out err "TUs parsed" "the second run parses nothing"
cmp -s "$T/out" "$T/first.txt" || fail "the second run's report differs"

# the HTML page (-o FILE): the same audit as data, the changes in the text's words
run "$LA" audit --each-commit --rules "$T/rules.json" -p "$R" --cache "$CACHE" --format html -o "$T/audit.html" master~3..master
expect_rc 2 "audit --format html exits as the text does"
[ -s "$T/out" ] && fail "audit -o FILE printed to stdout"
python3 - "$T/audit.html" <<'PY' || fail "HTML page"
import json, re, sys
page = open(sys.argv[1]).read()
assert page.startswith("<!DOCTYPE html>") and "default-src 'none'" in page
assert page.count("</script") == 2
d = json.loads(re.search(r'<script type="application/json" id="la-data">(.*?)</script>', page, re.S).group(1))
assert d["kind"] == "audit" and d["meta"]["range"] == "master~3..master", d["meta"]
c = d["audit"]["commits"]
assert [len(x["new"]) for x in c] == [0, 1, 0], c
texts = [x["text"] for x in c[1]["protection_changes"]]
assert texts == ["lost obj.lock (exclusive)"], texts
# excerpts from each revision: the new finding's line as commit 2 has it
f = c[1]["new"][0]
chunks = c[1]["sources"][f["file"]]
lines = {first + i: t for first, ls in chunks for i, t in enumerate(ls)}
assert "o->count" in lines[f["line"]], (f, lines)
assert d["context"] == 3 and c[0]["sources"], c[0]
PY

# TIP only, JSON, --fail-on none
run "$LA" audit --rules "$T/rules.json" -p "$R" --cache "$CACHE" --format json --fail-on none master~3..master
expect_rc 0 "--fail-on none exits 0"
python3 - "$T/out" <<'PY' || fail "JSON output"
import json, sys
d = json.load(open(sys.argv[1]))
c = d["commits"]
assert len(c) == 1, c
assert [f["check"] for f in c[0]["new"]] == ["guard"], c[0]["new"]
assert c[0]["new"][0]["function"] == "obj_put"
ch = {x["function"]: x for x in c[0]["protection_changes"] if x["access"] == "write"}
assert ch["obj_get"]["before"][0]["class"] == "g_lock" and ch["obj_get"]["after"][0]["class"] == "obj.lock", ch
assert ch["obj_put"]["after"] == [], ch
sh = c[0]["guard_shares"]
assert [(x["field"], [(l["class"], l["before"], l["after"]) for l in x["locks"]]) for x in sh] == \
	[("count", [("g_lock", 2, 0), ("obj.lock", 0, 1)])], sh
PY

# commit 1 alone: exit 0
run "$LA" audit --rules "$T/rules.json" -p "$R" --cache "$CACHE" master~3..master~2
expect_rc 0 "commit 1 alone adds no finding"

# the series as an mbox (with a cover letter), applied on its base-commit line
command git -C "$R" format-patch -q --stdout --cover-letter --base=master~3 master~3..master~1 > "$T/series.mbx"
objects_before=$(git count-objects -v; git for-each-ref)
run "$LA" audit --mbox "$T/series.mbx" --rules "$T/rules.json" -p "$R" --cache "$CACHE" -v
expect_rc 2 "audit --mbox: the second patch adds a finding"
expect_out out '^\[1/2\] [0-9a-f]{12} obj: protect count with the object.s own lock$' "--mbox: patch 1 with its subject"
expect_out out '^\[2/2\] [0-9a-f]{12} obj: a lockless put$' "--mbox: patch 2 with its subject"
expect_out out '^  1 new finding, 0 resolved' "--mbox: the new finding of patch 2"
[ "$(git count-objects -v; git for-each-ref)" = "$objects_before" ] || fail "--mbox wrote to the repository"
ls "$T"/lockaudit-mbox-* >/dev/null 2>&1 && fail "--mbox left its scratch directory"
run "$LA" audit --mbox "$T/series.mbx" --rules "$T/rules.json" -p "$R" --cache "$CACHE" -v
expect_rc 2 "audit --mbox again"
expect_no_out err "TUs parsed" "the same mbox gives the same commits: all from the cache"
command git -C "$R" format-patch -q --stdout master~2..master~1 > "$T/put.mbx"
run "$LA" audit --mbox "$T/put.mbx" --base master~3 --rules "$T/rules.json" -p "$R" --cache "$CACHE"
expect_rc 1 "a patch that does not apply"
expect_out err 'put\.mbx: patch 1 \(obj: a lockless put\) does not apply on [0-9a-f]{12}: ' "the error names the patch"
run "$LA" audit --mbox "$T/put.mbx" --rules "$T/rules.json" -p "$R" --cache "$CACHE"
expect_rc 1 "an mbox without base-commit and no --base"
expect_out err 'no "base-commit:" line; give the base with --base REV' "the error says to give --base"

# errors
run "$LA" audit --rules "$T/rules.json" -p "$R" --cache "$CACHE" master
expect_rc 1 "a range without .."
expect_out err "BASE\.\.TIP" "the error says how to give the range"
run "$LA" audit --rules "$T/rules.json" -p "$R" --cache "$CACHE" nosuch..master
expect_rc 1 "an unknown base"
expect_out err "no commit named 'nosuch'" "the error names the revision"
[ "$(snapshot)" = "$before" ] || fail "the work tree changed"
finish
