/* C11 _Generic evaluates one association: the one for the controlling
 * expression's type. The kernel's seqlock API selects among functions
 * that each take a pointer to one counter type; the call whose first
 * parameter points to the controlling type is the one lowered. When no
 * single call says so, every operand is evaluated and the value is
 * unknown. */
#include "prelude.h"

typedef struct counter { unsigned sequence; } counter_t;
typedef struct locked_counter { counter_t counter; spinlock_t *lock; } locked_counter_t;
unsigned plain_sequence(const counter_t *c);
unsigned locked_sequence(const locked_counter_t *c);
counter_t *locked_ptr(locked_counter_t *c);
counter_t *plain_ptr(counter_t *c);
unsigned pick_one(int x);
#define sequence_of(c) _Generic(*(c), counter_t: plain_sequence((void *)(c)), \
				locked_counter_t: locked_sequence((void *)(c)))
#define ptr_of(c) _Generic(*(c), counter_t: plain_ptr((void *)(c)), locked_counter_t: locked_ptr((void *)(c)))
#define unclear(x) _Generic((x), int: pick_one(1), default: pick_one(2))

struct holder { locked_counter_t lc; counter_t pc; };

unsigned generic_locked(struct holder *h)
{
	counter_t *p = ptr_of(&h->lc);
	return sequence_of(&h->lc) + p->sequence;
}

unsigned generic_plain(struct holder *h)
{
	return sequence_of(&h->pc);
}

unsigned generic_unclear(int x)
{
	return unclear(x);
}

/*
 * check-ir-start
 * func generic_locked($0 h)
 *  b0:
 *   addr holder.lc $0 @25
 *   call#0 locked_ptr(&$0->lc) @25
 *   assign p = locked_ptr(&$0->lc) @25
 *   addr holder.lc $0 @26
 *   call#1 locked_sequence(&$0->lc) @26
 *   read counter.sequence p @26
 *   return locked_sequence(&$0->lc) + p->sequence @26
 *   -> exit
 * func generic_plain($0 h)
 *  b0:
 *   addr holder.pc $0 @31
 *   call#0 plain_sequence(&$0->pc) @31
 *   return plain_sequence(&$0->pc) @31
 *   -> exit
 * func generic_unclear($0 x)
 *  b0:
 *   call#0 pick_one(1) @36
 *   call#1 pick_one(2) @36
 *   return ? @36
 *   -> exit
 * check-ir-end
 */
