/*
 * config: Kentongan's INI file, read once into a struct with every default
 * filled in. Every key lives in one table (config.c). Errors are collected
 * as "file:line: message" strings; nothing is printed here.
 * The [gammu], [gammu1], ... sections are only checked for known keys: the
 * modem worker hands them to libGammu's own reader. [kannel], [kannel1],
 * ... are bearers through Kannel's smsbox; a file may have either kind
 * or both.
 */
#ifndef KENTONGAN_CONFIG_H
#define KENTONGAN_CONFIG_H

#include <stddef.h>

#define CONFIG_MAX_MODEMS	8
#define CONFIG_MAX_ERRORS	64
#define CONFIG_PATH_MAX		1024
/* Entries of the key table in config.c; each section keeps the line each
 * key was set on, indexed by the table (0: not in the file). */
#define CONFIG_KEYS_MAX		96

struct modem_config {
	char section[32];	/* "gammu", "gammu1", ... */
	int gammu_index;	/* the N GSM_ReadConfig wants: 0 for [gammu] */
	int line;		/* of the section header, for errors */
	char device[CONFIG_PATH_MAX];
	char connection[64];
	char model[64];
	int delivery_reports;	/* request a status report on every send */
	int send_per_minute;	/* rate limit of this modem */
	/* routing and the credit check (docs/modems.md) */
	char op[32];		/* operator of the SIM: "" means from the network */
	char balance_ussd[32];	/* e.g. *888#; "" means no credit check */
	int balance_interval;	/* seconds between credit checks */
	int balance_threshold;	/* rupiah; under it the coordinators hear */
	int key_line[CONFIG_KEYS_MAX];
};

#define CONFIG_MAX_KANNELS	4

/* A [kannel], [kannel1], ... section: an smsbox reached over HTTP
 * (docs/kannel.md). */
struct kannel_config {
	char section[32];	/* "kannel", "kannel1", ... */
	int index;		/* 0 for [kannel], N for [kannelN] */
	int line;		/* of the section header, for errors */
	char sendsms_url[256];	/* http://host:port/cgi-bin/sendsms */
	char username[64];	/* the smsbox's sendsms-user */
	char password[128];
	char smsc[64];		/* smsc-id to send through; "" any */
	char from[32];		/* sender; "" the smsbox's default */
	char listen[64];	/* host:port Kannel calls: MO and DLR */
	char secret[128];	/* the key= Kannel passes back */
	int send_per_second;	/* rate limit of this bearer */
	int max_parts;		/* the sendsms-user's max-messages */
	int bulk;		/* broadcasts and reminders go here first */
	char op[32];		/* operator routed here; "" any */
	int key_line[CONFIG_KEYS_MAX];
};

#define CONFIG_MAX_REMINDERS	32

/* A [reminder NAME] section. */
struct reminder_config {
	char name[64];
	char schedule[128];	/* cron, in the configured timezone */
	char to[256];		/* roles, villages, kecamatan: a list */
	char text[480];		/* with {nama} {desa} {bulan} {bulan_lalu} */
	char only_if[64];	/* "", no_report_this_month or _last_month */
	enum only_if { ONLY_IF_ALWAYS, ONLY_IF_NO_REPORT_THIS_MONTH,
	    ONLY_IF_NO_REPORT_LAST_MONTH } only;	/* only_if, read */
	int line;
	int key_line[CONFIG_KEYS_MAX];
};

struct config {
	char path[CONFIG_PATH_MAX];

	/* [kentongan] */
	char database[CONFIG_PATH_MAX];
	char timezone[64];
	int receive_interval;	/* seconds between inbox scans */
	int multipart_timeout;	/* seconds before an incomplete SMS is processed */
	int send_max_tries;	/* then the outbox row is dead */
	int send_retry_base;	/* seconds; doubles per try */
	int modem_backoff_max;	/* seconds; reconnect backoff ceiling */
	int replies_per_hour;	/* automatic replies to an unregistered
				 * number per hour */
	int send_timeout;	/* seconds to wait for the modem's +CMGS */
	int command_timeout;	/* seconds for any other modem command */
	int local_error_pause;	/* seconds a modem stops sending on a local error */
	int create_database;	/* make a new database when none exists */
	int ack_timeout;	/* seconds a worker waits for the loop's deletes */
	/* Kemendagri code prefixes of the villages served, dotted and blank
	 * separated ("33.22 33.23.01"), "" for none: a village name that is
	 * not the sender's own is looked for here before everywhere */
	char area[256];
	int area_line;		/* of the key, for check-config */

	/* [ussd]: the aggregator's callback; on only when the section is */
	int ussd_enabled;
	char ussd_listen[64];	/* host:port */
	char ussd_path[128];
	char ussd_secret[128];
	char ussd_allow[512];	/* addresses, space- or comma-separated */
	int ussd_session_timeout;
	/* [admin]: health, status and metrics; never on the USSD port */
	int admin_enabled;
	char admin_listen[64];
	char admin_secret[128];	/* "" means none: loopback only */
	char admin_allow[512];
	int http_timeout;	/* seconds a slow client may take */
	/* [console]: the office's web pages; on only when the section is */
	int console_enabled;
	char console_listen[64];
	int console_secure_cookies;	/* the session cookie is Secure */
	int console_session_hours;	/* a session ends this long after login */
	int console_idle_minutes;	/* or after this long unused */

	int nmodems;
	struct modem_config modems[CONFIG_MAX_MODEMS];
	int nkannels;
	struct kannel_config kannels[CONFIG_MAX_KANNELS];

	/* the gateway speaks first: reminders, digest, sending policy */
	int reminder_grace;	/* seconds a missed reminder may still go */
	char quiet_hours[16];	/* "21:00-06:00" local; held until the end */
	int quiet_start, quiet_end;	/* minutes of the day, from quiet_hours */
	int hourly_budget;	/* initiated SMS per hour, all recipients */
	int daily_cap;		/* initiated SMS per recipient per day */
	char digest_time[8];	/* "17:00"; "" turns the digest off */
	int digest_minute;	/* minutes of the day, from digest_time */
	int digest_waiting_days;	/* tickets waiting longer are listed */
	int error_reply_minutes;	/* one reply per sender per error to
					 * the same text per N min */
	int same_text_max;	/* more of the same text an hour: no reply */
	int nreminders;
	struct reminder_config reminders[CONFIG_MAX_REMINDERS];

	/* [backup]: the daemon's daily copy of the database; none while
	 * dir is "" */
	char backup_dir[CONFIG_PATH_MAX];
	char backup_time[8];	/* "02:00" local */
	int backup_minute;	/* minutes of the day, from backup_time */
	int backup_keep;	/* the newest copies kept; older ones removed */
	int backup_line, backup_dir_line;

	/* [central]: this gateway's records pushed to the kabupaten's
	 * PostgreSQL (docs/central.md) */
	int central_enabled;
	char central_conninfo[512];	/* a libpq connection string */
	char central_site[64];		/* this gateway's name there */
	int central_interval;		/* seconds between pushes */
	int central_share_numbers;	/* no: numbers go as keyed hashes */
	int central_warn_after;		/* seconds without a push: warn */
	int central_line;

	/* where [kentongan], [ussd], [admin], [console] and each of their
	 * keys are */
	int kentongan_line, ussd_line, admin_line, console_line;
	int key_line[CONFIG_KEYS_MAX];

	int nerrors;
	char errors[CONFIG_MAX_ERRORS][256];
};

/* Fill c with defaults. */
void config_defaults(struct config *c);

/* Read path into c (defaults first). Returns 0, or -1 with c->errors set. */
int config_load(struct config *c, const char *path);
/* The same, checking only [central]: the kabupaten's commands read the
 * central database and nothing of a gateway's. */
int config_load_central(struct config *c, const char *path);

/* Add an error found by another module (e.g. a cron schedule) to the
 * list, as "file:line: message" ("file: message" when line is 0). */
void config_error(struct config *c, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The line key was set on in a [reminder] section, else the header's. */
int config_reminder_line(const struct reminder_config *r, const char *key);

/* Parse an in-memory file (tests); name is used in error messages. */
int config_load_text(struct config *c, const char *name, const char *text,
    size_t len);

#endif
