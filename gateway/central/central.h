/*
 * central: the kabupaten's PostgreSQL (docs/central.md). Every gateway
 * pushes its rows there from a thread of its own (central_push.c); the
 * kabupaten reads across every site (central_report.c). Nothing here
 * runs on the event loop.
 */
#ifndef KENTONGAN_CENTRAL_H
#define KENTONGAN_CENTRAL_H

#include <stddef.h>

typedef struct pg_conn PGconn;

/* Connect with conninfo, giving up after 10 s unless conninfo says
 * otherwise; NULL with the reason in err. */
PGconn *central_connect(const char *conninfo, char *err, size_t cap);
void central_close(PGconn *);
/* Run sql; 0, or -1 with PostgreSQL's words in err. */
int central_exec(PGconn *, const char *sql, char *err, size_t cap);

/* The schema version this gateway makes. */
int central_schema_version(void);
/* Create or migrate the central schema; *was gets the version found.
 * 0, or -1 with the reason in err. */
int central_schema_ensure(PGconn *, int *was, char *err, size_t cap);

/* ---- the kabupaten's reads (central_report.c) ---------------------- */

/* Rows as store's export_row_fn gives them: the column names first (row
 * 0), then each row, NULL as ""; non-zero from fn stops. */
typedef int (*central_out_fn)(void *arg, int row, int ncols,
    const char *const *values);

/* What a report covers: month is YYYY-MM; kabupaten a code (33.22) and
 * kecamatan a code (33.22.01), each NULL for all. */
struct central_scope {
	const char *month;
	const char *kabupaten;
	const char *kecamatan;
};

/* The camat's monthly report over every site: the columns of the local
 * `report monthly`, then sites. 0, or -1 with the reason in err. */
int central_report_monthly(PGconn *, const struct central_scope *,
    central_out_fn, void *arg, char *err, size_t cap);
/* Tickets neither selesai nor ditolak opened more than days before now
 * (the office's local time, YYYY-MM-DD HH:MM:SS), oldest first. 0, or
 * -1 with the reason in err. */
int central_tickets_waiting(PGconn *, int days, const char *now,
    central_out_fn, void *arg, char *err, size_t cap);

/* What the connection's last call failed of, one line (in a buffer of
 * its own: the next call's words replace it). */
const char *central_error(PGconn *);

struct kecamatan;
/* Every kecamatan of the central village list, by code, as report.h's
 * kec_list_fn (pg: the connection); -1 on an error (central_error). */
int central_kecamatans(void *pg,
    int (*fn)(void *arg, const struct kecamatan *), void *arg);
/* The kabupaten typed: a code (33.22, dots optional) or a name in any
 * case, "Kabupaten" or "Kab." optional. 0 with its code in code (16
 * bytes at least); 1 when it is none or several, why in err; -1 on an
 * error in err. */
int central_kabupaten_pick(PGconn *, const char *typed, char *code,
    size_t codecap, char *err, size_t cap);

/* The pusher's words to the loop, one fixed-size record on a pipe. */
enum central_news {
	CENTRAL_PUSHED,		/* central committed up to seq */
	CENTRAL_FAILED,		/* error: central unreachable or refused */
	CENTRAL_RESEED,		/* central saw up to seq: more than this file */
};

struct central_report {
	enum central_news news;
	long long seq;		/* PUSHED: the position; RESEED: central's */
	long long backlog;	/* changes still waiting (PUSHED) */
	long long rows;		/* rows sent in this push */
	double seconds;		/* the push took */
	char error[400];
};

/* What the pusher is given at start; it does not change. */
struct central_job {
	char database[4096];
	char conninfo[512];
	char site[64];
	char software[32];
	int interval, share_numbers;
};

struct central_pusher;

/* Start the pusher thread; its reports come on the returned pusher's
 * fd (central_pusher_fd). NULL with the reason in err. */
struct central_pusher *central_pusher_start(const struct central_job *,
    char *err, size_t cap);
int central_pusher_fd(const struct central_pusher *);
/* Read one report; 1, 0 when none is there, -1 at the pipe's end. */
int central_pusher_read(struct central_pusher *, struct central_report *);
/* Push now (new changes) instead of after the interval. */
void central_pusher_wake(struct central_pusher *);
/* Stop and free: the thread ends its push (at most a few seconds of a
 * network call) or is left to the process's end. */
void central_pusher_stop(struct central_pusher *);

#endif
