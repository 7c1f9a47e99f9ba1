#!/usr/bin/env bash
# A lock primitive whose body the scan sees (Linux's pci_cfg_access_lock()
# sets the flag it locks with) is not analysed: `guards` and `held` say
# that its accesses are the primitive's own code, not accesses under no lock.
. "$(dirname "$0")/lib.sh" "$@"

mkdir -p "$T/tree"
cat > "$T/tree/dev.c" <<'C'
struct dev { int busy; int data; };
void flag_lock(struct dev *d)
{
	while (d->busy)
		;
	d->busy = 1;
}
void flag_unlock(struct dev *d)
{
	d->busy = 0;
}
int peek(struct dev *d)
{
	return d->busy;
}
int user(struct dev *d)
{
	flag_lock(d);
	int v = d->data;
	flag_unlock(d);
	return v;
}
C
cat > "$T/tree/compile_commands.json" <<JSON
[{"directory": "$T/tree", "file": "dev.c", "arguments": ["cc", "-c", "dev.c"]}]
JSON
cat > "$T/rules.json" <<'JSON'
{"primitives": {"flag_lock": {"acquire": 0, "field": "dev.busy"}, "flag_unlock": {"release": 0, "field": "dev.busy"}}}
JSON
run "$LA" scan -p "$T/tree" --db "$T/t.db"
expect_rc 0 "scan"
run "$LA" analyze --db "$T/t.db" --rules "$T/rules.json"
expect_rc 0 "analyze"
run "$LA" guards dev.busy --db "$T/t.db"
expect_rc 0 "guards"
expect_out out "in the lock primitives' own code \(not analysed\): 3" "the primitives' accesses are counted apart"
expect_out out "under no lock: 1" "only peek()'s read is under no lock"
expect_out out "read in peek: d->busy" "peek()'s read is listed"
expect_no_out out "in flag_lock|in flag_unlock" "no access of a primitive is listed as under no lock"
run "$LA" guards dev.data --db "$T/t.db"
expect_out out "dev.busy +1 of 1" "user() reads data under the flag"
run "$LA" held --file dev.c --db "$T/t.db"
expect_rc 0 "held --file"
expect_out out "^6 flag_lock write dev.busy \| primitive$" "held marks the primitive's own code"
expect_out out "^14 peek read dev.busy \| -$" "and an access under no lock as such"
finish
