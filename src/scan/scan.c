/* The incremental scan: compile database -> libclang workers -> SQLite.
 * A TU is parsed again when its fingerprint changed; the contents of files
 * come from a content source (the disk or a git revision). */
#include "scan.h"
#include "../frontend/source.h"
#include "../frontend/worker.h"
#include "../ir/ir.h"
#include "../rules/assert_macros.h"
#include "../rules/rules.h"
#include "../store/store.h"
#include "../util/buf.h"
#include "../util/error.h"
#include "../util/path.h"
#include "../util/progress.h"
#include "../util/strset.h"
#include "../util/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct scan_ctx {
	store *s;
	const char *salt;
	const char *root;
	la_strset *header_funcs;
	int verbose;
	int done, total;
	scan_stats *st;
	struct la_progress *progress;
} scan_ctx;

static int job_done(void *vctx, const fe_job_result *r)
{
	scan_ctx *c = vctx;
	const char *file = la_display_path(c->root, r->tu->file);
	char why[256] = "";
	c->done++;
	if (r->rss_kb > c->st->max_rss_kb)
		c->st->max_rss_kb = r->rss_kb;
	int err = LA_OK;
	switch (r->status) {
	case FE_JOB_OK: {
		store_ingest_stats st;
		err = store_tu_ingest(c->s, r->tu, c->salt, r->output, r->rss_kb, &st, c->header_funcs);
		if (err >= 0 && strstr(r->output, "\n(status failed)")) {
			la_buf d = LA_BUF_INIT;
			snprintf(why, sizeof(why), "fatal parse error: %s",
				 scan_first_diag(r->output, c->root, &d) ? d.ptr : "(no diagnostic)");
			la_buf_free(&d);
		} else if (err >= 0) {
			c->st->funcs += st.funcs;
			c->st->funcs_dup += st.funcs_dup;
			c->st->accesses += st.accesses;
			c->st->calls += st.calls;
			c->st->flows += st.flows;
			c->st->asserts += st.asserts;
		}
		break;
	}
	case FE_JOB_TIMEOUT:
		snprintf(why, sizeof(why), "timed out");
		break;
	case FE_JOB_CRASH:
		if (r->signal)
			snprintf(why, sizeof(why), "worker crashed (%s)", strsignal(r->signal));
		else
			snprintf(why, sizeof(why), "worker exited with status %d", r->exit_code);
		break;
	case FE_JOB_SPAWN:
		snprintf(why, sizeof(why), "could not start a worker");
		break;
	}
	if (err < 0) {
		/* the tool failed on this TU's facts: say so, keep going */
		snprintf(why, sizeof(why), "could not store: %s", la_error_last());
	}
	int warns = r->status == FE_JOB_OK && err >= 0 && !why[0] && strstr(r->output, "\n(diag \"warning\"");
	if (why[0] || c->verbose || warns)
		la_progress_clear(c->progress);   /* the lines below go above it */
	if (warns)
		scan_print_warnings(r->output, c->root, stderr);
	if (why[0]) {
		c->st->failed++;
		if (r->status != FE_JOB_OK || err < 0)
			store_tu_fail(c->s, r->tu, why, r->output, r->rss_kb);
		fprintf(stderr, "lockaudit: %s: TU failed (compile_commands.json entry %d): %s\n", file,
			r->tu->index, why);
	} else {
		c->st->ok++;
		if (c->verbose)
			fprintf(stderr, "[%d/%d] %s (%.0f ms, %ld MB)\n", c->done, c->total, file, r->wall_ms,
				r->rss_kb / 1024);
	}
	la_progress_update(c->progress, c->done, c->total, c->st->failed);
	return LA_OK;
}

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

void scan_config(const rules *rl, fe_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	if (rl && rl->nassert_macros) {
		cfg->assert_macros = (const char *const *)rl->assert_macros;
		cfg->nassert_macros = rl->nassert_macros;
	} else {
		cfg->assert_macros = rules_default_assert_macros;
		cfg->nassert_macros = rules_ndefault_assert_macros;
	}
}

char *scan_salt(const fe_config *cfg)
{
	la_buf b = LA_BUF_INIT;
	la_buf_printf(&b, "lair%d-lower%d", IR_TEXT_VERSION, FE_LOWERING_VERSION);
	for (int i = 0; i < cfg->nassert_macros; i++)
		la_buf_printf(&b, "|%s", cfg->assert_macros[i]);
	return la_buf_detach(&b);
}

/* The TUs to parse: those never stored, failed, or whose fingerprint over
 * the source's contents changed. A main file the source lacks fails the TU. */
static int select_tus(store *s, const fe_compdb *db, const char *salt, const scan_opts *o, fe_tu_cmd **todo,
		      int *ntodo, int64_t *rescan_ids, int *nrescan, scan_stats *st)
{
	for (int i = 0; i < db->ntus; i++) {
		fe_tu_cmd *tu = &db->tus[i];
		int err;
		if (!fe_source_exists(o->source, tu->file)) {
			char why[512];
			snprintf(why, sizeof(why), "source file not found: %s%s%s", tu->file,
				 o->source ? " in " : "", o->source ? o->source->label : "");
			fprintf(stderr, "lockaudit: %s: entry %d: %s\n", db->path, tu->index, why);
			if ((err = store_tu_fail(s, tu, why, NULL, 0)) < 0)
				return err;
			st->failed++;
			continue;
		}
		store_tu_state stt;
		if ((err = store_tu_state_get(s, tu->file, &stt)) < 0)
			return err;
		char fp[17];
		if (!o->full && stt.ok && stt.fingerprint[0] &&
		    store_tu_fingerprint(s, stt.id, tu, salt, fp) == LA_OK && strcmp(fp, stt.fingerprint) == 0) {
			st->skipped++;
			continue;
		}
		if (stt.id)
			rescan_ids[(*nrescan)++] = stt.id;
		todo[(*ntodo)++] = tu;
	}
	return LA_OK;
}

int scan_run(store *s, const fe_compdb *db, const fe_config *cfg_in, const char *root, const scan_opts *o,
	     scan_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->ntus = db->ntus;
	double t0 = now_s();
	/* before anything is written: a refused scan leaves the database as it was */
	int err = store_tu_prune(s, db, o->prune, &st->pruned);
	if (err < 0)
		return err;
	if ((err = store_meta_set(s, "root", root)) < 0)
		return err;
	fe_config cfg = *cfg_in;
	cfg.source = o->source;
	char *salt = scan_salt(&cfg);
	store_set_source(s, o->source);
	fe_tu_cmd **todo = xmalloc(sizeof(*todo) * (size_t)(db->ntus + 1));
	int64_t *rescan_ids = xmalloc(sizeof(int64_t) * (size_t)(db->ntus + 1));
	int ntodo = 0, nrescan = 0;
	la_strset known = LA_STRSET_INIT;
	err = select_tus(s, db, salt, o, todo, &ntodo, rescan_ids, &nrescan, st);
	if (err >= 0)
		err = store_known_header_funcs(s, rescan_ids, nrescan, &known);
	if (err >= 0) {
		cfg.known_header_funcs = &known;
		scan_ctx ctx = { s, salt, root, &known, o->verbose, 0, ntodo, st, o->progress };
		fe_pool_opts popts = { o->jobs, o->timeout_s };
		la_progress_update(o->progress, 0, ntodo, 0);
		err = fe_run_workers(todo, ntodo, &cfg, &popts, job_done, &ctx);
		la_progress_clear(o->progress);
	}
	st->secs = now_s() - t0;
	store_set_source(s, NULL);
	la_strset_free(&known);
	free(todo);
	free(rescan_ids);
	free(salt);
	return err;
}
