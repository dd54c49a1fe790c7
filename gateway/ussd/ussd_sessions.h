/*
 * ussd_sessions: USSD sessions kept in memory and written to the store in
 * one transaction a second (and at stop). A screen is rebuilt from the
 * aggregator's text, so a session row lost in a crash costs nothing but
 * its time-out; writing every screen would cost an fsync each.
 */
#ifndef KENTONGAN_USSD_SESSIONS_H
#define KENTONGAN_USSD_SESSIONS_H

#include "gateway/ussd/ussd_menu.h"
#include "store/store.h"

struct ussd_sessions;

/*
 * What a session looks up once and keeps for its few minutes: who the
 * caller is, their village's name, the last village typed, and which
 * commit its last action was (its answer waits for that on disk). A session
 * rebuilds its screens from the whole path on every request; without this
 * each screen would ask the store the same questions again. A change made
 * at the office during a session shows from the caller's next session.
 */
struct ussd_cache {
	int contact;		/* 0 not looked up, 1 registered, 2 not */
	struct contact c;
	int caller_desa;	/* 1 once desa_name is loaded */
	char desa_name[DESA_MAX];
	char typed[256];	/* the last village typed on the keypad */
	int typed_n;		/* how many villages it may mean; -1 none yet */
	struct ussd_village typed_v[USSD_ITEMS_MAX];	/* the nearest */
	/* store_commits() of the session's last action in this run; 0 when
	 * none, or loaded from the store (so on disk already) */
	unsigned long action_commit;
};

/*
 * How long past session_timeout a session is kept (in memory and in the
 * store) before its id is forgotten: a request just too late is told the
 * session is over rather than starting a new one from a half path; one
 * after that starts a new session, as an aggregator that recycles ids
 * expects.
 */
#define USSD_SESSION_MARGIN	60

struct ussd_sessions *ussd_sessions_new(void);
void ussd_sessions_free(struct ussd_sessions *);
/* The session id, from memory or the store; NULL if unknown or last used
 * before `gone` (forgotten: the id is free again), with *err set to 1 on a
 * store error. */
struct ussd_session_row *ussd_sessions_get(struct ussd_sessions *,
    struct store *, const char *id, long long gone, int *err);
/* A new session (the caller fills it); NULL when out of memory or the id
 * is longer than USSD_SESSION_ID_MAX (never cut: its actions name it). */
struct ussd_session_row *ussd_sessions_add(struct ussd_sessions *,
    const char *id);
/* Start session r over under its own id: the row but its id, and its
 * lookups, are cleared (the caller fills it again). */
void ussd_sessions_renew(struct ussd_sessions *, struct ussd_session_row *);
/* Mark a session changed, to be written at the next flush. */
void ussd_sessions_touch(struct ussd_sessions *, struct ussd_session_row *);
/* The session's lookups kept in memory (zeroed for a new or reloaded
 * session). */
struct ussd_cache *ussd_sessions_cache(struct ussd_session_row *);
/* Write every changed session; forget those idle for longer than
 * keep seconds. Returns 0 or -1. */
int ussd_sessions_flush(struct ussd_sessions *, struct store *, long long now,
    long long keep);

#endif
