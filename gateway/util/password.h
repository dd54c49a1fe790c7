/*
 * password: the web console's passwords, hashed with Argon2id (libsodium's
 * crypto_pwhash_str) so that the store keeps no password. Safe from any
 * thread; sodium_init() is run on first use.
 */
#ifndef KENTONGAN_PASSWORD_H
#define KENTONGAN_PASSWORD_H

#include <stddef.h>

#include "store/store.h"	/* USER_HASH_MAX */

#define PASSWORD_MIN	10	/* characters (bytes) */
#define PASSWORD_MAX	1024

/* Hash the len bytes of pw into out: 0, or -1 (libsodium unusable, or out
 * of memory: the hash takes 64 MB for a moment). */
int password_hash(const char *pw, size_t len, char out[USER_HASH_MAX]);
/* 1 when pw is the password hash was made from, else 0 (a hash that is
 * not one counts as no). Takes as long as password_hash. */
int password_verify(const char *hash, const char *pw, size_t len);

#endif
