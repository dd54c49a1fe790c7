/*
 * pesan_show: what the message pages (page_pesan.c, page_percakapan.c)
 * show alike: a number as people type it made the store's, the states
 * and purposes in Indonesian, a number linking to its conversation.
 */
#ifndef KENTONGAN_PESAN_SHOW_H
#define KENTONGAN_PESAN_SHOW_H

struct creq;

/* typed ("0812-3456-7890", "+62 812...", a short code, a sender name) as
 * the store keeps senders (phone_normalize), living as long as r; NULL
 * when it is no number. *e164 (may be NULL) says whether one can be
 * sent an SMS. */
const char *pesan_number(struct creq *, const char *typed, int *e164);

/* The words for a message's state, an outbox row's state and purpose. */
const char *pesan_in_state(const char *state);
const char *pesan_out_state(const char *state);
const char *pesan_purpose(const char *purpose);

/* number as a link to its conversation. */
void h_number_link(struct creq *, const char *number);

#endif
