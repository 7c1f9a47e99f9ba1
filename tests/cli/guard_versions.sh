#!/usr/bin/env bash
# A guard that names a lock class no analysed code takes was written for
# another version of the code (Xen's domain.pci_lock, 4.19): it is not
# applied, and analyze says which class the tree lacks.
. "$(dirname "$0")/lib.sh" "$@"

mkdir -p "$T/tree"
cat > "$T/tree/dev.c" <<'C'
typedef struct { int raw; } spinlock_t;
void _spin_lock(spinlock_t *l);
void _spin_unlock(spinlock_t *l);
struct dev { spinlock_t lock; int state; int count; };
void dev_set(struct dev *d, int v)
{
	_spin_lock(&d->lock);
	d->state = v;
	d->count++;
	_spin_unlock(&d->lock);
}
void dev_poke(struct dev *d)
{
	d->state = 0;
	d->count = 0;
}
C
cat > "$T/tree/compile_commands.json" <<JSON
[{"directory": "$T/tree", "file": "dev.c", "arguments": ["cc", "-c", "dev.c"]}]
JSON
cat > "$T/rules.json" <<'JSON'
{
  "primitives": { "_spin_lock": { "acquire": 0, "mode": "exclusive" }, "_spin_unlock": { "release": 0 } },
  "guards": [
    { "field": "dev.state", "access": { "all": ["dev.lock"] } },
    { "field": "dev.count", "access": { "any": ["dev.lock", "domain.pci_lock"] } }
  ]
}
JSON
run "$LA" scan -p "$T/tree" --db "$T/t.db"
expect_rc 0 "scan"
run "$LA" analyze --db "$T/t.db" --rules "$T/rules.json"
expect_rc 0 "analyze"
expect_out err "1 entry names nothing in this tree" "analyze says the rules name something the tree lacks"
run "$LA" rules-check --rules "$T/rules.json" --db "$T/t.db"
expect_out err 'guards\[1\]\.read\.any\[1\]: lock class "domain\.pci_lock" matches no lock the analysis saw' \
	"rules-check names the class"
run "$LA" check --db "$T/t.db"
expect_rc 2 "check reports the guard of this tree"
expect_out out "dev\.c:14:[0-9]+: warning: write to dev\.state without dev\.lock held" "the guard of this tree applies"
expect_no_out out "dev\.count" "the guard of another version does not"
finish
