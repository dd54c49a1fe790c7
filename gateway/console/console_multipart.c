/* console_multipart: a multipart/form-data body into form fields. */
#include "gateway/console/console_multipart.h"

#include <sys/queue.h>
#include <event2/keyvalq_struct.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define BOUNDARY_MAX	70	/* RFC 2046 */
#define PART_HEAD_MAX	2048	/* a part's headers */
#define NAME_MAX_LEN	64

int
multipart_is(const char *type)
{
	return type != NULL && !strncasecmp(type, "multipart/form-data", 19);
}

/* The boundary parameter of type into out ("--" before it); its length,
 * or 0 when there is none that will do. */
static size_t
boundary_of(const char *type, char *out, size_t cap)
{
	const char *p = type, *b = NULL;
	size_t n = 0;

	while ((p = strchr(p, ';')) != NULL) {
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!strncasecmp(p, "boundary=", 9)) {
			b = p + 9;
			break;
		}
	}
	if (b == NULL)
		return 0;
	if (*b == '"') {
		b++;
		while (b[n] != '\0' && b[n] != '"')
			n++;
		if (b[n] != '"')
			return 0;
	} else
		n = strcspn(b, "; \t");
	if (n == 0 || n > BOUNDARY_MAX || n + 3 > cap)
		return 0;
	out[0] = out[1] = '-';
	memcpy(out + 2, b, n);
	out[n + 2] = '\0';
	return n + 2;
}

/* The value of parameter key (name, filename) in a Content-Disposition
 * line, quoted, into out; 1 found, 0 not, -1 malformed or too long. */
static int
disposition_param(const char *line, size_t len, const char *key, char *out,
    size_t cap)
{
	size_t k = strlen(key), i = 0, o = 0;

	while (i < len) {
		while (i < len && line[i] != ';')
			i++;
		if (i >= len)
			return 0;
		i++;
		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (len - i > k + 1 && !strncasecmp(line + i, key, k) &&
		    line[i + k] == '=') {
			i += k + 1;
			if (i >= len || line[i] != '"')
				return -1;
			for (i++; i < len && line[i] != '"'; i++) {
				if (o + 1 >= cap)
					return -1;
				out[o++] = line[i];
			}
			if (i >= len)
				return -1;
			out[o] = '\0';
			return 1;
		}
	}
	return 0;
}

/* A part's headers (len bytes, CRLF-separated): its field name and
 * whether it is a file; 0 or -1. */
static int
part_head(const char *head, size_t len, char *name, size_t cap, int *file)
{
	static const char cd[] = "content-disposition:";
	char fname[256];
	const char *line = head, *end = head + len, *eol;

	name[0] = '\0';
	*file = 0;
	while (line < end) {
		eol = memmem(line, (size_t)(end - line), "\r\n", 2);
		if (eol == NULL)
			eol = end;
		if ((size_t)(eol - line) > sizeof(cd) - 1 &&
		    !strncasecmp(line, cd, sizeof(cd) - 1)) {
			size_t n = (size_t)(eol - line);

			if (disposition_param(line, n, "name", name, cap) != 1)
				return -1;
			switch (disposition_param(line, n, "filename", fname,
			    sizeof(fname))) {
			case 1:
				*file = 1;
				break;
			case -1:
				return -1;
			}
		}
		line = eol + 2;
	}
	return name[0] != '\0' ? 0 : -1;
}

/* One field on the end of form, as libevent keeps them (its
 * evhttp_clear_headers frees it). */
static int
add_field(struct evkeyvalq *form, const char *name, const char *v,
    size_t n)
{
	struct evkeyval *kv;

	if (memchr(v, '\0', n) != NULL ||
	    (kv = calloc(1, sizeof(*kv))) == NULL)
		return -1;
	if ((kv->key = strdup(name)) == NULL ||
	    (kv->value = strndup(v, n)) == NULL) {
		free(kv->key);
		free(kv);
		return -1;
	}
	TAILQ_INSERT_TAIL(form, kv, next);
	return 0;
}

int
multipart_parse(const char *type, const char *body, size_t n,
    struct evkeyvalq *form)
{
	char delim[BOUNDARY_MAX + 8], name[NAME_MAX_LEN];
	size_t dlen = boundary_of(type ? type : "", delim + 2,
	    sizeof(delim) - 2);
	const char *p = body, *end = body + n, *head_end, *next;
	int parts = 0, file;

	if (dlen == 0)
		return -1;
	/* every delimiter after the first follows a CRLF */
	delim[0] = '\r';
	delim[1] = '\n';
	if (n < dlen || memcmp(body, delim + 2, dlen) != 0)
		return -1;
	p += dlen;
	for (;;) {
		if (end - p >= 2 && p[0] == '-' && p[1] == '-')
			return 0;	/* the close delimiter */
		if (end - p < 2 || p[0] != '\r' || p[1] != '\n' ||
		    ++parts > MULTIPART_PARTS)
			return -1;
		p += 2;
		head_end = memmem(p, (size_t)(end - p) < PART_HEAD_MAX ?
		    (size_t)(end - p) : PART_HEAD_MAX, "\r\n\r\n", 4);
		if (head_end == NULL || part_head(p, (size_t)(head_end - p),
		    name, sizeof(name), &file) != 0)
			return -1;
		p = head_end + 4;
		if ((next = memmem(p, (size_t)(end - p), delim, dlen + 2)) ==
		    NULL)
			return -1;
		if ((!file && next - p > MULTIPART_FIELD_MAX) ||
		    add_field(form, name, p, (size_t)(next - p)) != 0)
			return -1;
		p = next + dlen + 2;
	}
}
