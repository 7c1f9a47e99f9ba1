#include "flags.h"
#include "compdb.h"
#include "../util/buf.h"
#include "../util/xalloc.h"

#include <string.h>

/* Flags clang rejects or that make no sense for a syntax-only parse. GCC
 * builds of Xen and Linux carry the first group; clang errors out on them
 * ("unknown argument"), which would make every TU fail. */
enum match { EXACT, PREFIX };
static const struct flag_rule {
	const char *flag;
	enum match match;
	int takes_arg;        /* the next argv element belongs to this flag */
} drop_table[] = {
	/* GCC-only code generation */
	{ "-mindirect-branch=", PREFIX, 0 },
	{ "-mindirect-branch-register", EXACT, 0 },
	{ "-mfunction-return=", PREFIX, 0 },
	{ "-mpreferred-stack-boundary=", PREFIX, 0 },
	{ "-mincoming-stack-boundary=", PREFIX, 0 },
	{ "-fconserve-stack", EXACT, 0 },
	{ "-mskip-rax-setup", EXACT, 0 },
	{ "-malign-data=", PREFIX, 0 },
	{ "-mmemcpy-strategy=", PREFIX, 0 },
	{ "-mmemset-strategy=", PREFIX, 0 },
	{ "-mrecord-mcount", EXACT, 0 },
	{ "-mmanual-endbr", EXACT, 0 },
	{ "-mno-fp-ret-in-387", EXACT, 0 },
	{ "-mabi=ms", EXACT, 0 },
	{ "-fno-allow-store-data-races", EXACT, 0 },
	{ "-fno-var-tracking-assignments", EXACT, 0 },
	{ "-fno-ipa-", PREFIX, 0 },
	{ "-fno-tree-", PREFIX, 0 },
	{ "-fno-partial-inlining", EXACT, 0 },
	{ "-fno-reorder-blocks", EXACT, 0 },
	{ "-fmin-function-alignment=", PREFIX, 0 },
	{ "-falign-jumps=", PREFIX, 0 },
	{ "-falign-loops=", PREFIX, 0 },
	{ "-fsanitize-coverage=trace-pc", EXACT, 0 },
	{ "-fno-schedule-insns", EXACT, 0 },
	{ "-fconstant-cfstrings", EXACT, 0 },
	/* clang 8-15's opt-in for -ftrivial-auto-var-init=zero, which Linux's
	 * clang builds pass; clang 16 and later reject it */
	{ "-enable-trivial-auto-var-init-zero-knowing-it-will-be-removed-from-clang", EXACT, 0 },
	{ "-fpatchable-function-entry=", PREFIX, 0 },
	{ "--param=", PREFIX, 0 },
	{ "--param", EXACT, 1 },
	{ "-Wa,", PREFIX, 0 },
	{ "-Wp,-MD,", PREFIX, 0 },
	{ "-Wp,-MMD,", PREFIX, 0 },
	/* warnings are not errors here: a GCC-clean tree need not be clang-clean */
	{ "-Werror", EXACT, 0 },
	{ "-Werror=", PREFIX, 0 },
	{ "-pedantic-errors", EXACT, 0 },
	/* output, dependency files, driver modes */
	{ "-c", EXACT, 0 },
	{ "-S", EXACT, 0 },
	{ "-E", EXACT, 0 },
	{ "-o", EXACT, 1 },
	{ "-MD", EXACT, 0 },
	{ "-MMD", EXACT, 0 },
	{ "-MP", EXACT, 0 },
	{ "-MG", EXACT, 0 },
	{ "-MF", EXACT, 1 },
	{ "-MT", EXACT, 1 },
	{ "-MQ", EXACT, 1 },
	{ "-pipe", EXACT, 0 },
	{ "-save-temps", EXACT, 0 },
	{ "-save-temps=", PREFIX, 0 },
	{ "-flto", EXACT, 0 },
	{ "-flto=", PREFIX, 0 },
	/* driver queries: they print commands or versions instead of parsing */
	{ "-###", EXACT, 0 },
	{ "-v", EXACT, 0 },
	{ "--verbose", EXACT, 0 },
	{ "-H", EXACT, 0 },
};

/* Appended: clang warns about GCC warning names it lacks; keep output quiet. */
static const char *const append_table[] = {
	"-Wno-unknown-warning-option",
	"-Wno-unused-command-line-argument",
	"-Wno-ignored-optimization-argument",
	"-ferror-limit=0",
};

static const struct flag_rule *lookup(const char *arg)
{
	for (size_t i = 0; i < sizeof(drop_table) / sizeof(drop_table[0]); i++) {
		const struct flag_rule *r = &drop_table[i];
		if (r->match == EXACT ? strcmp(arg, r->flag) == 0
				      : strncmp(arg, r->flag, strlen(r->flag)) == 0)
			return r;
	}
	return NULL;
}

/* Is this argument the source file? Compared as normalised absolute paths:
 * Xen writes "./arch/x86/efi/check.c" where "file" is absolute. */
static int same_file(const char *arg, const char *directory, const char *source)
{
	if (!source)
		return 0;
	la_buf b = LA_BUF_INIT;
	if (arg[0] != '/' && directory) {
		la_buf_puts(&b, directory);
		la_buf_putc(&b, '/');
	}
	la_buf_puts(&b, arg);
	fe_path_normalise(b.ptr);
	int same = strcmp(b.ptr, source) == 0;
	la_buf_free(&b);
	return same;
}

void fe_flags_filter(char *const *argv, int argc, const char *directory, const char *source,
		     char ***out, int *outc)
{
	size_t nappend = sizeof(append_table) / sizeof(append_table[0]);
	char **v = xcalloc((size_t)argc + nappend + 1, sizeof(char *));
	int n = 0;
	for (int i = 0; i < argc; i++) {
		const struct flag_rule *r = lookup(argv[i]);
		if (r) {
			i += r->takes_arg;
			continue;
		}
		if (argv[i][0] != '-' && same_file(argv[i], directory, source))
			continue;
		v[n++] = xstrdup(argv[i]);
	}
	for (size_t i = 0; i < nappend; i++)
		v[n++] = xstrdup(append_table[i]);
	v[n] = NULL;
	*out = v;
	*outc = n;
}

void fe_flags_free(char **argv, int argc)
{
	for (int i = 0; i < argc; i++)
		free(argv[i]);
	free(argv);
}
