/*
 * login_guard: failed console logins, per key (a user name, an address).
 * A key with LOGIN_GUARD_FAILS failures within LOGIN_GUARD_WINDOW seconds
 * waits until the oldest of them is that old: a password cannot be
 * guessed faster than five tries in a quarter of an hour, per user and
 * per address. Bounded: a fixed table, the stalest key forgotten first.
 * Pure: the caller passes the monotonic time in.
 */
#ifndef KENTONGAN_LOGIN_GUARD_H
#define KENTONGAN_LOGIN_GUARD_H

#define LOGIN_GUARD_FAILS	5
#define LOGIN_GUARD_WINDOW	(15 * 60)
#define LOGIN_GUARD_KEYS	1024

struct login_guard;

struct login_guard *login_guard_new(void);
void login_guard_free(struct login_guard *);
/* 0 when key may try now; else the seconds it waits. */
double login_guard_wait(struct login_guard *, const char *key, double now);
void login_guard_failed(struct login_guard *, const char *key, double now);
/* key logged in: its failures are forgotten. */
void login_guard_passed(struct login_guard *, const char *key);

#endif
