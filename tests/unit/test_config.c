/* config/: defaults, every error with its line, modem sections. */
#include "config/config.h"
#include "gateway/worker/frame.h"
#include "tests/testlib.h"

#include <string.h>

static struct config c;

static int
load(const char *text)
{
	return config_load_text(&c, "t.ini", text, strlen(text));
}

static int
has_error(const char *needle)
{
	int i;

	for (i = 0; i < c.nerrors; i++)
		if (strstr(c.errors[i], needle))
			return 1;
	return 0;
}

static void
test_config(void)
{
	CHECK_INT(load("[gammu]\ndevice = var/modem\nconnection = none\n"
	    "model = dummy\n"), 0);
	CHECK_STR(c.database, "var/kentongan.db");
	CHECK_STR(c.timezone, "Asia/Jakarta");
	CHECK_INT(c.multipart_timeout, 600);
	CHECK_INT(c.create_database, 0);
	CHECK_INT(c.ack_timeout, 30);
	CHECK_INT(c.nmodems, 1);
	CHECK_STR(c.modems[0].device, "var/modem");
	CHECK_INT(c.modems[0].send_per_minute, 6);
	CHECK_INT(c.modems[0].delivery_reports, 1);

	CHECK_INT(load("; comment\n[kentongan]\ndatabase = /tmp/x.db ; db\n"
	    "timezone = Asia/Makassar\n[gammu]\ndevice = /dev/ttyUSB0\n"
	    "connection = at\nlogformat = textall\n[gammu2]\n"
	    "device = /dev/ttyUSB1\nconnection = at\ndelivery_reports = no\n"
	    "send_per_minute = 12\n"), 0);
	CHECK_STR(c.database, "/tmp/x.db");
	CHECK_STR(c.timezone, "Asia/Makassar");
	CHECK_INT(c.create_database, 0);
	CHECK_INT(load("[kentongan]\ncreate_database = yes\nack_timeout = 2\n"
	    "[gammu]\ndevice = m\nconnection = none\nmodel = dummy\n"), 0);
	CHECK_INT(c.create_database, 1);
	CHECK_INT(c.ack_timeout, 2);
	CHECK_INT(load("; comment\n[kentongan]\ndatabase = /tmp/x.db ; db\n"
	    "timezone = Asia/Makassar\n[gammu]\ndevice = /dev/ttyUSB0\n"
	    "connection = at\nlogformat = textall\n[gammu2]\n"
	    "device = /dev/ttyUSB1\nconnection = at\ndelivery_reports = no\n"
	    "send_per_minute = 12\n"), 0);
	CHECK_INT(c.nmodems, 2);
	CHECK_INT(c.modems[1].gammu_index, 2);
	CHECK_INT(c.modems[1].delivery_reports, 0);
	CHECK_INT(c.modems[1].send_per_minute, 12);

	CHECK_INT(load("[kentongan]\nfoo = 1\ntimezone = Mars/Base\n"
	    "receive_interval = 0\nsend_max_tries = x\nnot a pair\n"
	    "[gammu]\nconnection = at\n[gammu]\n[other]\nbar = 2\n"
	    "[gammu1]\nlogfile = x\ncolour = red\n"), -1);
	CHECK(has_error("t.ini:2: unknown key 'foo' in [kentongan]"), "foo");
	CHECK(has_error("t.ini:3: timezone: unknown timezone"), "tz");
	CHECK(has_error("t.ini:4: receive_interval: number out of range"), "range");
	CHECK(has_error("t.ini:5: send_max_tries: expected a whole number"), "nan");
	CHECK(has_error("t.ini:6: expected 'key = value'"), "syntax");
	CHECK(has_error("t.ini:9: duplicate section [gammu]"), "dup");
	CHECK(has_error("t.ini:10: unknown section [other]"), "section");
	CHECK(!has_error(":11:"), "no second error inside an unknown section");
	CHECK(has_error("t.ini:14: unknown key 'colour' in [gammu1]"), "gammu key");
	CHECK(has_error("t.ini:7: [gammu]: device is required"), "device");

	CHECK_INT(load(""), -1);
	CHECK(has_error("no [gammu] section"), "no modem");
	CHECK_INT(config_load(&c, "/nonexistent/k.ini"), -1);
	CHECK(has_error("/nonexistent/k.ini:0: cannot open: No such file or "
	    "directory"), "open names the cause");
}

static void
test_frame(void)
{
	static struct frame f, g;
	const unsigned char *b;
	const char *s;
	size_t n, len;
	long long v;
	char out[8];

	frame_init(&f, EV_SMS);
	CHECK_INT(frame_put_int(&f, -42), 0);
	CHECK_INT(frame_put_str(&f, "a\0b", 3), 0);
	CHECK_INT(frame_put_cstr(&f, "halo dunia"), 0);
	b = frame_bytes(&f, &n);
	CHECK_INT(frame_size(b), (long long)n);
	CHECK_INT(frame_load(&g, b, n), 0);
	CHECK_INT(g.type, EV_SMS);
	CHECK_INT(frame_get_int(&g, &v), 0);
	CHECK_INT(v, -42);
	CHECK_INT(frame_get_str(&g, &s, &len), 0);
	CHECK(len == 3 && memcmp(s, "a\0b", 3) == 0, "binary field");
	CHECK_INT(frame_get_cstr(&g, out, sizeof(out)), 0);
	CHECK_STR(out, "halo du");	/* cut to the buffer */
	CHECK_INT(frame_get_int(&g, &v), -1);	/* past the end */
	CHECK_INT(frame_load(&g, b, n - 1), -1);
	{
		unsigned char bad[6] = { 0xff, 0xff, 0xff, 0xff, 0, 1 };

		CHECK_INT(frame_size(bad), -1);
	}
	frame_init(&f, EV_SMS);
	{
		static char big[FRAME_MAX];

		memset(big, 'x', sizeof(big));
		CHECK_INT(frame_put_str(&f, big, sizeof(big)), -1);
	}
}

/* area: code prefixes in any spelling, written the way codes are stored. */
static void
test_area(void)
{
	static const char modem[] = "[gammu]\ndevice = m\nconnection = none\n";
	static const struct {
		const char *value, *want;	/* want NULL: an error */
	} cases[] = {
		{ "33", "33" },
		{ "33.22", "33.22" },
		{ "3322", "33.22" },
		{ "33.22.01", "33.22.01" },
		{ "332201, 33.23 ,34", "33.22.01 33.23 34" },
		{ "33.22 35.06.06", "33.22 35.06.06" },
		{ "", "" },
		{ "3", NULL },
		{ "33.2", NULL },
		{ "33.22.01.2005", NULL },	/* a village, not an area */
		{ "Semarang", NULL },
		{ "33;34", NULL },
	};
	char text[256];
	size_t i;

	CHECK_INT(load(modem), 0);
	CHECK_STR(c.area, "");
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), "[kentongan]\n\narea = %s\n%s",
		    cases[i].value, modem);
		CHECK_INT(load(text), cases[i].want ? 0 : -1);
		if (cases[i].want)
			CHECK_STR(c.area, cases[i].want);
		else
			CHECK(has_error("t.ini:3: area: want code prefixes"),
			    "area = %s: %s", cases[i].value, c.errors[0]);
	}
	CHECK_INT(load("[kentongan]\narea = 33.22\n[gammu]\ndevice = m\n"
	    "connection = none\n"), 0);
	CHECK_INT(c.area_line, 2);
}

int
main(void)
{
	test_config();
	test_area();
	test_frame();
	return test_summary("unit-config-frame");
}
