/*
 * auth_guard: failed authentications, per source address. A source that
 * keeps failing is refused for a growing interval (the listener answers
 * 429 at once: the loop never sleeps), so a secret cannot be guessed at
 * thousands of tries a second; what happened is told at most once a
 * minute per source, with counts. Bounded: a fixed table, the stalest
 * source forgotten first. IPv6 sources count by their /64 (one host holds
 * a whole /64). Pure: the caller passes the monotonic time in, and logs.
 */
#ifndef KENTONGAN_AUTH_GUARD_H
#define KENTONGAN_AUTH_GUARD_H

#define AUTH_GUARD_FREE		5	/* failures before the first refusal */
#define AUTH_GUARD_MAX_LOCK	60	/* seconds: the longest refusal */
#define AUTH_GUARD_SOURCES	1024	/* sources remembered */
#define AUTH_GUARD_LOG_EVERY	60	/* seconds between two lines a source */

struct auth_guard;

/* What to log for one source. */
struct auth_guard_line {
	const char *source;	/* an address, or an IPv6 /64 */
	unsigned long failed;	/* failures since the last line */
	unsigned long refused;	/* requests refused since the last line */
	unsigned failures;	/* in a row, now */
	double locked_for;	/* seconds it is refused from now; 0 none */
};

struct auth_guard *auth_guard_new(void);
void auth_guard_free(struct auth_guard *);

/* 0 when addr may try now; else the seconds until it may (the request is
 * refused unread, and counted). */
double auth_guard_check(struct auth_guard *, const char *addr, double now);
/* addr failed to authenticate. */
void auth_guard_failed(struct auth_guard *, const char *addr, double now);
/* addr authenticated: its failures are forgotten. */
void auth_guard_passed(struct auth_guard *, const char *addr);

/* Call fn once for each source with something untold whose last line is
 * AUTH_GUARD_LOG_EVERY seconds old (all of them when all is set, as at
 * stop). */
void auth_guard_report(struct auth_guard *, double now, int all,
    void (*fn)(void *arg, const struct auth_guard_line *), void *arg);

#endif
