/*
 * The checks of a configuration that need the whole file read: a bearer
 * at least, the database's folder, listeners on ports of their own, the
 * sending policy, the backups.
 */
#include "config/config_int.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

/* Checks that need the whole file: a modem or a Kannel bearer at least,
 * each modem complete. */
static void
check_modems(struct config *c, const char *name)
{
	int i;

	if (c->nmodems == 0 && c->nkannels == 0)
		add_error(c, name, 0, "no [gammu] or [kannel] section: nothing "
		    "to send or receive through");
	for (i = 0; i < c->nmodems; i++) {
		if (c->modems[i].device[0] == '\0')
			add_error(c, name, c->modems[i].line,
			    "[%s]: device is required", c->modems[i].section);
		if (c->modems[i].connection[0] == '\0')
			add_error(c, name, c->modems[i].line,
			    "[%s]: connection is required", c->modems[i].section);
	}
}

/* What a path that exists but is no regular file is, for the message. */
static const char *
file_kind(mode_t mode)
{
	return S_ISDIR(mode) ? "a folder" : S_ISCHR(mode) || S_ISBLK(mode) ?
	    "a device" : S_ISFIFO(mode) ? "a pipe" : S_ISSOCK(mode) ?
	    "a socket" : "not a regular file";
}

/* The database is a regular file, or a path where one may be made. A
 * missing file is the store's to judge (create_database). */
static void
check_database(struct config *c, const char *name)
{
	int line = conf_line(c, S_KENTONGAN, "database");
	size_t n = strlen(c->database);
	struct stat st;

	if (n == 0 || c->database[n - 1] == '/') {
		add_error(c, name, line, "database: a file name is required, "
		    "not '%s'", c->database);
		return;
	}
	if (stat(c->database, &st) == 0) {
		if (!S_ISREG(st.st_mode))
			add_error(c, name, line, "database: '%s' is %s; it must "
			    "be an SQLite file", c->database,
			    file_kind(st.st_mode));
	} else if (errno != ENOENT)
		add_error(c, name, line, "database: '%s': %s", c->database,
		    strerror(errno));
}

/* The port of host:port, or -1 when s is not that with a port in
 * 1..65535. */
static long
listen_port(const char *s)
{
	const char *colon = strrchr(s, ':');
	char *end;
	long port;

	if (colon == NULL || colon == s)
		return -1;
	port = strtol(colon + 1, &end, 10);
	return *end == '\0' && end != colon + 1 && port > 0 && port < 65536 ?
	    port : -1;
}

/* Whether the host of host:port is this machine only. */
static int
loopback_listen(const char *s)
{
	const char *colon = strrchr(s, ':');
	char host[64];
	size_t n;
	struct in_addr a4;
	struct in6_addr a6;

	snprintf(host, sizeof(host), "%.*s", colon ? (int)(colon - s) : 0, s);
	n = strlen(host);
	if (n >= 2 && host[0] == '[' && host[n - 1] == ']') {
		memmove(host, host + 1, n - 2);
		host[n - 2] = '\0';
	}
	if (!strcasecmp(host, "localhost"))
		return 1;
	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	return inet_pton(AF_INET6, host, &a6) == 1 && IN6_IS_ADDR_LOOPBACK(&a6);
}

/* Checks of one HTTP listener, [ussd] or [admin]: a secret guards one
 * that other machines can reach. */
static void
check_listener(struct config *c, const char *name, enum key_scope scope,
    const char *listen, const char *secret)
{
	const char *section = scope == S_USSD ? "ussd" : "admin";
	int line = conf_line(c, scope, "listen");

	if (listen_port(listen) < 0)
		add_error(c, name, line, "[%s]: listen must be host:port",
		    section);
	else if (secret[0] == '\0' && !loopback_listen(listen))
		add_error(c, name, line, "[%s]: listen = %s reaches beyond "
		    "this machine: set a secret, or listen on 127.0.0.1",
		    section, listen);
}

/* [console]: its own port. It asks for a password, not a secret, so it
 * may listen beyond this machine. The port alone is compared: 0.0.0.0
 * and 127.0.0.1 on one port cannot both be bound. */
static void
check_console(struct config *c, const char *name)
{
	const struct { const char *section; int on; const char *listen; }
	    others[] = {
		{ "ussd", c->ussd_enabled, c->ussd_listen },
		{ "admin", c->admin_enabled, c->admin_listen },
	};
	int line = conf_line(c, S_CONSOLE, "listen");
	long port = listen_port(c->console_listen);
	size_t i;

	if (port < 0) {
		add_error(c, name, line, "[console]: listen must be host:port");
		return;
	}
	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		if (others[i].on && listen_port(others[i].listen) == port)
			add_error(c, name, line, "[console] and [%s] must listen "
			    "on different ports (both on %ld)",
			    others[i].section, port);
}

/* Checks of the HTTP listeners that need the whole file. */
static void
check_http(struct config *c, const char *name)
{
	if (c->ussd_enabled) {
		/* one given but refused has its own error already */
		if (c->ussd_secret[0] == '\0' &&
		    conf_line(c, S_USSD, "secret") == c->ussd_line)
			add_error(c, name, c->ussd_line, "[ussd]: secret is "
			    "required (the aggregator sends it)");
		check_listener(c, name, S_USSD, c->ussd_listen, c->ussd_secret);
		if (c->ussd_path[0] != '/')
			add_error(c, name, conf_line(c, S_USSD, "path"),
			    "[ussd]: path must start with /");
	}
	if (c->admin_enabled)
		check_listener(c, name, S_ADMIN, c->admin_listen,
		    c->admin_secret);
	if (c->ussd_enabled && c->admin_enabled &&
	    !strcmp(c->ussd_listen, c->admin_listen))
		add_error(c, name, conf_line(c, S_ADMIN, "listen"), "[admin] "
		    "and [ussd] must listen on different ports");
	if (c->console_enabled)
		check_console(c, name);
}

/* A [kannel] section: where to send, where Kannel calls back, and a key
 * for that call. Its listener has a port of its own: one shared with
 * [ussd], [admin], [console] or another bearer could not be bound, and
 * its requests would meet another listener's rules. */
static void
check_kannels(struct config *c, const char *name)
{
	const struct { const char *section; int on; const char *listen; }
	    others[] = {
		{ "ussd", c->ussd_enabled, c->ussd_listen },
		{ "admin", c->admin_enabled, c->admin_listen },
		{ "console", c->console_enabled, c->console_listen },
	};
	size_t o;
	int i, j;

	for (i = 0; i < c->nkannels; i++) {
		struct kannel_config *k = &c->kannels[i];
		int line = line_of(k->key_line, S_KANNEL, "listen", k->line);
		const char *slash;
		long port = listen_port(k->listen);

		/* without its path smsbox answers every call 404, and each
		 * SMS would die as refused */
		if (strncmp(k->sendsms_url, "http://", 7) != 0 ||
		    (slash = strchr(k->sendsms_url + 7, '/')) == NULL ||
		    slash == k->sendsms_url + 7 || slash[1] == '\0')
			add_error(c, name, line_of(k->key_line, S_KANNEL,
			    "sendsms_url", k->line), "[%s]: sendsms_url is "
			    "required, as http://HOST:PORT/cgi-bin/sendsms",
			    k->section);
		if (k->username[0] == '\0')
			add_error(c, name, k->line, "[%s]: username is required "
			    "(the smsbox's sendsms-user)", k->section);
		/* one given but refused has its own error already */
		if (k->secret[0] == '\0' &&
		    line_of(k->key_line, S_KANNEL, "secret", 0) == 0)
			add_error(c, name, k->line, "[%s]: secret is required "
			    "(Kannel sends it back as key=)", k->section);
		if (port < 0) {
			add_error(c, name, line, "[%s]: listen must be "
			    "host:port (where Kannel calls the gateway)",
			    k->section);
			continue;
		}
		for (o = 0; o < sizeof(others) / sizeof(others[0]); o++)
			if (others[o].on && listen_port(others[o].listen) ==
			    port)
				add_error(c, name, line, "[%s] and [%s] must "
				    "listen on different ports (both on %ld)",
				    k->section, others[o].section, port);
		for (j = 0; j < i; j++)
			if (listen_port(c->kannels[j].listen) == port)
				add_error(c, name, line, "[%s] and [%s] must "
				    "listen on different ports (both on %ld)",
				    k->section, c->kannels[j].section, port);
	}
}

/* "HH:MM" to minutes of the day; -1 if malformed. */
static int
clock_minutes(const char *s)
{
	int h, m;
	char tail;

	if (sscanf(s, "%d:%d%c", &h, &m, &tail) != 2 || h < 0 || h > 23 ||
	    m < 0 || m > 59)
		return -1;
	return h * 60 + m;
}

/* A reminder's only_if as the scheduler reads it; -1 for a value it does
 * not know. */
static int
only_if_read(const char *only_if, enum only_if *out)
{
	static const struct { const char *name; enum only_if v; } known[] = {
		{ "", ONLY_IF_ALWAYS },
		{ "no_report_this_month", ONLY_IF_NO_REPORT_THIS_MONTH },
		{ "no_report_last_month", ONLY_IF_NO_REPORT_LAST_MONTH },
	};
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(only_if, known[i].name)) {
			*out = known[i].v;
			return 0;
		}
	return -1;
}

/* Checks of the sending policy and the reminders. The cron schedule is
 * checked by the daemon's scheduler (gateway/cron.c), which config/ does
 * not link; `check-config` runs both. */
static void
check_policy(struct config *c, const char *name)
{
	char a[8], b[8];
	int i;

	if (sscanf(c->quiet_hours, "%7[0-9:]-%7[0-9:]", a, b) != 2 ||
	    (c->quiet_start = clock_minutes(a)) < 0 ||
	    (c->quiet_end = clock_minutes(b)) < 0) {
		if (strcmp(c->quiet_hours, "none") != 0)
			add_error(c, name, conf_line(c, S_KENTONGAN,
			    "quiet_hours"), "quiet_hours must be HH:MM-HH:MM "
			    "or none, not '%s'", c->quiet_hours);
		c->quiet_start = c->quiet_end = 0;
	}
	c->digest_minute = -1;
	if (c->digest_time[0] != '\0' && strcmp(c->digest_time, "none") &&
	    (c->digest_minute = clock_minutes(c->digest_time)) < 0)
		add_error(c, name, conf_line(c, S_KENTONGAN, "digest_time"),
		    "digest_time must be HH:MM or none, not '%s'",
		    c->digest_time);
	for (i = 0; i < c->nreminders; i++) {
		struct reminder_config *r = &c->reminders[i];

		if (r->schedule[0] == '\0' || r->to[0] == '\0' ||
		    r->text[0] == '\0')
			add_error(c, name, r->line, "[reminder %s] needs "
			    "schedule, to and text", r->name);
		if (only_if_read(r->only_if, &r->only) != 0)
			add_error(c, name, config_reminder_line(r, "only_if"),
			    "[reminder %s]: only_if is no_report_this_month "
			    "or no_report_last_month, not '%s'", r->name,
			    r->only_if);
	}
}

/* [backup]: a folder and a time of day. A folder that is missing is
 * not an error here (a USB disk not plugged in yet): the daemon starts,
 * and each copy it cannot make is an ALARM. */
static void
check_backup(struct config *c, const char *name)
{
	struct stat st;

	c->backup_dir_line = conf_line(c, S_BACKUP, "dir");
	if ((c->backup_minute = clock_minutes(c->backup_time)) < 0)
		add_error(c, name, conf_line(c, S_BACKUP, "time"), "[backup] "
		    "time must be HH:MM, not '%s'", c->backup_time);
	if (c->backup_line > 0 && c->backup_dir[0] == '\0')
		add_error(c, name, c->backup_line, "[backup]: dir is required "
		    "(the folder the daily copies go to)");
	if (c->backup_dir[0] != '\0' && stat(c->backup_dir, &st) == 0 &&
	    !S_ISDIR(st.st_mode))
		add_error(c, name, c->backup_dir_line, "[backup] dir: '%s' is "
		    "not a folder", c->backup_dir);
}

/* [central]: where, and under which name. */
static void
check_central(struct config *c, const char *name, int central_only)
{
	const char *p;

	if (!c->central_enabled) {
		if (central_only)
			add_error(c, name, 0, "no [central] section: nothing "
			    "to read (docs/central.md)");
		return;
	}
	if (c->central_conninfo[0] == '\0')
		add_error(c, name, conf_line(c, S_CENTRAL, "conninfo"),
		    "[central]: conninfo is required (a libpq connection "
		    "string, e.g. host=... dbname=... user=...)");
	if (central_only)
		return;
	for (p = c->central_site; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			break;
	if (c->central_site[0] == '\0' || *p != '\0' ||
	    strlen(c->central_site) > 32)
		add_error(c, name, conf_line(c, S_CENTRAL, "site"),
		    "[central]: site is required: this gateway's short name, "
		    "unique in the central database (letters, digits, - and "
		    "_, at most 32)");
}

void
config_check_whole(struct config *c, const char *name, int central_only)
{
	check_central(c, name, central_only);
	if (central_only)
		return;
	check_modems(c, name);
	check_database(c, name);
	check_http(c, name);
	check_kannels(c, name);
	check_policy(c, name);
	check_backup(c, name);
}
