/* One file per subcommand (git style), dispatched from main.c. Each returns
 * the process exit status: 0 ok, 1 tool error, 2 findings, 3 some TU failed. */
#ifndef LA_CMD_H
#define LA_CMD_H

enum { EXIT_OK = 0, EXIT_TOOL = 1, EXIT_FINDINGS = 2, EXIT_TU_FAILED = 3 };

#define LA_DEFAULT_DB "lockaudit.db"

int cmd_scan(int argc, char **argv);
int cmd_accesses(int argc, char **argv);
int cmd_calls(int argc, char **argv);
int cmd_tu_args(int argc, char **argv);
int cmd_ir(int argc, char **argv);
int cmd_analyze(int argc, char **argv);
int cmd_guards(int argc, char **argv);
int cmd_held(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_rules_check(int argc, char **argv);

/* Print "lockaudit: error: <last error>" and return EXIT_TOOL. */
int cmd_fail(void);
/* Print "lockaudit CMD: <last error>" for a bad option value (the message
 * names the option) and return EXIT_TOOL. */
int cmd_option_error(const char *cmd);
/* The options of `analyze` and `rules-check`: --db FILE, --rules FILE
 * (required), --help. Returns -1 to go on, else the exit status. */
int cmd_db_rules_options(int argc, char **argv, const char *usage, const char **dbpath, const char **rules_path);
/* Print usage to stderr and return EXIT_TOOL (for bad options). */
int cmd_usage_error(const char *usage);
/* Pairs of option name and value (NULL: not given), then NULL. An empty value
 * ("--db ''") is a usage error: print "lockaudit CMD: --db takes a path, not
 * an empty string" and return 1 (exit with EXIT_TOOL); else 0. */
int cmd_empty_path(const char *cmd, ...) __attribute__((sentinel));
struct store;
/* Run the lock analysis with a rules file and print its summary line. */
int cmd_run_analysis(struct store *s, const char *rules_path, int quiet);
/* Open a database for questions about held locks, analysing first when the
 * facts or the rules changed since the last analysis. */
int cmd_open_analysed(const char *dbpath, const char *rules_opt, struct store **out);
/* The same, also giving the rules it read (the file is read once; NULL when
 * the database names none). The caller frees them with rules_free. */
struct rules;
int cmd_open_analysed_rules(const char *dbpath, const char *rules_opt, struct store **out, struct rules **rules_out);
/* Lint the rules against the database's facts (src/rules/rules_lint.h),
 * printing "lockaudit: warning: RULES: $.PATH: ..." for each problem, the
 * first `max_shown` only (-1: all) and then how many more. Returns the
 * number of problems, or an error code. */
int cmd_lint_rules(struct store *s, const struct rules *r, const char *rules_path, int max_shown);
/* The long options of `check` and `report` that choose the findings
 * (src/report/select.h) and where they go; each command adds its own and
 * the terminating { NULL }. */
#define CMD_SELECT_LONGOPTS \
	{ "db", required_argument, NULL, 'd' },       { "rules", required_argument, NULL, 'r' }, \
	{ "enable", required_argument, NULL, 'e' },   { "disable", required_argument, NULL, 'x' }, \
	{ "all", no_argument, NULL, 'a' },            { "show-ignored", no_argument, NULL, 'i' }, \
	{ "baseline", required_argument, NULL, 'b' }, { "output", required_argument, NULL, 'o' }, \
	{ "help", no_argument, NULL, 'h' }
/* Append the value of a repeatable option (--enable ID) to a list. */
void cmd_list_add(const char ***v, int *n, int *cap, const char *value);
/* What CMD_SELECT_LONGOPTS set (`check`, `report`). */
typedef struct cmd_select_args {
	const char *dbpath, *rules_path, *output, *baseline;
	const char **enable, **disable;
	int nenable, ndisable, capenable, capdisable;
	int all, show_ignored;
} cmd_select_args;
/* Take getopt's `opt` (and its argument) when it is one of
 * CMD_SELECT_LONGOPTS but --help: 1, else 0. */
int cmd_select_option(cmd_select_args *a, int opt, const char *arg);
struct select_opts;
/* The report selection these options ask for (rules and baseline are the
 * caller's); an unknown check id is an error. */
int cmd_select_init(const cmd_select_args *a, struct select_opts *out);
/* Split STRUCT[.FIELD] (STRUCT may itself hold dots) as the database knows it. */
void cmd_resolve_field(struct store *s, const char *spec, char **sname, char **fname);

#endif
