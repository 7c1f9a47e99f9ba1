/* lockaudit tu-args: the exact clang invocation lockaudit uses per TU, as
 * shell commands (bench/scan.sh runs them to time plain clang). */
#include "cmd.h"
#include "../frontend/compdb.h"
#include "../util/error.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char usage_text[] =
	"usage: lockaudit tu-args [-p DIR] [--compiler CMD]\n"
	"\n"
	"Print, for each C TU of DIR/compile_commands.json, the command\n"
	"`cd DIR && CMD -fsyntax-only ARGS FILE` with the arguments lockaudit\n"
	"gives libclang (GCC-only flags filtered). Default CMD: clang-19.\n";

static void put_quoted(const char *s)
{
	putchar('\'');
	for (; *s; s++) {
		if (*s == '\'')
			fputs("'\\''", stdout);
		else
			putchar(*s);
	}
	putchar('\'');
}

int cmd_tu_args(int argc, char **argv)
{
	const char *dir = ".", *compiler = "clang-19";
	static const struct option longopts[] = {
		{ "compiler", required_argument, NULL, 'c' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int opt;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "p:h", longopts, NULL)) != -1) {
		switch (opt) {
		case 'p': dir = optarg; break;
		case 'c': compiler = optarg; break;
		case 'h': fputs(usage_text, stdout); return EXIT_OK;
		default: return cmd_usage_error(usage_text);
		}
	}
	if (optind != argc)
		return cmd_usage_error(usage_text);
	if (cmd_empty_path("tu-args", "-p", dir, "--compiler", compiler, NULL))
		return EXIT_TOOL;
	fe_compdb db;
	if (fe_compdb_load(dir, &db) < 0)
		return cmd_fail();
	for (int i = 0; i < db.ntus; i++) {
		fputs("cd ", stdout);
		put_quoted(db.tus[i].directory);
		printf(" && %s -fsyntax-only", compiler);
		for (int j = 0; j < db.tus[i].argc; j++) {
			putchar(' ');
			put_quoted(db.tus[i].argv[j]);
		}
		putchar(' ');
		put_quoted(db.tus[i].file);
		putchar('\n');
	}
	fe_compdb_free(&db);
	return EXIT_OK;
}
