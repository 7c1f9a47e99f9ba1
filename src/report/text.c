/* GCC's format, which editors and CI logs already understand:
 *   file:line:col: warning: message [lockaudit-guard]
 *   file:line:col: note: a step of the trace */
#include "report.h"
#include "../util/error.h"

int report_text(FILE *out, const report_input *in)
{
	const selection *sel = in->sel;
	for (int i = 0; i < sel->n; i++) {
		const selected *it = &sel->v[i];
		const finding *f = it->f;
		fprintf(out, "%s:%d:%d: %s: %s [lockaudit-%s]", f->file ? f->file : "?", f->line, f->col, f->severity,
			f->message, f->check);
		if (it->ignored)
			fprintf(out, " (ignored: %s)", it->ignored);
		else if (it->suppressed)
			fprintf(out, " (suppressed: %s)", it->suppressed->reason);
		fputc('\n', out);
		for (int k = 0; !in->no_trace && k < f->nsteps; k++) {
			const finding_step *s = &f->steps[k];
			fprintf(out, "%s:%d:%d: note: %s\n", s->file ? s->file : "?", s->line, s->col,
				s->text ? s->text : "");
		}
	}
	return LA_OK;
}
