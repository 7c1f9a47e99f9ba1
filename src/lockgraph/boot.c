/* Boot code (rules "boot"): a function placed in a boot section (Xen's
 * __init, ".init.text", freed once boot is over) runs only while the system
 * boots, and so does every function that only such code calls. The
 * functions the rules say run only after boot (complete_domain_destroy():
 * no domain dies during boot) cannot run inside it, not even from a softirq
 * handler that boot code lets run. */
#include "analysis.h"

#include <string.h>

static int *boot_flag(lk_fn *fn)
{
	return &fn->boot;
}

static int boot_call(const lk_prog *p, int caller, const ir_event *call)
{
	(void)call;
	return p->fn[caller].boot;
}

void lk_boot_compute(lk_prog *p)
{
	const rules *r = p->rules;
	if (!r || !r->boot.nsections)
		return;
	for (int i = 0; i < p->nfn; i++) {
		lk_fn *fn = &p->fn[i];
		fn->boot = fn->ir && rules_is_boot_section(r, fn->ir->section);
		for (int k = 0; k < r->boot.nafter && fn->name && !fn->after_boot; k++)
			fn->after_boot = strcmp(fn->name, r->boot.after[k].function) == 0;
	}
	lk_callers_close(p, boot_flag, boot_call);
}
