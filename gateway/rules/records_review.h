/*
 * records_review: what happens to a RAPAT or KADER report after it is
 * recorded: withdrawn (BATAL by its sender, or the office with a reason,
 * its sender told by SMS) or counted after review (the office). Every
 * front end (SMS, the CLI, a web console) calls these, inside the
 * caller's transaction.
 */
#ifndef KENTONGAN_RECORDS_REVIEW_H
#define KENTONGAN_RECORDS_REVIEW_H

#include <stddef.h>

#include "parser/reply.h"
#include "store/store.h"

/*
 * Withdraw report id (BATAL: note "BATAL"; the office: its reason). The
 * first report that repeats it and waits for nothing else counts in its
 * place: its id goes to *successor (0: none). Returns 1 withdrawn, 0 it
 * was already, -1 on a store error.
 */
int action_record_withdraw(struct store *, long long id, const char *note,
    long long now, long long *successor);

enum review_outcome {
	REVIEW_DONE,		/* withdrawn, or counted */
	REVIEW_UNKNOWN,		/* no such record */
	REVIEW_NOT_REPORT,	/* an ADUAN or ASPIRASI: its ticket instead */
	REVIEW_ALREADY,		/* already in the state asked for */
	REVIEW_WAS_WITHDRAWN,	/* accept: withdrawn reports stay so */
	REVIEW_REPEATS,		/* accept: a counted report is the same
				 * meeting; flagged duplicate of it instead */
};

/* What a review did, for whoever shows it. */
struct review_result {
	struct record_info r;	/* the record as it was before */
	long long successor;	/* withdraw: the repeat counted instead */
	long long repeats;	/* accept: the counted report it repeats */
	char sms[REPLY_MAX];	/* withdraw: the SMS queued to the sender */
	int reason_cut;		/* the reason did not fit the SMS whole */
};

/* records withdraw: mark report id withdrawn with reason and tell its
 * sender by SMS (purpose "ticket": news of their own report, sent even
 * after BERHENTI). Returns the outcome, or -1 on a store error. */
int action_record_office_withdraw(struct store *, long long id,
    const char *reason, long long now, struct review_result *);

/* records accept: count report id (flagged, or from a number that was
 * not registered) after review. One that repeats a report counted since
 * (its sender sent it again once registered) is not counted twice: it
 * is flagged duplicate of that one (REVIEW_REPEATS, res->repeats); one
 * flagged duplicate already counts, the office having looked. Returns
 * the outcome, or -1. */
int action_record_accept(struct store *, long long id, long long now,
    struct review_result *);

/* A report's number as the office types it (R-12, r12 or 12) into *id:
 * 0, or -1 when it is none. */
int record_number(const char *s, long long *id);

#endif
