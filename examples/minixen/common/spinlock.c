/*
 * Lock primitives.  lockaudit treats the underscore functions as opaque
 * acquire/release operations, so these bodies are deliberately trivial
 * (single CPU, no real atomicity).
 */
#include <xen/spinlock.h>

#define RSPIN_NO_OWNER  0xffff

void _spin_lock(spinlock_t *lock)        { lock->tail++; }
void _spin_unlock(spinlock_t *lock)      { lock->head++; }
int _spin_is_locked(const spinlock_t *lock)
{
    return lock->head != lock->tail;
}

int _spin_trylock(spinlock_t *lock)
{
    if ( _spin_is_locked(lock) )
        return 0;
    lock->tail++;
    return 1;
}

unsigned long _spin_lock_irqsave(spinlock_t *lock)
{
    unsigned long flags;

    asm volatile ( "pushf; pop %0; cli" : "=r" (flags) :: "memory" );
    lock->tail++;
    return flags;
}

void _spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags)
{
    lock->head++;
    asm volatile ( "push %0; popf" :: "r" (flags) : "memory", "cc" );
}

/* rwlock: cnts counts readers; -1 means write-locked. */
void _read_lock(rwlock_t *lock)    { lock->cnts++; }
void _read_unlock(rwlock_t *lock)  { lock->cnts--; }
void _write_lock(rwlock_t *lock)   { lock->cnts = -1; }
void _write_unlock(rwlock_t *lock) { lock->cnts = 0; }
int _rw_is_locked(const rwlock_t *lock)       { return lock->cnts != 0; }
int _rw_is_write_locked(const rwlock_t *lock) { return lock->cnts < 0; }

/* Recursive lock: re-entry by the owner (CPU 0 here) only bumps depth. */
void _rspin_lock(rspinlock_t *lock)
{
    lock->owner = 0;
    lock->depth++;
}

void _rspin_unlock(rspinlock_t *lock)
{
    if ( --lock->depth == 0 )
        lock->owner = RSPIN_NO_OWNER;
}

int _rspin_is_locked(const rspinlock_t *lock)
{
    return lock->owner != RSPIN_NO_OWNER;
}
