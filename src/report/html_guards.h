/* The guard map of the HTML report as data for the page (report.js draws
 * it): the statistics of guard_map.h, with file and function names shared
 * through two tables (there are tens of thousands of unguarded accesses in
 * Xen; each names them by index). */
#ifndef LA_HTML_GUARDS_H
#define LA_HTML_GUARDS_H

struct cJSON;
struct guard_map;

/* {"files": [...], "funcs": [...], "fields": [{"s": STRUCT, "f": FIELD,
 *  "r": reads, "w": writes, "a": address-taken, "u": on no analysed path,
 *  "locks": [[CLASS, reads, writes], ...] (largest share first),
 *  "ung": [[file index, line, col, "r"|"w", func index, expr], ...]}]} */
struct cJSON *html_guards_json(const struct guard_map *m);

#endif
