/* Freestanding basic types: the example is built with -nostdinc. */
#ifndef MINIXEN_TYPES_H
#define MINIXEN_TYPES_H

typedef _Bool bool;
#define true  1
#define false 0

typedef unsigned char      uint8_t;
typedef unsigned short     uint16_t;
typedef unsigned int       uint32_t;
typedef unsigned long long uint64_t;
typedef long long          int64_t;
typedef __SIZE_TYPE__      size_t;

#define NULL ((void *)0)

#endif /* MINIXEN_TYPES_H */
