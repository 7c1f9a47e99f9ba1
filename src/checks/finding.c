#include "finding.h"
#include "../util/buf.h"
#include "../util/xalloc.h"

#include <stdarg.h>
#include <stdlib.h>

void finding_add_step(finding *f, const char *kind, const char *file, int line, int col, const char *func,
		      const char *fmt, ...)
{
	LA_VEC_PUSH(f->steps, f->nsteps, f->capsteps);
	finding_step *s = &f->steps[f->nsteps++];
	s->kind = kind;
	s->file = file ? xstrdup(file) : NULL;
	s->line = line;
	s->col = col;
	s->func = func ? xstrdup(func) : NULL;
	la_buf b = LA_BUF_INIT;
	va_list ap;
	va_start(ap, fmt);
	la_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	s->text = la_buf_detach(&b);
}

void finding_free(finding *f)
{
	if (!f)
		return;
	for (int i = 0; i < f->nsteps; i++) {
		free(f->steps[i].file);
		free(f->steps[i].func);
		free(f->steps[i].text);
	}
	free(f->steps);
	free(f->file);
	free(f->func);
	free(f->message);
	free(f->subject);
	free(f->lock);
	free(f);
}
