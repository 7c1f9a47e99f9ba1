#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static char last_msg[4096];

static void set_msg(const char *fmt, va_list ap)
{
	vsnprintf(last_msg, sizeof(last_msg), fmt, ap);
}

int la_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_msg(fmt, ap);
	va_end(ap);
	return LA_ERR;
}

int la_error_code(int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	set_msg(fmt, ap);
	va_end(ap);
	return code;
}

void la_error_prefix(const char *fmt, ...)
{
	char prefix[1024], old[sizeof(last_msg)];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, last_msg, sizeof(old));
	/* truncation of a very long message is acceptable */
	size_t n = strlen(prefix);
	if (n >= sizeof(last_msg))
		n = sizeof(last_msg) - 1;
	memcpy(last_msg, prefix, n);
	size_t rest = strlen(old);
	if (n + rest >= sizeof(last_msg))
		rest = sizeof(last_msg) - n - 1;
	memcpy(last_msg + n, old, rest);
	last_msg[n + rest] = 0;
}

const char *la_error_last(void)
{
	return last_msg[0] ? last_msg : "unknown error";
}

void la_error_clear(void)
{
	last_msg[0] = 0;
}
