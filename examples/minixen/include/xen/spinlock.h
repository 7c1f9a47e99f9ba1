/*
 * Lock API modelled on Xen's: opaque-ish lock structs, out-of-line
 * primitives (the underscore functions, see common/spinlock.c) and the
 * macro wrappers that callers actually use.
 */
#ifndef MINIXEN_SPINLOCK_H
#define MINIXEN_SPINLOCK_H

#include <xen/types.h>

typedef struct {
    volatile unsigned int head, tail;
} spinlock_t;

typedef struct {
    volatile int cnts;
    spinlock_t wait;
} rwlock_t;

/* Recursive spinlock: the owning CPU may re-acquire it. */
typedef struct {
    spinlock_t raw;
    unsigned short owner;
    unsigned short depth;
} rspinlock_t;

#define SPIN_LOCK_UNLOCKED   { 0, 0 }
#define RW_LOCK_UNLOCKED     { 0, SPIN_LOCK_UNLOCKED }
#define RSPIN_LOCK_UNLOCKED  { SPIN_LOCK_UNLOCKED, 0xffff, 0 }

#define DEFINE_SPINLOCK(l)   spinlock_t l = SPIN_LOCK_UNLOCKED
#define DEFINE_RWLOCK(l)     rwlock_t l = RW_LOCK_UNLOCKED
#define DEFINE_RSPINLOCK(l)  rspinlock_t l = RSPIN_LOCK_UNLOCKED

#define spin_lock_init(l)    (*(l) = (spinlock_t)SPIN_LOCK_UNLOCKED)
#define rwlock_init(l)       (*(l) = (rwlock_t)RW_LOCK_UNLOCKED)

/* Primitives. */
void _spin_lock(spinlock_t *lock);
void _spin_unlock(spinlock_t *lock);
unsigned long _spin_lock_irqsave(spinlock_t *lock);
void _spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags);
int _spin_trylock(spinlock_t *lock);
int _spin_is_locked(const spinlock_t *lock);

void _read_lock(rwlock_t *lock);
void _read_unlock(rwlock_t *lock);
void _write_lock(rwlock_t *lock);
void _write_unlock(rwlock_t *lock);
int _rw_is_locked(const rwlock_t *lock);
int _rw_is_write_locked(const rwlock_t *lock);

void _rspin_lock(rspinlock_t *lock);
void _rspin_unlock(rspinlock_t *lock);
int _rspin_is_locked(const rspinlock_t *lock);

/* Wrappers. */
#define spin_lock(l)                  _spin_lock(l)
#define spin_unlock(l)                _spin_unlock(l)
#define spin_lock_irqsave(l, f)       ((f) = _spin_lock_irqsave(l))
#define spin_unlock_irqrestore(l, f)  _spin_unlock_irqrestore(l, f)
#define spin_trylock(l)               _spin_trylock(l)
#define spin_is_locked(l)             _spin_is_locked(l)

#define read_lock(l)                  _read_lock(l)
#define read_unlock(l)                _read_unlock(l)
#define write_lock(l)                 _write_lock(l)
#define write_unlock(l)               _write_unlock(l)
#define rw_is_locked(l)               _rw_is_locked(l)
#define rw_is_write_locked(l)         _rw_is_write_locked(l)

#define rspin_lock(l)                 _rspin_lock(l)
#define rspin_unlock(l)               _rspin_unlock(l)
#define rspin_is_locked(l)            _rspin_is_locked(l)

#endif /* MINIXEN_SPINLOCK_H */
