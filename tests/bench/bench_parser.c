/*
 * bench_parser: parse throughput on one core over a generated mix of
 * 100,000 valid and invalid messages, and the process's peak memory.
 * Prints "parser: 100000 messages, N msg/s, peak rss K kB".
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "parser/parser.h"

#define NMSG		100000
#define MIN_SECONDS	1.0

/* Message shapes; %s/%d are filled from the pools below. */
static const char *const shapes[] = {
	"RAPAT %s %d/%d RKP %d %d",
	"musdes %s %d-%d-2026 apbdes %d %d rapat lancar, warga hadir",
	"RAPT %s %d/%d rkp %d %d",
	"KADER %s %d/%d %d posyandu balita dan ibu hamil",
	"ADUAN#Suka Maju#Jembatan di dusun %d rusak, mohon dicek %d %d %d",
	"aduan %s jalan rusak di RT %d RW %d sejak %d hari %d",
	"ASPIRASI PD%02d Mohon lampu jalan di dusun %d %d %d",
	"STATUS ADU-%d %d %d %d",
	"cek asp %d",
	"BATAL R-%d",
	"DAFTAR %s Siti Aminah %d",
	"BANTU rapat",
	"BERHENTI",
	"RAPAT %s %d/%d XYZ %d %d",		/* bad jenis */
	"RAPAT %s 31/02 RKP %d %d",		/* bad date */
	"KADER %s %d/%d/2027 %d x",		/* future */
	"HALO apa kabar %d",			/* unknown keyword */
	"STATUS %d",				/* bad ticket */
	"RAPAT %s %d/%d RKP %d",		/* missing field */
	"",
};

static const char *const villages[] = {
	"3322012005", "33.22.01.2005", "sukamaju", "KALIBENING", "3322",
};

int
main(void)
{
	static char pool[NMSG * 96];
	static size_t off[NMSG + 1];
	char scratch[1024];
	struct parse_result r;
	struct pdate today = { 2026, 11, 28 };
	struct timespec t0, t1;
	struct rusage ru;
	unsigned int x = 2463534242u;
	size_t i, n = 0, total = 0, ok = 0;
	double secs;
	long sink = 0;

	for (i = 0; i < NMSG; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		off[i] = n;
		n += (size_t)snprintf(pool + n, sizeof(pool) - n,
		    shapes[x % (sizeof(shapes) / sizeof(shapes[0]))],
		    villages[(x >> 8) % 5], (int)(x >> 12) % 28 + 1,
		    (int)(x >> 16) % 12 + 1, (int)(x >> 20) % 60,
		    (int)(x >> 24) % 60 + 1);
	}
	off[NMSG] = n;

	memset(&r, 0, sizeof(r));
	r.scratch = scratch;
	r.scratch_cap = sizeof(scratch);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		for (i = 0; i < NMSG; i++) {
			if (parse_message(pool + off[i], off[i + 1] - off[i],
			    &today, &r) == 0)
				ok++;
			sink += r.kind + r.error;
		}
		total += NMSG;
		clock_gettime(CLOCK_MONOTONIC, &t1);
		secs = (double)(t1.tv_sec - t0.tv_sec) +
		    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	} while (secs < MIN_SECONDS);
	getrusage(RUSAGE_SELF, &ru);

	printf("parser: %d messages, %.0f msg/s, peak rss %ld kB\n", NMSG,
	    (double)total / secs, ru.ru_maxrss);
	fprintf(stderr, "(%zu passes, %.0f%% valid, check %ld)\n",
	    total / NMSG, 100.0 * (double)ok / (double)total, sink % 7);
	return 0;
}
