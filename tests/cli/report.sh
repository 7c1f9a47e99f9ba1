#!/usr/bin/env bash
# Issue 13: lockaudit report -o FILE, one self-contained HTML page, on the
# bundled example in a git repository: the findings `check` shows (and
# with --all every one), their source excerpts (data that tries to end its
# <script> element stays inside it), the guard map `guards` prints, the
# lock-order graph, the run's metadata. The page itself is opened in a
# browser by tests/browser/.
. "$(dirname "$0")/lib.sh" "$@"

command -v python3 >/dev/null || { echo "FAIL: the test reads the page's data with python3"; exit 1; }
R=$SRC/rules/xen-pci.json
copy_example mx
run "$LA" scan -p "$T/mx" --db "$T/mx.db"
expect_rc 0 "scan of minixen"
run "$LA" analyze --db "$T/mx.db" --rules "$R"
expect_rc 0 "analyze"
# a comment on the line of a finding: the page shows it in an excerpt, and
# it must not end the data's <script> element
line=$(sql "$T/mx.db" "SELECT line FROM finding WHERE file = 'drivers/vpci.c' ORDER BY line LIMIT 1")
[ -n "$line" ] || fail "minixen has no finding in drivers/vpci.c"
sed -i "${line}s|\$| /* </script><script>alert(1)</script><!-- */|" "$T/mx/drivers/vpci.c"
command git -C "$T/mx" init -q
command git -C "$T/mx" add .
command git -C "$T/mx" -c user.name=t -c user.email=t@example.org -c commit.gpgsign=false commit -qm "minixen for the report"
head=$(command git -C "$T/mx" log -1 --format='%h %s' --abbrev=12)

run "$LA" report --help
expect_rc 0 "report --help"
expect_out out '^usage: lockaudit report' "report --help prints the usage"
run "$LA" report --db "$T/mx.db"
expect_rc 1 "report without -o"
expect_out err 'give the page to write with -o FILE' "report without -o says what is missing"
run "$LA" report --db "$T/mx.db" -o ""
expect_rc 1 "report -o ''"
expect_out err '-o takes a path, not an empty string' "report -o '' says why"
run "$LA" report --db "$T/mx.db" --enable nosuch -o "$T/x.html"
expect_rc 1 "report --enable nosuch"
expect_out err "unknown check 'nosuch'" "an unknown check is named"

run "$LA" check --db "$T/mx.db"
shown=$(grep -c '\[lockaudit-[a-z-]*\]$' "$T/out")
run "$LA" check --db "$T/mx.db" --all
all=$(grep -c '\[lockaudit-[a-z-]*\]$' "$T/out")
[ "$shown" -gt 0 ] && [ "$all" -gt "$shown" ] || fail "minixen: $shown findings by default, $all with --all"
run "$LA" guards pci_dev.vpci --db "$T/mx.db" --all
cp "$T/out" "$T/guards.txt"

run "$LA" report --db "$T/mx.db" -o "$T/page.html"
expect_rc 0 "report exits 0 with findings (check is the gate)"
expect_out err "^report: $shown findings" "report says how many findings"
expect_out err "^report: wrote $T/page.html \([0-9]+ KB\)" "report says what it wrote"
run "$LA" report --db "$T/mx.db" --all -o "$T/all.html"
expect_rc 0 "report --all"
run "$LA" report --db "$T/mx.db" -o -
expect_rc 0 "report -o -"
expect_out out '^<!DOCTYPE html>' "report -o - writes the page to stdout"

# the page's data, as the page reads it
data() {  # data PAGE: the JSON of the <script id="la-data"> element
	python3 - "$1" <<'PY'
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
m = re.search(r'<script type="application/json" id="la-data">(.*?)</script>', page, re.S)
print(m.group(1) if m else "")
PY
}
data "$T/page.html" > "$T/page.json"
data "$T/all.html" > "$T/all.json"
lock_edges=$(sql "$T/mx.db" "SELECT count(*) FROM lock_edge")
python3 - "$T/page.html" "$T/page.json" "$T/all.json" "$shown" "$all" "$head" "$T/guards.txt" "$lock_edges" <<'PY' ||
import json, re, sys
page_path, page_json, all_json, shown, every, head, guards_txt, lock_edges = sys.argv[1:]
page = open(page_path, encoding="utf-8").read()
d, a = json.load(open(page_json)), json.load(open(all_json))
problems = []
def want(ok, what):
    if not ok:
        problems.append(what)
# self-contained: a policy that forbids every fetch, and no reference out
want("default-src 'none'" in page, "no Content-Security-Policy")
want(not re.search(r'<(link|img|iframe|object|embed)\b|\bsrc=|@import|url\((?!#)', page), "a reference to another file")
want(set(re.findall(r'https?://[^\s"\'<)]+', page)) <= {"http://www.w3.org/2000/svg"}, "an address other than the SVG namespace")
# the comment in the excerpt is data, escaped: two script elements end, no more
want(page.count("</script") == 2, "%d </script in the page" % page.count("</script"))
want("alert(1)" not in page.replace("\\u003c/script\\u003e\\u003cscript\\u003ealert(1)", ""), "the comment escaped")
want(any("alert(1)" in l for chunks in d["sources"].values() for _, lines in chunks for l in lines),
     "the comment is in an excerpt")
# findings: those check shows, and with --all every one, each with its steps
want(d["kind"] == "report", "kind")
want(len(d["report"]["findings"]) == int(shown), "%d findings, check shows %s" % (len(d["report"]["findings"]), shown))
want(len(a["report"]["findings"]) == int(every), "--all: %d findings, check --all shows %s" % (len(a["report"]["findings"]), every))
want(a["meta"]["selection"].startswith("every check"), "--all in the metadata")
for f in a["report"]["findings"]:
    want(f["file"] in a["sources"], "no excerpt of " + f["file"])
    for s in f["steps"]:
        want(s["file"] in a["sources"], "no excerpt of step file " + s["file"])
want(any(len(f["steps"]) > 1 for f in a["report"]["findings"]), "no finding with a trace")
want({c["id"] for c in d["checks"]} >= {f["check"] for f in a["report"]["findings"]}, "checks listed")
# metadata
m = d["meta"]
want(m["commit"] == head, "commit %r, git says %r" % (m["commit"], head))
want(m["tree"].endswith("/mx") and m["rules"].endswith("rules/xen-pci.json") and m["version"], "metadata %r" % m)
# the guard map says what `guards` says
g = {(f["s"], f["f"]): f for f in d["guards"]["fields"]}
v = g.get(("pci_dev", "vpci"))
want(v is not None, "pci_dev.vpci in the guard map")
text = open(guards_txt).read()
hdr = re.search(r'^pci_dev\.vpci: (\d+) accesses \((\d+) read, (\d+) write\)', text, re.M)
want(hdr and v and (v["r"] + v["w"], v["r"], v["w"]) == tuple(map(int, hdr.groups())), "pci_dev.vpci counts")
locks = re.findall(r'^  (\S+)\s+(\d+) of \d+ \(', text.split("\npci_dev.", 2)[1] if "\npci_dev." in text else text, re.M)
want(v and [(l[0], l[1] + l[2]) for l in v["locks"]] == [(c, int(n)) for c, n in locks], "pci_dev.vpci locks %r vs %r" % (v and v["locks"], locks))
ung = re.search(r'^  under no lock: (\d+)', text, re.M)
want(v and len(v["ung"]) == (int(ung.group(1)) if ung else 0), "pci_dev.vpci unguarded accesses")
for row in (v["ung"] if v else []):
    want(0 <= row[0] < len(d["guards"]["files"]) and 0 <= row[4] < len(d["guards"]["funcs"]), "ung row indices")
# the lock-order graph: every edge, drawn
want(len(d["graph"]["edges"]) == int(lock_edges), "graph edges %d, lock_edge %s" % (len(d["graph"]["edges"]), lock_edges))
want(page.count('<g class="lg-e"') == int(lock_edges), "drawn edges")
if problems:
    print("\n".join(problems))
    sys.exit(1)
PY
	fail "the page's contents"

# with a baseline of every finding, nothing is new
run "$LA" check --db "$T/mx.db" --update-baseline "$T/base.txt"
expect_rc 0 "check --update-baseline"
run "$LA" report --db "$T/mx.db" --baseline "$T/base.txt" -o "$T/new.html"
expect_rc 0 "report --baseline"
expect_out err '^report: 0 new findings' "report --baseline: nothing new"
data "$T/new.html" > "$T/new.json"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); c=d["report"]["counts"]; sys.exit(not (c["findings"] == 0 and c["in_baseline"] == int(sys.argv[2])))' \
	"$T/new.json" "$shown" || fail "report --baseline: the counts say every finding is in the baseline"

finish
