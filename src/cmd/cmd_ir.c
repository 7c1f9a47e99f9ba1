/* lockaudit ir: the CFG lockaudit sees for a function, from the database
 * or straight from one source file. */
#include "cmd.h"
#include "../scan/scan.h"
#include "../frontend/compdb.h"
#include "../frontend/lower.h"
#include "../ir/ir.h"
#include "../rules/assert_macros.h"
#include "../store/store.h"
#include "../util/buf.h"
#include "../util/error.h"
#include "../util/xalloc.h"

#include <getopt.h>
#include <limits.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
	"usage: lockaudit ir FUNC [--db FILE]\n"
	"       lockaudit ir --file FILE.c [-- CLANG-ARGS...]\n"
	"\n"
	"Print the control-flow graph lockaudit built for FUNC (from the database),\n"
	"or for every function defined in FILE.c (parsed now, nothing stored).\n"
	"Each block lists its events (call, read/write/addr accesses, assert,\n"
	"assign, return, with the line) and its successors.\n"
	"\n"
	"Exit status: 0 ok, 1 tool error, 3 (--file) the file did not parse: a fatal\n"
	"error, or an expression nested too deeply to lower.\n";

static int dump_file(const char *file, int argc, char **argv)
{
	char *abs = realpath(file, NULL);
	if (!abs) {
		fprintf(stderr, "lockaudit: error: %s: no such file\n", file);
		return EXIT_TOOL;
	}
	fe_tu_cmd cmd;
	memset(&cmd, 0, sizeof(cmd));
	cmd.file = abs;
	cmd.directory = xstrdup(abs);
	*strrchr(cmd.directory, '/') = 0;
	cmd.argv = argv;
	cmd.argc = argc;
	fe_config cfg;
	memset(&cfg, 0, sizeof(cfg));
	cfg.assert_macros = rules_default_assert_macros;
	cfg.nassert_macros = rules_ndefault_assert_macros;
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);
	int rc = EXIT_OK;
	if (!mem || fe_lower_tu(&cmd, &cfg, mem) < 0) {
		rc = cmd_fail();
	} else {
		fclose(mem);
		mem = NULL;
		la_buf out = LA_BUF_INIT;
		la_buf d = LA_BUF_INIT;
		if (scan_first_diag(text, NULL, &d))
			fprintf(stderr, "lockaudit: %s\n", d.ptr);
		la_buf_free(&d);
		/* a fatal error (or an expression too deep to lower): what is
		 * listed is not the whole file, and `scan` would not store it */
		if (strstr(text, "\n(status failed)")) {
			fprintf(stderr, "lockaudit: %s: TU failed\n", file);
			rc = EXIT_TU_FAILED;
		}
		if (ir_stream_dump(text, abs, &out) < 0) {
			cmd_fail();
			rc = EXIT_TOOL;
		}
		fputs(out.ptr ? out.ptr : "", stdout);
		la_buf_free(&out);
	}
	if (mem)
		fclose(mem);
	free(text);
	free(cmd.directory);
	free(abs);
	return rc;
}

int cmd_ir(int argc, char **argv)
{
	const char *dbpath = LA_DEFAULT_DB, *file = NULL;
	static const struct option longopts[] = {
		{ "db", required_argument, NULL, 'd' }, { "file", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'd': dbpath = optarg; break;
		case 'f': file = optarg; break;
		case 'h': fputs(usage_text, stdout); return EXIT_OK;
		default: return cmd_usage_error(usage_text);
		}
	}
	if (cmd_empty_path("ir", "--db", dbpath, "--file", file, NULL))
		return EXIT_TOOL;
	if (file)
		return dump_file(file, argc - optind, argv + optind);
	if (optind + 1 != argc)
		return cmd_usage_error(usage_text);
	store *s;
	if (store_open(dbpath, STORE_OPEN_READ, &s) < 0)
		return cmd_fail();
	sqlite3_stmt *st;
	int n = 0, rc = EXIT_OK;
	if (sqlite3_prepare_v2(store_db(s), "SELECT ir FROM func WHERE name = ?1 OR usr = ?1", -1, &st,
			       NULL) != SQLITE_OK) {
		fprintf(stderr, "lockaudit: error: %s: %s\n", dbpath, sqlite3_errmsg(store_db(s)));
		store_close(s);
		return EXIT_TOOL;
	}
	sqlite3_bind_text(st, 1, argv[optind], -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		la_buf out = LA_BUF_INIT;
		if (ir_stream_dump((const char *)sqlite3_column_text(st, 0), NULL, &out) < 0)
			rc = cmd_fail();
		fputs(out.ptr ? out.ptr : "", stdout);
		la_buf_free(&out);
		n++;
	}
	sqlite3_finalize(st);
	store_close(s);
	if (!n) {
		fprintf(stderr, "lockaudit: no function named '%s' in %s\n", argv[optind], dbpath);
		rc = EXIT_TOOL;
	}
	return rc;
}
