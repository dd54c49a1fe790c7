/*
 * ussd: one aggregator request (sessionId, serviceCode, phoneNumber,
 * networkCode, text) turned into the screen to show, with the session and
 * every record it makes in the store. No HTTP here: http.c parses and
 * answers; this decides.
 */
#ifndef KENTONGAN_USSD_H
#define KENTONGAN_USSD_H

#include <stddef.h>

#include "parser/reply.h"

struct gateway;

/* "END " and the text id (one without placeholders) into out: the answer
 * when the store fails or the gateway stops mid-request is
 * ussd_end(R_USSD_UNAVAILABLE, ...). */
void ussd_end(enum reply_id, char *out, size_t cap);

struct ussd_request {
	const char *session_id;
	const char *service_code;
	const char *phone;	/* as sent */
	const char *network;
	const char *text;	/* every answer so far, joined with '*' */
};

/*
 * Fill out with the answer ("CON ..." / "END ...") and return the HTTP
 * status: 200, 400 (bad phone number or session), 500 (store). When the
 * answer names a ticket, *durable_at is the store_commits() that must be
 * on disk (store_durable()) before it is shown; otherwise 0.
 */
int ussd_handle(struct gateway *, const struct ussd_request *, char *out,
    size_t cap, unsigned long *durable_at);

/*
 * Every second: write the sessions that changed, and forget those idle
 * past session_timeout plus USSD_SESSION_MARGIN, in memory and in the
 * store (a bounded batch a tick), so their ids are free again.
 */
void ussd_tick(struct gateway *);

#endif
