/*
 * office_sms: what the office itself sends, from the CLI or the web
 * console alike: a broadcast's plan before it is queued, and a message
 * written by hand to one person. Runs inside the caller's transaction
 * where it writes.
 */
#ifndef KENTONGAN_OFFICE_SMS_H
#define KENTONGAN_OFFICE_SMS_H

struct store;
struct config;
struct audience;

/* The outbox purpose of a message the office writes to one person: it
 * obeys the sending policy and BERHENTI, as everything the gateway
 * initiates (policy_needs_consent). */
#define OFFICE_PURPOSE	"office"

/* What `broadcast --dry-run` computes: nothing is queued. */
struct broadcast_plan {
	int reached;		/* numbers it would go to */
	int opted_out;		/* members skipped: they sent BERHENTI */
	int parts;		/* SMS parts of the text, each message */
	long long first, last;	/* when the policy lets the first and the
				 * last go (policy_estimate); -1 for none */
};

/* The plan of text to a at now; 0, or -1 on a store error. */
int office_broadcast_plan(struct store *, const struct config *,
    const struct audience *, const char *text, long long now,
    struct broadcast_plan *);

enum office_refusal { OFFICE_QUEUED, OFFICE_OPTED_OUT, OFFICE_BAD_NUMBER,
	OFFICE_EMPTY };

/*
 * Queue text from the office to number (E.164, as phone_normalize makes
 * it), or say why not: the number sent BERHENTI (the office's message is
 * no answer to an SMS of theirs, so opt-out holds), is no phone number,
 * or the text is blank. Returns the outcome, -1 on a store error.
 */
int office_message(struct store *, const char *number, const char *text,
    long long now);

#endif
