/* Numeric command-line arguments: the whole string must be a decimal
 * number within [min, max]; anything else is an error naming the option. */
#ifndef LA_NUMARG_H
#define LA_NUMARG_H

/* Parse `arg`, the value of option `opt` (e.g. "-j"), into *out. Returns
 * LA_OK, or LA_EINVAL with the message "OPT takes WHAT from MIN to MAX,
 * not 'ARG'" (`what` says what the number counts: "a number", "seconds"). */
int la_parse_long_arg(const char *opt, const char *what, const char *arg, long min, long max, long *out);

#endif
