/*
 * policy: whether an SMS the gateway initiates (a reminder, an
 * announcement, a broadcast, a notice; never a direct reply) may go now.
 * Pure: the caller passes the time and the counts.
 */
#ifndef KENTONGAN_POLICY_H
#define KENTONGAN_POLICY_H

struct config;

enum policy_verdict { POLICY_SEND, POLICY_HOLD, POLICY_DROP };

struct policy_input {
	long long now;		/* Unix seconds */
	int minute_of_day;	/* local */
	int sent_last_hour;	/* initiated SMS sent in the last hour */
	int sent_to_today;	/* initiated SMS sent to this number today */
};

/*
 * The verdict; for POLICY_HOLD *until gets the earliest time to try again,
 * and *reason a short text for the outbox row in every case but SEND.
 */
enum policy_verdict policy_check(const struct config *,
    const struct policy_input *, long long *until, const char **reason);

/*
 * Whether an outbox row of this purpose goes only to a number that has not
 * opted out (checked again when it is handed to a modem). Not a reply to
 * the person's own message ("reply"), nor news of their own ticket
 * ("ticket"): BERHENTI's confirmation promises those still come. Alarms
 * and the digest to coordinators are not exempt: a coordinator who sent
 * BERHENTI gets neither (the ALARM: log line remains).
 */
int policy_needs_consent(const char *purpose);

/* Whether minute (of the day) falls in [start, end), across midnight. */
int policy_in_window(int minute, int start, int end);

#endif
