/* Lock objects as expressions: from a primitive's argument to the object it
 * names, across calls (parameters substituted by arguments and back), with
 * locals replaced by the one value they are ever given. */
#ifndef LA_PATH_H
#define LA_PATH_H

#include "../ir/ir.h"
#include "../util/buf.h"

/* Locals assigned exactly once from a side-effect-free path. */
typedef struct lk_locals {
	const char **name;
	const ir_expr **value;
	int n;
	const char **addr_taken;   /* locals whose address is taken: calls may write them */
	int naddr;
	const char **counted;      /* locals a branch compares with a constant: their ranges are kept */
	int ncounted;
	const char **truth_used;   /* locals returned (`return r;`) or tested for truth (`if ( !locked )`) */
	int ntruth_used;
} lk_locals;

int lk_locals_addr_taken(const lk_locals *l, const char *name);
int lk_locals_counted(const lk_locals *l, const char *name);
int lk_locals_truth_used(const lk_locals *l, const char *name);
/* A condition without `!`, `== 0`, `!= NULL` and `c ? 1 : 0` (their
 * negations flip *truth) (branch.c). */
const ir_expr *lk_normalise_cond(const ir_expr *c, int *truth);

void lk_locals_build(la_arena *a, const ir_func *f, lk_locals *out);

/* The object a lock-pointer argument designates: &x -> x, p -> *p. */
const ir_expr *lk_obj_of_arg(la_arena *a, const ir_expr *arg);
/* *&x -> x, (&x)->f -> x.f, (*p).f -> p->f */
const ir_expr *lk_simplify(la_arena *a, const ir_expr *e);
const ir_expr *lk_resolve_locals(la_arena *a, const ir_expr *e, const lk_locals *l);
/* Callee terms -> caller terms: $i becomes args[i]. NULL when $i is out of range. */
const ir_expr *lk_subst_params(la_arena *a, const ir_expr *e, ir_expr *const *args, int nargs);
/* Caller terms -> callee terms: a part equal to args[i] becomes $i (and x
 * becomes *$i when args[i] is &x). NULL when the object cannot be named in
 * the callee (it hangs off a caller local that is not passed). */
const ir_expr *lk_to_callee(la_arena *a, const ir_expr *e, ir_expr *const *args, int nargs);
int lk_expr_equal(const ir_expr *x, const ir_expr *y);
/* Deep copy into another arena (results outlive a function's scratch arena). */
const ir_expr *lk_expr_clone(la_arena *a, const ir_expr *e);
/* No calls and nothing unknown: safe to compare across program points. */
int lk_expr_pure(const ir_expr *e);
/* Rooted only in parameters and globals: meaningful to callers. */
int lk_expr_rooted_in_params(const ir_expr *e);
/* e with every part equal to `old` replaced by `new`. */
const ir_expr *lk_replace(la_arena *a, const ir_expr *e, const ir_expr *old, const ir_expr *new_);
int lk_expr_contains(const ir_expr *e, const ir_expr *part);
/* Mentions a parameter ($N): meaningless in another function. */
int lk_expr_contains_param(const ir_expr *e);
/* The function's own return value in summaries: a lock handed over in it
 * (`return desc;` with desc->lock held) is `$ret()->lock`. */
const ir_expr *lk_ret_marker(void);
/* Class of a lock object: "vpci.lock", "_pcidevs_lock"; "?" when unknown. */
void lk_class_of(la_buf *b, const ir_expr *obj);

#endif
