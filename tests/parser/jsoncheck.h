/*
 * jsoncheck: a small strict JSON validator for tests and fuzzers, written
 * apart from parser/ so it does not share its bugs. json_valid() accepts
 * exactly one value with valid UTF-8 and no raw control characters.
 */
#ifndef KENTONGAN_JSONCHECK_H
#define KENTONGAN_JSONCHECK_H

#include <stddef.h>

struct jc {
	const unsigned char *s;
	size_t n, i;
	int depth;
};

static int jc_value(struct jc *j);

/* Skip JSON white space. */
static void
jc_ws(struct jc *j)
{
	while (j->i < j->n && (j->s[j->i] == ' ' || j->s[j->i] == '\t' ||
	    j->s[j->i] == '\n' || j->s[j->i] == '\r'))
		j->i++;
}

/* One UTF-8 sequence starting at j->i (a byte >= 0x80). */
static int
jc_utf8(struct jc *j)
{
	unsigned char b = j->s[j->i], lo = 0x80, hi = 0xBF;
	size_t need, k;

	if (b >= 0xC2 && b <= 0xDF)
		need = 1;
	else if (b >= 0xE0 && b <= 0xEF) {
		need = 2;
		if (b == 0xE0) lo = 0xA0;
		if (b == 0xED) hi = 0x9F;
	} else if (b >= 0xF0 && b <= 0xF4) {
		need = 3;
		if (b == 0xF0) lo = 0x90;
		if (b == 0xF4) hi = 0x8F;
	} else
		return 0;
	for (k = 1; k <= need; k++) {
		if (j->i + k >= j->n || j->s[j->i + k] < lo || j->s[j->i + k] > hi)
			return 0;
		lo = 0x80;
		hi = 0xBF;
	}
	j->i += need + 1;
	return 1;
}

/* A string. */
static int
jc_string(struct jc *j)
{
	int k;

	if (j->i >= j->n || j->s[j->i] != '"')
		return 0;
	j->i++;
	while (j->i < j->n) {
		unsigned char c = j->s[j->i];

		if (c == '"') {
			j->i++;
			return 1;
		}
		if (c < 0x20)
			return 0;
		if (c >= 0x80) {
			if (!jc_utf8(j))
				return 0;
			continue;
		}
		if (c == '\\') {
			if (++j->i >= j->n)
				return 0;
			c = j->s[j->i];
			if (c == 'u') {
				for (k = 1; k <= 4; k++) {
					unsigned char h;

					if (j->i + k >= j->n)
						return 0;
					h = j->s[j->i + k];
					if (!((h >= '0' && h <= '9') ||
					    (h >= 'a' && h <= 'f') ||
					    (h >= 'A' && h <= 'F')))
						return 0;
				}
				j->i += 4;
			} else if (!(c == '"' || c == '\\' || c == '/' ||
			    c == 'b' || c == 'f' || c == 'n' || c == 'r' ||
			    c == 't'))
				return 0;
		}
		j->i++;
	}
	return 0;
}

/* A number (integers are enough here, but accept the grammar). */
static int
jc_number(struct jc *j)
{
	size_t start = j->i;

	if (j->i < j->n && j->s[j->i] == '-')
		j->i++;
	if (j->i >= j->n)
		return 0;
	if (j->s[j->i] == '0')
		j->i++;
	else if (j->s[j->i] >= '1' && j->s[j->i] <= '9')
		while (j->i < j->n && j->s[j->i] >= '0' && j->s[j->i] <= '9')
			j->i++;
	else
		return 0;
	return j->i > start;
}

/* A literal word. */
static int
jc_word(struct jc *j, const char *w)
{
	size_t k;

	for (k = 0; w[k] != '\0'; k++)
		if (j->i + k >= j->n || j->s[j->i + k] != (unsigned char)w[k])
			return 0;
	j->i += k;
	return 1;
}

/* An object or array. */
static int
jc_container(struct jc *j, int object)
{
	unsigned char close = object ? '}' : ']';

	if (++j->depth > 32)
		return 0;
	j->i++;
	jc_ws(j);
	if (j->i < j->n && j->s[j->i] == close) {
		j->i++;
		j->depth--;
		return 1;
	}
	for (;;) {
		if (object) {
			jc_ws(j);
			if (!jc_string(j))
				return 0;
			jc_ws(j);
			if (j->i >= j->n || j->s[j->i] != ':')
				return 0;
			j->i++;
		}
		if (!jc_value(j))
			return 0;
		jc_ws(j);
		if (j->i < j->n && j->s[j->i] == ',') {
			j->i++;
			continue;
		}
		if (j->i < j->n && j->s[j->i] == close) {
			j->i++;
			j->depth--;
			return 1;
		}
		return 0;
	}
}

/* Any value. */
static int
jc_value(struct jc *j)
{
	jc_ws(j);
	if (j->i >= j->n)
		return 0;
	switch (j->s[j->i]) {
	case '{': return jc_container(j, 1);
	case '[': return jc_container(j, 0);
	case '"': return jc_string(j);
	case 't': return jc_word(j, "true");
	case 'f': return jc_word(j, "false");
	case 'n': return jc_word(j, "null");
	default: return jc_number(j);
	}
}

/* Whether n bytes at s are exactly one JSON object. */
static inline int
json_valid_object(const char *s, size_t n)
{
	struct jc j = { (const unsigned char *)s, n, 0, 0 };

	jc_ws(&j);
	if (j.i >= n || s[j.i] != '{' || !jc_value(&j))
		return 0;
	jc_ws(&j);
	return j.i == n;
}

#endif
