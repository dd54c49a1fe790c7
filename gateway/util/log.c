#include "gateway/util/log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* syslog(3)'s priorities, as the journal reads them from "<N>" */
#define PRI_ERR		3
#define PRI_WARNING	4
#define PRI_INFO	6
#define PRI_DEBUG	7

static int log_verbose;
static int log_journal;
static const char *log_ident = "kentongan";

/* Whether stderr is the journal's stream: systemd sets JOURNAL_STREAM to
 * its "device:inode", which a redirected stderr no longer matches. */
static int
stderr_is_journal(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	if (js == NULL || sscanf(js, "%llu:%llu", &dev, &ino) != 2 ||
	    fstat(STDERR_FILENO, &st) != 0)
		return 0;
	return (unsigned long long)st.st_dev == dev &&
	    (unsigned long long)st.st_ino == ino;
}

void
log_init(int verbose, const char *ident)
{
	log_verbose = verbose;
	if (ident != NULL)
		log_ident = ident;
	log_journal = stderr_is_journal();
}

/* Write one line: time, ident, level, message. In the journal, "<N>"
 * and the level, message: it keeps the time, name and pid itself, and
 * `journalctl -p warning` then shows the warnings and the alarms. */
static void
vlog(int pri, const char *level, const char *fmt, va_list ap,
    int with_errno)
{
	char msg[1024], ts[32], head[96];
	int saved = errno;
	time_t now = time(NULL);
	struct tm tm;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (log_journal)
		snprintf(head, sizeof(head), "<%d>%s", pri, level);
	else {
		localtime_r(&now, &tm);
		strftime(ts, sizeof(ts), "%Y-%m-%d %H:%M:%S", &tm);
		snprintf(head, sizeof(head), "%s %s[%d] %s", ts, log_ident,
		    (int)getpid(), level);
	}
	if (with_errno)
		fprintf(stderr, "%s: %s: %s\n", head, msg, strerror(saved));
	else
		fprintf(stderr, "%s: %s\n", head, msg);
	errno = saved;
}

int
log_debugging(void)
{
	return log_verbose;
}

void
log_info(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(PRI_INFO, "info", fmt, ap, 0);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (!log_verbose)
		return;
	va_start(ap, fmt);
	vlog(PRI_DEBUG, "debug", fmt, ap, 0);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(PRI_WARNING, "warning", fmt, ap, 1);
	va_end(ap);
}

/* An ALARM needs a person: the journal's err, above the warnings. */
void
log_alarm(const char *fmt, ...)
{
	char f[512];
	va_list ap;

	snprintf(f, sizeof(f), "ALARM: %s", fmt);
	va_start(ap, fmt);
	vlog(PRI_ERR, "warning", f, ap, 0);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog(PRI_WARNING, "warning", fmt, ap, 0);
	va_end(ap);
}

const char *
log_escape(const char *s, size_t len, char *out, size_t cap)
{
	size_t i, o = 0;

	if (cap < 8) {
		if (cap)
			out[0] = '\0';
		return out;
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		char tmp[5];
		size_t n;

		if (c == '\n')
			n = (size_t)snprintf(tmp, sizeof(tmp), "\\n");
		else if (c == '\\')
			n = (size_t)snprintf(tmp, sizeof(tmp), "\\\\");
		else if (c < 0x20 || c >= 0x7f)
			n = (size_t)snprintf(tmp, sizeof(tmp), "\\x%02x", c);
		else {
			tmp[0] = (char)c;
			tmp[1] = '\0';
			n = 1;
		}
		if (o + n + 4 > cap) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		memcpy(out + o, tmp, n);
		o += n;
	}
	out[o] = '\0';
	return out;
}
