#include "progress.h"
#include "xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct la_progress {
	FILE *out;
	char *label;
	double start;        /* of the current label */
	double last_draw;
	int shown;           /* a line is on the screen */
};

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

la_progress *la_progress_new(FILE *out, int quiet)
{
	if (quiet || !out || !isatty(fileno(out)))
		return NULL;
	la_progress *p = xcalloc(1, sizeof(*p));
	p->out = out;
	p->label = xstrdup("");
	p->start = now_s();
	p->last_draw = -1;
	return p;
}

void la_progress_label(la_progress *p, const char *label)
{
	if (!p)
		return;
	free(p->label);
	p->label = xstrdup(label);
	p->start = now_s();
	p->last_draw = -1;
}

/* "1:05", "12:00:03" */
static void put_duration(FILE *out, double secs)
{
	long s = (long)(secs + 0.5);
	if (s >= 3600)
		fprintf(out, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
	else
		fprintf(out, "%ld:%02ld", s / 60, s % 60);
}

void la_progress_update(la_progress *p, int done, int total, int failed)
{
	if (!p || total <= 0)
		return;
	double now = now_s();
	if (done < total && p->last_draw >= 0 && now - p->last_draw < 0.1)
		return;
	p->last_draw = now;
	/* \r and erase to the end of the line: the line is redrawn in place */
	fprintf(p->out, "\r\033[K%s%s%d/%d TUs, %d failed", p->label, *p->label ? ": " : "", done, total, failed);
	double elapsed = now - p->start;
	if (done > 0 && done < total) {
		fputs(", ", p->out);
		put_duration(p->out, elapsed / done * (total - done));
		fputs(" left", p->out);
	} else if (done == total) {
		fputs(", ", p->out);
		put_duration(p->out, elapsed);
	}
	fflush(p->out);
	p->shown = 1;
}

void la_progress_clear(la_progress *p)
{
	if (!p || !p->shown)
		return;
	fputs("\r\033[K", p->out);
	fflush(p->out);
	p->shown = 0;
	p->last_draw = -1;   /* redraw at the next update */
}

void la_progress_free(la_progress *p)
{
	if (!p)
		return;
	la_progress_clear(p);
	free(p->label);
	free(p);
}
