/* The intermediate representation (DESIGN.md §3): each function is a CFG of
 * blocks holding events. Nothing here knows about libclang; the frontend
 * produces it, the store keeps it as text, the lock analysis reads it. */
#ifndef LA_IR_H
#define LA_IR_H

#include "../util/arena.h"
#include "../util/buf.h"

typedef struct ir_loc {
	const char *file;    /* path as the compiler saw it, absolute */
	int line, col;
} ir_loc;

/* Expressions: values of conditions, call arguments, assert conditions,
 * return values and assignment sides. Access paths are the subset made of
 * PARAM/LOCAL/GLOBAL roots with FIELD/DEREF/ADDR/INDEX steps. */
typedef enum ir_expr_kind {
	IR_E_UNKNOWN,
	IR_E_INT,       /* ival */
	IR_E_NULL,
	IR_E_STR,       /* string literal (text not kept) */
	IR_E_PARAM,     /* ival = index, name */
	IR_E_LOCAL,     /* name (unique within the function) */
	IR_E_GLOBAL,    /* name, usr */
	IR_E_FUNC,      /* function designator: name, usr */
	IR_E_FIELD,     /* a.b / a->b: a = base, name = field, sname = struct, ival = 1 for -> */
	IR_E_DEREF,     /* *a */
	IR_E_ADDR,      /* &a */
	IR_E_INDEX,     /* a[b] */
	IR_E_CALLRET,   /* result of call event ival (name = callee, for display) */
	IR_E_UNOP,      /* op a: "!", "-", "~" */
	IR_E_BINOP,     /* a op b: "==", "!=", "<", "&&", "||", "+", ... */
	IR_E_COND       /* a ? b : c */
} ir_expr_kind;

typedef struct ir_expr {
	ir_expr_kind kind;
	long long ival;
	const char *name;    /* param/local/global/func/field name, operator */
	const char *sname;   /* struct name for FIELD, usr for GLOBAL/FUNC */
	struct ir_expr *a, *b, *c;
} ir_expr;

typedef enum ir_mode { IR_READ, IR_WRITE, IR_ADDR } ir_mode;

typedef enum ir_event_kind {
	IR_EV_CALL,
	IR_EV_ACCESS,
	IR_EV_ASSERT,
	IR_EV_ASSIGN,
	IR_EV_RETURN
} ir_event_kind;

enum {
	IR_CALL_DIRECT = 0,
	IR_CALL_INDIRECT = 1,   /* through a function pointer: fnkey says which */
	IR_CALL_ASM = 2         /* inline asm calling a pointer (Xen alternative_call) */
};

typedef struct ir_event {
	ir_event_kind kind;
	ir_loc loc;
	union {
		struct {
			int id;              /* referenced by IR_E_CALLRET */
			int how;             /* IR_CALL_* */
			const char *name;    /* direct: callee name; else rendered callee expr */
			const char *usr;     /* direct callee USR */
			const char *fnkey;   /* indirect: function-pointer key (see fnkey.h) */
			ir_expr **args;
			int nargs;
		} call;
		struct {
			const char *sname, *field;
			ir_mode mode;
			ir_expr *base;       /* the expression the field is selected from */
			int arrow;
		} access;
		struct {
			const char *macro;   /* ASSERT, BUG_ON, lockdep_assert_held, ... */
			ir_expr *cond;       /* the macro's argument */
			const char *text;    /* the argument as the source writes it (white space
			                      * collapsed), for people; NULL when unknown */
		} assert_;
		struct {
			ir_expr *lhs, *rhs;
		} assign;
		struct {
			ir_expr *value;      /* NULL for `return;` */
		} ret;
	} u;
} ir_event;

/* Block terminator: nsucc == 0 is an exit (return or noreturn call),
 * 1 an unconditional edge, 2 a branch on cond (succ[0] when true), more a
 * switch on cond with one label per successor ("3", "default"). */
typedef struct ir_block {
	int id;
	ir_event *ev;
	int nev, capev;
	ir_expr *cond;
	int *succ;
	const char **label;
	int nsucc, capsucc;
	int noreturn;        /* ends in a call that does not return */
} ir_block;

typedef struct ir_param {
	const char *name;
	const char *type;
} ir_param;

/* A lock context annotation written after the function's declarator
 * (Linux's sparse annotations, empty macros for the compiler): what the
 * function promises its callers about a lock. */
typedef enum ir_annot_kind {
	IR_ANNOT_MUST_HOLD,  /* __must_hold(x): x held on entry and on every way out */
	IR_ANNOT_ACQUIRES,   /* __acquires(x): x held on every way out */
	IR_ANNOT_RELEASES    /* __releases(x): x, held on entry, released on every way out */
} ir_annot_kind;

typedef struct ir_annot {
	ir_annot_kind kind;
	ir_loc loc;          /* the macro's name */
	ir_expr *lock;       /* its argument (&s->lock) in the function's terms */
	const char *text;    /* the argument as written, white space collapsed */
} ir_annot;

/* The macro that writes an annotation ("__must_hold"), and back (-1: none). */
const char *ir_annot_macro(ir_annot_kind k);
int ir_annot_kind_of(const char *macro);

typedef struct ir_func {
	const char *name, *usr;
	ir_loc loc;
	int is_static, is_inline;
	const char *section; /* __attribute__((section)) of the definition, or NULL */
	ir_param *params;
	int nparams;
	ir_block **blocks;   /* blocks[0] is the entry */
	int nblocks, capblocks;
	int ncalls;          /* call ids are 0..ncalls-1 */
	ir_annot *annots;    /* lock context annotations, in source order */
	int nannots, capannots;
	ir_loc end;          /* the body's closing brace (file NULL: unknown): where
	                      * a path that falls off the end leaves */
	la_arena *arena;     /* owns everything above */
} ir_func;

/* Construction (the frontend's side). */
ir_func *ir_func_new(la_arena *a, const char *name, const char *usr);
ir_block *ir_block_new(ir_func *f);
ir_event *ir_block_add(ir_func *f, ir_block *b, ir_event_kind kind, ir_loc loc);
void ir_block_edge(ir_func *f, ir_block *from, ir_block *to, const char *label);
ir_expr *ir_expr_new(la_arena *a, ir_expr_kind kind);
ir_annot *ir_func_add_annot(ir_func *f, ir_annot_kind kind, ir_loc loc, ir_expr *lock, const char *text);
/* The call event with this id (IR_E_CALLRET refers to it), or NULL. */
const ir_event *ir_func_call(const ir_func *f, int id);
/* Skip empty pass-through blocks, drop blocks unreachable from the entry,
 * renumber the rest. */
void ir_func_prune(ir_func *f);
/* Free the heap arrays of the blocks and annotations (the arena holds the rest). */
void ir_func_free(ir_func *f);

/* Rendering for people: `$0->vpci->header`, `pcidevs_locked()`. Params are
 * shown as $N (canonical) or by name when `f` is given and names != 0. */
void ir_expr_render(la_buf *b, const ir_expr *e, const ir_func *f, int names);
const char *ir_mode_name(ir_mode m);
/* Listing of the CFG for people and tests (ir_dump.c). */
void ir_func_dump(la_buf *b, const ir_func *f);
int ir_stream_dump(const char *text, const char *only_file, la_buf *out);

/* Text form (ir_sexp.c). */
#define IR_TEXT_VERSION 1
void ir_func_write(la_buf *b, const ir_func *f);
struct sx;
int ir_func_read(la_arena *a, const struct sx *form, ir_func **out);
/* Parse a CFG blob as stored in func.ir. */
int ir_func_parse(la_arena *a, const char *text, ir_func **out);

#endif
