/* la_rmtree (util/path.h): nftw needs the XSI declarations. */
#define _XOPEN_SOURCE 700
#include "path.h"

#include <ftw.h>
#include <stdio.h>

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

void la_rmtree(const char *dir)
{
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}
