/* Turning a GCC command line into arguments libclang accepts. */
#ifndef LA_FLAGS_H
#define LA_FLAGS_H

/* Filter argv (the compiler invocation without argv[0]) for libclang: drops
 * the flags listed in the table of flags.c (GCC-only code generation flags,
 * -Werror, output and dependency-file options) and the source file itself
 * (`source`: absolute and normalised; relative arguments resolve against
 * `directory`),
 * and appends the few flags lockaudit needs. Returns a new NULL-terminated
 * vector of xstrdup'ed strings in *out (count in *outc). */
void fe_flags_filter(char *const *argv, int argc, const char *directory, const char *source,
		     char ***out, int *outc);
void fe_flags_free(char **argv, int argc);

#endif
