/*
 * phone: sender numbers to E.164 (Indonesia by default).
 */
#include <string.h>

#include "parser/phone.h"

#define E164_DIGITS_MAX	15
#define E164_DIGITS_MIN	7
#define COUNTRY		"62"	/* the national trunk prefix 0 stands for this */

/* Write s to out if it fits; returns 0, or -1 (out = "") if not. */
static int
emit(char *out, size_t cap, const char *s)
{
	size_t n = strlen(s);

	if (n + 1 > cap) {
		if (cap > 0)
			out[0] = '\0';
		return -1;
	}
	memcpy(out, s, n + 1);
	return 0;
}

/* Return PHONE_INVALID with out = "". */
static enum phone_class
invalid(char *out, size_t cap)
{
	if (cap > 0)
		out[0] = '\0';
	return PHONE_INVALID;
}

/* Whether c is white space. */
static int
is_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Copy the trimmed text of an alphanumeric sender, cut at a UTF-8
 * character boundary. */
static enum phone_class
alnum(const char *s, size_t n, char *out, size_t cap)
{
	size_t i, o;

	if (cap == 0)
		return PHONE_ALNUM;
	o = n < cap - 1 ? n : cap - 1;
	while (o > 0 && o < n && ((unsigned char)s[o] & 0xC0) == 0x80)
		o--;
	for (i = 0; i < o; i++) {
		unsigned char c = (unsigned char)s[i];

		out[i] = (c < 0x20 || c == 0x7F) ? '?' : (char)c;
	}
	out[o] = '\0';
	return PHONE_ALNUM;
}

/* Classify and normalise a sender; see phone.h. */
enum phone_class
phone_normalize(const char *raw, char *out, size_t cap)
{
	char digits[E164_DIGITS_MAX + 4], e164[PHONE_MAX + 4];
	const char *s = raw;
	char *d;
	size_t n, i, nd = 0;
	int plus = 0;

	if (raw == NULL)
		return invalid(out, cap);
	n = strlen(s);
	while (n > 0 && is_space((unsigned char)*s)) {
		s++;
		n--;
	}
	while (n > 0 && is_space((unsigned char)s[n - 1]))
		n--;
	if (n == 0)
		return invalid(out, cap);
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    c >= 0x80)
			return alnum(s, n, out, cap);
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= '0' && c <= '9') {
			if (nd == E164_DIGITS_MAX + 2)
				return invalid(out, cap);
			digits[nd++] = (char)c;
		} else if (c == '+' && nd == 0 && !plus)
			plus = 1;
		else if (!strchr(" -.()", c) || c == '\0')
			return invalid(out, cap);
	}
	digits[nd] = '\0';
	if (nd == 0)
		return invalid(out, cap);

	if (!plus && nd < E164_DIGITS_MIN) {
		if (emit(out, cap, digits) < 0)
			return invalid(out, cap);
		return PHONE_SHORT;
	}
	if (plus)
		d = digits;			/* +<country><number> */
	else if (digits[0] == '0' && digits[1] == '0')
		d = digits + 2;			/* 00: international prefix */
	else if (digits[0] == '0')
		d = NULL;			/* 0: national trunk prefix */
	else if (strncmp(digits, COUNTRY, strlen(COUNTRY)) == 0)
		d = digits;
	else
		return invalid(out, cap);	/* no country we can tell */

	e164[0] = '+';
	if (d == NULL) {
		if (strlen(COUNTRY) + nd - 1 > E164_DIGITS_MAX)
			return invalid(out, cap);
		memcpy(e164 + 1, COUNTRY, strlen(COUNTRY));
		memcpy(e164 + 1 + strlen(COUNTRY), digits + 1, nd);
	} else {
		/* "+62 (0)812...": the trunk 0 written after the country */
		if (strncmp(d, COUNTRY "0", strlen(COUNTRY) + 1) == 0) {
			memmove(d + strlen(COUNTRY),
			    d + strlen(COUNTRY) + 1, strlen(d) - strlen(COUNTRY));
		}
		n = strlen(d);
		/* a country code never starts with 0 */
		if (n < E164_DIGITS_MIN || n > E164_DIGITS_MAX || d[0] == '0')
			return invalid(out, cap);
		memcpy(e164 + 1, d, n + 1);
	}
	if (emit(out, cap, e164) < 0)
		return invalid(out, cap);
	return PHONE_E164;
}
