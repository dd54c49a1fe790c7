#include "gateway/worker/frame.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
put_u32(unsigned char *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static uint32_t
get_u32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
}

void
frame_init(struct frame *f, enum frame_type type)
{
	f->type = (uint16_t)type;
	f->len = 0;
	f->pos = 0;
}

int
frame_put_str(struct frame *f, const char *s, size_t len)
{
	/* The header is written in front of data by frame_bytes, so the
	 * fields start at FRAME_HEADER. */
	if (len > FRAME_MAX - FRAME_HEADER - 4 ||
	    f->len + 4 + len > FRAME_MAX - FRAME_HEADER)
		return -1;
	put_u32(f->data + FRAME_HEADER + f->len, (uint32_t)len);
	if (len)
		memcpy(f->data + FRAME_HEADER + f->len + 4, s, len);
	f->len += 4 + len;
	return 0;
}

int
frame_put_cstr(struct frame *f, const char *s)
{
	return frame_put_str(f, s ? s : "", s ? strlen(s) : 0);
}

int
frame_put_int(struct frame *f, long long v)
{
	char buf[32];
	int n = snprintf(buf, sizeof(buf), "%lld", v);

	return frame_put_str(f, buf, (size_t)n);
}

const unsigned char *
frame_bytes(struct frame *f, size_t *n)
{
	put_u32(f->data, (uint32_t)(FRAME_HEADER + f->len));
	f->data[4] = f->type >> 8;
	f->data[5] = f->type & 0xff;
	*n = FRAME_HEADER + f->len;
	return f->data;
}

long
frame_size(const unsigned char *hdr)
{
	uint32_t n = get_u32(hdr);

	if (n < FRAME_HEADER || n > FRAME_MAX)
		return -1;
	return (long)n;
}

int
frame_load(struct frame *f, const unsigned char *buf, size_t n)
{
	if (n < FRAME_HEADER || n > FRAME_MAX || frame_size(buf) != (long)n)
		return -1;
	f->type = (uint16_t)(buf[4] << 8 | buf[5]);
	memcpy(f->data, buf, n);
	f->len = n - FRAME_HEADER;
	f->pos = 0;
	return 0;
}

int
frame_get_str(struct frame *f, const char **s, size_t *len)
{
	uint32_t n;

	if (f->pos + 4 > f->len)
		return -1;
	n = get_u32(f->data + FRAME_HEADER + f->pos);
	if (n > f->len - f->pos - 4)
		return -1;
	*s = (const char *)f->data + FRAME_HEADER + f->pos + 4;
	*len = n;
	f->pos += 4 + n;
	return 0;
}

int
frame_get_cstr(struct frame *f, char *out, size_t cap)
{
	const char *s;
	size_t n;

	if (frame_get_str(f, &s, &n) != 0)
		return -1;
	if (n >= cap)
		n = cap - 1;
	memcpy(out, s, n);
	out[n] = '\0';
	return 0;
}

int
frame_get_int(struct frame *f, long long *v)
{
	char buf[32], *end;

	if (frame_get_cstr(f, buf, sizeof(buf)) != 0)
		return -1;
	errno = 0;
	*v = strtoll(buf, &end, 10);
	if (errno || end == buf || *end)
		return -1;
	return 0;
}
