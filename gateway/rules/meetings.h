/*
 * meetings: what the office does to a meeting (add, change, cancel), and
 * how any SMS about one is queued, for every front end (the CLI now, a web
 * console later). Each SMS about a meeting is remembered with its number
 * (store_meeting_sms_add), so a change or a cancellation reaches exactly
 * those who were told, and an SMS about it still waiting in the outbox (a
 * reminder held by quiet hours) can be dropped. In the caller's
 * transaction.
 */
#ifndef KENTONGAN_MEETINGS_H
#define KENTONGAN_MEETINGS_H

#include "parser/reply.h"
#include "store/store.h"

/* What a change or a cancellation found. */
enum meeting_outcome {
	MEET_DONE,		/* changed or cancelled, and announced */
	MEET_UNKNOWN,		/* no meeting with that id */
	MEET_CANCELLED,		/* cancelled already */
	MEET_STARTED,		/* its time has come: too late to touch */
	MEET_PAST,		/* the new date and time have gone by */
	MEET_SAME,		/* nothing would change */
};

/* What a change or a cancellation did. */
struct meeting_news {
	struct meeting was;	/* the meeting before */
	int told;		/* SMS queued about it */
	int dropped;		/* SMS about it that were waiting, dropped */
};

/* Queue text about meeting m (purpose for the sending policy; what:
 * announce, reminder, change, cancel) to the village's warga and
 * pendamping who have not opted out. Returns how many, or -1. */
int action_meeting_send(struct store *, const struct meeting *m,
    const char *text, const char *purpose, const char *what, long long now);

/* meetings add: store m, announce it; *id gets its id. Returns how many
 * it was announced to, or -1. */
int action_meeting_add(struct store *, struct meeting *m, long long now,
    long long *id);

/* meetings cancel: cancel meeting id, drop what about it still waits
 * (its reminder) and tell those who were told, with reason ("" for
 * none). Returns the outcome, or -1 on a store error. */
int action_meeting_cancel(struct store *, long long id, const char *reason,
    long long now, struct meeting_news *);

/* meetings update: move meeting want->id to want's tanggal, waktu and
 * tempat (each "" keeps the old one), drop what about it still waits
 * and tell those who were told; the scheduler reminds the day before the
 * new date. *now_m gets the meeting as it is now. Returns the outcome, or
 * -1. */
int action_meeting_change(struct store *, const struct meeting *want,
    long long now, struct meeting *now_m, struct meeting_news *);

/*
 * The SMS about meeting m that id names (R_MEETING_ANNOUNCE, or
 * R_MEETING_REMINDER with hari "besok" or "hari ini": the day the SMS
 * goes out, seen from the meeting), with the village's name when the list
 * has it. Returns the length, or -1.
 */
int action_meeting_text(struct store *, const struct meeting *,
    enum reply_id id, const char *hari, char *out, size_t cap);

/* When the meeting starts, Unix seconds; -1 if its date or time is bad. */
long long meeting_start(const struct meeting *);

#endif
