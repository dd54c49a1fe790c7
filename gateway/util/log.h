/*
 * log: one place that writes the daemon's log, to stderr in the foreground.
 * log_warn adds strerror(errno); log_warnx does not. Text that came from
 * outside (SMS, HTTP) goes through log_escape first: it is attacker-made.
 */
#ifndef KENTONGAN_LOG_H
#define KENTONGAN_LOG_H

#include <stddef.h>

void log_init(int verbose, const char *ident);
/* Whether -v is on: to skip building a debug line nobody will see. */
int log_debugging(void);
void log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void log_warnx(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "warning: ALARM: ..." (err in the journal): something a person must
 * act on; docs/panduan-operator.md lists every one. */
void log_alarm(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Copy len bytes of s into out as printable ASCII: \n, \xNN, cut at cap
 * with "..." so one SMS can never flood or forge a log line. */
const char *log_escape(const char *s, size_t len, char *out, size_t cap);

#endif
