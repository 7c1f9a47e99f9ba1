/* Build configuration for the minixen example (force-included by -include). */
#ifndef MINIXEN_CONFIG_H
#define MINIXEN_CONFIG_H

#define CONFIG_X86_64    1
#define CONFIG_HAS_PCI   1
#define CONFIG_HAS_VPCI  1
#define CONFIG_NR_CPUS   8

#define __init
#define __must_check     __attribute__((__warn_unused_result__))
#define __noreturn       __attribute__((__noreturn__))
#define fallthrough      __attribute__((__fallthrough__))

#endif /* MINIXEN_CONFIG_H */
