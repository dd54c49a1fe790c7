/*
 * bench_villages: how fast a village name or code resolves with every
 * village of Indonesia loaded. Usage: bench_villages DB CSV
 * (the DB already holds the CSV, imported by `kentongan villages import`).
 */
#include "store/csv.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define LOOKUPS 200000

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	static char names[100000][64], codes[100000][16];
	char buf[1024], *cells[8], err[256];
	struct store *st;
	FILE *f;
	int n = 0, lines = 0, k, i, found = 0, ambiguous = 0;
	double t0, t1;

	if (argc != 3)
		return 2;
	if ((st = store_open(argv[1], 0, err, sizeof(err))) == NULL) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	if ((f = csv_open(argv[2])) == NULL)
		return 1;
	csv_read_row(f, buf, sizeof(buf), cells, 8, &lines);
	while (n < 100000 && (k = csv_read_row(f, buf, sizeof(buf), cells, 8,
	    &lines)) > 1) {
		snprintf(codes[n], sizeof(codes[n]), "%s", cells[0]);
		snprintf(names[n], sizeof(names[n]), "%s", cells[1]);
		n++;
	}
	fclose(f);
	srand(42);
	t0 = now();
	for (i = 0; i < LOOKUPS; i++) {
		int j = rand() % n;
		/* half by name (inside the village's own kabupaten as the
		 * area), half by code */
		char area[8];
		struct village_scope scope = { NULL, area };
		struct village_pick p = { .cand = NULL };
		int rc;

		snprintf(area, sizeof(area), "%.5s", codes[j]);
		rc = store_village_pick(st, i % 2 ? names[j] : codes[j], &scope,
		    &p);

		found += rc == VILLAGE_FOUND;
		ambiguous += rc == VILLAGE_AMBIGUOUS;
	}
	t1 = now();
	printf("villages: %lld loaded; %d lookups (half names, half codes) in "
	    "%.2f s: %.0f lookups/s, %.1f us each; %d found, %d ambiguous\n",
	    store_village_count(st), LOOKUPS, t1 - t0, LOOKUPS / (t1 - t0),
	    (t1 - t0) * 1e6 / LOOKUPS, found, ambiguous);
	store_close(st);
	return 0;
}
