/* Rules files (rules/NAME.json, docs/rules.md). This first version knows the
 * kinds the frontend needs; later kinds are added here, one table entry each. */
#ifndef LA_RULES_H
#define LA_RULES_H

typedef enum rules_prim_op {
	PRIM_ACQUIRE,       /* takes the lock passed as argument `arg` */
	PRIM_RELEASE,
	PRIM_TRY,           /* takes it when the call returns non-zero */
	PRIM_QUERY          /* returns whether it is held (spin_is_locked) */
} rules_prim_op;

enum {                  /* lock modes (bits, so a query can accept several) */
	LOCK_SHARED = 1,
	LOCK_EXCLUSIVE = 2,
	LOCK_RECURSIVE = 4,
	LOCK_ANY = 7
};

enum { IRQ_KEEP, IRQ_DISABLE, IRQ_ENABLE, IRQ_SAVE, IRQ_RESTORE };

typedef struct rules_primitive {
	char *function;
	rules_prim_op op;
	int arg;            /* index of the lock argument */
	int mode;           /* LOCK_*: acquired mode, or for a query the modes it answers for */
	int irq;            /* IRQ_* */
} rules_primitive;

typedef struct rules {
	char *path;
	char *description;
	char **assert_macros;     /* macros whose argument is a contract */
	int nassert_macros;
	rules_primitive *primitives;
	int nprimitives, capprimitives;
} rules;

/* The primitive for a function name, or NULL. */
const rules_primitive *rules_find_primitive(const rules *r, const char *function);

/* Errors name the file and the JSON path: "rules/xen-pci.json: $.assert_macros[2]:
 * expected a string". An unknown key is an error. */
int rules_load(const char *path, rules **out);
void rules_free(rules *r);

#endif
