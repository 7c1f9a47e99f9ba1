/* lockaudit: static lock analysis for hypervisor and kernel C. */
#include "cmd/cmd.h"

#include <stdio.h>
#include <string.h>

#include "util/version.h"

static const struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "scan", cmd_scan, "parse the tree of a compile_commands.json into the database" },
	{ "accesses", cmd_accesses, "list every access to STRUCT[.FIELD]" },
	{ "calls", cmd_calls, "callers and callees of FUNC, function pointers resolved" },
	{ "analyze", cmd_analyze, "compute the locks held at every access and call" },
	{ "guards", cmd_guards, "which locks guard each field of STRUCT, and where none does" },
	{ "held", cmd_held, "the locks held at FILE:LINE, and why" },
	{ "check", cmd_check, "report what the checks find (text, JSON, SARIF, code quality; baseline gate)" },
	{ "report", cmd_report, "write the findings, guard map and lock-order graph as one HTML page" },
	{ "audit", cmd_audit, "per commit of BASE..TIP: new and resolved findings, protection changes" },
	{ "rules-check", cmd_rules_check, "check that every name in a rules file exists in the scanned tree" },
	{ "ir", cmd_ir, "show the control-flow graph lockaudit built for a function" },
	{ "tu-args", cmd_tu_args, "print the clang command line used for each TU" },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: lockaudit <command> [options]\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-11s %s\n", commands[i].name, commands[i].summary);
	fprintf(out, "\n'lockaudit <command> --help' describes a command's options.\n"
		     "Exit status: 0 ok, 1 tool error, 2 findings, 3 some TU failed to parse.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 1;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("lockaudit %s\n", LOCKAUDIT_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "lockaudit: '%s' is not a command\n\n", argv[1]);
	usage(stderr);
	return 1;
}
