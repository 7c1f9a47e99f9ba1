#!/usr/bin/env bash
# Issue 11: references held and dropped like locks (rules primitives with
# "resource", "try": "return"): a reference kept on an error path is an
# imbalance finding named as the resource (Xen's physdev_map_pirq() before
# 9581c4f9a553), and a resource is no lock to order or nest with.
. "$(dirname "$0")/lib.sh" "$@"

mkdir -p "$T/tree"
cat > "$T/tree/ref.c" <<'C'
typedef struct { int raw; } spinlock_t;
void _spin_lock(spinlock_t *l);
void _spin_unlock(spinlock_t *l);
struct domain { spinlock_t lock; int state; };
struct domain *rcu_lock_domain_by_any_id(unsigned int id);
void rcu_unlock_domain(struct domain *d);
int xsm_check(struct domain *d);

int leak_on_error(unsigned int id)
{
	struct domain *d = rcu_lock_domain_by_any_id(id);
	int rc;

	if ( d == (void *)0 )
		return -19;
	rc = xsm_check(d);
	if ( rc )
		return rc;
	rcu_unlock_domain(d);
	return 0;
}

int dropped_everywhere(unsigned int id, unsigned int other)
{
	struct domain *d = rcu_lock_domain_by_any_id(id);
	struct domain *e;

	if ( !d )
		return -19;
	e = rcu_lock_domain_by_any_id(other);
	if ( e )
	{
		_spin_lock(&d->lock);
		d->state = e->state;
		_spin_unlock(&d->lock);
		rcu_unlock_domain(e);
	}
	rcu_unlock_domain(d);
	return 0;
}

/* a lookup that hands the reference to its caller through a local, or NULL */
static struct domain *find_checked(unsigned int id)
{
	struct domain *d = rcu_lock_domain_by_any_id(id);

	return d;
}

int wrapper_user(unsigned int id)
{
	struct domain *d = find_checked(id);

	if ( !d )
		return -19;
	rcu_unlock_domain(d);
	return 0;
}
C
cat > "$T/tree/compile_commands.json" <<JSON
[{"directory": "$T/tree", "file": "ref.c", "arguments": ["cc", "-c", "ref.c"]}]
JSON
cat > "$T/rules.json" <<'JSON'
{
  "primitives": {
    "_spin_lock": { "acquire": 0, "mode": "exclusive" },
    "_spin_unlock": { "release": 0 },
    "rcu_lock_domain_by_any_id": { "try": "return", "resource": "RCU domain reference" },
    "rcu_unlock_domain": { "release": 0, "resource": "RCU domain reference" }
  }
}
JSON
run "$LA" scan -p "$T/tree" --db "$T/t.db"
expect_rc 0 "scan"
run "$LA" analyze --db "$T/t.db" --rules "$T/rules.json"
expect_rc 0 "analyze"
run "$LA" check --db "$T/t.db" --all
expect_rc 2 "check finds the leak"
expect_out out "ref\.c:18:[0-9]+: warning: leak_on_error\(\) returns with the RCU domain reference to \*d held here but not on other paths \[lockaudit-imbalance\]" \
	"the reference kept on the error path, named as the resource"
expect_no_out out "dropped_everywhere" "two references and a lock, all dropped: nothing (no order, nesting or double-lock)"
expect_no_out out "wrapper_user|find_checked" "a reference handed over through a local by a wrapper is the caller's"
run "$LA" rules-check --rules "$T/rules.json" --db "$T/t.db"
expect_rc 0 "rules-check accepts \"return\" and \"resource\""
finish
