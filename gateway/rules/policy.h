/*
 * policy: whether an SMS the gateway initiates (a reminder, an
 * announcement, a broadcast, a notice) may go now, and whether a person's
 * automatic reply is withheld. Pure: the caller passes the time and the
 * counts.
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

/* What the reply guard weighs for one message from a person. */
struct reply_input {
	int registered;		/* the number is a contact, of any role */
	int same_text;		/* SMS with exactly this text from this number
				 * in the last hour, this one included */
	int error_answered;	/* this very text got a reply for the same
				 * error within error_reply_minutes */
	int replies_last_hour;	/* replies queued to this number in the last
				 * hour (withheld ones not counted) */
};

/*
 * Why a person's automatic reply is withheld, or NULL to send it. Only an
 * auto-responder (the same text more than same_text_max times an hour, or
 * the same erroneous text answered already) or an unregistered number
 * past replies_per_hour is refused: silence reads as "received" on a
 * basic phone, so a registered contact is never capped.
 */
const char *policy_reply(const struct config *, const struct reply_input *);

/*
 * When n initiated SMS queued at now would go, by the policy alone (quiet
 * hours and the hourly budget; not the modems' pace, nor the daily cap of
 * each number): *first the earliest, *last the time the last of them may
 * go (a budget's hour is counted from the first send in it). minute_of_day
 * is now's local minute; sent_last_hour as policy_input counts it. Both
 * -1 for n 0.
 */
void policy_estimate(const struct config *, long long now, int minute_of_day,
    int sent_last_hour, int n, long long *first, long long *last);

/* Whether minute (of the day) falls in [start, end), across midnight. */
int policy_in_window(int minute, int start, int end);

#endif
