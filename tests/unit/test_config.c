/* config/: defaults, every error with its line, modem sections. */
#include "config/config.h"
#include "gateway/worker/frame.h"
#include "tests/testlib.h"

#include <stdio.h>
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
	CHECK(has_error("t.ini: no [gammu] or [kannel] section"), "no modem");
	CHECK_INT(config_load(&c, "/nonexistent/k.ini"), -1);
	CHECK(has_error("/nonexistent/k.ini: cannot open: No such file or "
	    "directory"), "open names the cause");
}

#define MODEM "[gammu]\ndevice = m\nconnection = none\n"

/* A second section or key would silently win: both lines are named. */
static void
test_duplicates(void)
{
	CHECK_INT(load("[kentongan]\ndatabase = a.db\n" MODEM
	    "[kentongan]\ndatabase = b.db\n"), -1);
	CHECK(has_error("t.ini:6: duplicate section [kentongan]; the first is "
	    "at line 1"), "kentongan twice");
	CHECK_STR(c.database, "a.db");
	CHECK_INT(load(MODEM "[admin]\nlisten = 127.0.0.1:1\n\n[admin]\n"
	    "listen = 127.0.0.1:2\n"), -1);
	CHECK(has_error("t.ini:7: duplicate section [admin]; the first is at "
	    "line 4"), "admin twice");
	CHECK_INT(load(MODEM "[ussd]\nsecret = 0123456789abcdef\n[ussd]\n"),
	    -1);
	CHECK(has_error("t.ini:6: duplicate section [ussd]; the first is at "
	    "line 4"), "ussd twice");
	CHECK_INT(load(MODEM "[reminder a]\n[reminder a]\n"), -1);
	CHECK(has_error("t.ini:5: duplicate section [reminder a]; the first is "
	    "at line 4"), "reminder twice");

	CHECK_INT(load("[kentongan]\ndatabase = a.db\nreceive_interval = 3\n"
	    "Database = b.db\n" MODEM), -1);
	CHECK(has_error("t.ini:4: duplicate key 'Database' in [kentongan]; "
	    "first set at line 2"), "key twice");
	CHECK_STR(c.database, "a.db");
	CHECK_INT(load(MODEM "device = n\n"), -1);
	CHECK(has_error("t.ini:4: duplicate key 'device' in [gammu]; first set "
	    "at line 2"), "modem key twice");
	CHECK_INT(load(MODEM "logfile = a\nlogfile = b\n"), -1);
	CHECK(has_error("t.ini:5: duplicate key 'logfile' in [gammu]"),
	    "libGammu's keys too");
	CHECK_INT(load(MODEM "[gammu1]\ndevice = m\nconnection = at\n"
	    "[reminder a]\nto = x\nto = y\n"), -1);
	CHECK_INT(c.nerrors, 2);	/* the key twice, and schedule/text */
	CHECK(has_error("t.ini:9: duplicate key 'to' in [reminder a]; first "
	    "set at line 8"), "reminder key twice");
	/* the same key in two sections is no duplicate */
	CHECK_INT(load(MODEM "[gammu1]\ndevice = m\nconnection = at\n"
	    "[admin]\nlisten = 127.0.0.1:9\n[ussd]\nlisten = 127.0.0.1:8\n"
	    "secret = 0123456789abcdef\n"), 0);
}

/* "did you mean" for a key or section one edit away, and only then. */
static void
test_typos(void)
{
	static const char *const guesses[] = {
		/* two letters swapped, one left out, one added, one changed */
		"t.ini:2: unknown key 'recieve_interval' in [kentongan]; did "
		    "you mean 'receive_interval'?",
		"t.ini:3: unknown key 'databse' in [kentongan]; did you mean "
		    "'database'?",
		"t.ini:4: unknown key 'databases' in [kentongan]; did you mean "
		    "'database'?",
		"t.ini:5: unknown key 'datxbase' in [kentongan]; did you mean "
		    "'database'?",
		"t.ini:7: unknown key 'RECEIVE_INTERVALS' in [kentongan]; did "
		    "you mean 'receive_interval'?",
		"t.ini:12: unknown key 'devcie' in [gammu]; did you mean "
		    "'device'?",
		"t.ini:14: unknown key 'secert' in [admin]; did you mean "
		    "'secret'?",
		"t.ini:15: unknown section [kentogan]; did you mean [kentongan]?",
		"t.ini:16: unknown section [gamu1]; did you mean [gammu1]?",
	};
	size_t i;

	CHECK_INT(load("[kentongan]\nrecieve_interval = 2\ndatabse = x\n"
	    "databases = x\ndatxbase = x\nfoo = 1\nRECEIVE_INTERVALS = 1\n"
	    "interval = 1\n" MODEM "devcie = x\n[admin]\nsecert = x\n"
	    "[kentogan]\n[gamu1]\n[zzz]\n"), -1);
	for (i = 0; i < sizeof(guesses) / sizeof(guesses[0]); i++)
		CHECK(has_error(guesses[i]), "%s", guesses[i]);
	CHECK(has_error("t.ini:6: unknown key 'foo' in [kentongan]") &&
	    !has_error("'foo' in [kentongan]; did"), "no guess for foo");
	CHECK(!has_error("'interval' in [kentongan]; did"), "two edits: none");
	CHECK(has_error("t.ini:17: unknown section [zzz]") &&
	    !has_error("[zzz]; did"), "no guess for zzz");
}

/* A secret an attacker can guess or read in our README is refused; the
 * error does not repeat it. */
static void
test_secrets(void)
{
	CHECK_INT(load(MODEM "[ussd]\nsecret = change-me\n"), -1);
	CHECK(has_error("t.ini:5: secret: is the documentation's example"),
	    "README's old example");
	CHECK(!has_error("change-me"), "the secret is not echoed");
	CHECK_INT(load(MODEM "[admin]\nsecret = "
	    "CHANGE-THIS-to-your-own-long-random-secret\n"), -1);
	CHECK(has_error("t.ini:5: secret: is the documentation's example"),
	    "README's placeholder");
	CHECK_INT(load(MODEM "[ussd]\nsecret = x\n"), -1);
	CHECK(has_error("t.ini:5: secret: must be at least 16 characters"),
	    "one character");
	CHECK_INT(load(MODEM "[ussd]\nsecret = 0123456789abcde\n"), -1);
	CHECK(has_error("t.ini:5: secret: must be at least 16"), "fifteen");
	CHECK_INT(load(MODEM "[ussd]\nsecret = 0123456789abcdef\n"), 0);
	CHECK_STR(c.ussd_secret, "0123456789abcdef");
	CHECK_INT(load(MODEM "[admin]\nsecret =\nallow =\n"), 0);	/* none */
	CHECK_INT(load(MODEM "[ussd]\nsecret =\n"), -1);
	CHECK(has_error("t.ini:5: secret: is required"), "ussd needs one");
	CHECK_INT(c.nerrors, 1);
	/* characters, not bytes: 8 two-byte letters are 8 characters */
	CHECK_INT(load(MODEM "[admin]\nsecret = \xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\n"), -1);
	CHECK(has_error("t.ini:5: secret: must be at least 16"), "utf-8");
	CHECK_INT(load(MODEM "[ussd]\nsecret = 0123456789abcdef\n"
	    "allow = 10.0.0.1, ::1 192.168.1.2\n"), 0);
	CHECK_INT(load(MODEM "[admin]\nallow = gateway.example\n"), -1);
	CHECK(has_error("t.ini:5: allow: wants IP addresses"), "allow names");
}

/* A listener other machines can reach needs a secret. */
static void
test_listeners(void)
{
	static const struct { const char *ini; int ok; } cases[] = {
		{ "[admin]\nlisten = 0.0.0.0:8082\n", 0 },
		{ "[admin]\nlisten = 192.168.1.5:8082\n", 0 },
		{ "[admin]\nlisten = [::]:8082\n", 0 },
		{ "[admin]\nlisten = 127.0.0.1:8082\n", 1 },
		{ "[admin]\nlisten = 127.0.0.53:8082\n", 1 },
		{ "[admin]\nlisten = localhost:8082\n", 1 },
		{ "[admin]\nlisten = [::1]:8082\n", 1 },
		{ "[admin]\n", 1 },
		{ "[admin]\nlisten = 0.0.0.0:8082\nsecret = 0123456789abcdef\n", 1 },
		{ "[ussd]\nlisten = 0.0.0.0:8081\nsecret = 0123456789abcdef\n", 1 },
	};
	char ini[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(ini, sizeof(ini), MODEM "%s", cases[i].ini);
		CHECK_INT(load(ini), cases[i].ok ? 0 : -1);
		CHECK(cases[i].ok || (has_error("t.ini:5: [admin]: listen = ") &&
		    has_error("reaches beyond this machine: set a secret")),
		    "%s", cases[i].ini);
	}
}

/* The database is a file: not a folder, not a device. */
static void
test_database(void)
{
	static const struct { const char *path; const char *why; } cases[] = {
		{ "/tmp", "database: '/tmp' is a folder" },
		{ "/dev/null", "database: '/dev/null' is a device" },
		{ "var/", "database: a file name is required, not 'var/'" },
		{ "", "database: a file name is required" },
		{ "/etc/hostname/x.db", "Not a directory" },
		{ "/nonexistent/k.db", NULL },	/* the store may make it */
		{ "/etc/hostname", NULL },
	};
	char ini[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(ini, sizeof(ini), "[kentongan]\n\ndatabase = %s\n"
		    MODEM, cases[i].path);
		CHECK_INT(load(ini), cases[i].why ? -1 : 0);
		CHECK(!cases[i].why || (has_error("t.ini:3: ") &&
		    has_error(cases[i].why)), "%s", cases[i].path);
	}
}

/* Errors found after the whole file is read name the key's own line. */
static void
test_lines(void)
{
	CHECK_INT(load("[kentongan]\n\n; hours\nquiet_hours = 9-5\n"
	    "digest_time = 25:00\n" MODEM "[reminder a]\nschedule = * * * * *"
	    "\nto = x\n\ntext = y\nonly_if = sometimes\n"), -1);
	CHECK(has_error("t.ini:4: quiet_hours must be HH:MM-HH:MM or none, not "
	    "'9-5'"), "quiet_hours");
	CHECK(has_error("t.ini:5: digest_time must be HH:MM or none, not "
	    "'25:00'"), "digest_time");
	CHECK(has_error("t.ini:14: [reminder a]: only_if"), "only_if");
	CHECK_INT(load(MODEM "[ussd]\nsecret = 0123456789abcdef\n\n"
	    "path = ussd\nlisten = nowhere\n"), -1);
	CHECK(has_error("t.ini:7: [ussd]: path must start with /"), "path");
	CHECK(has_error("t.ini:8: [ussd]: listen must be host:port"), "listen");
	CHECK_INT(load(MODEM "[ussd]\n\nlisten = 127.0.0.1:1\n"), -1);
	CHECK(has_error("t.ini:4: [ussd]: secret is required"), "the header");
	CHECK_INT(load(MODEM "[admin]\nlisten = 127.0.0.1:1\n[ussd]\n"
	    "secret = 0123456789abcdef\nlisten = 127.0.0.1:1\n"), -1);
	CHECK(has_error("t.ini:5: [admin] and [ussd] must listen"), "clash");
	CHECK_INT(config_reminder_line(&c.reminders[0], "to"), 0);
}

/* [console]: on only when present, its defaults, ranges and its port. */
static void
test_console(void)
{
	CHECK_INT(load(MODEM), 0);
	CHECK_INT(c.console_enabled, 0);
	CHECK_INT(load(MODEM "[console]\n"), 0);
	CHECK_INT(c.console_enabled, 1);
	CHECK_INT(c.console_line, 4);
	CHECK_STR(c.console_listen, "127.0.0.1:8080");
	CHECK_INT(c.console_secure_cookies, 0);
	CHECK_INT(c.console_session_hours, 12);
	CHECK_INT(c.console_idle_minutes, 60);
	CHECK_INT(load(MODEM "[console]\nlisten = 0.0.0.0:9000\n"
	    "secure_cookies = yes\nsession_hours = 720\nidle_minutes = 5\n"),
	    0);
	CHECK_STR(c.console_listen, "0.0.0.0:9000");
	CHECK_INT(c.console_secure_cookies, 1);
	CHECK_INT(c.console_session_hours, 720);
	CHECK_INT(c.console_idle_minutes, 5);
	CHECK_INT(load(MODEM "[console]\nsession_hours = 0\n"
	    "idle_minutes = 1441\nsecure_cookies = maybe\nlisten = 8080\n"),
	    -1);
	CHECK(has_error("t.ini:5: session_hours: number out of range"), "0 h");
	CHECK(has_error("t.ini:6: idle_minutes: number out of range"), "1441");
	CHECK(has_error("t.ini:7: secure_cookies: expected yes or no"), "bool");
	CHECK(has_error("t.ini:8: [console]: listen must be host:port"),
	    "listen");
	CHECK_INT(load(MODEM "[admin]\nlisten = 127.0.0.1:8082\n"
	    "[console]\nidle_minutes = 30\nlisten = 0.0.0.0:8082\n"), -1);
	CHECK(has_error("t.ini:8: [console] and [admin] must listen on "
	    "different ports (both on 8082)"), "admin's port");
	CHECK_INT(load(MODEM "[ussd]\nsecret = 0123456789abcdef\n"
	    "[console]\nlisten = 127.0.0.1:8081\n"), -1);
	CHECK(has_error("t.ini:7: [console] and [ussd] must listen"),
	    "the default USSD port");
	/* a section off is no clash */
	CHECK_INT(load(MODEM "[console]\nlisten = 127.0.0.1:8082\n"), 0);
	CHECK_INT(load(MODEM "[consle]\n"), -1);
	CHECK(has_error("did you mean [console]?"), "typo");
	CHECK_INT(load(MODEM "[console]\n[console]\n"), -1);
	CHECK(has_error("t.ini:5: duplicate section [console]"), "twice");
}

/* [backup]: no copies without it; a folder, a time, how many. A folder
 * that is missing is the daemon's ALARM, not an error here. */
static void
test_backup(void)
{
	CHECK_INT(load(MODEM), 0);
	CHECK_STR(c.backup_dir, "");
	CHECK_INT(c.backup_minute, 120);
	CHECK_INT(c.backup_keep, 14);
	CHECK_INT(load(MODEM "[backup]\ndir = /nonexistent/usb\n"), 0);
	CHECK_STR(c.backup_dir, "/nonexistent/usb");
	CHECK_INT(c.backup_dir_line, 5);
	CHECK_INT(load(MODEM "[backup]\ndir = /tmp\ntime = 23:30\nkeep = 1\n"),
	    0);
	CHECK_INT(c.backup_minute, 23 * 60 + 30);
	CHECK_INT(c.backup_keep, 1);
	CHECK_INT(load(MODEM "[backup]\ndir = /etc/hostname\ntime = 2:00am\n"
	    "keep = 0\nkepe = 3\n"), -1);
	CHECK(has_error("t.ini:5: [backup] dir: '/etc/hostname' is not a "
	    "folder"), "a file");
	CHECK(has_error("t.ini:6: [backup] time must be HH:MM, not '2:00am'"),
	    "time");
	CHECK(has_error("t.ini:7: keep: number out of range"), "keep");
	CHECK(has_error("t.ini:8: unknown key 'kepe' in [backup]; did you "
	    "mean 'keep'?"), "typo");
	CHECK_INT(load(MODEM "[backup]\nkeep = 3\n"), -1);
	CHECK(has_error("t.ini:4: [backup]: dir is required"), "no dir");
	CHECK_INT(load(MODEM "[bakup]\n"), -1);
	CHECK(has_error("did you mean [backup]?"), "section typo");
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

#define KANNEL_OK "[kannel]\nsendsms_url = http://127.0.0.1:13013/cgi-bin/sendsms\n" \
	"username = kentongan\npassword = pw\nlisten = 127.0.0.1:8090\n" \
	"secret = 0123456789abcdef\n"

/* [kannel]: a bearer alone is a valid gateway; each key checked, its
 * listener on a port of its own. */
static void
test_kannel(void)
{
	static const struct { const char *text; const char *err; } bad[] = {
		{ "[kannel]\nusername = u\nlisten = 127.0.0.1:8090\n"
		    "secret = 0123456789abcdef\n", "t.ini:1: [kannel]: "
		    "sendsms_url is required" },
		{ "[kannel]\nsendsms_url = http://127.0.0.1:13013\nusername = u\n"
		    "listen = 127.0.0.1:8090\nsecret = 0123456789abcdef\n",
		    "t.ini:2: [kannel]: sendsms_url is required" },
		{ "[kannel]\nsendsms_url = http:///cgi-bin/sendsms\nusername = u\n"
		    "listen = 127.0.0.1:8090\nsecret = 0123456789abcdef\n",
		    "t.ini:2: [kannel]: sendsms_url is required" },
		{ "[kannel]\nsendsms_url = http://h/cgi-bin/sendsms\n"
		    "listen = 127.0.0.1:8090\nsecret = 0123456789abcdef\n",
		    "t.ini:1: [kannel]: username is required" },
		{ "[kannel]\nsendsms_url = http://h/cgi-bin/sendsms\n"
		    "username = u\nlisten = 127.0.0.1:8090\n",
		    "t.ini:1: [kannel]: secret is required" },
		{ "[kannel]\nsendsms_url = http://h/cgi-bin/sendsms\n"
		    "username = u\nlisten = 127.0.0.1:8090\nsecret = short\n",
		    "t.ini:5: secret: must be at least 16 characters" },
		{ "[kannel]\nsendsms_url = http://h/cgi-bin/sendsms\n"
		    "username = u\nlisten = 127.0.0.1:8090\nsecret =\n",
		    "t.ini:5: secret: is required" },
		{ "[kannel]\nsendsms_url = http://h/cgi-bin/sendsms\n"
		    "username = u\nsecret = 0123456789abcdef\n",
		    "t.ini:1: [kannel]: listen must be host:port" },
		{ KANNEL_OK "send_per_second = 0\n",
		    "t.ini:7: send_per_second: number out of range" },
		{ KANNEL_OK "max_parts = 300\n",
		    "t.ini:7: max_parts: number out of range" },
		{ KANNEL_OK "bulk = maybe\n", "t.ini:7: bulk: expected yes" },
		{ KANNEL_OK "[ussd]\nlisten = 127.0.0.1:8090\n"
		    "secret = 0123456789abcdef\n", "t.ini:5: [kannel] and "
		    "[ussd] must listen on different ports (both on 8090)" },
		{ KANNEL_OK "[admin]\nlisten = 127.0.0.1:8090\n",
		    "[kannel] and [admin] must listen on different ports" },
		{ KANNEL_OK "[console]\nlisten = 0.0.0.0:8090\n",
		    "[kannel] and [console] must listen on different ports" },
		{ KANNEL_OK "[kannel1]\nsendsms_url = http://h/cgi-bin/sendsms\n"
		    "username = u\nlisten = 0.0.0.0:8090\n"
		    "secret = 0123456789abcdef\n", "t.ini:10: [kannel1] and "
		    "[kannel] must listen on different ports" },
		{ KANNEL_OK KANNEL_OK, "t.ini:7: duplicate section [kannel]; "
		    "the first is at line 1" },
		{ "[kanel]\n", "unknown section [kanel]; did you mean "
		    "[kannel]?" },
		{ "[kannel2]\nsend_per_minute = 3\n", "unknown key "
		    "'send_per_minute' in [kannel2]" },
		{ "[kentongan]\n", "no [gammu] or [kannel] section" },
	};
	size_t i;

	CHECK_INT(load(KANNEL_OK), 0);
	CHECK_INT(c.nmodems, 0);
	CHECK_INT(c.nkannels, 1);
	CHECK_STR(c.kannels[0].section, "kannel");
	CHECK_STR(c.kannels[0].sendsms_url,
	    "http://127.0.0.1:13013/cgi-bin/sendsms");
	CHECK_STR(c.kannels[0].username, "kentongan");
	CHECK_STR(c.kannels[0].password, "pw");
	CHECK_STR(c.kannels[0].listen, "127.0.0.1:8090");
	CHECK_STR(c.kannels[0].secret, "0123456789abcdef");
	CHECK_STR(c.kannels[0].smsc, "");
	CHECK_STR(c.kannels[0].from, "");
	CHECK_INT(c.kannels[0].send_per_second, 20);
	CHECK_INT(c.kannels[0].max_parts, 6);
	CHECK_INT(c.kannels[0].bulk, 0);
	CHECK_STR(c.kannels[0].op, "");

	CHECK_INT(load("[gammu]\ndevice = m\nconnection = none\n"
	    KANNEL_OK "smsc = fake\nfrom = 1234\nsend_per_second = 200\n"
	    "max_parts = 3\nbulk = yes\noperator = telkomsel\n"
	    "[kannel3]\nsendsms_url = http://h:1/cgi-bin/sendsms\n"
	    "username = v\nlisten = 127.0.0.1:8091\n"
	    "secret = fedcba9876543210\n"), 0);
	CHECK_INT(c.nmodems, 1);
	CHECK_INT(c.nkannels, 2);
	CHECK_STR(c.kannels[0].smsc, "fake");
	CHECK_STR(c.kannels[0].from, "1234");
	CHECK_INT(c.kannels[0].send_per_second, 200);
	CHECK_INT(c.kannels[0].max_parts, 3);
	CHECK_INT(c.kannels[0].bulk, 1);
	CHECK_STR(c.kannels[0].op, "telkomsel");
	CHECK_INT(c.kannels[0].line, 4);
	CHECK_STR(c.kannels[1].section, "kannel3");
	CHECK_INT(c.kannels[1].index, 3);
	CHECK_INT(c.kannels[1].bulk, 0);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_INT(load(bad[i].text), -1);
		CHECK(has_error(bad[i].err), "want '%s', got '%s'", bad[i].err,
		    c.nerrors ? c.errors[0] : "nothing");
	}
}

int
main(void)
{
	test_config();
	test_duplicates();
	test_typos();
	test_secrets();
	test_listeners();
	test_database();
	test_lines();
	test_area();
	test_console();
	test_backup();
	test_kannel();
	test_frame();
	return test_summary("unit-config-frame");
}
