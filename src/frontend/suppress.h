/* Inline suppression comments, as the frontend reads them (no libclang
 * type here: the parser is plain text, tested on its own).
 *
 *   lines 1-2 of a comment:   lockaudit: ignore[CHECK] reason
 *                             lockaudit: ignore[CHECK,CHECK] reason
 *
 * The comment (block or line) must start with "lockaudit:". Whether the
 * check exists and the reason is given is decided when findings are
 * reported (src/report/select.c), where an error can name file:line. */
#ifndef LA_FE_SUPPRESS_H
#define LA_FE_SUPPRESS_H

struct la_buf;

/* If the comment's text (with its // or slash-star markers) is a
 * lockaudit directive, return 1 and put the ids between the brackets into
 * `checks` as "id,id" (spaces dropped; empty when there are no brackets or
 * nothing in them), and the reason, its lines joined by single spaces,
 * into `reason` ("" when there is none). Else return 0. */
int fe_suppression_parse(const char *comment, struct la_buf *checks, struct la_buf *reason);

#endif
