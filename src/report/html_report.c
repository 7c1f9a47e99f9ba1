/* `lockaudit report`: the HTML page of the findings (html_data.c) with
 * their source excerpts (html_source.c), the guard map (html_guards.c) and
 * the lock-order graph (html_lockgraph.c), in the frame of html_page.c. */
#include "report.h"
#include "guard_map.h"
#include "html_assets.h"
#include "html_data.h"
#include "html_guards.h"
#include "html_lockgraph.h"
#include "html_meta.h"
#include "html_page.h"
#include "html_source.h"
#include "../util/buf.h"
#include "../util/error.h"

#include <cjson/cJSON.h>
#include <stdlib.h>

/* lines shown before and after the line of a finding or a step */
#define HTML_CONTEXT_LINES 3

/* "guards" and "graph" into doc, and the graph's drawing into svg. */
static int store_parts(const report_input *in, cJSON *doc, la_buf *svg)
{
	guard_map gm;
	int err = guard_map_read(in->store, in->meta.root, NULL, NULL, &gm);
	if (err < 0)
		return err;
	cJSON_AddItemToObject(doc, "guards", html_guards_json(&gm));
	guard_map_free(&gm);
	lockgraph g;
	if ((err = lockgraph_read(in->store, &g)) < 0)
		return err;
	lockgraph_layout(&g);
	lockgraph_svg(&g, svg);
	cJSON_AddItemToObject(doc, "graph", lockgraph_json(&g));
	lockgraph_free(&g);
	return LA_OK;
}

int report_html(FILE *out, const report_input *in)
{
	cJSON *doc = cJSON_CreateObject();
	cJSON_AddStringToObject(doc, "kind", "report");
	cJSON *meta = html_meta_json(in->meta.root, in->meta.rules_path);
	char *selection = html_selection_text(in);
	cJSON_AddStringToObject(meta, "selection", selection);
	free(selection);
	cJSON_AddItemToObject(doc, "meta", meta);
	html_sources src;
	html_sources_init(&src, in->meta.root, HTML_CONTEXT_LINES);
	html_findings_data(doc, in, &src);
	int nread;
	cJSON_AddNumberToObject(doc, "context", HTML_CONTEXT_LINES);
	cJSON_AddItemToObject(doc, "sources", html_sources_json(&src, &nread));
	html_sources_free(&src);
	la_buf svg = LA_BUF_INIT, title = LA_BUF_INIT;
	int err = store_parts(in, doc, &svg);
	if (err >= 0) {
		la_buf_printf(&title, "lockaudit report: %s", in->meta.root ? in->meta.root : "findings");
		html_page page = { title.ptr, la_html_report_js, doc, svg.ptr };
		err = html_page_write(out, &page);
	}
	cJSON_Delete(doc);
	la_buf_free(&svg);
	la_buf_free(&title);
	return err;
}
