/* tests/unit/irbuild.h: programs from IR text, rules from a JSON string. */
#include "testutil.h"

#include "irbuild.h"
#include "util/error.h"

void irb_init(irb *b, const char *rules_json)
{
	memset(b, 0, sizeof(*b));
	char *dir = t_mkdtemp();
	char *path = t_fmt("%s/rules.json", dir);
	t_write(path, rules_json);
	ck_assert_msg(rules_load(path, &b->r) == LA_OK, "%s", la_error_last());
	t_rmtree(dir);   /* loaded: the file is not read again */
	free(path);
	free(dir);
}

/* ' -> ", so the text can be a C literal without escapes. */
static char *dequote(const char *s)
{
	char *t = strdup(s);
	for (char *c = t; *c; c++)
		if (*c == '\'')
			*c = '"';
	return t;
}

/* What the frontend would have filled in: callees' USRs, the call count. */
static void complete(la_arena *a, ir_func *f)
{
	for (int bl = 0; bl < f->nblocks; bl++)
		for (int i = 0; i < f->blocks[bl]->nev; i++) {
			ir_event *e = &f->blocks[bl]->ev[i];
			if (e->kind != IR_EV_CALL)
				continue;
			if (e->u.call.how == IR_CALL_DIRECT && !e->u.call.usr && e->u.call.name) {
				char *usr = t_fmt("c:@F@%s", e->u.call.name);
				e->u.call.usr = la_arena_strdup(a, usr);
				free(usr);
			}
			if (e->u.call.id >= f->ncalls)
				f->ncalls = e->u.call.id + 1;
		}
}

void irb_func(irb *b, const char *name, const char *body)
{
	char *raw = t_fmt("(func %d '%s' 'c:@F@%s' 0:1:1 (static 0) (inline 0) (files '%s') %s)", IR_TEXT_VERSION,
			  name, name, IRB_FILE, body);
	char *text = dequote(raw);
	ir_func *f;
	ck_assert_msg(ir_func_parse(&b->in.arena, text, &f) == LA_OK, "%s: %s", name, la_error_last());
	complete(&b->in.arena, f);
	char *usr = t_fmt("c:@F@%s", name);
	lk_prog_input_add_func(&b->in, b->in.nfuncs + 1, usr, name, f);
	free(usr);
	free(text);
	free(raw);
}

void irb_flow(irb *b, const char *slot, const char *fn)
{
	char *usr = t_fmt("c:@F@%s", fn);
	lk_prog_input_add_flow(&b->in, slot, 1, usr);
	free(usr);
}

lk_prog *irb_build(irb *b)
{
	ck_assert_msg(lk_prog_build(&b->in, b->r, &b->p) == LA_OK, "%s", la_error_last());
	return b->p;
}

lk_fn *irb_fn(irb *b, const char *name)
{
	for (int i = 0; b->p && i < b->p->nfn; i++)
		if (strcmp(b->p->fn[i].name, name) == 0)
			return &b->p->fn[i];
	ck_abort_msg("no function %s in the program", name);
	return NULL;
}

void irb_free(irb *b)
{
	lk_prog_input_free(&b->in);
	lk_prog_free(b->p);
	rules_free(b->r);
	memset(b, 0, sizeof(*b));
}
