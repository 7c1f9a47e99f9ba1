/* The version `lockaudit --version` prints (also part of the audit cache key). */
#ifndef LA_VERSION_H
#define LA_VERSION_H

#define LOCKAUDIT_VERSION "0.1.0"

#endif
