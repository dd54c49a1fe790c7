/*
 * actions: what a request does to the store, shared by every channel (SMS
 * processing and the USSD menu), so a complaint is the same record and
 * ticket whichever way it came. Runs inside the caller's transaction.
 */
#ifndef KENTONGAN_ACTIONS_H
#define KENTONGAN_ACTIONS_H

#include <stddef.h>

#include "parser/reply.h"
#include "store/store.h"

struct config;

struct ticket_request {
	const char *kind;	/* "aduan" or "aspirasi" */
	const char *number;	/* who files it */
	const char *desa;	/* resolved village code */
	const char *desa_input;	/* as typed */
	const char *perdes;	/* aspirasi only */
	const char *isi;
	long long message_id;	/* the message that carried it */
	long long now;
};

/* Record a complaint or aspiration and open its ticket; the ticket's name
 * ("ADU-42") goes to tiket. Returns 0 or -1. */
int action_ticket(struct store *, const struct ticket_request *, char *tiket,
    size_t cap);

/* The role group ("SEMUA", "PENDAMPING", "KOORDINATOR", "WARGA") that
 * group names in any case, or NULL: then it is a village. */
const char *action_broadcast_role(const char *group);

/* Queue text to every member of group (a role group, or a village: its
 * code as store_village_pick resolved it) who has not opted out, once
 * each, except the sender (SIARAN). Returns how many, -1 on a store
 * error. */
int action_broadcast(struct store *, const char *group, const char *text,
    const char *sender, long long now);

/* Who a broadcast or a reminder's `to` item reaches: a role (or all), in
 * a village or a kecamatan (or everywhere). */
struct audience {
	const char *role;	/* pendamping, koordinator, warga, semua; NULL */
	char desa[DESA_MAX];	/* a village code, "" */
	char kecamatan[128];	/* as the village list writes it, "" */
};

enum audience_match { AUDIENCE_OK, AUDIENCE_UNKNOWN, AUDIENCE_AMBIGUOUS };

/*
 * The one reading of a group, for `broadcast` and reminders' `to`:
 *   ROLE                 SEMUA, PENDAMPING, KOORDINATOR, WARGA (any case)
 *   PLACE                everyone of a village or a kecamatan
 *   ROLE@PLACE           that role there (WARGA@Getasan)
 * A PLACE is a kecamatan when written KECAMATAN:NAME (or KEC:NAME, "Kec.
 * NAME"); otherwise a village (a code, or a name resolved within area as
 * store_village_pick does), else the kecamatan of that name. Returns the
 * match, with why for the others, or -1 on a store error.
 */
int action_audience(struct store *, const char *area, const char *typed,
    struct audience *, char *why, size_t cap);
/* Only the role word (as action_broadcast_role takes it) into a. */
void audience_role(struct audience *, const char *word);
/* The store's query for a. */
void audience_query(const struct audience *, struct recipient_query *);
/* Queue text as a broadcast to a, except sender (NULL or ""); how many,
 * or -1. */
int action_broadcast_to(struct store *, const struct audience *,
    const char *text, const char *sender, long long now);
/* How many a reaches, and how many of its members opted out; 0 or -1. */
int action_audience_count(struct store *, const struct audience *,
    int *reached, int *opted_out);

/* A person's automatic reply, by SMS, to a message or a USSD action. */
struct reply_request {
	const char *number;
	int registered;		/* the number is a contact */
	const char *text;	/* the reply */
	long long message_id;	/* the message it answers */
	const char *said;	/* that message's text (SMS), or NULL (USSD): */
	size_t said_len;	/* what the auto-responder guard compares */
	const char *error;	/* the error the reply names, or NULL */
	long long now;
	long long sent_at;	/* when the message was sent (not after now);
				 * 0: now. The guard's windows are in the
				 * sender's time */
};

/*
 * Queue the reply, or record it withheld with the reason
 * (policy_reply: an auto-responder, or an unregistered number past
 * replies_per_hour). Opt-out does not apply: BERHENTI promises these
 * still come. Returns 1 queued, 0 withheld (*why then says why), -1 on a
 * store error.
 */
int action_reply(struct store *, const struct config *,
    const struct reply_request *, const char **why);

/* Queue text as purpose (it obeys the sending policy) to every warga and
 * pendamping of desa who has not opted out, once each. Returns how many,
 * -1 on a store error. */
int action_announce(struct store *, const char *desa, const char *text,
    const char *purpose, long long now);

/*
 * perdes open: open (or reopen) consultation code for desa until the day
 * until (YYYY-MM-DD), and announce it to the village's warga and
 * pendamping (purpose "announcement": the sending policy and opt-out
 * apply) with the title, the closing date and the SMS to send. Returns
 * how many it was announced to, -1 on a store error. In the caller's
 * transaction.
 */
int action_perdes_open(struct store *, const char *code, const char *desa,
    const char *title, const char *until, long long now);

/*
 * perdes close: close code in desa (in every village that has it open when
 * desa is NULL) and thank each number that sent an aspiration to it, with
 * how many came. *closed gets how many consultations were closed. Returns
 * how many were thanked, -1 on a store error. In the caller's transaction.
 */
int action_perdes_close(struct store *, const char *code, const char *desa,
    long long now, int *closed);

enum ticket_view { TICKET_BAD_NAME, TICKET_UNKNOWN, TICKET_NOT_YOURS,
	TICKET_SHOWN };

/*
 * STATUS, by SMS or USSD: the ticket typed ("adu 42" too), shown only to
 * the number that filed it or to a koordinator (role "" or NULL for an
 * unregistered caller). name gets the ticket as written ("ADU-42") when it
 * parses; t is filled for TICKET_SHOWN. Returns the view, or -1 on a store
 * error.
 */
int action_ticket_view(struct store *, const char *typed, const char *number,
    const char *role, struct ticket *t, char *name, size_t cap);

#endif
