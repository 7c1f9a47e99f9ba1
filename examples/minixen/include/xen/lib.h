/* Assertions and small helpers in the style of Xen's xen/lib.h. */
#ifndef MINIXEN_LIB_H
#define MINIXEN_LIB_H

#include <xen/types.h>

#define likely(x)    __builtin_expect(!!(x), 1)
#define unlikely(x)  __builtin_expect(!!(x), 0)

void __noreturn assert_failed(const char *expr);
void __noreturn do_bug(const char *file, int line);
void printk(const char *fmt, ...);

#define ASSERT(p) \
    do { if ( unlikely(!(p)) ) assert_failed(#p); } while ( 0 )

#define BUG()      do_bug(__FILE__, __LINE__)
#define BUG_ON(p)  do { if ( unlikely(p) ) BUG(); } while ( 0 )

#define ARRAY_SIZE(a)  (sizeof(a) / sizeof((a)[0]))

#define container_of(ptr, type, member) ({                        \
    typeof(((type *)0)->member) *mptr_ = (ptr);                   \
    (type *)((char *)mptr_ - __builtin_offsetof(type, member)); })

/* Minimal allocator interface. */
void *xzalloc_bytes(size_t size);
void xfree(void *p);
#define xzalloc(type)  ((type *)xzalloc_bytes(sizeof(type)))

#endif /* MINIXEN_LIB_H */
