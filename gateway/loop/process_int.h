/*
 * process internals: one message's handling (struct job), shared by
 * process.c and the handlers that live beside it (process_budget.c).
 */
#ifndef KENTONGAN_PROCESS_INT_H
#define KENTONGAN_PROCESS_INT_H

#include "gateway/loop/gateway.h"
#include "parser/parser.h"
#include "parser/reply.h"

/* Everything one message's handling needs and produces. */
struct job {
	struct gateway *gw;
	struct store *st;
	struct message *msg;
	struct parse_result *r;
	struct contact contact;		/* the sender, if known */
	int known;
	long long now;
	/* "" means no reply; one SMS but for STATUS (a long note) */
	char reply[REPLY_LONG_MAX];
	const char *state;		/* processed / rejected / ignored */
	const char *error;		/* set when rejected after parsing */
	const char *note;
	char desa[DESA_MAX];		/* the village, resolved: a code */
	char desa_name[DESA_MAX];	/* what replies echo */
	char today[32];			/* YYYY-MM-DD, local */
};

#define V(n, v) { n, v }

/* Render id into the job's reply. */
void job_say(struct job *, enum reply_id, const struct reply_var *, size_t);
/* When the job's message was sent (its SMSC time; never later than our
 * clock). */
long long job_sent_at(const struct job *);
/*
 * Resolve the village the sender typed, nearest the sender first. Returns
 * 0 when j->desa is set, 1 when the sender was answered instead (unknown,
 * or several: the choices), -1 on a store error.
 */
int job_resolve_desa(struct job *, const char *typed);

/* The sender's one village (a villager's, a facilitator's only one) as
 * the job's: 1 when there is exactly one (j->desa set), 0 when not, -1
 * on a store error. */
int job_own_village(struct job *);
/* Whether typed names no village anywhere the sender could mean: 1, 0,
 * or -1 on a store error. */
int job_no_village(struct job *, const char *typed);

/* APBDES and PANTAU (process_budget.c). */
int do_apbdes(struct job *);
/* A bare APBDES from someone with one village: theirs (j->desa set).
 * 1 when so, 0 when not, -1 on a store error. */
int apbdes_own_village(struct job *);
int do_pantau(struct job *);

#endif
