#include "compdb.h"
#include "flags.h"
#include "../util/buf.h"
#include "../util/error.h"
#include "../util/json.h"
#include "../util/xalloc.h"

#include <cjson/cJSON.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void fe_path_normalise(char *path)
{
	/* Segments are copied left to right; `out` never passes the read
	 * position, and the separator is written before a segment, so the
	 * unread input is never overwritten. */
	int absolute = path[0] == '/';
	char *p = path, *out = path + absolute;
	char *base = out;
	while (*p) {
		while (*p == '/')
			p++;
		char *seg = p;
		while (*p && *p != '/')
			p++;
		size_t len = (size_t)(p - seg);
		if (len == 0 || (len == 1 && seg[0] == '.'))
			continue;
		if (len == 2 && seg[0] == '.' && seg[1] == '.') {
			if (out > base && !(out - base >= 2 && out[-1] == '.' && out[-2] == '.' &&
					     (out - base == 2 || out[-3] == '/'))) {
				while (out > base && out[-1] != '/')
					out--;
				if (out > base)
					out--;   /* the separator before the dropped segment */
				continue;
			}
			if (absolute)
				continue;   /* "/.." is "/" */
		}
		if (out > base)
			*out++ = '/';
		memmove(out, seg, len);
		out += len;
	}
	if (out == path)
		*out++ = '.';
	*out = 0;
}

int fe_shell_split(const char *cmd, char ***argv, int *argc)
{
	char **v = NULL;
	int n = 0, cap = 0;
	const char *p = cmd;
	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\n')
			p++;
		if (!*p)
			break;
		la_buf w = LA_BUF_INIT;
		la_buf_put(&w, "", 0);
		while (*p && *p != ' ' && *p != '\t' && *p != '\n') {
			if (*p == '\'') {
				const char *e = strchr(p + 1, '\'');
				if (!e)
					goto unterminated;
				la_buf_put(&w, p + 1, (size_t)(e - p - 1));
				p = e + 1;
			} else if (*p == '"') {
				p++;
				while (*p && *p != '"') {
					if (*p == '\\' && p[1] && strchr("\"\\$`\n", p[1]))
						p++;
					la_buf_putc(&w, *p++);
				}
				if (*p != '"')
					goto unterminated;
				p++;
			} else if (*p == '\\' && p[1]) {
				la_buf_putc(&w, p[1]);
				p += 2;
			} else {
				la_buf_putc(&w, *p++);
			}
		}
		LA_VEC_PUSH(v, n, cap);
		v[n++] = la_buf_detach(&w);
		continue;
unterminated:
		la_buf_free(&w);
		for (int i = 0; i < n; i++)
			free(v[i]);
		free(v);
		return la_error_code(LA_EPARSE, "unterminated quote in command");
	}
	LA_VEC_PUSH(v, n, cap);
	v[n] = NULL;
	*argv = v;
	*argc = n;
	return LA_OK;
}

static char *join_path(const char *dir, const char *p)
{
	la_buf b = LA_BUF_INIT;
	if (p[0] != '/') {
		la_buf_puts(&b, dir);
		la_buf_putc(&b, '/');
	}
	la_buf_puts(&b, p);
	char *s = la_buf_detach(&b);
	fe_path_normalise(s);
	return s;
}

static int is_c_source(const char *file)
{
	const char *dot = strrchr(file, '.');
	return dot && (strcmp(dot, ".c") == 0 || strcmp(dot, ".i") == 0);
}

static int entry_error(const char *path, int index, const char *what)
{
	return la_error_code(LA_EPARSE, "%s: entry %d: %s", path, index, what);
}

/* One entry -> fe_tu_cmd. Returns 1 when the entry is kept, 0 when skipped. */
static int load_entry(const char *path, const char *jsondir, int index, const cJSON *e,
		      fe_tu_cmd *tu, int *err)
{
	*err = LA_OK;
	if (!cJSON_IsObject(e))
		return *err = entry_error(path, index, "expected an object"), 0;
	const cJSON *jdir = NULL, *jfile = NULL, *jargs = NULL, *jcmd = NULL;
	for (const cJSON *k = e->child; k; k = k->next) {
		if (strcmp(k->string, "directory") == 0) jdir = k;
		else if (strcmp(k->string, "file") == 0) jfile = k;
		else if (strcmp(k->string, "arguments") == 0) jargs = k;
		else if (strcmp(k->string, "command") == 0) jcmd = k;
		/* "output" and unknown keys are allowed: the format is open */
	}
	if (!cJSON_IsString(jdir))
		return *err = entry_error(path, index, "\"directory\" must be a string"), 0;
	if (!cJSON_IsString(jfile))
		return *err = entry_error(path, index, "\"file\" must be a string"), 0;
	if (!*jfile->valuestring)
		return *err = entry_error(path, index, "\"file\" is empty"), 0;
	if (!jargs && !jcmd)
		return *err = entry_error(path, index, "needs \"arguments\" or \"command\""), 0;
	char *dir = join_path(jsondir, jdir->valuestring);
	char *file = join_path(dir, jfile->valuestring);
	if (!is_c_source(file)) {
		free(dir);
		free(file);
		return 0;
	}
	char **argv = NULL;
	int argc = 0;
	if (jargs) {
		if (!cJSON_IsArray(jargs)) {
			*err = entry_error(path, index, "\"arguments\" must be an array of strings");
			goto fail;
		}
		argc = cJSON_GetArraySize(jargs);
		argv = xcalloc((size_t)argc + 1, sizeof(char *));
		int i = 0;
		for (const cJSON *a = jargs->child; a; a = a->next, i++) {
			if (!cJSON_IsString(a)) {
				fe_flags_free(argv, i);
				argv = NULL;
				la_buf msg = LA_BUF_INIT;
				la_buf_printf(&msg, "\"arguments\"[%d] must be a string", i);
				*err = entry_error(path, index, msg.ptr);
				la_buf_free(&msg);
				goto fail;
			}
			argv[i] = xstrdup(a->valuestring);
		}
	} else {
		if (!cJSON_IsString(jcmd)) {
			*err = entry_error(path, index, "\"command\" must be a string");
			goto fail;
		}
		if (fe_shell_split(jcmd->valuestring, &argv, &argc) < 0) {
			*err = entry_error(path, index, "\"command\" has an unterminated quote");
			goto fail;
		}
	}
	if (argc < 1) {
		fe_flags_free(argv, argc);
		*err = entry_error(path, index, "empty command line");
		goto fail;
	}
	tu->index = index;
	tu->directory = dir;
	tu->file = file;
	fe_flags_filter(argv + 1, argc - 1, dir, file, &tu->argv, &tu->argc);
	fe_flags_free(argv, argc);
	return 1;
fail:
	free(dir);
	free(file);
	return 0;
}

int fe_compdb_load(const char *dir_or_file, fe_compdb *out)
{
	memset(out, 0, sizeof(*out));
	struct stat st;
	la_buf path = LA_BUF_INIT;
	la_buf_puts(&path, dir_or_file);
	if (stat(dir_or_file, &st) == 0 && S_ISDIR(st.st_mode))
		la_buf_puts(&path, "/compile_commands.json");
	la_buf text = LA_BUF_INIT;
	int err = la_buf_read_file(&text, path.ptr);
	if (err >= 0)
		err = fe_compdb_parse(path.ptr, text.ptr, text.len, out);
	la_buf_free(&text);
	la_buf_free(&path);
	return err;
}

int fe_compdb_parse(const char *path, const char *text, size_t len, fe_compdb *out)
{
	memset(out, 0, sizeof(*out));
	cJSON *root = NULL;
	int err = la_json_parse(path, text, len, &root);
	if (err < 0)
		return err;
	if (!cJSON_IsArray(root)) {
		err = la_error_code(LA_EPARSE, "%s: expected a JSON array of entries", path);
		goto done;
	}
	/* Relative "directory" values are taken relative to the JSON file. */
	char *abs = realpath(path, NULL);
	char *jsondir = xstrdup(abs ? abs : path);
	free(abs);
	char *slash = strrchr(jsondir, '/');
	if (slash)
		*slash = 0;
	if (jsondir[0] != '/') {
		char cwd[PATH_MAX];
		char *rel = jsondir;
		jsondir = join_path(getcwd(cwd, sizeof(cwd)) ? cwd : "/", slash ? rel : ".");
		free(rel);
	}
	out->path = xstrdup(path);
	int cap = 0, index = 0;
	for (const cJSON *e = root->child; e; e = e->next, index++) {
		fe_tu_cmd tu;
		memset(&tu, 0, sizeof(tu));
		if (!load_entry(path, jsondir, index, e, &tu, &err)) {
			if (err < 0)
				break;
			out->nskipped++;
			continue;
		}
		int dup = 0;
		for (int i = 0; i < out->ntus && !dup; i++)
			dup = strcmp(out->tus[i].file, tu.file) == 0;
		if (dup) {
			/* Same file built twice (e.g. two configurations): keep the first. */
			out->nduplicates++;
			free(tu.directory);
			free(tu.file);
			fe_flags_free(tu.argv, tu.argc);
			continue;
		}
		LA_VEC_PUSH(out->tus, out->ntus, cap);
		out->tus[out->ntus++] = tu;
	}
	free(jsondir);
	/* Nothing to scan is a mistake (an empty or wrong file), not a tree
	 * without code: scanning it would prune every stored TU. */
	if (err >= 0 && index == 0)
		err = la_error_code(LA_EPARSE, "%s: no entries: nothing to scan", path);
	else if (err >= 0 && out->ntus == 0)
		err = la_error_code(LA_EPARSE, "%s: none of its %d entries is a C file (.c or .i): nothing to scan",
				    path, index);
	if (err < 0)
		fe_compdb_free(out);
done:
	cJSON_Delete(root);
	return err;
}

void fe_compdb_free(fe_compdb *db)
{
	for (int i = 0; i < db->ntus; i++) {
		free(db->tus[i].directory);
		free(db->tus[i].file);
		fe_flags_free(db->tus[i].argv, db->tus[i].argc);
	}
	free(db->tus);
	free(db->path);
	memset(db, 0, sizeof(*db));
}
