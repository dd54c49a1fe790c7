#include "config/config.h"
#include "config/config_int.h"
#include "config/ini.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

enum key_type { K_STRING, K_INT, K_BOOL, K_TIMEZONE, K_GAMMU, K_SECRET,
    K_ALLOW, K_AREA };


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
#define NS(n, t, d, f) { S_KANNEL, n, t, d, \
	offsetof(struct kannel_config, f), \
	sizeof(((struct kannel_config *)0)->f), 0, 0 }
#define NI(n, t, d, f, lo, hi) { S_KANNEL, n, t, d, \
	offsetof(struct kannel_config, f), sizeof(int), lo, hi }
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
	/* 3: a person who got no answer yet (a slow network) sends the same
	 * words again once or twice; a fourth copy within the hour is an
	 * auto-responder answering our replies, and a loop costs at most
	 * three replies */
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
	/* min 1: [ussd] cannot do without one */
	{ S_USSD, "secret", K_SECRET, NULL, offsetof(struct config, ussd_secret),
	    sizeof(((struct config *)0)->ussd_secret), 1, 0 },
	KX(S_USSD, "allow", K_ALLOW, NULL, ussd_allow),
	KXI(S_USSD, "session_timeout", "180", ussd_session_timeout, 10, 3600),
	KX(S_ADMIN, "listen", K_STRING, "127.0.0.1:8082", admin_listen),
	KX(S_ADMIN, "secret", K_SECRET, NULL, admin_secret),
	KX(S_ADMIN, "allow", K_ALLOW, NULL, admin_allow),
	KX(S_CONSOLE, "listen", K_STRING, "127.0.0.1:8080", console_listen),
	/* yes once a TLS proxy stands in front: the browser then sends the
	 * session cookie over HTTPS only */
	{ S_CONSOLE, "secure_cookies", K_BOOL, "no",
	    offsetof(struct config, console_secure_cookies), sizeof(int), 0, 1 },
	KXI(S_CONSOLE, "session_hours", "12", console_session_hours, 1, 720),
	KXI(S_CONSOLE, "idle_minutes", "60", console_idle_minutes, 5, 1440),
	/* no dir, no copies: where they go (a USB disk) is the office's
	 * choice, and a copy on the database's own disk saves little */
	KX(S_BACKUP, "dir", K_STRING, "", backup_dir),
	KX(S_BACKUP, "time", K_STRING, "02:00", backup_time),
	KXI(S_BACKUP, "keep", "14", backup_keep, 1, 3650),
	/* the kabupaten's PostgreSQL (docs/central.md) */
	KX(S_CENTRAL, "conninfo", K_STRING, "", central_conninfo),
	KX(S_CENTRAL, "site", K_STRING, "", central_site),
	KXI(S_CENTRAL, "interval", "30", central_interval, 1, 86400),
	{ S_CENTRAL, "share_numbers", K_BOOL, "no",
	    offsetof(struct config, central_share_numbers), sizeof(int), 0, 1 },
	KXI(S_CENTRAL, "warn_after", "3600", central_warn_after, 10,
	    30 * 86400),

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

	NS("sendsms_url", K_STRING, "", sendsms_url),
	NS("username", K_STRING, "", username),
	NS("password", K_STRING, "", password),
	NS("smsc", K_STRING, "", smsc),
	NS("from", K_STRING, "", from),
	NS("listen", K_STRING, "", listen),
	/* min 1: Kannel passes it back as key=; none is checked for in
	 * check_kannels */
	{ S_KANNEL, "secret", K_SECRET, NULL,
	    offsetof(struct kannel_config, secret),
	    sizeof(((struct kannel_config *)0)->secret), 1, 0 },
	NI("send_per_second", K_INT, "20", send_per_second, 1, 10000),
	/* 6: a sendsms-user's usual max-messages; Kannel drops silently
	 * what goes past it, so it must be the same number there */
	NI("max_parts", K_INT, "6", max_parts, 1, 255),
	NI("bulk", K_BOOL, "no", bulk, 0, 1),
	NS("operator", K_STRING, "", op),
};

#define NKEYS		(sizeof(keys) / sizeof(keys[0]))

_Static_assert(NKEYS <= CONFIG_KEYS_MAX, "raise CONFIG_KEYS_MAX");

/* The sections with one instance and no name: where their header's line
 * is kept and the flag their presence sets (NO_FLAG: none). */
#define NO_FLAG	((size_t)-1)
static const struct plain_section {
	const char *name;
	enum key_scope scope;
	size_t line, enabled;	/* offsets into struct config */
} plain_sections[] = {
	{ "kentongan", S_KENTONGAN, offsetof(struct config, kentongan_line),
	    NO_FLAG },
	{ "ussd", S_USSD, offsetof(struct config, ussd_line),
	    offsetof(struct config, ussd_enabled) },
	{ "admin", S_ADMIN, offsetof(struct config, admin_line),
	    offsetof(struct config, admin_enabled) },
	{ "console", S_CONSOLE, offsetof(struct config, console_line),
	    offsetof(struct config, console_enabled) },
	{ "backup", S_BACKUP, offsetof(struct config, backup_line), NO_FLAG },
	{ "central", S_CENTRAL, offsetof(struct config, central_line),
	    offsetof(struct config, central_enabled) },
};
#define NPLAIN	(sizeof(plain_sections) / sizeof(plain_sections[0]))

struct load_ctx {
	struct config *c;
	const char *name;
	enum { IN_NONE, IN_SECTION, IN_UNKNOWN } where;
	enum key_scope scope;		/* of the section we are in */
	void *base;			/* its struct */
	int *key_line;			/* its lines, by key table index */
};

/* Record one error as "file:line: message", or "file: message" for one
 * about the whole file. */
void
add_error(struct config *c, const char *name, int line, const char *fmt, ...)
{
	va_list ap;
	char msg[200];

	if (c->nerrors >= CONFIG_MAX_ERRORS)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (line > 0)
		snprintf(c->errors[c->nerrors++], sizeof(c->errors[0]),
		    "%s:%d: %s", name, line, msg);
	else
		snprintf(c->errors[c->nerrors++], sizeof(c->errors[0]),
		    "%s: %s", name, msg);
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

/* Store value into the field key describes; returns an error text or NULL. */
static const char *
set_value(const struct key_def *k, void *base, const char *value)
{
	const char *why;
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
		goto string;
	case K_SECRET:
		if (value[0] == '\0' && k->min > 0)
			return "is required";
		if ((why = weak_secret(value)) != NULL)
			return why;
		goto string;
	case K_ALLOW:
		if ((why = bad_allow(value)) != NULL)
			return why;
		goto string;
	case K_STRING:
	string:
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

	for (i = 0; i < NKEYS; i++)
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
	scope_defaults(S_CONSOLE, c);
	scope_defaults(S_BACKUP, c);
	scope_defaults(S_CENTRAL, c);
}

/* The table index of key in scope, or -1. */
static int
key_index(enum key_scope scope, const char *key)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (keys[i].scope == scope && !strcasecmp(keys[i].name, key))
			return (int)i;
	return -1;
}

/* The line key of scope was set on (lines of its section), else fallback. */
int
line_of(const int *key_line, enum key_scope scope, const char *key,
    int fallback)
{
	int i = key_index(scope, key);

	return i >= 0 && key_line[i] > 0 ? key_line[i] : fallback;
}

int
config_reminder_line(const struct reminder_config *r, const char *key)
{
	return line_of(r->key_line, S_REMINDER, key, r->line);
}

/* Whether one edit (insert, delete, substitute, or swap two neighbours)
 * turns a into b, ignoring case: the typos worth a "did you mean". */
static int
one_edit(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i = 0;

	if (la > lb)
		return one_edit(b, a);
	if (lb - la > 1)
		return 0;
	while (i < la && tolower((unsigned char)a[i]) ==
	    tolower((unsigned char)b[i]))
		i++;
	if (la < lb)
		return !strcasecmp(a + i, b + i + 1);
	if (i == la)
		return 0;	/* the same word */
	if (!strcasecmp(a + i + 1, b + i + 1))
		return 1;
	return i + 1 < la && tolower((unsigned char)a[i]) ==
	    tolower((unsigned char)b[i + 1]) && tolower((unsigned char)a[i + 1])
	    == tolower((unsigned char)b[i]) && !strcasecmp(a + i + 2, b + i + 2);
}

/* A known key of scope one edit from key, or NULL. */
static const char *
near_key(enum key_scope scope, const char *key)
{
	size_t i;

	for (i = 0; i < NKEYS; i++)
		if (keys[i].scope == scope && one_edit(keys[i].name, key))
			return keys[i].name;
	return NULL;
}

/* A known section one edit from section, into out; 0 when none is. */
static int
near_section(const char *section, char *out, size_t cap)
{
	const char *digits = section + strlen(section);
	char word[128];
	size_t i;

	for (i = 0; i < NPLAIN; i++)
		if (one_edit(plain_sections[i].name, section))
			return snprintf(out, cap, "%s", plain_sections[i].name) > 0;
	while (digits > section && isdigit((unsigned char)digits[-1]))
		digits--;
	snprintf(word, sizeof(word), "%.*s", (int)(digits - section), section);
	if (one_edit("kannel", word))
		return snprintf(out, cap, "kannel%s", digits) > 0;
	return one_edit("gammu", word) &&
	    snprintf(out, cap, "gammu%s", digits) > 0;
}

/* With word "gammu": "gammu" -> 0, "gammu7" -> 7, anything else -> -1. */
static int
numbered_section_index(const char *word, const char *s)
{
	size_t n = strlen(word);
	const char *p;

	if (strncmp(s, word, n) != 0)
		return -1;
	if (s[n] == '\0')
		return 0;
	for (p = s + n; *p; p++)
		if (!isdigit((unsigned char)*p))
			return -1;
	if (strlen(s + n) > 3 || s[n] == '0')
		return -1;
	return atoi(s + n);
}

/* Read the keys that follow into base, a struct of scope. */
static void
enter(struct load_ctx *x, enum key_scope scope, void *base, int *key_line)
{
	x->where = IN_SECTION;
	x->scope = scope;
	x->base = base;
	x->key_line = key_line;
}

/* Refuse a second [section]: its keys would silently override the first. */
static int
duplicate(struct load_ctx *x, int line, const char *section, int first)
{
	add_error(x->c, x->name, line, "duplicate section [%s]; the first is "
	    "at line %d", section, first);
	x->where = IN_UNKNOWN;
	return 0;
}

/* [kentongan], [ussd], [admin] or [console]. */
static int
on_plain_section(struct load_ctx *x, int line, const struct plain_section *p)
{
	struct config *c = x->c;
	int *at = (int *)((char *)c + p->line);

	if (*at > 0)
		return duplicate(x, line, p->name, *at);
	*at = line;
	if (p->enabled != NO_FLAG)
		*(int *)((char *)c + p->enabled) = 1;
	enter(x, p->scope, c, c->key_line);
	return 0;
}

/* [reminder NAME]. */
static int
on_reminder_section(struct load_ctx *x, int line, const char *section)
{
	struct config *c = x->c;
	const char *name = section + 9;
	struct reminder_config *r;
	int k;

	while (*name == ' ')
		name++;
	x->where = IN_UNKNOWN;
	if (*name == '\0' || strlen(name) >= sizeof(c->reminders[0].name)) {
		add_error(c, x->name, line, "a reminder needs a short name: "
		    "[reminder NAME]");
		return 0;
	}
	for (k = 0; k < c->nreminders; k++)
		if (!strcmp(c->reminders[k].name, name))
			return duplicate(x, line, section, c->reminders[k].line);
	if (c->nreminders >= CONFIG_MAX_REMINDERS) {
		add_error(c, x->name, line, "too many reminders");
		return 0;
	}
	r = &c->reminders[c->nreminders++];
	memset(r, 0, sizeof(*r));
	snprintf(r->name, sizeof(r->name), "%s", name);
	r->line = line;
	enter(x, S_REMINDER, r, r->key_line);
	return 0;
}

/* [gammu], [gammu1], ... */
static int
on_modem_section(struct load_ctx *x, int line, const char *section, int n)
{
	struct config *c = x->c;
	struct modem_config *m;
	int i;

	for (i = 0; i < c->nmodems; i++)
		if (c->modems[i].gammu_index == n)
			return duplicate(x, line, section, c->modems[i].line);
	if (c->nmodems >= CONFIG_MAX_MODEMS) {
		add_error(c, x->name, line, "too many modems");
		x->where = IN_UNKNOWN;
		return 0;
	}
	m = &c->modems[c->nmodems++];
	memset(m, 0, sizeof(*m));
	scope_defaults(S_MODEM, m);
	snprintf(m->section, sizeof(m->section), "%s", section);
	m->gammu_index = n;
	m->line = line;
	enter(x, S_MODEM, m, m->key_line);
	return 0;
}

/* [kannel], [kannel1], ... */
static int
on_kannel_section(struct load_ctx *x, int line, const char *section, int n)
{
	struct config *c = x->c;
	struct kannel_config *k;
	int i;

	for (i = 0; i < c->nkannels; i++)
		if (c->kannels[i].index == n)
			return duplicate(x, line, section, c->kannels[i].line);
	if (c->nkannels >= CONFIG_MAX_KANNELS) {
		add_error(c, x->name, line, "too many [kannel] sections");
		x->where = IN_UNKNOWN;
		return 0;
	}
	k = &c->kannels[c->nkannels++];
	memset(k, 0, sizeof(*k));
	scope_defaults(S_KANNEL, k);
	snprintf(k->section, sizeof(k->section), "%s", section);
	k->index = n;
	k->line = line;
	enter(x, S_KANNEL, k, k->key_line);
	return 0;
}

static int
on_section(struct load_ctx *x, int line, const char *section)
{
	char near[140];
	size_t i;
	int n;

	for (i = 0; i < NPLAIN; i++)
		if (!strcmp(section, plain_sections[i].name))
			return on_plain_section(x, line, &plain_sections[i]);
	if (!strncmp(section, "reminder ", 9))
		return on_reminder_section(x, line, section);
	if ((n = numbered_section_index("gammu", section)) >= 0)
		return on_modem_section(x, line, section, n);
	if ((n = numbered_section_index("kannel", section)) >= 0)
		return on_kannel_section(x, line, section, n);
	if (near_section(section, near, sizeof(near)))
		add_error(x->c, x->name, line, "unknown section [%s]; did you "
		    "mean [%s]?", section, near);
	else
		add_error(x->c, x->name, line, "unknown section [%s]", section);
	x->where = IN_UNKNOWN;
	return 0;
}

static int
on_key(struct load_ctx *x, int line, const char *section, const char *key,
    const char *value)
{
	const char *err, *near;
	int i;

	if (x->where == IN_UNKNOWN)
		return 0;	/* already reported at the header */
	if (x->where == IN_NONE) {
		add_error(x->c, x->name, line, "key '%s' outside any section",
		    key);
		return 0;
	}
	if ((i = key_index(x->scope, key)) < 0) {
		if ((near = near_key(x->scope, key)) != NULL)
			add_error(x->c, x->name, line, "unknown key '%s' in "
			    "[%s]; did you mean '%s'?", key, section, near);
		else
			add_error(x->c, x->name, line, "unknown key '%s' in "
			    "[%s]", key, section);
		return 0;
	}
	if (x->key_line[i] > 0) {
		add_error(x->c, x->name, line, "duplicate key '%s' in [%s]; "
		    "first set at line %d", key, section, x->key_line[i]);
		return 0;
	}
	x->key_line[i] = line;
	if (keys[i].type == K_AREA)
		x->c->area_line = line;
	if ((err = set_value(&keys[i], x->base, value)) == NULL)
		return 0;
	/* a secret is not repeated where errors go (a terminal, a log) */
	if (keys[i].type == K_SECRET)
		add_error(x->c, x->name, line, "%s: %s", key, err);
	else
		add_error(x->c, x->name, line, "%s: %s '%s'", key, err, value);
	return 0;
}

static int
on_entry(void *arg, int line, const char *section, const char *key,
    const char *value)
{
	struct load_ctx *x = arg;

	return key == NULL ? on_section(x, line, section) :
	    on_key(x, line, section, key, value);
}

/* The line of a key of a plain section ([kentongan], [ussd], ...), else
 * of the section's header, else 0 (the key is a default: the whole
 * file). */
int
conf_line(const struct config *c, enum key_scope scope, const char *key)
{
	int header = 0;
	size_t i;

	for (i = 0; i < NPLAIN; i++)
		if (plain_sections[i].scope == scope)
			header = *(const int *)((const char *)c +
			    plain_sections[i].line);
	return line_of(c->key_line, scope, key, header);
}

/* config_load_text, with only [central]'s checks when central_only */
static int
load_text(struct config *c, const char *name, const char *text, size_t len,
    int central_only)
{
	struct load_ctx x;

	config_defaults(c);
	snprintf(c->path, sizeof(c->path), "%s", name);
	memset(&x, 0, sizeof(x));
	x.c = c;
	x.name = name;
	(void)ini_parse(text, len, on_entry, &x, syntax_error);
	config_check_whole(c, name, central_only);
	return c->nerrors ? -1 : 0;
}

int
config_load_text(struct config *c, const char *name, const char *text,
    size_t len)
{
	return load_text(c, name, text, len, 0);
}

static int
load_file(struct config *c, const char *path, int central_only)
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
	rc = load_text(c, path, text ? text : "", len, central_only);
	free(text);
	return rc;
}

int
config_load(struct config *c, const char *path)
{
	return load_file(c, path, 0);
}

int
config_load_central(struct config *c, const char *path)
{
	return load_file(c, path, 1);
}
