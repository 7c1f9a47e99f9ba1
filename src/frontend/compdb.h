/* compile_commands.json as GCC builds write it (bear: "arguments";
 * gen_compile_commands.py / CMake: "command"). */
#ifndef LA_COMPDB_H
#define LA_COMPDB_H

#include <stddef.h>

typedef struct fe_tu_cmd {
	int index;          /* entry number in the JSON array, for messages */
	char *directory;    /* absolute */
	char *file;         /* absolute, normalised */
	char **argv;        /* filtered for libclang, NULL-terminated */
	int argc;
} fe_tu_cmd;

typedef struct fe_compdb {
	char *path;         /* the compile_commands.json read */
	fe_tu_cmd *tus;
	int ntus;
	int nduplicates;    /* entries naming a file already seen (first one kept) */
	int nskipped;       /* entries that are not C (assembly, C++) */
} fe_compdb;

/* Load DIR/compile_commands.json (or the file itself when given one).
 * Errors name the file and the entry: "compile_commands.json: entry 12:
 * \"arguments\" must be an array of strings". Only whitespace may follow the
 * JSON array; an entry with an empty "file", and a database without a C
 * entry, are errors. */
int fe_compdb_load(const char *dir_or_file, fe_compdb *out);
/* The same on the file's text already in memory (LEN bytes). PATH names it
 * in messages, and relative "directory" values are relative to its
 * directory; the file itself is not read. */
int fe_compdb_parse(const char *path, const char *text, size_t len, fe_compdb *out);
void fe_compdb_free(fe_compdb *db);

/* Split a shell command line ("command" form) into words: quotes and
 * backslashes as POSIX sh treats them, no expansion. */
int fe_shell_split(const char *cmd, char ***argv, int *argc);

/* Lexically normalise an absolute path ("a/./b/../c" -> "a/c"), in place. */
void fe_path_normalise(char *path);

#endif
