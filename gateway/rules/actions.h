/*
 * actions: what a request does to the store, shared by every channel (SMS
 * processing and the USSD menu), so a complaint is the same record and
 * ticket whichever way it came. Runs inside the caller's transaction.
 */
#ifndef KENTONGAN_ACTIONS_H
#define KENTONGAN_ACTIONS_H

#include <stddef.h>

#include "store/store.h"

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

/* Queue text to every member of group (SEMUA, PENDAMPING, KOORDINATOR,
 * WARGA, or a village by code or name) who has not opted out, once each,
 * except the sender. Returns how many, -2 for an unknown group, -1 on a
 * store error. */
int action_broadcast(struct store *, const char *group, const char *text,
    const char *sender, long long now);

#endif
