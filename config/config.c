#include "config/config.h"
#include "config/ini.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum key_type { K_STRING, K_INT, K_BOOL, K_TIMEZONE, K_GAMMU, K_AREA };

enum key_scope { S_KENTONGAN, S_MODEM, S_USSD, S_ADMIN, S_REMINDER };

/* One configuration key: where it lives, what it holds, its default. */
struct key_def {
	enum key_scope scope;
	const char *name;
	enum key_type type;
	const char *def;
	size_t off;		/* into struct config or struct modem_config */
	size_t size;		/* for strings */
	long min, max;		/* for ints */
};

#define KS(n, t, d, f) { S_KENTONGAN, n, t, d, offsetof(struct config, f), \
	sizeof(((struct config *)0)->f), 0, 0 }
#define KI(n, d, f, lo, hi) { S_KENTONGAN, n, K_INT, d, \
	offsetof(struct config, f), sizeof(int), lo, hi }
/* A key of another section of struct config. */
#define KX(sc, n, t, d, f) { sc, n, t, d, offsetof(struct config, f), \
	sizeof(((struct config *)0)->f), 0, 0 }
#define KXI(sc, n, d, f, lo, hi) { sc, n, K_INT, d, \
	offsetof(struct config, f), sizeof(int), lo, hi }
#define MS(n, d, f) { S_MODEM, n, K_STRING, d, \
	offsetof(struct modem_config, f), sizeof(((struct modem_config *)0)->f), 0, 0 }
#define MI(n, t, d, f, lo, hi) { S_MODEM, n, t, d, \
	offsetof(struct modem_config, f), sizeof(int), lo, hi }
/* Keys libGammu reads itself; we accept them and leave them to it. */
#define MG(n) { S_MODEM, n, K_GAMMU, NULL, 0, 0, 0, 0 }

static const struct key_def keys[] = {
	KS("database", K_STRING, "var/kentongan.db", database),
	KS("timezone", K_TIMEZONE, "Asia/Jakarta", timezone),
	KI("receive_interval", "2", receive_interval, 1, 3600),
	KI("multipart_timeout", "600", multipart_timeout, 1, 7 * 86400),
	KI("send_max_tries", "5", send_max_tries, 1, 100),
	KI("send_retry_base", "30", send_retry_base, 1, 86400),
	KI("modem_backoff_max", "300", modem_backoff_max, 1, 86400),
	KI("replies_per_hour", "10", replies_per_hour, 1, 1000),
	KI("send_timeout", "60", send_timeout, 1, 600),
	KI("command_timeout", "20", command_timeout, 2, 600),
	KI("local_error_pause", "600", local_error_pause, 1, 86400),
	/* no: a missing database is an error, never silently a new one */
	{ S_KENTONGAN, "create_database", K_BOOL, "no",
	    offsetof(struct config, create_database), sizeof(int), 0, 1 },
	KI("ack_timeout", "30", ack_timeout, 1, 3600),
	KS("area", K_AREA, "", area),

	KI("http_timeout", "5", http_timeout, 1, 300),
	KI("reminder_grace", "21600", reminder_grace, 0, 7 * 86400),
	KS("quiet_hours", K_STRING, "21:00-06:00", quiet_hours),
	KI("hourly_budget", "300", hourly_budget, 1, 1000000),
	KI("daily_cap", "5", daily_cap, 1, 1000),
	KS("digest_time", K_STRING, "17:00", digest_time),
	KI("digest_waiting_days", "3", digest_waiting_days, 1, 365),
	KI("error_reply_minutes", "60", error_reply_minutes, 0, 10080),
	KI("same_text_max", "3", same_text_max, 1, 1000),
	{ S_REMINDER, "schedule", K_STRING, NULL,
	    offsetof(struct reminder_config, schedule),
	    sizeof(((struct reminder_config *)0)->schedule), 0, 0 },
	{ S_REMINDER, "to", K_STRING, NULL,
	    offsetof(struct reminder_config, to),
	    sizeof(((struct reminder_config *)0)->to), 0, 0 },
	{ S_REMINDER, "text", K_STRING, NULL,
	    offsetof(struct reminder_config, text),
	    sizeof(((struct reminder_config *)0)->text), 0, 0 },
	{ S_REMINDER, "only_if", K_STRING, NULL,
	    offsetof(struct reminder_config, only_if),
	    sizeof(((struct reminder_config *)0)->only_if), 0, 0 },
	KX(S_USSD, "listen", K_STRING, "127.0.0.1:8081", ussd_listen),
	KX(S_USSD, "path", K_STRING, "/ussd", ussd_path),
	KX(S_USSD, "secret", K_STRING, "", ussd_secret),
	KX(S_USSD, "allow", K_STRING, "", ussd_allow),
	KXI(S_USSD, "session_timeout", "180", ussd_session_timeout, 10, 3600),
	KX(S_ADMIN, "listen", K_STRING, "127.0.0.1:8082", admin_listen),

	MS("device", "", device),
	MS("connection", "", connection),
	MS("model", "", model),
	MI("delivery_reports", K_BOOL, "yes", delivery_reports, 0, 1),
	MI("send_per_minute", K_INT, "6", send_per_minute, 1, 600),
	MS("operator", "", op),
	MS("balance_ussd", "", balance_ussd),
	MI("balance_interval", K_INT, "21600", balance_interval, 5, 30 * 86400),
	MI("balance_threshold", K_INT, "0", balance_threshold, 0, 100000000),
	MG("port"), MG("synchronizetime"), MG("logfile"), MG("logformat"),
	MG("use_locking"), MG("gammuloc"), MG("gammucoding"), MG("startinfo"),
	MG("features"), MG("atgen_setcnmi"), MG("name"), MG("reminder"),
	MG("meeting"), MG("call"), MG("birthday"), MG("memo"),
};

struct load_ctx {
	struct config *c;
	const char *name;
	enum { IN_NONE, IN_KENTONGAN, IN_MODEM, IN_USSD, IN_ADMIN,
	    IN_REMINDER, IN_UNKNOWN } where;
	struct reminder_config *reminder;
	struct modem_config *modem;
	unsigned char seen_kentongan;
	int ussd_line;
};

/* Record one error as "file:line: message". */
static void
add_error(struct config *c, const char *name, int line, const char *fmt, ...)
{
	va_list ap;
	char msg[200];

	if (c->nerrors >= CONFIG_MAX_ERRORS)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(c->errors[c->nerrors++], sizeof(c->errors[0]), "%s:%d: %s",
	    name, line, msg);
}

void
config_error(struct config *c, int line, const char *fmt, ...)
{
	va_list ap;
	char msg[200], path[CONFIG_PATH_MAX];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(path, sizeof(path), "%s", c->path);
	add_error(c, path, line, "%s", msg);
}

static void
syntax_error(void *arg, int line, const char *msg)
{
	struct load_ctx *x = arg;

	add_error(x->c, x->name, line, "%s", msg);
}

/* A timezone is valid when the system has its zoneinfo file; a typo would
 * otherwise silently mean UTC. */
static int
timezone_exists(const char *tz)
{
	char path[256];
	struct stat st;

	if (*tz == '\0' || strstr(tz, "..") != NULL || tz[0] == '/')
		return 0;
	snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", tz);
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/*
 * area: Kemendagri code prefixes, comma- or blank-separated, dots
 * optional ("33", "33.22", "3322.01"): 2, 4 or 6 digits, written dotted
 * the way village codes are stored, blank separated, into out.
 */
static const char *
area_prefixes(const char *value, char *out, size_t cap)
{
	size_t o = 0, n, i;
	char d[7];

	out[0] = '\0';
	while (*value) {
		value += strspn(value, " \t,");
		if (*value == '\0')
			break;
		for (n = 0; *value && !strchr(" \t,", *value); value++) {
			if (*value == '.')
				continue;
			if (!isdigit((unsigned char)*value) || n == 6)
				return "want code prefixes like 33, 33.22 or "
				    "33.22.01";
			d[n++] = *value;
		}
		if (n != 2 && n != 4 && n != 6)
			return "want code prefixes like 33, 33.22 or 33.22.01";
		if (o + 10 > cap)
			return "value too long";
		if (o > 0)
			out[o++] = ' ';
		for (i = 0; i < n; i += 2) {
			if (i > 0)
				out[o++] = '.';
			out[o++] = d[i];
			out[o++] = d[i + 1];
		}
		out[o] = '\0';
	}
	return NULL;
}

/* Store value into the field key describes; returns an error text or NULL. */
static const char *
set_value(const struct key_def *k, void *base, const char *value)
{
	char *end;
	long v;

	switch (k->type) {
	case K_GAMMU:
		return NULL;
	case K_AREA:
		return area_prefixes(value, (char *)base + k->off, k->size);
	case K_TIMEZONE:
		if (!timezone_exists(value))
			return "unknown timezone";
		/* FALLTHROUGH */
	case K_STRING:
		if (strlen(value) >= k->size)
			return "value too long";
		strcpy((char *)base + k->off, value);
		return NULL;
	case K_BOOL:
		if (!strcasecmp(value, "yes") || !strcasecmp(value, "true") ||
		    !strcmp(value, "1") || !strcasecmp(value, "on"))
			v = 1;
		else if (!strcasecmp(value, "no") || !strcasecmp(value, "false") ||
		    !strcmp(value, "0") || !strcasecmp(value, "off"))
			v = 0;
		else
			return "expected yes or no";
		*(int *)((char *)base + k->off) = (int)v;
		return NULL;
	case K_INT:
		errno = 0;
		v = strtol(value, &end, 10);
		if (errno || end == value || *end != '\0')
			return "expected a whole number";
		if (v < k->min || v > k->max)
			return "number out of range";
		*(int *)((char *)base + k->off) = (int)v;
		return NULL;
	}
	return "bad key type";
}

/* Fill the defaults of one scope into base. */
static void
scope_defaults(enum key_scope scope, void *base)
{
	size_t i;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (keys[i].scope == scope && keys[i].def != NULL)
			(void)set_value(&keys[i], base, keys[i].def);
}

void
config_defaults(struct config *c)
{
	memset(c, 0, sizeof(*c));
	scope_defaults(S_KENTONGAN, c);
	scope_defaults(S_USSD, c);
	scope_defaults(S_ADMIN, c);
}

/* "gammu" -> 0, "gammu7" -> 7, anything else -> -1. */
static int
gammu_section_index(const char *s)
{
	const char *p;

	if (strncmp(s, "gammu", 5) != 0)
		return -1;
	if (s[5] == '\0')
		return 0;
	for (p = s + 5; *p; p++)
		if (!isdigit((unsigned char)*p))
			return -1;
	if (strlen(s + 5) > 3 || s[5] == '0')
		return -1;
	return atoi(s + 5);
}

static int
on_entry(void *arg, int line, const char *section, const char *key,
    const char *value)
{
	struct load_ctx *x = arg;
	struct config *c = x->c;
	const struct key_def *k = NULL;
	enum key_scope scope;
	const char *err;
	size_t i;
	int n;

	if (key == NULL) {
		if (!strcmp(section, "kentongan")) {
			x->where = IN_KENTONGAN;
			return 0;
		}
		if (!strcmp(section, "ussd") || !strcmp(section, "admin")) {
			int ussd = section[0] == 'u';

			x->where = ussd ? IN_USSD : IN_ADMIN;
			*(ussd ? &c->ussd_enabled : &c->admin_enabled) = 1;
			if (ussd)
				x->ussd_line = line;
			return 0;
		}
		if (!strncmp(section, "reminder ", 9)) {
			const char *name = section + 9;
			int k;

			while (*name == ' ')
				name++;
			x->where = IN_UNKNOWN;
			if (*name == '\0' || strlen(name) >= sizeof(c->reminders[0].name)) {
				add_error(c, x->name, line, "a reminder needs a "
				    "short name: [reminder NAME]");
				return 0;
			}
			for (k = 0; k < c->nreminders; k++)
				if (!strcmp(c->reminders[k].name, name)) {
					add_error(c, x->name, line,
					    "duplicate section [%s]", section);
					return 0;
				}
			if (c->nreminders >= CONFIG_MAX_REMINDERS) {
				add_error(c, x->name, line, "too many reminders");
				return 0;
			}
			x->reminder = &c->reminders[c->nreminders++];
			memset(x->reminder, 0, sizeof(*x->reminder));
			snprintf(x->reminder->name, sizeof(x->reminder->name),
			    "%s", name);
			x->reminder->line = line;
			x->where = IN_REMINDER;
			return 0;
		}
		if ((n = gammu_section_index(section)) >= 0) {
			for (i = 0; i < (size_t)c->nmodems; i++)
				if (c->modems[i].gammu_index == n) {
					add_error(c, x->name, line,
					    "duplicate section [%s]", section);
					x->where = IN_UNKNOWN;
					return 0;
				}
			if (c->nmodems >= CONFIG_MAX_MODEMS) {
				add_error(c, x->name, line, "too many modems");
				x->where = IN_UNKNOWN;
				return 0;
			}
			x->modem = &c->modems[c->nmodems++];
			memset(x->modem, 0, sizeof(*x->modem));
			scope_defaults(S_MODEM, x->modem);
			snprintf(x->modem->section, sizeof(x->modem->section),
			    "%s", section);
			x->modem->gammu_index = n;
			x->modem->line = line;
			x->where = IN_MODEM;
			return 0;
		}
		add_error(c, x->name, line, "unknown section [%s]", section);
		x->where = IN_UNKNOWN;
		return 0;
	}
	switch (x->where) {
	case IN_UNKNOWN:
		return 0;	/* already reported at the header */
	case IN_NONE:
		add_error(c, x->name, line, "key '%s' outside any section", key);
		return 0;
	case IN_REMINDER:
		scope = S_REMINDER;
		break;
	case IN_KENTONGAN:
	case IN_USSD:
	case IN_ADMIN:
		scope = x->where == IN_USSD ? S_USSD : x->where == IN_ADMIN ?
		    S_ADMIN : S_KENTONGAN;
		break;
	default:
		scope = S_MODEM;
		break;
	}
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (keys[i].scope == scope && !strcasecmp(keys[i].name, key)) {
			k = &keys[i];
			break;
		}
	if (k == NULL) {
		add_error(c, x->name, line, "unknown key '%s' in [%s]", key,
		    section);
		return 0;
	}
	err = set_value(k, scope == S_MODEM ? (void *)x->modem :
	    scope == S_REMINDER ? (void *)x->reminder : (void *)c, value);
	if (err != NULL)
		add_error(c, x->name, line, "%s: %s '%s'", key, err, value);
	else if (k->type == K_AREA)
		c->area_line = line;
	return 0;
}

/* Checks that need the whole file: one modem at least, each complete. */
static void
check_modems(struct config *c, const char *name)
{
	int i;

	if (c->nmodems == 0)
		add_error(c, name, 0, "no [gammu] section: no modem configured");
	for (i = 0; i < c->nmodems; i++) {
		if (c->modems[i].device[0] == '\0')
			add_error(c, name, c->modems[i].line,
			    "[%s]: device is required", c->modems[i].section);
		if (c->modems[i].connection[0] == '\0')
			add_error(c, name, c->modems[i].line,
			    "[%s]: connection is required", c->modems[i].section);
	}
}

/* Whether s is host:port with a port in 1..65535. */
static int
valid_listen(const char *s)
{
	const char *colon = strrchr(s, ':');
	char *end;
	long port;

	if (colon == NULL || colon == s)
		return 0;
	port = strtol(colon + 1, &end, 10);
	return *end == '\0' && port > 0 && port < 65536;
}

/* Checks of the HTTP listeners that need the whole file. */
static void
check_http(struct config *c, const char *name, int ussd_line)
{
	if (c->ussd_enabled) {
		if (c->ussd_secret[0] == '\0')
			add_error(c, name, ussd_line, "[ussd]: secret is "
			    "required (the aggregator sends it)");
		if (!valid_listen(c->ussd_listen))
			add_error(c, name, ussd_line, "[ussd]: listen must be "
			    "host:port");
		if (c->ussd_path[0] != '/')
			add_error(c, name, ussd_line, "[ussd]: path must "
			    "start with /");
	}
	if (c->admin_enabled && !valid_listen(c->admin_listen))
		add_error(c, name, 0, "[admin]: listen must be host:port");
	if (c->ussd_enabled && c->admin_enabled &&
	    !strcmp(c->ussd_listen, c->admin_listen))
		add_error(c, name, ussd_line, "[admin] and [ussd] must listen "
		    "on different ports");
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
			add_error(c, name, 0, "quiet_hours must be HH:MM-HH:MM "
			    "or none, not '%s'", c->quiet_hours);
		c->quiet_start = c->quiet_end = 0;
	}
	c->digest_minute = -1;
	if (c->digest_time[0] != '\0' && strcmp(c->digest_time, "none") &&
	    (c->digest_minute = clock_minutes(c->digest_time)) < 0)
		add_error(c, name, 0, "digest_time must be HH:MM or none");
	for (i = 0; i < c->nreminders; i++) {
		struct reminder_config *r = &c->reminders[i];

		if (r->schedule[0] == '\0' || r->to[0] == '\0' ||
		    r->text[0] == '\0')
			add_error(c, name, r->line, "[reminder %s] needs "
			    "schedule, to and text", r->name);
		if (r->only_if[0] && strcmp(r->only_if, "no_report_this_month"))
			add_error(c, name, r->line, "[reminder %s]: only_if "
			    "knows only no_report_this_month", r->name);
	}
}

int
config_load_text(struct config *c, const char *name, const char *text,
    size_t len)
{
	struct load_ctx x;

	config_defaults(c);
	snprintf(c->path, sizeof(c->path), "%s", name);
	memset(&x, 0, sizeof(x));
	x.c = c;
	x.name = name;
	(void)ini_parse(text, len, on_entry, &x, syntax_error);
	check_modems(c, name);
	check_http(c, name, x.ussd_line);
	check_policy(c, name);
	return c->nerrors ? -1 : 0;
}

int
config_load(struct config *c, const char *path)
{
	FILE *f;
	char *text = NULL;
	size_t len = 0, cap = 0, n;
	int rc;

	if ((f = fopen(path, "r")) == NULL) {
		/* config_defaults() may call what sets errno: keep fopen's */
		int saved = errno;

		config_defaults(c);
		add_error(c, path, 0, "cannot open: %s", strerror(saved));
		return -1;
	}
	for (;;) {
		if (len + 4096 > cap) {
			char *t;

			cap = cap ? cap * 2 : 8192;
			if (cap > (1 << 22) || (t = realloc(text, cap)) == NULL) {
				free(text);
				fclose(f);
				config_defaults(c);
				add_error(c, path, 0, "file too large");
				return -1;
			}
			text = t;
		}
		n = fread(text + len, 1, cap - len, f);
		if (n == 0)
			break;
		len += n;
	}
	fclose(f);
	rc = config_load_text(c, path, text ? text : "", len);
	free(text);
	return rc;
}
