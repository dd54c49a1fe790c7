/*
 * tickets: what the office does to a ticket (`tickets update`), for every
 * front end: its status, a note for the person who filed it, the village
 * corrected. In the caller's transaction.
 */
#ifndef KENTONGAN_TICKETS_H
#define KENTONGAN_TICKETS_H

#include "parser/reply.h"
#include "store/store.h"

/* The statuses, as people read them in an error. */
#define TICKET_STATUSES	"baru, diproses, selesai, ditolak"

/* The status typed in any case as the store writes it, or NULL. */
const char *ticket_status(const char *typed);

/* What the office changes; NULL keeps it. A status without a note
 * clears the note; a village alone keeps status and note and tells
 * nobody (it is the office's correction). */
struct ticket_change {
	const char *status;	/* as ticket_status() returns it */
	const char *note;	/* at most TICKET_NOTE_MAX characters */
	const char *desa;	/* a village code, resolved by the caller */
};

enum ticket_update { TICKET_UPDATED, TICKET_NO_SUCH, TICKET_BAD,
	TICKET_NOTE_LONG };

/* What an update did. */
struct ticket_news {
	char name[32];		/* "ADU-42" */
	struct ticket before;
	char status[16];	/* the status now */
	char number[NUMBER_MAX]; /* who was told; "" when nobody */
	char sms[REPLY_MAX];	/* what they were told */
	int note_chars;		/* the note's characters */
	int note_sent;		/* of those, how many the SMS holds */
};

/* tickets update: change ticket typed ("ADU-42", "adu 42") and tell who
 * filed it by SMS (purpose "ticket": sent even after BERHENTI). A note
 * that does not fit the SMS is cut there, which then says to send STATUS
 * for all of it (STATUS shows the ticket's note whole). Returns the
 * outcome, or -1 on a store error. */
int action_ticket_update(struct store *, const char *typed,
    const struct ticket_change *, long long now, struct ticket_news *);

#endif
