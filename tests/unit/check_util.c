/* src/util: growable buffer, arena, string set, FNV-1a hash, s-expressions. */
#include "testutil.h"

#include <fcntl.h>
#include <stdint.h>

#include "util/arena.h"
#include "util/buf.h"
#include "util/cycles.h"
#include "util/error.h"
#include "util/hash.h"
#include "util/progress.h"
#include "util/sexp.h"
#include "util/strset.h"

#include "suites.h"

/* --- la_buf --- */

START_TEST(test_buf_put)
{
	la_buf b = LA_BUF_INIT;
	la_buf_puts(&b, "abc");
	la_buf_putc(&b, '-');
	la_buf_put(&b, "xyz123", 3);
	ck_assert_str_eq(b.ptr, "abc-xyz");
	ck_assert_uint_eq(b.len, 7);
	ck_assert_uint_gt(b.cap, b.len);   /* room for the NUL */
	la_buf_clear(&b);
	ck_assert_uint_eq(b.len, 0);
	ck_assert_str_eq(b.ptr, "");
	la_buf_puts(&b, "again");
	char *s = la_buf_detach(&b);
	ck_assert_str_eq(s, "again");
	ck_assert_ptr_null(b.ptr);
	ck_assert_uint_eq(b.len, 0);
	free(s);
	/* detaching an untouched buffer gives an empty string, never NULL */
	s = la_buf_detach(&b);
	ck_assert_ptr_nonnull(s);
	ck_assert_str_eq(s, "");
	free(s);
	la_buf_free(&b);
}
END_TEST

START_TEST(test_buf_printf_growth)
{
	/* la_buf_printf formats into 256 bytes on the stack first; longer
	 * output takes the second path that writes into the buffer directly */
	char big[1001];
	for (int i = 0; i < 1000; i++)
		big[i] = (char)('a' + i % 26);
	big[1000] = 0;
	la_buf b = LA_BUF_INIT;
	la_buf_printf(&b, "<%d>", 42);
	la_buf_printf(&b, "%s|%d", big, -7);
	ck_assert_uint_eq(b.len, 4 + 1000 + 3);
	ck_assert_uint_eq(strlen(b.ptr), b.len);
	ck_assert_int_eq(strncmp(b.ptr, "<42>abcdefghijklmnopqrstuvwxyzabc", 33), 0);
	ck_assert_str_eq(b.ptr + 4 + 1000, "|-7");
	ck_assert_int_eq(memcmp(b.ptr + 4, big, 1000), 0);
	/* exactly at the boundary: 255 and 256 characters */
	la_buf c = LA_BUF_INIT;
	la_buf_printf(&c, "%.*s", 255, big);
	ck_assert_uint_eq(c.len, 255);
	la_buf_printf(&c, "%.*s", 256, big);
	ck_assert_uint_eq(c.len, 511);
	ck_assert_uint_eq(strlen(c.ptr), 511);
	ck_assert_int_eq(memcmp(c.ptr + 255, big, 256), 0);
	la_buf_free(&c);
	la_buf_free(&b);
}
END_TEST

START_TEST(test_buf_read_file)
{
	char *dir = t_mkdtemp();
	char *path = t_fmt("%s/f.txt", dir);
	t_write(path, "line one\nline two\n");
	la_buf b = LA_BUF_INIT;
	la_buf_puts(&b, ">");   /* appends to what is there */
	ck_assert_int_eq(la_buf_read_file(&b, path), LA_OK);
	ck_assert_str_eq(b.ptr, ">line one\nline two\n");
	la_buf_free(&b);

	char *empty = t_fmt("%s/empty", dir);
	t_write(empty, "");
	ck_assert_int_eq(la_buf_read_file(&b, empty), LA_OK);
	ck_assert_ptr_nonnull(b.ptr);
	ck_assert_str_eq(b.ptr, "");
	ck_assert_uint_eq(b.len, 0);
	la_buf_free(&b);
	free(empty);
	free(path);
	t_rmtree(dir);
	free(dir);
}
END_TEST

START_TEST(test_buf_read_file_missing)
{
	la_buf b = LA_BUF_INIT;
	la_error_clear();
	ck_assert_int_eq(la_buf_read_file(&b, "/nonexistent/dir/input.json"), LA_EIO);
	ck_assert_str_contains(la_error_last(), "/nonexistent/dir/input.json");
	ck_assert_str_contains(la_error_last(), "No such file");
	la_buf_free(&b);
}
END_TEST

/* --- la_arena --- */

START_TEST(test_arena_alloc)
{
	la_arena a = LA_ARENA_INIT;
	unsigned char *prev[200];
	for (int i = 0; i < 200; i++) {
		size_t n = (size_t)(i % 37) + 1;
		unsigned char *p = la_arena_alloc(&a, n);
		ck_assert_uint_eq((uintptr_t)p % 16, 0);
		for (size_t j = 0; j < n; j++)
			ck_assert_uint_eq(p[j], 0);   /* zeroed */
		memset(p, i + 1, n);
		prev[i] = p;
	}
	/* nothing overlapped: each block still holds its own byte */
	for (int i = 0; i < 200; i++)
		ck_assert_uint_eq(prev[i][0], (unsigned)(i + 1) & 0xff);
	/* larger than a chunk, then small again */
	size_t huge = 200 * 1024;
	unsigned char *h = la_arena_alloc(&a, huge);
	ck_assert_uint_eq((uintptr_t)h % 16, 0);
	ck_assert_uint_eq(h[0], 0);
	ck_assert_uint_eq(h[huge - 1], 0);
	memset(h, 0xab, huge);
	ck_assert_uint_ge(a.total, huge);
	char *s = la_arena_alloc(&a, 3);
	ck_assert_uint_eq((uintptr_t)s % 16, 0);
	ck_assert_uint_eq(prev[0][0], 1);
	la_arena_free(&a);
	ck_assert_ptr_null(a.head);
	ck_assert_uint_eq(a.total, 0);
	/* usable again after free */
	ck_assert_ptr_nonnull(la_arena_alloc(&a, 8));
	la_arena_free(&a);
}
END_TEST

START_TEST(test_arena_strings)
{
	la_arena a = LA_ARENA_INIT;
	const char *src = "pcidevs_lock";
	char *d = la_arena_strdup(&a, src);
	ck_assert_ptr_ne(d, src);
	ck_assert_str_eq(d, "pcidevs_lock");
	ck_assert_str_eq(la_arena_strndup(&a, "vpci->lock", 4), "vpci");
	ck_assert_str_eq(la_arena_strdup(&a, ""), "");
	ck_assert_ptr_null(la_arena_strdup(&a, NULL));
	la_arena_free(&a);
}
END_TEST

/* --- la_strset --- */

START_TEST(test_strset_basic)
{
	la_strset s = LA_STRSET_INIT;
	ck_assert_int_eq(la_strset_has(&s, "a"), 0);   /* empty set, no table yet */
	char buf[8] = "b";
	ck_assert_int_eq(la_strset_add(&s, buf), 1);
	buf[0] = 'z';   /* the set keeps its own copy */
	ck_assert_int_eq(la_strset_add(&s, "a"), 1);
	ck_assert_int_eq(la_strset_add(&s, "b"), 0);
	ck_assert_int_eq(la_strset_add(&s, ""), 1);
	ck_assert_int_eq(la_strset_add(&s, ""), 0);
	ck_assert_uint_eq(s.n, 3);
	ck_assert(la_strset_has(&s, "a"));
	ck_assert(la_strset_has(&s, "b"));
	ck_assert(la_strset_has(&s, ""));
	ck_assert(!la_strset_has(&s, "c"));
	ck_assert(!la_strset_has(&s, "bb"));
	ck_assert(!la_strset_has(&s, "z"));
	/* insertion order */
	ck_assert_str_eq(s.items[0], "b");
	ck_assert_str_eq(s.items[1], "a");
	ck_assert_str_eq(s.items[2], "");
	la_strset_free(&s);
	ck_assert_uint_eq(s.n, 0);
	ck_assert_int_eq(la_strset_has(&s, "a"), 0);
}
END_TEST

START_TEST(test_strset_growth)
{
	la_strset s = LA_STRSET_INIT;
	char key[32];
	for (int i = 0; i < 10000; i++) {
		snprintf(key, sizeof(key), "c:@F@func_%d", i);
		ck_assert_int_eq(la_strset_add(&s, key), 1);
	}
	ck_assert_uint_eq(s.n, 10000);
	ck_assert_uint_ge(s.capslots, 2 * s.n);   /* load factor kept at 1/2 */
	for (int i = 0; i < 10000; i++) {
		snprintf(key, sizeof(key), "c:@F@func_%d", i);
		ck_assert_msg(la_strset_has(&s, key), "lost %s after growing", key);
		ck_assert_str_eq(s.items[i], key);
		ck_assert_int_eq(la_strset_add(&s, key), 0);
	}
	ck_assert_uint_eq(s.n, 10000);
	ck_assert(!la_strset_has(&s, "c:@F@func_10000"));
	ck_assert(!la_strset_has(&s, "c:@F@func_"));
	la_strset_free(&s);
}
END_TEST

/* --- la_hash --- */

START_TEST(test_hash_vectors)
{
	/* published FNV-1a 64-bit test vectors */
	ck_assert_uint_eq(la_hash_bytes(LA_HASH_INIT, "", 0), 0xcbf29ce484222325ULL);
	ck_assert_uint_eq(la_hash_bytes(LA_HASH_INIT, "a", 1), 0xaf63dc4c8601ec8cULL);
	ck_assert_uint_eq(la_hash_bytes(LA_HASH_INIT, "foobar", 6), 0x85944171f73967e8ULL);
	/* incremental = one shot */
	ck_assert_uint_eq(la_hash_bytes(la_hash_bytes(LA_HASH_INIT, "foo", 3), "bar", 3),
			  0x85944171f73967e8ULL);
	/* la_hash_str includes the NUL, so ("ab","c") and ("a","bc") differ */
	ck_assert_uint_eq(la_hash_str(LA_HASH_INIT, "a"), la_hash_bytes(LA_HASH_INIT, "a", 2));
	ck_assert_uint_ne(la_hash_str(la_hash_str(LA_HASH_INIT, "ab"), "c"),
			  la_hash_str(la_hash_str(LA_HASH_INIT, "a"), "bc"));
	char hex[17];
	la_hash_hex(0xaf63dc4c8601ec8cULL, hex);
	ck_assert_str_eq(hex, "af63dc4c8601ec8c");
	la_hash_hex(0x1234, hex);
	ck_assert_str_eq(hex, "0000000000001234");
}
END_TEST

START_TEST(test_hash_file)
{
	char *dir = t_mkdtemp();
	char *path = t_fmt("%s/data", dir);
	t_write(path, "foobar");
	uint64_t h = 0;
	ck_assert_int_eq(la_hash_file(path, &h), LA_OK);
	ck_assert_uint_eq(h, 0x85944171f73967e8ULL);
	char *missing = t_fmt("%s/missing", dir);
	ck_assert_int_eq(la_hash_file(missing, &h), LA_EIO);
	ck_assert_str_contains(la_error_last(), missing);
	free(missing);
	free(path);
	t_rmtree(dir);
	free(dir);
}
END_TEST

/* --- s-expressions --- */

START_TEST(test_sexp_atoms)
{
	la_arena a = LA_ARENA_INIT;
	const char *text = "  foo 12 -3 0:4:7 ; comment (not a form)\n c:@F@f ";
	size_t pos = 0;
	int err = 99;
	sx *x = sx_read(&a, text, &pos, &err);
	ck_assert_int_eq(err, LA_OK);
	ck_assert_int_eq(x->kind, SX_ATOM);
	ck_assert_str_eq(sx_str(x), "foo");
	ck_assert_int_eq(sx_int(x, -99), -99);   /* not a number */
	x = sx_read(&a, text, &pos, &err);
	ck_assert_int_eq(sx_int(x, 0), 12);
	x = sx_read(&a, text, &pos, &err);
	ck_assert_int_eq(sx_int(x, 0), -3);
	x = sx_read(&a, text, &pos, &err);
	ck_assert_str_eq(sx_str(x), "0:4:7");
	ck_assert_int_eq(sx_int(x, -1), -1);
	x = sx_read(&a, text, &pos, &err);   /* the comment is skipped */
	ck_assert_str_eq(sx_str(x), "c:@F@f");
	ck_assert_int_eq(sx_line(x), 2);
	ck_assert_ptr_null(sx_read(&a, text, &pos, &err));   /* end of input */
	ck_assert_int_eq(err, LA_OK);
	la_arena_free(&a);
}
END_TEST

START_TEST(test_sexp_strings)
{
	la_arena a = LA_ARENA_INIT;
	const char *text = "(\"a\\\"b\" \"back\\\\slash\" \"two\\nlines\\ttab\" \"(not a list)\" \"\" \"x;y\")";
	size_t pos = 0;
	int err;
	sx *x = sx_read(&a, text, &pos, &err);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->kind, SX_LIST);
	ck_assert_int_eq(x->n, 6);
	for (int i = 0; i < 6; i++)
		ck_assert_int_eq(sx_at(x, i)->kind, SX_STR);
	ck_assert_str_eq(sx_str(sx_at(x, 0)), "a\"b");
	ck_assert_str_eq(sx_str(sx_at(x, 1)), "back\\slash");
	ck_assert_str_eq(sx_str(sx_at(x, 2)), "two\nlines\ttab");
	ck_assert_str_eq(sx_str(sx_at(x, 3)), "(not a list)");
	ck_assert_str_eq(sx_str(sx_at(x, 4)), "");
	ck_assert_str_eq(sx_str(sx_at(x, 5)), "x;y");
	ck_assert_ptr_null(sx_head(x));   /* first item is a string, not an atom */
	ck_assert_uint_eq(pos, strlen(text));
	la_arena_free(&a);
}
END_TEST

/* What the writers produce, the reader gives back. */
START_TEST(test_sexp_write_read)
{
	static const char *const samples[] = {
		"plain", "with space", "quote\"inside", "back\\slash", "new\nline", "(parens)",
		"semi;colon", "", "/abs/path/file.c", "c:@S@vpci@F@read#",
	};
	la_buf b = LA_BUF_INIT;
	la_buf_putc(&b, '(');
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		la_buf_putc(&b, ' ');
		sx_put_atom_or_str(&b, samples[i]);
	}
	la_buf_putc(&b, ')');
	/* bare when safe, quoted otherwise */
	ck_assert_str_contains(b.ptr, "( plain \"with space\"");
	ck_assert_str_contains(b.ptr, " /abs/path/file.c ");
	ck_assert_str_contains(b.ptr, " \"\" ");
	la_arena a = LA_ARENA_INIT;
	size_t pos = 0;
	int err;
	sx *x = sx_read(&a, b.ptr, &pos, &err);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->n, (int)(sizeof(samples) / sizeof(samples[0])));
	for (int i = 0; i < x->n; i++)
		ck_assert_str_eq(sx_str(sx_at(x, i)), samples[i]);
	la_arena_free(&a);
	la_buf_free(&b);
}
END_TEST

START_TEST(test_sexp_nested)
{
	la_arena a = LA_ARENA_INIT;
	const char *text = "(func (block 0\n  (call 1 \"f\")\n  (term -))\n ((deep)) ())\n(next)";
	size_t pos = 0;
	int err;
	sx *x = sx_read(&a, text, &pos, &err);
	ck_assert_ptr_nonnull(x);
	ck_assert(sx_is(x, "func"));
	ck_assert(!sx_is(x, "fun"));
	ck_assert_str_eq(sx_head(x), "func");
	ck_assert_int_eq(x->n, 4);
	sx *block = sx_at(x, 1);
	ck_assert(sx_is(block, "block"));
	ck_assert_int_eq(sx_int(sx_at(block, 1), -1), 0);
	ck_assert(sx_is(sx_at(block, 2), "call"));
	ck_assert_str_eq(sx_str(sx_at(sx_at(block, 2), 2)), "f");
	ck_assert(sx_is(sx_at(block, 3), "term"));
	/* ((deep)): a list whose head is a list */
	sx *deep = sx_at(x, 2);
	ck_assert_int_eq(deep->kind, SX_LIST);
	ck_assert_ptr_null(sx_head(deep));
	ck_assert(sx_is(sx_at(deep, 0), "deep"));
	/* () */
	sx *empty = sx_at(x, 3);
	ck_assert_int_eq(empty->kind, SX_LIST);
	ck_assert_int_eq(empty->n, 0);
	ck_assert_ptr_null(sx_head(empty));
	ck_assert_ptr_null(sx_at(empty, 0));
	/* every form knows its line, nested ones too */
	ck_assert_int_eq(sx_line(x), 1);
	ck_assert_int_eq(sx_line(block), 1);
	ck_assert_int_eq(sx_line(sx_at(block, 2)), 2);
	ck_assert_int_eq(sx_line(sx_at(block, 3)), 3);
	ck_assert_int_eq(sx_line(deep), 4);
	ck_assert_int_eq(sx_line(NULL), 0);
	/* accessors tolerate NULL, atoms and out-of-range indexes */
	ck_assert_ptr_null(sx_at(x, 4));
	ck_assert_ptr_null(sx_at(x, -1));
	ck_assert_ptr_null(sx_at(NULL, 0));
	ck_assert_ptr_null(sx_at(sx_at(x, 0), 0));
	ck_assert_ptr_null(sx_str(x));
	ck_assert_ptr_null(sx_str(NULL));
	ck_assert_int_eq(sx_int(NULL, 5), 5);
	ck_assert(!sx_is(NULL, "func"));
	/* the next form */
	x = sx_read(&a, text, &pos, &err);
	ck_assert(sx_is(x, "next"));
	ck_assert_int_eq(sx_line(x), 5);
	ck_assert_ptr_null(sx_read(&a, text, &pos, &err));
	ck_assert_int_eq(err, LA_OK);
	la_arena_free(&a);
}
END_TEST

static void expect_parse_error(const char *text, const char *msg)
{
	la_arena a = LA_ARENA_INIT;
	size_t pos = 0;
	int err = LA_OK;
	la_error_clear();
	sx *x = NULL;
	/* earlier well-formed forms are fine; the bad one must fail */
	while ((x = sx_read(&a, text, &pos, &err)) != NULL)
		;
	ck_assert_msg(err == LA_EPARSE, "%s: expected LA_EPARSE, got %d", text, err);
	ck_assert_str_contains(la_error_last(), msg);
	la_arena_free(&a);
}

START_TEST(test_sexp_errors)
{
	expect_parse_error("(a b", "line 1: unterminated list");
	expect_parse_error("(ok)\n(a\n (b c)\n", "line 2: unterminated list");
	/* the innermost open list is the one reported */
	expect_parse_error("(a\n (b\n", "line 2: unterminated list");
	expect_parse_error("(a \"bc)", "line 1: unterminated string");
	expect_parse_error("(x)\n\n(a \"multi\nline", "line 3: unterminated string");
	expect_parse_error("(a \"ends in escape\\\"", "unterminated string");
	expect_parse_error("(a))", "line 1: unexpected ')'");
	expect_parse_error(")", "line 1: unexpected ')'");
}
END_TEST

/* A byte that starts no form (non-ASCII, control, DEL) is an error, not an
 * endless loop reading empty atoms. */
START_TEST(test_sexp_bad_bytes)
{
	expect_parse_error("(a \xc3\xa9)", "line 1: unexpected byte 0xc3");
	expect_parse_error("(ok)\n(a \x01 b)", "line 2: unexpected byte 0x01");
	expect_parse_error("\x7f", "unexpected byte 0x7f");
	/* inside a string any byte is fine */
	la_arena a = LA_ARENA_INIT;
	size_t pos = 0;
	int err;
	sx *x = sx_read(&a, "\"caf\xc3\xa9\"", &pos, &err);
	ck_assert_ptr_nonnull(x);
	ck_assert_str_eq(sx_str(x), "caf\xc3\xa9");
	la_arena_free(&a);
}
END_TEST

START_TEST(test_sexp_deep_nesting)
{
	/* deeper than the reader's limit: an error, not a stack overflow */
	size_t depth = 20000;
	char *text = malloc(depth * 2 + 1);
	memset(text, '(', depth);
	memset(text + depth, ')', depth);
	text[depth * 2] = 0;
	expect_parse_error(text, "nesting too deep");
	free(text);
}
END_TEST

/* Reading a worker stream is linear in its size: a stream of many forms
 * (a TU with thousands of functions) must not be rescanned from its start
 * for every form. 60000 forms, 2.6 MB: milliseconds when linear, minutes
 * when each read counts lines from the beginning. */
START_TEST(test_sexp_many_forms_linear)
{
	la_buf b = LA_BUF_INIT;
	for (int i = 0; i < 60000; i++)
		la_buf_printf(&b, "(access \"s\" \"f%d\" read 1 0:%d:3 (param 0 \"p\"))\n", i, i);
	la_arena a = LA_ARENA_INIT;
	size_t pos = 0;
	int err, n = 0;
	sx *x, *last = NULL;
	while ((x = sx_read(&a, b.ptr, &pos, &err)) != NULL) {
		n++;
		last = x;
	}
	ck_assert_int_eq(err, LA_OK);
	ck_assert_int_eq(n, 60000);
	ck_assert_int_eq(sx_line(last), 60000);
	la_arena_free(&a);
	la_buf_free(&b);
}
END_TEST

/* --- la_cycles --- */

typedef struct cyc_log {
	char text[256];
	int truncated;
} cyc_log;

static void log_cycle(void *ctx, const int *nodes, int len)
{
	cyc_log *l = ctx;
	size_t n = strlen(l->text);
	for (int i = 0; i < len; i++)
		n += (size_t)snprintf(l->text + n, sizeof(l->text) - n, "%d", nodes[i]);
	snprintf(l->text + n, sizeof(l->text) - n, " ");
}

static void log_truncated(void *ctx, const int *nodes, int n, long found)
{
	cyc_log *l = ctx;
	l->truncated += n * 100 + (int)found;
	(void)nodes;
}

START_TEST(test_cycles)
{
	/* 0->1->2->0, 1->0 (a cycle of two inside the ring), 2->3 (3 in no
	 * cycle), 3->3 (a self loop: ignored), 4<->5 a component of its own */
	static const int off[] = { 0, 1, 3, 4, 5, 6, 7 }, adj[] = { 1, 0, 2, 0, 3, 5, 4 };
	int off2[7];
	memcpy(off2, off, sizeof(off));
	off2[4] = 4;   /* drop the 3->3 edge ... */
	static const int adj2[] = { 1, 0, 2, 0, 5, 4 };
	for (int i = 4; i < 7; i++)
		off2[i] = off[i] - 1;
	cyc_log l = { "", 0 };
	la_digraph g = { 6, off2, adj2 };
	la_cycle_cb cb = { log_cycle, log_truncated, &l };
	ck_assert_int_eq(la_cycles(&g, 100, 1000, &cb), 0);
	ck_assert_str_eq(l.text, "01 012 45 ");
	ck_assert_int_eq(l.truncated, 0);
	(void)adj;

	/* a cut-short search says so: one cycle allowed in {0,1,2} */
	memset(&l, 0, sizeof(l));
	ck_assert_int_eq(la_cycles(&g, 1, 1000, &cb), 2);
	ck_assert_str_eq(l.text, "01 45 ");
	ck_assert_int_eq(l.truncated, 301 + 201);

	/* the complete graph on 4 nodes has 20 elementary cycles */
	static const int koff[] = { 0, 3, 6, 9, 12 }, kadj[] = { 1, 2, 3, 0, 2, 3, 0, 1, 3, 0, 1, 2 };
	la_digraph k4 = { 4, koff, kadj };
	memset(&l, 0, sizeof(l));
	la_cycle_cb count = { log_cycle, NULL, &l };
	ck_assert_int_eq(la_cycles(&k4, 1000, 100000, &count), 0);
	int spaces = 0;
	for (const char *c = l.text; *c; c++)
		spaces += *c == ' ';
	ck_assert_int_eq(spaces, 20);
}
END_TEST

START_TEST(test_scc)
{
	/* 0->1->2->0 and 1->0 one component; 2->3, 3->3 (self loop) alone;
	 * 4<->5 another; successors unsorted */
	static const int off[] = { 0, 1, 3, 5, 6, 7, 8 }, adj[] = { 1, 2, 0, 3, 0, 3, 5, 4 };
	la_digraph g = { 6, off, adj };
	int comp[6];
	ck_assert_int_eq(la_scc(&g, comp), 3);
	ck_assert_int_eq(comp[0], comp[1]);
	ck_assert_int_eq(comp[1], comp[2]);
	ck_assert_int_ne(comp[3], comp[0]);
	ck_assert_int_eq(comp[4], comp[5]);
	ck_assert_int_ne(comp[4], comp[0]);
	ck_assert_int_ne(comp[4], comp[3]);
	/* a component closes after those it reaches: {3} before {0,1,2} */
	ck_assert_int_lt(comp[3], comp[0]);
}
END_TEST

/* --- progress line --- */

/* What the terminal received since the last call (the master side of a pty). */
static char *pty_read(int master)
{
	static char buf[4096];
	usleep(20000);
	ssize_t n = read(master, buf, sizeof(buf) - 1);
	buf[n > 0 ? n : 0] = 0;
	return buf;
}

START_TEST(test_progress_line)
{
	ck_assert_ptr_null(la_progress_new(stderr, 1));   /* quiet */
	FILE *plain = tmpfile();
	ck_assert_ptr_null(la_progress_new(plain, 0));    /* no terminal */
	fclose(plain);
	la_progress_update(NULL, 1, 2, 0);                /* NULL: nothing */

	int master = posix_openpt(O_RDWR | O_NOCTTY);
	ck_assert_int_ge(master, 0);
	ck_assert_int_eq(grantpt(master), 0);
	ck_assert_int_eq(unlockpt(master), 0);
	FILE *tty = fopen(ptsname(master), "w");
	ck_assert_ptr_nonnull(tty);
	fcntl(master, F_SETFL, O_NONBLOCK);
	la_progress *p = la_progress_new(tty, 0);
	ck_assert_ptr_nonnull(p);
	la_progress_label(p, "scan");
	la_progress_update(p, 1, 4, 1);
	ck_assert_str_eq(pty_read(master), "\r\033[Kscan: 1/4 TUs, 1 failed, 0:00 left");
	la_progress_update(p, 2, 4, 1);                   /* within 0.1 s: not redrawn */
	ck_assert_str_eq(pty_read(master), "");
	la_progress_update(p, 4, 4, 1);                   /* the last one always */
	ck_assert_str_eq(pty_read(master), "\r\033[Kscan: 4/4 TUs, 1 failed, 0:00");
	la_progress_free(p);                              /* erases it */
	ck_assert_str_eq(pty_read(master), "\r\033[K");
	fclose(tty);
	close(master);
}
END_TEST

Suite *suite_util(void)
{
	Suite *s = suite_create("util");
	TCase *tc = tcase_create("buf");
	tcase_add_test(tc, test_buf_put);
	tcase_add_test(tc, test_cycles);
	tcase_add_test(tc, test_scc);
	tcase_add_test(tc, test_buf_printf_growth);
	tcase_add_test(tc, test_buf_read_file);
	tcase_add_test(tc, test_buf_read_file_missing);
	suite_add_tcase(s, tc);

	tc = tcase_create("arena");
	tcase_add_test(tc, test_arena_alloc);
	tcase_add_test(tc, test_arena_strings);
	suite_add_tcase(s, tc);

	tc = tcase_create("strset");
	tcase_add_test(tc, test_strset_basic);
	tcase_add_test(tc, test_strset_growth);
	suite_add_tcase(s, tc);

	tc = tcase_create("hash");
	tcase_add_test(tc, test_hash_vectors);
	tcase_add_test(tc, test_hash_file);
	suite_add_tcase(s, tc);

	tc = tcase_create("progress");
	tcase_add_test(tc, test_progress_line);
	suite_add_tcase(s, tc);

	tc = tcase_create("sexp");
	tcase_set_timeout(tc, 20);   /* generous for sanitizer builds */
	tcase_add_test(tc, test_sexp_atoms);
	tcase_add_test(tc, test_sexp_strings);
	tcase_add_test(tc, test_sexp_write_read);
	tcase_add_test(tc, test_sexp_nested);
	tcase_add_test(tc, test_sexp_errors);
	tcase_add_test(tc, test_sexp_bad_bytes);
	tcase_add_test(tc, test_sexp_deep_nesting);
	tcase_add_test(tc, test_sexp_many_forms_linear);
	suite_add_tcase(s, tc);
	return s;
}
