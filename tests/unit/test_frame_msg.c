/*
 * gateway/worker/frame_msg: every frame type through the wire and back,
 * the bytes the hand-written field sequences made before it, and the
 * frames a decoder must refuse.
 */
#include "gateway/worker/frame_msg.h"
#include "tests/testlib.h"

#include <limits.h>
#include <string.h>

static struct frame tx, rx, build, cut;

/* What goes over the socket: bytes, size from the header, loaded again. */
static int
wire(struct frame *from, struct frame *to)
{
	size_t n;
	const unsigned char *b = frame_bytes(from, &n);

	if (frame_size(b) != (long)n)
		return -1;
	return frame_load(to, b, n);
}

/* The same bytes as a frame built field by field (the old encoders). */
static int
same_bytes(struct frame *typed, struct frame *legacy)
{
	size_t n, m;
	const unsigned char *a = frame_bytes(typed, &n);
	const unsigned char *b = frame_bytes(legacy, &m);

	return n == m && memcmp(a, b, n) == 0;
}

/* Fields a frame holds. */
static int
count_fields(struct frame *f)
{
	const char *s;
	size_t len;
	int n = 0;

	f->pos = 0;
	while (frame_get_str(f, &s, &len) == 0)
		n++;
	f->pos = 0;
	return n;
}

/* Into `cut`: the first k fields of f, then `extra` if not NULL. */
static void
first_fields(struct frame *f, int k, const char *extra)
{
	const char *s;
	size_t len;

	frame_init(&build, (enum frame_type)f->type);
	f->pos = 0;
	while (k-- > 0 && frame_get_str(f, &s, &len) == 0)
		frame_put_str(&build, s, len);
	if (extra != NULL)
		frame_put_cstr(&build, extra);
	f->pos = 0;
	wire(&build, &cut);
}

static union {
	struct ev_up up;
	struct ev_down down;
	struct ev_sms sms;
	struct ev_scan_done scan_done;
	struct ev_sent sent;
	struct ev_network network;
	struct ev_part part;
	struct ev_ussd ussd;
	struct cmd_delete del;
	struct cmd_send send;
	struct cmd_ussd cussd;
} any;

/* The decoder for `type`, whatever the frame's own. */
static int
decode_as(int type, struct frame *f)
{
	switch (type) {
	case EV_UP: return frame_decode_ev_up(f, &any.up);
	case EV_DOWN: return frame_decode_ev_down(f, &any.down);
	case EV_SMS: return frame_decode_ev_sms(f, &any.sms);
	case EV_SCAN_DONE: return frame_decode_ev_scan_done(f, &any.scan_done);
	case EV_SENT: return frame_decode_ev_sent(f, &any.sent);
	case EV_NETWORK: return frame_decode_ev_network(f, &any.network);
	case EV_PART: return frame_decode_ev_part(f, &any.part);
	case EV_USSD: return frame_decode_ev_ussd(f, &any.ussd);
	case CMD_DELETE: return frame_decode_cmd_delete(f, &any.del);
	case CMD_SEND: return frame_decode_cmd_send(f, &any.send);
	case CMD_SCAN: return frame_decode_cmd_scan(f);
	case CMD_USSD: return frame_decode_cmd_ussd(f, &any.cussd);
	}
	return -2;
}

static int
decode(struct frame *f)
{
	return decode_as(f->type, f);
}

/*
 * Every shorter frame, the frame with one field more, and the frame under
 * another type are refused; the whole frame is taken. Run on each sample.
 */
static void
check_refusals(struct frame *f, const char *what)
{
	int n = count_fields(f), k;
	uint16_t type = f->type;

	CHECK(decode(f) == 0, "%s: whole frame", what);
	for (k = 0; k < n; k++) {
		first_fields(f, k, NULL);
		CHECK(decode(&cut) == -1, "%s: %d of %d fields", what, k, n);
	}
	first_fields(f, n, "0");
	CHECK(decode(&cut) == -1, "%s: a field too many", what);
	/* The same fields under another type: only the type tells. */
	f->type = type == EV_DOWN ? CMD_USSD : EV_DOWN;
	CHECK(decode_as(type, f) == -1, "%s: under another type", what);
	f->type = type;
}

static void
test_ev_up(void)
{
	struct ev_up u = { "Huawei Technologies", "E173", "", "51010", -1 }, d;
	static struct frame old;

	memset(u.imei, '7', sizeof(u.imei) - 1);	/* the whole buffer */
	CHECK_INT(frame_encode_ev_up(&tx, &u), 0);
	frame_init(&old, EV_UP);
	frame_put_cstr(&old, u.manufacturer);
	frame_put_cstr(&old, u.model);
	frame_put_cstr(&old, u.imei);
	frame_put_cstr(&old, u.network);
	frame_put_int(&old, u.signal);
	CHECK(same_bytes(&tx, &old), "EV_UP bytes");
	CHECK_INT(wire(&tx, &rx), 0);
	CHECK_INT(frame_decode_ev_up(&rx, &d), 0);
	CHECK_STR(d.manufacturer, u.manufacturer);
	CHECK_STR(d.model, u.model);
	CHECK_STR(d.imei, u.imei);
	CHECK_STR(d.network, u.network);
	CHECK_INT(d.signal, -1);
	check_refusals(&rx, "EV_UP");

	/* An IMEI longer than the loop keeps is cut, as frame_get_cstr
	 * cut it before. */
	frame_init(&tx, EV_UP);
	frame_put_cstr(&tx, "m");
	frame_put_cstr(&tx, "");
	frame_put_cstr(&tx, "123456789012345678901234567890123456");
	frame_put_cstr(&tx, "51011");
	frame_put_int(&tx, 99);
	CHECK_INT(wire(&tx, &rx), 0);
	CHECK_INT(frame_decode_ev_up(&rx, &d), 0);
	CHECK_STR(d.imei, "1234567890123456789012345678901");
	CHECK_STR(d.model, "");
	CHECK_INT(d.signal, 99);
}

static void
test_ev_down(void)
{
	struct ev_down u = { "connecting: No such device (DEVICENOTEXIST)",
	    4 }, d;
	static struct frame old;

	CHECK_INT(frame_encode_ev_down(&tx, &u), 0);
	frame_init(&old, EV_DOWN);
	frame_put_cstr(&old, u.error);
	frame_put_int(&old, u.code);
	CHECK(same_bytes(&tx, &old), "EV_DOWN bytes");
	CHECK_INT(wire(&tx, &rx), 0);
	CHECK_INT(frame_decode_ev_down(&rx, &d), 0);
	CHECK_STR(d.error, u.error);
	CHECK_INT(d.code, 4);
	check_refusals(&rx, "EV_DOWN");
}

static void
test_ev_sms(void)
{
	static const char text[] = "RAPAT 12 desa\0Sukamaju \xe2\x9c\x93";
	struct ev_sms u = {
		.folder = 1, .location = 2147483647, .number = "+6281234567890",
		.smsc_time = 1794591000LL, .coding = "ucs2", .text = text,
		.text_len = sizeof(text) - 1, .ref = 65535, .total = 3,
		.seq = 2, .is_report = 1, .report_ref = 255,
		.report_status = -7, .is_binary = 1, .read_id = UINT_MAX,
	}, d;
	static struct frame old;

	CHECK_INT(frame_encode_ev_sms(&tx, &u), 0);
	frame_init(&old, EV_SMS);
	frame_put_int(&old, u.folder);
	frame_put_int(&old, u.location);
	frame_put_cstr(&old, u.number);
	frame_put_int(&old, u.smsc_time);
	frame_put_cstr(&old, u.coding);
	frame_put_str(&old, u.text, u.text_len);
	frame_put_int(&old, u.ref);
	frame_put_int(&old, u.total);
	frame_put_int(&old, u.seq);
	frame_put_int(&old, u.is_report);
	frame_put_int(&old, u.report_ref);
	frame_put_int(&old, u.report_status);
	frame_put_int(&old, u.is_binary);
	frame_put_int(&old, u.read_id);
	CHECK(same_bytes(&tx, &old), "EV_SMS bytes");
	CHECK_INT(wire(&tx, &rx), 0);
	CHECK_INT(frame_decode_ev_sms(&rx, &d), 0);
	CHECK_INT(d.folder, 1);
	CHECK_INT(d.location, 2147483647);
	CHECK_STR(d.number, u.number);
	CHECK_INT(d.smsc_time, 1794591000LL);
	CHECK_STR(d.coding, "ucs2");
	CHECK(d.text_len == u.text_len && memcmp(d.text, text, d.text_len) == 0,
	    "text with a NUL, %zu bytes", d.text_len);
	CHECK(d.text >= (const char *)rx.data &&
	    d.text < (const char *)rx.data + sizeof(rx.data), "text in the frame");
	CHECK_INT(d.ref, 65535);
	CHECK_INT(d.total, 3);
	CHECK_INT(d.seq, 2);
	CHECK_INT(d.is_report, 1);
	CHECK_INT(d.report_ref, 255);
	CHECK_INT(d.report_status, -7);
	CHECK_INT(d.is_binary, 1);
	CHECK(d.read_id == UINT_MAX, "read id %u", d.read_id);
	check_refusals(&rx, "EV_SMS");

	/* A text as large as a frame holds, and one byte more. */
	{
		static char big[FRAME_MAX];
		size_t room;

		u.text = big;
		u.text_len = 0;
		frame_encode_ev_sms(&tx, &u);
		room = FRAME_MAX - FRAME_HEADER - tx.len;
		memset(big, 'x', sizeof(big));
		u.text_len = room;
		CHECK_INT(frame_encode_ev_sms(&tx, &u), 0);
		CHECK_INT(wire(&tx, &rx), 0);
		CHECK_INT(frame_decode_ev_sms(&rx, &d), 0);
		CHECK(d.text_len == room, "%zu of %zu", d.text_len, room);
		CHECK_INT(d.read_id, UINT_MAX);
		u.text_len = room + 1;
		CHECK_INT(frame_encode_ev_sms(&tx, &u), -1);
	}
}

static void
test_ev_scan_done(void)
{
	struct ev_scan_done u = { 500, 0 }, d;
	static struct frame old;

	CHECK_INT(frame_encode_ev_scan_done(&tx, &u), 0);
	frame_init(&old, EV_SCAN_DONE);
	frame_put_int(&old, 500);
	frame_put_int(&old, 0);
	CHECK(same_bytes(&tx, &old), "EV_SCAN_DONE bytes");
	CHECK_INT(wire(&tx, &rx), 0);
	CHECK_INT(frame_decode_ev_scan_done(&rx, &d), 0);
	CHECK_INT(d.count, 500);
	CHECK_INT(d.complete, 0);
	check_refusals(&rx, "EV_SCAN_DONE");
}

static void
test_ev_sent(void)
{
	struct ev_sent u = { 9007199254740993LL, 0, 2,
	    "part 3/4: +CMS ERROR 38: network out of order", 38,
	    SEND_UNCERTAIN }, d;
	static struct frame old;

	CHECK_INT(frame_encode_ev_sent(&tx, &u), 0);
	frame_init(&old, EV_SENT);
	frame_put_int(&old, u.id);
	frame_put_int(&old, u.ok);
	frame_put_int(&old, u.parts);
	frame_put_cstr(&old, u.error);
	frame_put_int(&old, u.code);
	frame_put_int(&old, u.cls);
	CHECK(same_bytes(&tx, &old), "EV_SENT bytes");
	CHECK_INT(wire(&tx, &rx), 0);
	CHECK_INT(frame_decode_ev_sent(&rx, &d), 0);
	CHECK_INT(d.id, 9007199254740993LL);
	CHECK_INT(d.ok, 0);
	CHECK_INT(d.parts, 2);
	CHECK_STR(d.error, u.error);
	CHECK_INT(d.code, 38);
	CHECK_INT(d.cls, SEND_UNCERTAIN);
	check_refusals(&rx, "EV_SENT");
}

static void
test_ev_network(void)
{
	struct ev_network u = { 0, "510101234567890" }, d;
	static struct frame old;

	CHECK_INT(frame_encode_ev_network(&tx, &u), 0);
	frame_init(&old, EV_NETWORK);
	frame_put_int(&old, 0);
	frame_put_cstr(&old, u.network);
	CHECK(same_bytes(&tx, &old), "EV_NETWORK bytes");
	CHECK_INT(wire(&tx, &rx), 0);
	CHECK_INT(frame_decode_ev_network(&rx, &d), 0);
	CHECK_INT(d.signal, 0);
	CHECK_STR(d.network, u.network);
	check_refusals(&rx, "EV_NETWORK");
}

static void
test_ev_part(void)
{
	struct ev_part u = { 77, 4, 5, -1, INT_MIN }, d;
	static struct frame old;

	CHECK_INT(frame_encode_ev_part(&tx, &u), 0);
	frame_init(&old, EV_PART);
	frame_put_int(&old, 77);
	frame_put_int(&old, 4);
	frame_put_int(&old, 5);
	frame_put_int(&old, -1);
	frame_put_int(&old, INT_MIN);
	CHECK(same_bytes(&tx, &old), "EV_PART bytes");
	CHECK_INT(wire(&tx, &rx), 0);
	CHECK_INT(frame_decode_ev_part(&rx, &d), 0);
	CHECK_INT(d.id, 77);
	CHECK_INT(d.seq, 4);
	CHECK_INT(d.total, 5);
	CHECK_INT(d.ref, -1);
	CHECK_INT(d.mr, INT_MIN);
	check_refusals(&rx, "EV_PART");
}

static void
test_ev_ussd(void)
{
	struct ev_ussd u = { 1, 2, "Sisa pulsa Rp 12.500 s/d 31-12-2026" }, d;
	static struct frame old;
	char long_text[FRAME_USSD_MAX + 100];

	CHECK_INT(frame_encode_ev_ussd(&tx, &u), 0);
	frame_init(&old, EV_USSD);
	frame_put_int(&old, 1);
	frame_put_int(&old, 2);
	frame_put_cstr(&old, u.text);
	CHECK(same_bytes(&tx, &old), "EV_USSD bytes");
	CHECK_INT(wire(&tx, &rx), 0);
	CHECK_INT(frame_decode_ev_ussd(&rx, &d), 0);
	CHECK_INT(d.ok, 1);
	CHECK_INT(d.status, 2);
	CHECK_STR(d.text, u.text);
	check_refusals(&rx, "EV_USSD");

	/* A long answer is cut to the buffer, on either side. */
	memset(long_text, 'a', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	frame_cstr_cut(u.text, sizeof(u.text), long_text);
	CHECK_INT(strlen(u.text), FRAME_USSD_MAX - 1);
	frame_init(&tx, EV_USSD);
	frame_put_int(&tx, 0);
	frame_put_int(&tx, -1);
	frame_put_cstr(&tx, long_text);
	CHECK_INT(wire(&tx, &rx), 0);
	CHECK_INT(frame_decode_ev_ussd(&rx, &d), 0);
	CHECK_INT(strlen(d.text), FRAME_USSD_MAX - 1);
	CHECK_INT(d.status, -1);
}

static void
test_cmd_delete(void)
{
	struct cmd_delete u = { 0, 123, 4000000000u }, d;
	static struct frame old;

	CHECK_INT(frame_encode_cmd_delete(&tx, &u), 0);
	frame_init(&old, CMD_DELETE);
	frame_put_int(&old, 0);
	frame_put_int(&old, 123);
	frame_put_int(&old, 4000000000u);
	CHECK(same_bytes(&tx, &old), "CMD_DELETE bytes");
	CHECK_INT(wire(&tx, &rx), 0);
	CHECK_INT(frame_decode_cmd_delete(&rx, &d), 0);
	CHECK_INT(d.folder, 0);
	CHECK_INT(d.location, 123);
	CHECK(d.read_id == 4000000000u, "read id %u", d.read_id);
	check_refusals(&rx, "CMD_DELETE");
}

static void
test_cmd_send(void)
{
	static const char text[] = "Terima kasih, laporan RAPAT diterima.";
	struct cmd_send u = { .id = 31, .number = "+6285712345678",
	    .text = text, .text_len = sizeof(text) - 1, .report = 1,
	    .ref = 200, .done = 1 }, d;
	static struct frame old;

	CHECK_INT(frame_encode_cmd_send(&tx, &u), 0);
	frame_init(&old, CMD_SEND);
	frame_put_int(&old, 31);
	frame_put_cstr(&old, u.number);
	frame_put_cstr(&old, text);
	frame_put_int(&old, 1);
	frame_put_int(&old, 200);
	frame_put_int(&old, 1);
	CHECK(same_bytes(&tx, &old), "CMD_SEND bytes");
	CHECK_INT(wire(&tx, &rx), 0);
	CHECK_INT(frame_decode_cmd_send(&rx, &d), 0);
	CHECK_INT(d.id, 31);
	CHECK_STR(d.number, u.number);
	CHECK(d.text_len == u.text_len && memcmp(d.text, text, d.text_len) == 0,
	    "text");
	CHECK_INT(d.report, 1);
	CHECK_INT(d.ref, 200);
	CHECK_INT(d.done, 1);
	check_refusals(&rx, "CMD_SEND");

	/* Refused, yet the outbox id is there for the EV_SENT that says so. */
	first_fields(&rx, 1, NULL);
	CHECK_INT(frame_decode_cmd_send(&cut, &d), -1);
	CHECK_INT(d.id, 31);
	/* and a half-read number is not taken for one */
	frame_init(&build, CMD_SEND);
	frame_put_cstr(&build, "12abc");
	wire(&build, &cut);
	CHECK_INT(frame_decode_cmd_send(&cut, &d), -1);
	CHECK_INT(d.id, 0);

	/* A number longer than its buffer is cut; an oversize text does not
	 * encode. */
	{
		static char big[FRAME_MAX];

		frame_init(&tx, CMD_SEND);
		frame_put_int(&tx, 1);
		frame_put_cstr(&tx, "+62812345678901234567890123456789012345678"
		    "901234567890123456789");
		frame_put_cstr(&tx, "x");
		frame_put_int(&tx, 0);
		frame_put_int(&tx, -1);
		frame_put_int(&tx, 0);
		CHECK_INT(wire(&tx, &rx), 0);
		CHECK_INT(frame_decode_cmd_send(&rx, &d), 0);
		CHECK_INT(strlen(d.number), FRAME_NUMBER_MAX - 1);
		CHECK_INT(d.ref, -1);
		u.text = big;
		u.text_len = sizeof(big);
		CHECK_INT(frame_encode_cmd_send(&tx, &u), -1);
	}
}

static void
test_cmd_scan_ussd(void)
{
	struct cmd_ussd u = { "*888#" }, d;
	static struct frame old;

	CHECK_INT(frame_encode_cmd_scan(&tx), 0);
	frame_init(&old, CMD_SCAN);
	CHECK(same_bytes(&tx, &old), "CMD_SCAN bytes");
	CHECK_INT(wire(&tx, &rx), 0);
	CHECK_INT(frame_decode_cmd_scan(&rx), 0);
	check_refusals(&rx, "CMD_SCAN");

	CHECK_INT(frame_encode_cmd_ussd(&tx, &u), 0);
	frame_init(&old, CMD_USSD);
	frame_put_cstr(&old, "*888#");
	CHECK(same_bytes(&tx, &old), "CMD_USSD bytes");
	CHECK_INT(wire(&tx, &rx), 0);
	CHECK_INT(frame_decode_cmd_ussd(&rx, &d), 0);
	CHECK_STR(d.code, "*888#");
	check_refusals(&rx, "CMD_USSD");
}

/*
 * Numbers a decoder must refuse in place of a sample's field `at`: not a
 * number, out of the field's range, a flag other than 0 or 1.
 */
static const struct {
	enum frame_type type;
	int at;
	const char *value;
} bad_numbers[] = {
	{ EV_SMS, 0, "one" },
	{ EV_SMS, 1, "2147483648" },		/* location past INT_MAX */
	{ EV_SMS, 3, "" },			/* smsc time */
	{ EV_SMS, 3, "99999999999999999999" },
	{ EV_SMS, 9, "2" },			/* is_report */
	{ EV_SMS, 12, "-1" },			/* is_binary */
	{ EV_SMS, 13, "-1" },			/* read id */
	{ EV_SMS, 13, "4294967296" },
	{ EV_SENT, 1, "2" },			/* ok */
	{ EV_SENT, 4, "-2147483649" },		/* code */
	{ EV_SENT, 5, "5" },			/* class past SEND_UNCERTAIN */
	{ EV_SENT, 5, "-1" },
	{ EV_SCAN_DONE, 1, "7" },
	{ EV_USSD, 0, "yes" },
	{ CMD_DELETE, 2, "-5" },
	{ CMD_SEND, 0, "12abc" },
	{ CMD_SEND, 3, "2" },			/* report */
	{ EV_PART, 4, "1e3" },
	{ EV_UP, 4, "high" },
	{ EV_NETWORK, 0, "" },
	{ EV_DOWN, 1, "x" },
};

/* A valid frame of each type with numbers in every numeric field. */
static void
sample(enum frame_type type, struct frame *f)
{
	static const struct ev_sms sms = { .coding = "gsm7", .text = "hi",
	    .text_len = 2, .read_id = 1 };
	static const struct ev_sent sent = { .id = 1, .cls = SEND_LOCAL };
	static const struct ev_scan_done scan_done = { 1, 1 };
	static const struct ev_ussd ussd = { 1, 0, "ok" };
	static const struct cmd_delete del = { 1, 2, 3 };
	static const struct cmd_send send = { .id = 1, .number = "+62",
	    .text = "a", .text_len = 1, .report = 1 };
	static const struct ev_part part = { 1, 1, 1, -1, 5 };
	static const struct ev_up up = { .signal = 50 };
	static const struct ev_network network = { 50, "51010" };
	static const struct ev_down down = { "gone", 1 };

	switch (type) {
	case EV_SMS: frame_encode_ev_sms(f, &sms); break;
	case EV_SENT: frame_encode_ev_sent(f, &sent); break;
	case EV_SCAN_DONE: frame_encode_ev_scan_done(f, &scan_done); break;
	case EV_USSD: frame_encode_ev_ussd(f, &ussd); break;
	case CMD_DELETE: frame_encode_cmd_delete(f, &del); break;
	case CMD_SEND: frame_encode_cmd_send(f, &send); break;
	case EV_PART: frame_encode_ev_part(f, &part); break;
	case EV_UP: frame_encode_ev_up(f, &up); break;
	case EV_NETWORK: frame_encode_ev_network(f, &network); break;
	case EV_DOWN: frame_encode_ev_down(f, &down); break;
	default: frame_init(f, type); break;
	}
}

static void
test_bad_numbers(void)
{
	size_t i;

	for (i = 0; i < sizeof(bad_numbers) / sizeof(bad_numbers[0]); i++) {
		const char *s;
		size_t len;
		int k = 0;

		sample(bad_numbers[i].type, &tx);
		wire(&tx, &rx);
		CHECK(decode(&rx) == 0, "sample %zu", i);
		frame_init(&build, bad_numbers[i].type);
		rx.pos = 0;
		while (frame_get_str(&rx, &s, &len) == 0)
			if (k++ == bad_numbers[i].at)
				frame_put_cstr(&build, bad_numbers[i].value);
			else
				frame_put_str(&build, s, len);
		wire(&build, &cut);
		CHECK(decode(&cut) == -1, "type %d field %d = \"%s\"",
		    bad_numbers[i].type, bad_numbers[i].at,
		    bad_numbers[i].value);
	}
}

/* Fixed buffers: cut on the way in, never read past on the way out. */
static void
test_cut(void)
{
	struct ev_down u, d;
	char small[4];

	frame_cstr_cut(small, sizeof(small), "abcdef");
	CHECK_STR(small, "abc");
	frame_cstr_cut(small, sizeof(small), NULL);
	CHECK_STR(small, "");
	memset(u.error, 'e', sizeof(u.error));	/* no NUL anywhere */
	u.code = -1;				/* nor in the next field */
	CHECK_INT(frame_encode_ev_down(&tx, &u), 0);
	CHECK_INT(wire(&tx, &rx), 0);
	CHECK_INT(frame_decode_ev_down(&rx, &d), 0);
	CHECK_INT(strlen(d.error), FRAME_ERROR_MAX - 1);
}

int
main(void)
{
	test_ev_up();
	test_ev_down();
	test_ev_sms();
	test_ev_scan_done();
	test_ev_sent();
	test_ev_network();
	test_ev_part();
	test_ev_ussd();
	test_cmd_delete();
	test_cmd_send();
	test_cmd_scan_ussd();
	test_bad_numbers();
	test_cut();
	return test_summary("unit-frame-msg");
}
