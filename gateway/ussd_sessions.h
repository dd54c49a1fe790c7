/*
 * ussd_sessions: USSD sessions kept in memory and written to the store in
 * one transaction a second (and at stop). A screen is rebuilt from the
 * aggregator's text, so a session row lost in a crash costs nothing but
 * its time-out; writing every screen would cost an fsync each.
 */
#ifndef KENTONGAN_USSD_SESSIONS_H
#define KENTONGAN_USSD_SESSIONS_H

#include "store/store.h"

struct ussd_sessions;

struct ussd_sessions *ussd_sessions_new(void);
void ussd_sessions_free(struct ussd_sessions *);
/* The session id, from memory or the store; NULL if unknown (*err set to
 * 1 on a store error). */
struct ussd_session_row *ussd_sessions_get(struct ussd_sessions *,
    struct store *, const char *id, int *err);
/* A new session (the caller fills it); NULL when out of memory. */
struct ussd_session_row *ussd_sessions_add(struct ussd_sessions *,
    const char *id);
/* Mark a session changed, to be written at the next flush. */
void ussd_sessions_touch(struct ussd_sessions *, struct ussd_session_row *);
/* The store_commits() of the session's last action in this run, 0 when
 * it has none or it came from the store (so is on disk already). */
void ussd_sessions_set_action_commit(struct ussd_session_row *,
    unsigned long);
unsigned long ussd_sessions_action_commit(const struct ussd_session_row *);
/* Write every changed session; forget those idle for longer than
 * keep seconds. Returns 0 or -1. */
int ussd_sessions_flush(struct ussd_sessions *, struct store *, long long now,
    long long keep);

#endif
