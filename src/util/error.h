/* Error codes and the last error message (libgit2 style: functions return an
 * int code, the message says which file / entry / JSON path went wrong). */
#ifndef LA_ERROR_H
#define LA_ERROR_H

enum {
	LA_OK = 0,
	LA_ERR = -1,       /* generic failure, message set */
	LA_ENOMEM = -2,
	LA_EIO = -3,       /* file or process I/O */
	LA_EPARSE = -4,    /* malformed input (JSON, IR text) */
	LA_ENOTFOUND = -5,
	LA_EINVAL = -6,    /* bad argument or option */
	LA_EDB = -7        /* SQLite failure */
};

/* Set the message for the error being returned; printf-style. Returns LA_ERR
 * so callers can write `return la_error(...)`. */
int la_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Same, returning the given code. */
int la_error_code(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prefix the current message with more context ("compile_commands.json: ..."). */
void la_error_prefix(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
const char *la_error_last(void);
void la_error_clear(void);

#endif
