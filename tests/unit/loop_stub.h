/*
 * loop_stub: the loop interface (gateway/loop/loop.h) without an event
 * loop, and a fake modem channel, for the unit tests of the stages. The
 * clock is stub_now; a wake-up is only recorded; a send or a delete is
 * only recorded. The store is real: a fresh SQLite file per test binary.
 */
#ifndef KENTONGAN_LOOP_STUB_H
#define KENTONGAN_LOOP_STUB_H

#include "gateway/loop/gateway.h"

#define STUB_MAX 64

struct stub {
	struct gateway gw;
	struct config conf;
	char path[64];
	long long now;			/* what gw_now() returns */
	unsigned woken;			/* gateway_wake() masks, or'ed */
	double outbound_after;		/* the earliest WORK_OUTBOUND asked */
	unsigned retried;		/* gateway_retry() masks, or'ed */
	/* the fake modem channel */
	int send_rc;			/* what send_parts returns */
	int nsends;
	long long send_id[STUB_MAX];
	char send_text[STUB_MAX][200];
	int nremoves;
	int remove_location[STUB_MAX];
	int status_writes;
};

extern struct stub stub;

/* A gateway on a new database with the config text ini (one modem, up,
 * named "gammu"). Returns 0, or -1 after printing why. */
int stub_open(const char *ini);
void stub_close(void);
/* Forget the wake-ups and fake sends recorded so far. */
void stub_reset(void);
/* Run SQL on a second connection to the database (fault injection). */
int stub_exec(const char *sql);
/* One integer (or -1) and one text ("" if none) from the database. */
long long stub_int(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
const char *stub_text(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
/* Store an SMS as inbound.c does (committed); returns the message id, 0
 * for a part or a duplicate, -1 on error. */
long long stub_sms(const char *number, const char *text, long long t);
/* The same, sent (its SMSC time) before it was received: a backlog. */
long long stub_sms_sent(const char *number, const char *text, long long sent,
    long long received);
/* A registered contact. */
int stub_contact(const char *number, const char *role, const char *desa);

#endif
