/* 64-bit FNV-1a: fingerprints of files and TUs (not cryptographic; it only
 * has to notice that something changed). */
#ifndef LA_HASH_H
#define LA_HASH_H

#include <stddef.h>
#include <stdint.h>

#define LA_HASH_INIT 0xcbf29ce484222325ULL

uint64_t la_hash_bytes(uint64_t h, const void *p, size_t n);
uint64_t la_hash_str(uint64_t h, const char *s);   /* includes the NUL */
/* Hash a file's contents; LA_EIO with message on failure. */
int la_hash_file(const char *path, uint64_t *out);
/* 16 lowercase hex digits + NUL. */
void la_hash_hex(uint64_t h, char out[17]);

#endif
