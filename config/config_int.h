/*
 * What config.c (the keys, the sections, the loading) shares with
 * config_check.c (the checks that need the whole file).
 */
#ifndef KENTONGAN_CONFIG_INT_H
#define KENTONGAN_CONFIG_INT_H

#include "config/config.h"

enum key_scope { S_KENTONGAN, S_MODEM, S_USSD, S_ADMIN, S_CONSOLE,
    S_REMINDER, S_BACKUP, S_KANNEL, S_CENTRAL };

/* Record one error as "file:line: message", or "file: message" for one
 * about the whole file (line 0). */
void add_error(struct config *, const char *name, int line,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* The line key of scope was set on (lines of its section), else
 * fallback. */
int line_of(const int *key_line, enum key_scope, const char *key,
    int fallback);
/* The line of a key of a plain section ([kentongan], [ussd], ...), else
 * of the section's header, else 0 (a default: the whole file). */
int conf_line(const struct config *, enum key_scope, const char *key);

/* config_values.c: why a value cannot be taken, or NULL (0: it can). */
int timezone_exists(const char *tz);
const char *weak_secret(const char *value);
/* The dotted code prefixes of an `area` value into out, one blank
 * between. */
const char *area_prefixes(const char *value, char *out, size_t cap);
const char *bad_allow(const char *value);

/* The checks that need the whole file, once it is read; central_only:
 * those of [central] alone (the kabupaten's report reads nothing else). */
void config_check_whole(struct config *, const char *name, int central_only);

#endif
