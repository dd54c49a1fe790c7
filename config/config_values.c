/*
 * The values a key may not hold though they parse: a time zone the
 * system lacks, a weak or copied secret, an area that is no village code
 * prefix, an allow list that is not addresses. config.c's set_value()
 * asks; each answer says why.
 */
#include "config/config_int.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* The examples the documentation has shown for `secret`: a secret copied
 * from a public page is no secret. */
static const char *const example_secrets[] = {
	"change-me",
	"CHANGE-THIS-to-your-own-long-random-secret",
};

#define SECRET_MIN	16
/* A timezone is valid when the system has its zoneinfo file; a typo would
 * otherwise silently mean UTC. */
int
timezone_exists(const char *tz)
{
	char path[256];
	struct stat st;

	if (*tz == '\0' || strstr(tz, "..") != NULL || tz[0] == '/')
		return 0;
	snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", tz);
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* Characters, not bytes: a UTF-8 continuation byte adds none. */
static size_t
utf8_length(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

/* Why value cannot be a shared secret, or NULL. */
const char *
weak_secret(const char *value)
{
	size_t i;

	if (value[0] == '\0')
		return NULL;	/* none: whether one is needed is checked later */
	for (i = 0; i < sizeof(example_secrets) / sizeof(example_secrets[0]);
	    i++)
		if (!strcasecmp(value, example_secrets[i]))
			return "is the documentation's example: make your own "
			    "(e.g. head -c 18 /dev/urandom | base64)";
	if (utf8_length(value) < SECRET_MIN)
		return "must be at least 16 characters";
	return NULL;
}

/*
 * area: Kemendagri code prefixes, comma- or blank-separated, dots
 * optional ("33", "33.22", "3322.01"): 2, 4 or 6 digits, written dotted
 * the way village codes are stored, blank separated, into out.
 */
const char *
area_prefixes(const char *value, char *out, size_t cap)
{
	size_t o = 0, n, i;
	char d[7];

	out[0] = '\0';
	while (*value) {
		value += strspn(value, " \t,");
		if (*value == '\0')
			break;
		for (n = 0; *value && !strchr(" \t,", *value); value++) {
			if (*value == '.')
				continue;
			if (!isdigit((unsigned char)*value) || n == 6)
				return "want code prefixes like 33, 33.22 or "
				    "33.22.01";
			d[n++] = *value;
		}
		if (n != 2 && n != 4 && n != 6)
			return "want code prefixes like 33, 33.22 or 33.22.01";
		if (o + 10 > cap)
			return "value too long";
		if (o > 0)
			out[o++] = ' ';
		for (i = 0; i < n; i += 2) {
			if (i > 0)
				out[o++] = '.';
			out[o++] = d[i];
			out[o++] = d[i + 1];
		}
		out[o] = '\0';
	}
	return NULL;
}

/* Why a token of an allow list is not an address, or NULL. */
const char *
bad_allow(const char *value)
{
	char list[512], *tok, *save = NULL;
	unsigned char addr[sizeof(struct in6_addr)];

	if (strlen(value) >= sizeof(list))
		return "value too long";
	snprintf(list, sizeof(list), "%s", value);
	for (tok = strtok_r(list, " ,", &save); tok; tok = strtok_r(NULL, " ,",
	    &save))
		if (inet_pton(AF_INET, tok, addr) != 1 &&
		    inet_pton(AF_INET6, tok, addr) != 1)
			return "wants IP addresses (no names, no ranges)";
	return NULL;
}

