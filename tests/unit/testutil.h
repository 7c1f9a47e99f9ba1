/* Helpers shared by the unit tests: temporary directories and files, and
 * assertions on substrings. Header-only (static inline) so each check_*.c
 * stays self-contained. */
#ifndef LA_TESTUTIL_H
#define LA_TESTUTIL_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE   /* vasprintf; include this header first */
#endif
#include <check.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* `hay` contains `needle` (both printed on failure). */
#define ck_assert_str_contains(hay, needle) do { \
	const char *_h = (hay), *_n = (needle); \
	ck_assert_msg(_h && strstr(_h, _n), "expected \"%s\" to contain \"%s\"", \
		      _h ? _h : "(null)", _n); \
} while (0)

#define ck_assert_str_lacks(hay, needle) do { \
	const char *_h = (hay), *_n = (needle); \
	ck_assert_msg(_h && !strstr(_h, _n), "expected \"%s\" not to contain \"%s\"", \
		      _h ? _h : "(null)", _n); \
} while (0)

/* A fresh directory under $TMPDIR (or /tmp), as a canonical absolute path
 * (no symlinks), so tests can compare it with paths lockaudit resolves. */
static inline char *t_mkdtemp(void)
{
	const char *tmp = getenv("TMPDIR");
	char tmpl[PATH_MAX];
	snprintf(tmpl, sizeof(tmpl), "%s/lockaudit-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	ck_assert_msg(mkdtemp(tmpl) != NULL, "mkdtemp %s: %s", tmpl, strerror(errno));
	char *real = realpath(tmpl, NULL);
	ck_assert_ptr_nonnull(real);
	return real;
}

static inline int t_rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static inline void t_rmtree(const char *dir)
{
	if (dir)
		nftw(dir, t_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* printf into a new string; caller frees. */
static inline __attribute__((format(printf, 1, 2))) char *t_fmt(const char *fmt, ...)
{
	va_list ap;
	char *s;
	va_start(ap, fmt);
	int n = vasprintf(&s, fmt, ap);
	va_end(ap);
	ck_assert_int_ge(n, 0);
	return s;
}

/* Create the parent directories of `path`. */
static inline void t_mkparents(const char *path)
{
	char *p = strdup(path);
	for (char *s = strchr(p + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = 0;
		if (mkdir(p, 0777) != 0)
			ck_assert_msg(errno == EEXIST, "mkdir %s: %s", p, strerror(errno));
		*s = '/';
	}
	free(p);
}

/* Write `text` to `path` (parents created). */
static inline void t_write(const char *path, const char *text)
{
	t_mkparents(path);
	FILE *f = fopen(path, "w");
	ck_assert_msg(f != NULL, "cannot write %s: %s", path, strerror(errno));
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

/* Replace every "@D@" in `text` with `dir`; caller frees. Lets fixtures be
 * written as literals naming files in a temporary directory. */
static inline char *t_subst_dir(const char *text, const char *dir)
{
	size_t n = strlen(text), dl = strlen(dir), count = 0;
	for (const char *p = strstr(text, "@D@"); p; p = strstr(p + 3, "@D@"))
		count++;
	char *out = malloc(n + count * dl + 1), *o = out;
	ck_assert_ptr_nonnull(out);
	for (const char *p = text; *p;) {
		if (strncmp(p, "@D@", 3) == 0) {
			memcpy(o, dir, dl);
			o += dl;
			p += 3;
		} else {
			*o++ = *p++;
		}
	}
	*o = 0;
	return out;
}

#endif
