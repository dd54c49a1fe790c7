/*
 * json: format a parse result as one JSON object, fields in the order of
 * the kind's table in parser.c.
 */
#include <string.h>

#include "parser/json.h"
#include "parser/parser_int.h"
#include "parser/utf8.h"

/* Output cursor that counts what it could not write. */
struct jbuf {
	char *p;
	size_t len, cap;
};

/* Append n bytes, or only count them once out of room. */
static void
put(struct jbuf *j, const char *s, size_t n)
{
	if (j->len + n <= j->cap)
		memcpy(j->p + j->len, s, n);
	j->len += n;
}

/* Append a NUL-terminated literal. */
static void
puts_lit(struct jbuf *j, const char *s)
{
	put(j, s, strlen(s));
}

/* Append a JSON string for len bytes of untrusted s. */
static void
put_string(struct jbuf *j, const char *s, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *u = (const unsigned char *)s;
	char esc[6] = { '\\', 'u', '0', '0', 0, 0 };
	char enc[4];
	size_t i = 0, used, run;
	uint32_t cp;
	int ok;

	put(j, "\"", 1);
	while (i < len) {
		/* copy plain ASCII in runs: the common case */
		for (run = i; run < len && u[run] >= 0x20 && u[run] < 0x80 &&
		    u[run] != '"' && u[run] != '\\'; run++)
			;
		put(j, s + i, run - i);
		if ((i = run) == len)
			break;
		used = utf8_decode(u + i, len - i, &cp, &ok);
		if (!ok) {
			put(j, enc, utf8_encode(UTF8_REPLACEMENT, enc));
		} else if (cp == '"' || cp == '\\') {
			put(j, "\\", 1);
			put(j, s + i, 1);
		} else if (cp == '\n') {
			put(j, "\\n", 2);
		} else if (cp == '\r') {
			put(j, "\\r", 2);
		} else if (cp == '\t') {
			put(j, "\\t", 2);
		} else if (cp < 0x20) {
			esc[4] = hex[cp >> 4];
			esc[5] = hex[cp & 15];
			put(j, esc, 6);
		} else
			put(j, s + i, used);
		i += used;
	}
	put(j, "\"", 1);
}

/* Append an integer. */
static void
put_int(struct jbuf *j, int v)
{
	char tmp[16];
	size_t n = sizeof(tmp);
	unsigned int u = v < 0 ? 0u - (unsigned int)v : (unsigned int)v;

	do {
		tmp[--n] = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	if (v < 0)
		tmp[--n] = '-';
	put(j, tmp + n, sizeof(tmp) - n);
}

/* Append ,"key": */
static void
put_key(struct jbuf *j, const char *key)
{
	put(j, ",\"", 2);
	puts_lit(j, key);
	put(j, "\":", 2);
}

/* Format a JSON string; see json.h. */
size_t
json_string(const char *s, size_t len, char *out, size_t cap)
{
	struct jbuf j = { out, 0, cap };

	put_string(&j, s, len);
	return j.len;
}

/* Format one parse result; see json.h. */
size_t
json_format_result(const struct parse_result *r, const char *reply,
    char *out, size_t cap)
{
	struct jbuf j = { out, 0, cap > 0 ? cap - 1 : 0 };	/* room for NUL */
	const struct kind_spec *ks = parser_kind_spec(r->kind);
	const struct field_spec *f;
	const char *s;
	size_t i, n;

	if (r->error != PE_OK || ks == NULL) {
		puts_lit(&j, "{\"ok\":false");
		put_key(&j, "error");
		s = parse_error_name(r->error);
		put_string(&j, s, strlen(s));
		put_key(&j, "field");
		s = r->field != NULL ? r->field : "";
		put_string(&j, s, strlen(s));
		put_key(&j, "reply");
		s = reply != NULL ? reply : "";
		put_string(&j, s, strlen(s));
	} else {
		puts_lit(&j, "{\"ok\":true");
		put_key(&j, "kind");
		puts_lit(&j, "\"");
		puts_lit(&j, ks->name);
		puts_lit(&j, "\"");
		for (i = 0; i < ks->nfields; i++) {
			const char *slot;

			f = &ks->fields[i];
			slot = (const char *)r + f->off;
			put_key(&j, f->name);
			if (FT_IS_INT(f->type)) {
				put_int(&j, *(const int *)(const void *)slot);
				continue;
			}
			s = *(const char *const *)(const void *)slot;
			if (s == NULL)
				s = "";
			n = f->len_off != NO_LEN ? *(const size_t *)(const
			    void *)((const char *)r + f->len_off) : strlen(s);
			put_string(&j, s, n);
		}
	}
	put(&j, "}", 1);
	if (j.len <= j.cap)
		out[j.len] = '\0';
	return j.len;
}
