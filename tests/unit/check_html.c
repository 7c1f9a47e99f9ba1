/* The HTML pages' C side: data made safe for a <script> element, the page
 * frame, source excerpts, and the lock-order graph's cycles, layout and
 * SVG. (The pages' scripts are tested in a browser: tests/browser/.) */
#include "testutil.h"
#include "suites.h"

#include <cjson/cJSON.h>

#include "report/html_lockgraph.h"
#include "report/html_page.h"
#include "report/html_source.h"
#include "util/buf.h"

/* ---- escaping ---- */

START_TEST(test_json_for_script)
{
	/* strings that would end the element or start a comment in it, and
	 * the two line separators JavaScript once refused in strings */
	const char *nasty = "</script><script>alert(1)</script> <!-- a && b > c \xe2\x80\xa8 \xe2\x80\xa9 \xc3\xa9";
	cJSON *doc = cJSON_CreateObject();
	cJSON_AddStringToObject(doc, "s", nasty);
	char *json = cJSON_PrintUnformatted(doc);
	la_buf b = LA_BUF_INIT;
	html_json_for_script(&b, json);
	ck_assert_str_lacks(b.ptr, "<");
	ck_assert_str_lacks(b.ptr, ">");
	ck_assert_str_lacks(b.ptr, "&");
	ck_assert_str_lacks(b.ptr, "\xe2\x80\xa8");
	ck_assert_str_contains(b.ptr, "\\u003c/script\\u003e");
	ck_assert_str_contains(b.ptr, "\\u2028");
	ck_assert_str_contains(b.ptr, "\xc3\xa9");   /* other UTF-8 stays as it is */
	/* and it is still the same JSON */
	cJSON *back = cJSON_Parse(b.ptr);
	ck_assert_ptr_nonnull(back);
	ck_assert_str_eq(cJSON_GetObjectItem(back, "s")->valuestring, nasty);
	cJSON_Delete(back);
	cJSON_Delete(doc);
	free(json);
	la_buf_free(&b);
}
END_TEST

START_TEST(test_escape)
{
	la_buf b = LA_BUF_INIT;
	html_escape(&b, "a<b & \"c\" 'd'>");
	ck_assert_str_eq(b.ptr, "a&lt;b &amp; &quot;c&quot; &#39;d&#39;&gt;");
	la_buf_free(&b);
}
END_TEST

/* ---- the page frame ---- */

static char *write_page(const html_page *p, int *err)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	ck_assert_ptr_nonnull(f);
	*err = html_page_write(f, p);
	fclose(f);
	return text;
}

START_TEST(test_page)
{
	cJSON *data = cJSON_CreateObject();
	cJSON_AddStringToObject(data, "note", "</script><b>");
	html_page p = { "report: <tree> & co", "/* the page script */ LA.x = 1;", data, "<svg class=\"lockgraph\"></svg>" };
	int err;
	char *text = write_page(&p, &err);
	ck_assert_int_eq(err, 0);
	ck_assert_str_contains(text, "<!DOCTYPE html>");
	/* nothing can be fetched: a CSP that forbids it, and no reference out */
	ck_assert_str_contains(text, "Content-Security-Policy\" content=\"default-src 'none';");
	ck_assert_str_lacks(text, "src=\"");
	ck_assert_str_lacks(text, "<link");
	ck_assert_str_contains(text, "<title>report: &lt;tree&gt; &amp; co</title>");
	ck_assert_str_contains(text, "\"note\":\"\\u003c/script\\u003e\\u003cb\\u003e\"");
	ck_assert_str_contains(text, "<div id=\"la-svg\" hidden><svg class=\"lockgraph\"></svg></div>");
	ck_assert_str_contains(text, "/* the page script */ LA.x = 1;");
	ck_assert_str_contains(text, "LA.data = JSON.parse");   /* common.js first */
	ck_assert_str_lacks(text, "<!--la:");                   /* every marker replaced */
	ck_assert_str_lacks(text, "/*la:");
	/* the only "</script" are the ends of the two script elements */
	int n = 0;
	for (const char *s = strstr(text, "</script"); s; s = strstr(s + 1, "</script"))
		n++;
	ck_assert_int_eq(n, 2);
	free(text);

	/* a script that would close its element is refused, not written */
	p.script = "var s = '</script>';";
	text = write_page(&p, &err);
	ck_assert_int_lt(err, 0);
	free(text);
	cJSON_Delete(data);
}
END_TEST

/* ---- source excerpts ---- */

START_TEST(test_sources)
{
	char *dir = t_mkdtemp();
	la_buf src = LA_BUF_INIT;
	for (int i = 1; i <= 20; i++) {
		if (i == 15)
			la_buf_printf(&src, "line %d %0500d\r\n", i, 0);   /* too long: cut */
		else
			la_buf_printf(&src, "line %d\n", i);
	}
	char *path = t_fmt("%s/sub/a.c", dir);
	t_write(path, src.ptr);
	html_sources hs;
	html_sources_init(&hs, dir, 2);
	html_sources_want(&hs, "sub/a.c", 8);
	html_sources_want(&hs, "sub/a.c", 5);    /* 3..7 and 6..10 touch: one excerpt */
	html_sources_want(&hs, "sub/a.c", 19);   /* 17..21, cut at the end */
	html_sources_want(&hs, "sub/a.c", 15);   /* 13..17 joins it */
	html_sources_want(&hs, "gone.c", 3);     /* not there: left out */
	html_sources_want(&hs, path, 1);         /* absolute: read as it is */
	int nread;
	cJSON *j = html_sources_json(&hs, &nread);
	ck_assert_int_eq(nread, 2);
	ck_assert_ptr_null(cJSON_GetObjectItem(j, "gone.c"));
	cJSON *chunks = cJSON_GetObjectItem(j, "sub/a.c");
	ck_assert_int_eq(cJSON_GetArraySize(chunks), 2);
	cJSON *c0 = cJSON_GetArrayItem(chunks, 0), *c1 = cJSON_GetArrayItem(chunks, 1);
	ck_assert_int_eq(cJSON_GetArrayItem(c0, 0)->valueint, 3);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetArrayItem(c0, 1)), 8);   /* 3..10 */
	ck_assert_str_eq(cJSON_GetArrayItem(cJSON_GetArrayItem(c0, 1), 0)->valuestring, "line 3");
	ck_assert_int_eq(cJSON_GetArrayItem(c1, 0)->valueint, 13);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetArrayItem(c1, 1)), 8);   /* 13..20 */
	const char *long_line = cJSON_GetArrayItem(cJSON_GetArrayItem(c1, 1), 2)->valuestring;
	ck_assert_int_eq(strlen(long_line), HTML_SOURCE_MAX_LINE + 4);        /* cut, " ..." */
	ck_assert_str_contains(long_line, "line 15 000");
	ck_assert_ptr_nonnull(cJSON_GetObjectItem(j, path));
	cJSON_Delete(j);
	html_sources_free(&hs);
	la_buf_free(&src);
	free(path);
	t_rmtree(dir);
	free(dir);
}
END_TEST

/* ---- the lock-order graph ---- */

static lockgraph sample_graph(void)
{
	lockgraph g;
	memset(&g, 0, sizeof(g));
	/* a -> b -> c -> a is a cycle; c -> d leaves it; e -> f on its own;
	 * d -> d a class nested in itself */
	lockgraph_add(&g, "a", "b", 2, "f_ab", "x.c", 10);
	lockgraph_add(&g, "b", "c", 1, "f_bc", "x.c", 20);
	lockgraph_add(&g, "c", "a", 1, "f_ca", "y.c", 30);
	lockgraph_add(&g, "c", "d", 5, "f_cd", "y.c", 40);
	lockgraph_add(&g, "e<x>", "f", 1, "f_ef", "z.c", 50);
	lockgraph_add(&g, "d", "d", 1, "f_dd", "z.c", 60);
	return g;
}

START_TEST(test_lockgraph_cycles)
{
	lockgraph g = sample_graph();
	lockgraph_layout(&g);
	ck_assert_int_eq(g.nnodes, 6);
	ck_assert_int_eq(g.ncycles, 1);
	int on_cycle[] = { 1, 1, 1, 0, 0, 0 };   /* edges in the order added */
	for (int e = 0; e < g.nedges; e++)
		ck_assert_msg(g.edges[e].cycle == on_cycle[e], "edge %d: cycle %d", e, g.edges[e].cycle);
	for (int v = 0; v < g.nnodes; v++)
		ck_assert_int_eq(g.nodes[v].cycle, v < 3);
	cJSON *j = lockgraph_json(&g);
	char *text = cJSON_PrintUnformatted(cJSON_GetObjectItem(j, "cycles"));
	ck_assert_str_eq(text, "[[\"a\",\"b\",\"c\"]]");
	free(text);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "edges")), 6);
	cJSON_Delete(j);
	lockgraph_free(&g);
}
END_TEST

START_TEST(test_lockgraph_layout)
{
	lockgraph g = sample_graph();
	lockgraph_layout(&g);
	ck_assert(g.width > 0 && g.height > 0);
	/* one back edge closes the cycle; every other edge goes to a later column */
	int back = 0;
	for (int e = 0; e < g.nedges; e++) {
		const lg_edge *ed = &g.edges[e];
		if (ed->from == ed->to)
			continue;
		if (g.nodes[ed->to].layer <= g.nodes[ed->from].layer)
			back++;
	}
	ck_assert_int_eq(back, 1);
	/* inside the drawing, and no two nodes overlap */
	for (int v = 0; v < g.nnodes; v++) {
		const lg_node *a = &g.nodes[v];
		ck_assert(a->x >= 0 && a->y >= 0 && a->x + a->w <= g.width && a->y + LG_NODE_H <= g.height);
		ck_assert(a->w > 7 * strlen(a->name) * 0.9);
		for (int w = v + 1; w < g.nnodes; w++) {
			const lg_node *b = &g.nodes[w];
			int apart = a->x + a->w <= b->x || b->x + b->w <= a->x || a->y + LG_NODE_H <= b->y ||
				    b->y + LG_NODE_H <= a->y;
			ck_assert_msg(apart, "%s and %s overlap", a->name, b->name);
		}
	}
	/* the two components are apart: e and f below (smaller) a..d */
	ck_assert_int_ne(g.nodes[0].comp, g.nodes[4].comp);
	ck_assert(g.nodes[4].y > g.nodes[0].y && g.nodes[4].y > g.nodes[3].y);
	ck_assert(g.nodes[4].x < g.nodes[5].x);
	lockgraph_free(&g);
}
END_TEST

START_TEST(test_lockgraph_svg)
{
	lockgraph g = sample_graph();
	lockgraph_layout(&g);
	la_buf b = LA_BUF_INIT;
	lockgraph_svg(&g, &b);
	int edges = 0, nodes = 0, red = 0;
	for (const char *s = strstr(b.ptr, "<g class=\"lg-e\""); s; s = strstr(s + 1, "<g class=\"lg-e\""))
		edges++;
	for (const char *s = strstr(b.ptr, "<g class=\"lg-node"); s; s = strstr(s + 1, "<g class=\"lg-node"))
		nodes++;
	for (const char *s = strstr(b.ptr, "class=\"lg-edge cyc\""); s; s = strstr(s + 1, "class=\"lg-edge cyc\""))
		red++;
	ck_assert_int_eq(edges, 6);
	ck_assert_int_eq(nodes, 6);
	ck_assert_int_eq(red, 3);
	ck_assert_str_contains(b.ptr, "<title>c \xe2\x86\x92 d: d taken while c is held, 5 times; witness: f_cd() at y.c:40</title>");
	ck_assert_str_contains(b.ptr, "one d taken while another is held");
	ck_assert_str_contains(b.ptr, "data-lock=\"e&lt;x&gt;\"");   /* names escaped */
	ck_assert_str_lacks(b.ptr, "e<x>");
	lockgraph_free(&g);

	/* no edge, no drawing */
	memset(&g, 0, sizeof(g));
	lockgraph_layout(&g);
	la_buf_clear(&b);
	lockgraph_svg(&g, &b);
	ck_assert_int_eq((int)b.len, 0);
	la_buf_free(&b);
}
END_TEST

Suite *suite_html(void)
{
	Suite *s = suite_create("html");
	TCase *tc = tcase_create("page");
	tcase_add_test(tc, test_json_for_script);
	tcase_add_test(tc, test_escape);
	tcase_add_test(tc, test_page);
	tcase_add_test(tc, test_sources);
	suite_add_tcase(s, tc);
	tc = tcase_create("lockgraph");
	tcase_add_test(tc, test_lockgraph_cycles);
	tcase_add_test(tc, test_lockgraph_layout);
	tcase_add_test(tc, test_lockgraph_svg);
	suite_add_tcase(s, tc);
	return s;
}
