/*
 * users: who may sign in to the web console, the same checks and steps
 * for `kentongan users` and the console's Pengguna page. Hashing is the
 * caller's (gateway/util/password.h).
 */
#ifndef KENTONGAN_RULES_USERS_H
#define KENTONGAN_RULES_USERS_H

#include <stddef.h>

#include "store/store.h"

/* Whether name is 1..USER_NAME_MAX-1 of a-z, 0-9, '.', '_', '-'. */
int user_name_valid(const char *name);
/* The role as stored for typed in any case, or NULL. */
const char *user_role(const char *typed);
/* Whether a new user of name, role (typed) and a kecamatan given or not
 * may be added: their role as stored, or NULL with why. */
const char *user_add_check(const char *name, const char *role, int has_kec,
    char *why, size_t cap);
/* Whether a password of len bytes will do: NULL, or why not. */
const char *user_password_check(size_t len, char *why, size_t cap);

/* Add u (name, role, kecamatan, hash), in the caller's transaction: 1
 * added, 0 the name is taken (nothing changed), -1 on error. */
int user_add(struct store *, const struct user *u, long long now);
/* u's new hash stored and their sessions ended, in the caller's
 * transaction: 0 or -1. */
int user_set_hash(struct store *, const struct user *u, long long now);

#endif
