#ifndef MINIXEN_ERRNO_H
#define MINIXEN_ERRNO_H

#define ENODEV   19
#define ENOMEM   12
#define EBUSY    16
#define EEXIST   17
#define EINVAL   22
#define ENOSYS   38

#endif /* MINIXEN_ERRNO_H */
