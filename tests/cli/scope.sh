#!/usr/bin/env bash
# Issue 11: TUs that are not part of the hypervisor (host tools built with
# it, compiled without -D__XEN__) are scanned but not analysed (rules
# "scope"): their functions give no findings and no inferred guards.
. "$(dirname "$0")/lib.sh" "$@"

mkdir -p "$T/tree"
cat > "$T/tree/locks.h" <<'C'
typedef struct { int raw; } spinlock_t;
void _spin_lock(spinlock_t *l);
void _spin_unlock(spinlock_t *l);
C
for f in hv tool; do
	cat > "$T/tree/$f.c" <<C
#include "locks.h"
static spinlock_t ${f}_lock;
void ${f}_twice(void)
{
	_spin_lock(&${f}_lock);
	_spin_lock(&${f}_lock);
	_spin_unlock(&${f}_lock);
}
C
done
cat > "$T/tree/compile_commands.json" <<JSON
[{"directory": "$T/tree", "file": "hv.c", "arguments": ["cc", "-D__XEN__", "-c", "hv.c"]},
 {"directory": "$T/tree", "file": "tool.c", "arguments": ["cc", "-O2", "-c", "tool.c"]}]
JSON
run "$LA" scan -p "$T/tree" --db "$T/t.db"
expect_rc 0 "scan of both TUs"
expect_out err "2 TUs: 2 ok" "the host tool is scanned"
run "$LA" analyze --db "$T/t.db" --rules "$SRC/rules/xen-pci.json"
expect_rc 0 "analyze"
expect_out err "^analyze: 1 TU not analysed: no macro of the rules' \"scope\" defined" "analyze says it left one TU out"
run "$LA" check --db "$T/t.db" --all
expect_rc 2 "check finds the hypervisor's bug"
expect_out out "hv\.c:6:[0-9]+: error: .*hv_lock" "the hypervisor TU's double lock is reported"
expect_no_out out "tool\.c" "nothing from the host tool"
finish
