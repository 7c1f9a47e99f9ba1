/* The findings part of the HTML report's data (report.js draws it). */
#ifndef LA_HTML_DATA_H
#define LA_HTML_DATA_H

struct cJSON;
struct report_input;
struct html_sources;

/* Into doc: "checks" (id, severity, title, on) and "report": the JSON
 * report's document (docs/report-json.md: the findings with their steps,
 * the counts of the selection). The lines of each finding and step are
 * asked of `src` for the excerpts. */
void html_findings_data(struct cJSON *doc, const struct report_input *in, struct html_sources *src);
/* "every check", or "the checks on by default" / "in the rules", with
 * --enable and --disable: for the page's header. Caller frees. */
char *html_selection_text(const struct report_input *in);

#endif
