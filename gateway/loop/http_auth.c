/*
 * The listeners' secret: as the HTTP Basic password, or as the query's
 * `key` (Kannel's get-url, an aggregator's callback), compared without
 * an early exit.
 */
#include "gateway/loop/http_int.h"

#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include <string.h>
#include <strings.h>

/* Compare without an early exit, so timing does not leak the secret. */
static int
secret_equal(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i;
	unsigned char d = la != lb;

	for (i = 0; i < la; i++)
		d |= (unsigned char)a[i] ^ (unsigned char)b[i % (lb ? lb : 1)];
	return d == 0 && lb > 0;
}

/* Decode standard base64 (no line breaks); returns length or -1. */
static int
base64_decode(const char *in, char *out, size_t cap)
{
	static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned int acc = 0;
	int bits = 0;
	size_t o = 0;

	for (; *in && *in != '='; in++) {
		const char *p = strchr(tbl, *in);

		if (p == NULL)
			return -1;
		acc = acc << 6 | (unsigned int)(p - tbl);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (o + 1 >= cap)
				return -1;
			out[o++] = (char)(acc >> bits & 0xff);
		}
	}
	out[o] = '\0';
	return (int)o;
}

/* Copy the query's first "key=..." field, still encoded, into buf; -1
 * when there is none or it does not fit (a key that long is not the
 * secret). Only that field: the rest of a Kannel MO's query is its text,
 * up to hundreds of KB, and a long one must not read as no key. */
static int
key_field(const char *query, char *buf, size_t cap)
{
	const char *p = query;
	size_t n;

	for (;;) {
		n = strcspn(p, "&");
		if (n >= 4 && strncmp(p, "key=", 4) == 0) {
			if (n >= cap)
				return -1;
			memcpy(buf, p, n);
			buf[n] = '\0';
			return 0;
		}
		if (p[n] == '\0')
			return -1;
		p += n + 1;
	}
}

/* The secret, as the HTTP Basic password or (when query_key) the `key`
 * query parameter. */
int
http_authorised(struct evhttp_request *req, const char *secret, int query_key)
{
	const char *auth, *query;
	char dec[512], *colon;
	int ok = 0;

	int n;

	/* A NUL in the password or the key would end the C string early:
	 * "secret%00anything" must not pass as "secret". */
	auth = evhttp_find_header(evhttp_request_get_input_headers(req),
	    "Authorization");
	if (auth != NULL && strncasecmp(auth, "Basic ", 6) == 0 &&
	    strlen(auth) < 600 &&
	    (n = base64_decode(auth + 6, dec, sizeof(dec))) > 0 &&
	    memchr(dec, '\0', (size_t)n) == NULL &&
	    (colon = strchr(dec, ':')) != NULL && secret_equal(colon + 1, secret))
		return 1;
	if (!query_key)
		return 0;
	query = evhttp_uri_get_query(evhttp_request_get_evhttp_uri(req));
	if (query == NULL || key_field(query, dec, sizeof(dec)) != 0)
		return 0;
	{
		const char *key = NULL;
		const struct form want[] = { { "key", &key } };

		/* http_parse_form refuses %00: "secret%00x" is not "secret" */
		if (http_parse_form(dec, want, 1) == 0 && key != NULL)
			ok = secret_equal(key, secret);
	}
	return ok;
}

