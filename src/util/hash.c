#include "hash.h"
#include "error.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

uint64_t la_hash_bytes(uint64_t h, const void *p, size_t n)
{
	const unsigned char *s = p;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

uint64_t la_hash_str(uint64_t h, const char *s)
{
	return la_hash_bytes(h, s, strlen(s) + 1);
}

int la_hash_file(const char *path, uint64_t *out)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return la_error_code(LA_EIO, "%s: %s", path, strerror(errno));
	unsigned char buf[65536];
	size_t n;
	uint64_t h = LA_HASH_INIT;
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		h = la_hash_bytes(h, buf, n);
	int err = ferror(f);
	fclose(f);
	if (err)
		return la_error_code(LA_EIO, "%s: read error", path);
	*out = h;
	return LA_OK;
}

void la_hash_hex(uint64_t h, char out[17])
{
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}
