#include "gateway/worker/frame_msg.h"

#include <limits.h>
#include <string.h>

void
frame_cstr_cut(char *dst, size_t cap, const char *src)
{
	size_t n = src != NULL ? strnlen(src, cap - 1) : 0;

	if (n > 0)
		memcpy(dst, src, n);
	dst[n] = '\0';
}

/* A string held in a fixed buffer: strnlen, so one missing its NUL still
 * stops at the buffer's end. */
static int
put_buf(struct frame *f, const char *buf, size_t cap)
{
	return frame_put_str(f, buf, strnlen(buf, cap));
}

/* Start decoding: the struct zeroed, the cursor at the first field. */
static int
begin(struct frame *f, enum frame_type type, void *s, size_t size)
{
	if (s != NULL)
		memset(s, 0, size);
	f->pos = 0;
	return f->type == type ? 0 : -1;
}

/* A field left over means the sides disagree on the frame. */
static int
end(const struct frame *f)
{
	return f->pos == f->len ? 0 : -1;
}

static int
get_range(struct frame *f, long long lo, long long hi, long long *v)
{
	long long x;

	if (frame_get_int(f, &x) != 0 || x < lo || x > hi)
		return -1;
	*v = x;
	return 0;
}

static int
get_int(struct frame *f, int *out)
{
	long long v;

	if (get_range(f, INT_MIN, INT_MAX, &v) != 0)
		return -1;
	*out = (int)v;
	return 0;
}

static int
get_flag(struct frame *f, int *out)
{
	long long v;

	if (get_range(f, 0, 1, &v) != 0)
		return -1;
	*out = (int)v;
	return 0;
}

static int
get_unsigned(struct frame *f, unsigned *out)
{
	long long v;

	if (get_range(f, 0, UINT_MAX, &v) != 0)
		return -1;
	*out = (unsigned)v;
	return 0;
}

/* Not frame_get_int itself: it leaves a half-read number behind on -1. */
static int
get_long(struct frame *f, long long *out)
{
	return get_range(f, LLONG_MIN, LLONG_MAX, out);
}

int
frame_encode_ev_up(struct frame *f, const struct ev_up *u)
{
	frame_init(f, EV_UP);
	if (put_buf(f, u->manufacturer, sizeof(u->manufacturer)) != 0 ||
	    put_buf(f, u->model, sizeof(u->model)) != 0 ||
	    put_buf(f, u->imei, sizeof(u->imei)) != 0 ||
	    put_buf(f, u->network, sizeof(u->network)) != 0 ||
	    frame_put_int(f, u->signal) != 0)
		return -1;
	return 0;
}

int
frame_decode_ev_up(struct frame *f, struct ev_up *u)
{
	if (begin(f, EV_UP, u, sizeof(*u)) != 0 ||
	    frame_get_cstr(f, u->manufacturer, sizeof(u->manufacturer)) != 0 ||
	    frame_get_cstr(f, u->model, sizeof(u->model)) != 0 ||
	    frame_get_cstr(f, u->imei, sizeof(u->imei)) != 0 ||
	    frame_get_cstr(f, u->network, sizeof(u->network)) != 0 ||
	    get_int(f, &u->signal) != 0)
		return -1;
	return end(f);
}

int
frame_encode_ev_down(struct frame *f, const struct ev_down *d)
{
	frame_init(f, EV_DOWN);
	if (put_buf(f, d->error, sizeof(d->error)) != 0 ||
	    frame_put_int(f, d->code) != 0)
		return -1;
	return 0;
}

int
frame_decode_ev_down(struct frame *f, struct ev_down *d)
{
	if (begin(f, EV_DOWN, d, sizeof(*d)) != 0 ||
	    frame_get_cstr(f, d->error, sizeof(d->error)) != 0 ||
	    get_int(f, &d->code) != 0)
		return -1;
	return end(f);
}

int
frame_encode_ev_sms(struct frame *f, const struct ev_sms *s)
{
	frame_init(f, EV_SMS);
	if (frame_put_int(f, s->folder) != 0 ||
	    frame_put_int(f, s->location) != 0 ||
	    put_buf(f, s->number, sizeof(s->number)) != 0 ||
	    frame_put_int(f, s->smsc_time) != 0 ||
	    put_buf(f, s->coding, sizeof(s->coding)) != 0 ||
	    frame_put_str(f, s->text, s->text_len) != 0 ||
	    frame_put_int(f, s->ref) != 0 ||
	    frame_put_int(f, s->total) != 0 ||
	    frame_put_int(f, s->seq) != 0 ||
	    frame_put_int(f, s->is_report) != 0 ||
	    frame_put_int(f, s->report_ref) != 0 ||
	    frame_put_int(f, s->report_status) != 0 ||
	    frame_put_int(f, s->is_binary) != 0 ||
	    frame_put_int(f, s->read_id) != 0)
		return -1;
	return 0;
}

int
frame_decode_ev_sms(struct frame *f, struct ev_sms *s)
{
	if (begin(f, EV_SMS, s, sizeof(*s)) != 0 ||
	    get_int(f, &s->folder) != 0 ||
	    get_int(f, &s->location) != 0 ||
	    frame_get_cstr(f, s->number, sizeof(s->number)) != 0 ||
	    get_long(f, &s->smsc_time) != 0 ||
	    frame_get_cstr(f, s->coding, sizeof(s->coding)) != 0 ||
	    frame_get_str(f, &s->text, &s->text_len) != 0 ||
	    get_int(f, &s->ref) != 0 ||
	    get_int(f, &s->total) != 0 ||
	    get_int(f, &s->seq) != 0 ||
	    get_flag(f, &s->is_report) != 0 ||
	    get_int(f, &s->report_ref) != 0 ||
	    get_int(f, &s->report_status) != 0 ||
	    get_flag(f, &s->is_binary) != 0 ||
	    get_unsigned(f, &s->read_id) != 0)
		return -1;
	return end(f);
}

int
frame_encode_ev_scan_done(struct frame *f, const struct ev_scan_done *d)
{
	frame_init(f, EV_SCAN_DONE);
	if (frame_put_int(f, d->count) != 0 ||
	    frame_put_int(f, d->complete) != 0)
		return -1;
	return 0;
}

int
frame_decode_ev_scan_done(struct frame *f, struct ev_scan_done *d)
{
	if (begin(f, EV_SCAN_DONE, d, sizeof(*d)) != 0 ||
	    get_int(f, &d->count) != 0 ||
	    get_flag(f, &d->complete) != 0)
		return -1;
	return end(f);
}

int
frame_encode_ev_sent(struct frame *f, const struct ev_sent *s)
{
	frame_init(f, EV_SENT);
	if (frame_put_int(f, s->id) != 0 ||
	    frame_put_int(f, s->ok) != 0 ||
	    frame_put_int(f, s->parts) != 0 ||
	    put_buf(f, s->error, sizeof(s->error)) != 0 ||
	    frame_put_int(f, s->code) != 0 ||
	    frame_put_int(f, s->cls) != 0)
		return -1;
	return 0;
}

int
frame_decode_ev_sent(struct frame *f, struct ev_sent *s)
{
	long long cls;

	if (begin(f, EV_SENT, s, sizeof(*s)) != 0 ||
	    get_long(f, &s->id) != 0 ||
	    get_flag(f, &s->ok) != 0 ||
	    get_int(f, &s->parts) != 0 ||
	    frame_get_cstr(f, s->error, sizeof(s->error)) != 0 ||
	    get_int(f, &s->code) != 0 ||
	    get_range(f, SEND_OK, SEND_UNCERTAIN, &cls) != 0)
		return -1;
	s->cls = (enum send_class)cls;
	return end(f);
}

int
frame_encode_ev_network(struct frame *f, const struct ev_network *n)
{
	frame_init(f, EV_NETWORK);
	if (frame_put_int(f, n->signal) != 0 ||
	    put_buf(f, n->network, sizeof(n->network)) != 0)
		return -1;
	return 0;
}

int
frame_decode_ev_network(struct frame *f, struct ev_network *n)
{
	if (begin(f, EV_NETWORK, n, sizeof(*n)) != 0 ||
	    get_int(f, &n->signal) != 0 ||
	    frame_get_cstr(f, n->network, sizeof(n->network)) != 0)
		return -1;
	return end(f);
}

int
frame_encode_ev_part(struct frame *f, const struct ev_part *p)
{
	frame_init(f, EV_PART);
	if (frame_put_int(f, p->id) != 0 ||
	    frame_put_int(f, p->seq) != 0 ||
	    frame_put_int(f, p->total) != 0 ||
	    frame_put_int(f, p->ref) != 0 ||
	    frame_put_int(f, p->mr) != 0)
		return -1;
	return 0;
}

int
frame_decode_ev_part(struct frame *f, struct ev_part *p)
{
	if (begin(f, EV_PART, p, sizeof(*p)) != 0 ||
	    get_long(f, &p->id) != 0 ||
	    get_int(f, &p->seq) != 0 ||
	    get_int(f, &p->total) != 0 ||
	    get_int(f, &p->ref) != 0 ||
	    get_int(f, &p->mr) != 0)
		return -1;
	return end(f);
}

int
frame_encode_ev_ussd(struct frame *f, const struct ev_ussd *u)
{
	frame_init(f, EV_USSD);
	if (frame_put_int(f, u->ok) != 0 ||
	    frame_put_int(f, u->status) != 0 ||
	    put_buf(f, u->text, sizeof(u->text)) != 0)
		return -1;
	return 0;
}

int
frame_decode_ev_ussd(struct frame *f, struct ev_ussd *u)
{
	if (begin(f, EV_USSD, u, sizeof(*u)) != 0 ||
	    get_flag(f, &u->ok) != 0 ||
	    get_int(f, &u->status) != 0 ||
	    frame_get_cstr(f, u->text, sizeof(u->text)) != 0)
		return -1;
	return end(f);
}

int
frame_encode_cmd_delete(struct frame *f, const struct cmd_delete *d)
{
	frame_init(f, CMD_DELETE);
	if (frame_put_int(f, d->folder) != 0 ||
	    frame_put_int(f, d->location) != 0 ||
	    frame_put_int(f, d->read_id) != 0)
		return -1;
	return 0;
}

int
frame_decode_cmd_delete(struct frame *f, struct cmd_delete *d)
{
	if (begin(f, CMD_DELETE, d, sizeof(*d)) != 0 ||
	    get_int(f, &d->folder) != 0 ||
	    get_int(f, &d->location) != 0 ||
	    get_unsigned(f, &d->read_id) != 0)
		return -1;
	return end(f);
}

int
frame_encode_cmd_send(struct frame *f, const struct cmd_send *s)
{
	frame_init(f, CMD_SEND);
	if (frame_put_int(f, s->id) != 0 ||
	    put_buf(f, s->number, sizeof(s->number)) != 0 ||
	    frame_put_str(f, s->text, s->text_len) != 0 ||
	    frame_put_int(f, s->report) != 0 ||
	    frame_put_int(f, s->ref) != 0 ||
	    frame_put_int(f, s->done) != 0)
		return -1;
	return 0;
}

int
frame_decode_cmd_send(struct frame *f, struct cmd_send *s)
{
	if (begin(f, CMD_SEND, s, sizeof(*s)) != 0 ||
	    get_long(f, &s->id) != 0 ||
	    frame_get_cstr(f, s->number, sizeof(s->number)) != 0 ||
	    frame_get_str(f, &s->text, &s->text_len) != 0 ||
	    get_flag(f, &s->report) != 0 ||
	    get_int(f, &s->ref) != 0 ||
	    get_int(f, &s->done) != 0)
		return -1;
	return end(f);
}

int
frame_encode_cmd_scan(struct frame *f)
{
	frame_init(f, CMD_SCAN);
	return 0;
}

int
frame_decode_cmd_scan(struct frame *f)
{
	if (begin(f, CMD_SCAN, NULL, 0) != 0)
		return -1;
	return end(f);
}

int
frame_encode_cmd_ussd(struct frame *f, const struct cmd_ussd *u)
{
	frame_init(f, CMD_USSD);
	return put_buf(f, u->code, sizeof(u->code));
}

int
frame_decode_cmd_ussd(struct frame *f, struct cmd_ussd *u)
{
	if (begin(f, CMD_USSD, u, sizeof(*u)) != 0 ||
	    frame_get_cstr(f, u->code, sizeof(u->code)) != 0)
		return -1;
	return end(f);
}
