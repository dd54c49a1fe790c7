/* backup_plan: the daily copies' names, and which of them go. */
#include "gateway/rules/backup_plan.h"
#include "store/store_backup.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PREFIX		"kentongan-"
#define SUFFIX		".db"
#define STAMP_LEN	13	/* 20261203-0200 */
#define NAME_LEN	(sizeof(PREFIX) - 1 + STAMP_LEN + sizeof(SUFFIX) - 1)

void
backup_name(long long t, char out[BACKUP_NAME_MAX])
{
	time_t tt = (time_t)t;
	struct tm tm;

	localtime_r(&tt, &tm);
	strftime(out, BACKUP_NAME_MAX, PREFIX "%Y%m%d-%H%M" SUFFIX, &tm);
}

/* Whether the first NAME_LEN characters of s are a copy's name. */
static int
name_at(const char *s)
{
	const char *p = s + sizeof(PREFIX) - 1;
	int i;

	if (strncmp(s, PREFIX, sizeof(PREFIX) - 1) != 0)
		return 0;
	for (i = 0; i < STAMP_LEN; i++)
		if (i == 8 ? p[i] != '-' : !isdigit((unsigned char)p[i]))
			return 0;
	return strncmp(p + STAMP_LEN, SUFFIX, sizeof(SUFFIX) - 1) == 0;
}

int
backup_name_is(const char *name)
{
	return strlen(name) == NAME_LEN && name_at(name);
}

int
backup_name_is_partial(const char *name)
{
	const char *tail = name + NAME_LEN;

	return strlen(name) == NAME_LEN + sizeof(STORE_COPY_PARTIAL) - 1 + 6 &&
	    name_at(name) && strncmp(tail, STORE_COPY_PARTIAL,
	    sizeof(STORE_COPY_PARTIAL) - 1) == 0;
}

int
backup_made_since(const char *const *names, int n, long long due)
{
	char first[BACKUP_NAME_MAX];
	int i;

	/* the names compare as the minutes they were made */
	backup_name(due, first);
	for (i = 0; i < n; i++)
		if (backup_name_is(names[i]) && strcmp(names[i], first) >= 0)
			return 1;
	return 0;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int
backup_prune(const char *const *names, int n, int keep, int *out)
{
	const char **copies;
	int i, j, ncopies = 0, nout = 0;

	if (n <= 0 || (copies = calloc((size_t)n, sizeof(*copies))) == NULL)
		return 0;
	for (i = 0; i < n; i++)
		if (backup_name_is(names[i]))
			copies[ncopies++] = names[i];
	qsort(copies, (size_t)ncopies, sizeof(*copies), by_name);
	/* the oldest ncopies - keep, by name */
	for (j = 0; j < ncopies - keep; j++)
		for (i = 0; i < n; i++)
			if (names[i] == copies[j]) {
				out[nout++] = i;
				break;
			}
	free(copies);
	return nout;
}
