#include "gateway/util/log.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static int log_verbose;
static const char *log_ident = "kentongan";

void
log_init(int verbose, const char *ident)
{
	log_verbose = verbose;
	if (ident != NULL)
		log_ident = ident;
}

/* Write one line: time, ident, level, message. */
static void
vlog(const char *level, const char *fmt, va_list ap, int with_errno)
{
	char msg[1024], ts[32];
	int saved = errno;
	time_t now = time(NULL);
	struct tm tm;

	vsnprintf(msg, sizeof(msg), fmt, ap);
	localtime_r(&now, &tm);
	strftime(ts, sizeof(ts), "%Y-%m-%d %H:%M:%S", &tm);
	if (with_errno)
		fprintf(stderr, "%s %s[%d] %s: %s: %s\n", ts, log_ident,
		    (int)getpid(), level, msg, strerror(saved));
	else
		fprintf(stderr, "%s %s[%d] %s: %s\n", ts, log_ident,
		    (int)getpid(), level, msg);
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
	vlog("info", fmt, ap, 0);
	va_end(ap);
}

void
log_debug(const char *fmt, ...)
{
	va_list ap;

	if (!log_verbose)
		return;
	va_start(ap, fmt);
	vlog("debug", fmt, ap, 0);
	va_end(ap);
}

void
log_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("warning", fmt, ap, 1);
	va_end(ap);
}

void
log_warnx(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vlog("warning", fmt, ap, 0);
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
