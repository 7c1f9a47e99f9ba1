/*
 * Patched indirect calls, modelled on x86 Xen's alternative_call(): the
 * call is emitted as "call *disp(%rip)" through the function-pointer slot,
 * which boot code may later rewrite into a direct call.  Arguments are
 * evaluated once into locals, then pinned to the ABI argument registers.
 */
#ifndef MINIXEN_ASM_ALTERNATIVE_H
#define MINIXEN_ASM_ALTERNATIVE_H

#define ALT_CALL_CLOBBERS  "rcx", "rdx", "r8", "r9", "r10", "r11", "memory", "cc"

#define alternative_vcall1(func, arg1) ({                               \
    __auto_type a1_ = (arg1);                                           \
    (void)sizeof(func(a1_));                                            \
    asm volatile ( "call *%c[addr](%%rip)"                              \
                   : "+D" (a1_)                                         \
                   : [addr] "i" (&(func)), "g" (func)                   \
                   : "rax", "rsi", ALT_CALL_CLOBBERS );                 \
    (void)0;                                                            \
})

#define alternative_vcall2(func, arg1, arg2) ({                         \
    __auto_type a1_ = (arg1);                                           \
    __auto_type a2_ = (arg2);                                           \
    (void)sizeof(func(a1_, a2_));                                       \
    asm volatile ( "call *%c[addr](%%rip)"                              \
                   : "+D" (a1_), "+S" (a2_)                             \
                   : [addr] "i" (&(func)), "g" (func)                   \
                   : "rax", ALT_CALL_CLOBBERS );                        \
    (void)0;                                                            \
})

#define alternative_call1(func, arg1) ({                                \
    __auto_type a1_ = (arg1);                                           \
    typeof(func(a1_)) ret_;                                             \
    asm volatile ( "call *%c[addr](%%rip)"                              \
                   : "=a" (ret_), "+D" (a1_)                            \
                   : [addr] "i" (&(func)), "g" (func)                   \
                   : "rsi", ALT_CALL_CLOBBERS );                        \
    ret_;                                                               \
})

#define alternative_call2(func, arg1, arg2) ({                          \
    __auto_type a1_ = (arg1);                                           \
    __auto_type a2_ = (arg2);                                           \
    typeof(func(a1_, a2_)) ret_;                                        \
    asm volatile ( "call *%c[addr](%%rip)"                              \
                   : "=a" (ret_), "+D" (a1_), "+S" (a2_)                \
                   : [addr] "i" (&(func)), "g" (func)                   \
                   : ALT_CALL_CLOBBERS );                               \
    ret_;                                                               \
})

/* Select the 1- or 2-argument form by counting the arguments. */
#define ALT_NARGS_(a1, a2, n, ...)  n
#define ALT_NARGS(args...)          ALT_NARGS_(args, 2, 1, 0)
#define ALT_PASTE_(a, b)            a ## b
#define ALT_PASTE(a, b)             ALT_PASTE_(a, b)

#define alternative_call(func, args...) \
    ALT_PASTE(alternative_call, ALT_NARGS(args))(func, args)
#define alternative_vcall(func, args...) \
    ALT_PASTE(alternative_vcall, ALT_NARGS(args))(func, args)

#endif /* MINIXEN_ASM_ALTERNATIVE_H */
