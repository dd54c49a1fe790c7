#include "gateway/util/password.h"

#include <sodium.h>

_Static_assert(USER_HASH_MAX >= crypto_pwhash_STRBYTES,
    "USER_HASH_MAX holds no crypto_pwhash_str");

int
password_hash(const char *pw, size_t len, char out[USER_HASH_MAX])
{
	/* sodium_init is safe to call again, and from several threads */
	if (sodium_init() < 0)
		return -1;
	return crypto_pwhash_str_alg(out, pw, len,
	    crypto_pwhash_OPSLIMIT_INTERACTIVE,
	    crypto_pwhash_MEMLIMIT_INTERACTIVE,
	    crypto_pwhash_ALG_ARGON2ID13) == 0 ? 0 : -1;
}

int
password_verify(const char *hash, const char *pw, size_t len)
{
	if (sodium_init() < 0)
		return 0;
	return crypto_pwhash_str_verify(hash, pw, len) == 0;
}
