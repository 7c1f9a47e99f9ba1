#include "html_meta.h"
#include "json_out.h"
#include "../git/git.h"
#include "../util/buf.h"
#include "../util/error.h"
#include "../util/version.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* "c447b7308b1f subject" of the tree's HEAD, or NULL outside git (git's
 * error is not the page's: the field is left out). */
static char *tree_commit(const char *tree)
{
	static const char *const head[] = { "log", "-1", "--format=%h %s", "--abbrev=12", "HEAD", NULL };
	static const char *const dirty[] = { "status", "--porcelain", "--untracked-files=no", "--", ".", NULL };
	la_buf out = LA_BUF_INIT, st = LA_BUF_INIT;
	if (!tree || git_run(tree, head, &out) < 0 || !out.len) {
		la_error_clear();
		la_buf_free(&out);
		return NULL;
	}
	while (out.len && (out.ptr[out.len - 1] == '\n' || out.ptr[out.len - 1] == '\r'))
		out.ptr[--out.len] = 0;
	if (git_run(tree, dirty, &st) >= 0 && st.len)
		la_buf_puts(&out, " (modified)");
	la_error_clear();
	la_buf_free(&st);
	return la_buf_detach(&out);
}

cJSON *html_meta_json(const char *tree, const char *rules)
{
	cJSON *m = cJSON_CreateObject();
	report_json_str(m, "tree", tree);
	char *commit = tree_commit(tree);
	report_json_str(m, "commit", commit);
	free(commit);
	report_json_str(m, "rules", rules);
	cJSON_AddStringToObject(m, "version", LOCKAUDIT_VERSION);
	char when[64];
	time_t now = time(NULL);
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
	cJSON_AddStringToObject(m, "generated", when);
	return m;
}
