/*
 * ini: a line reader for Kentongan's INI file. Pure: reads a buffer, calls
 * back once per section header and key, and reports syntax errors with the
 * line. It knows nothing of which keys exist; config.c does.
 */
#ifndef KENTONGAN_INI_H
#define KENTONGAN_INI_H

#include <stddef.h>

#define INI_LINE_MAX 4096

/* section is "" before the first header; key is NULL for a header line. */
typedef int (*ini_handler)(void *arg, int line, const char *section,
    const char *key, const char *value);

/* Parse text; returns the number of syntax errors, each passed to err(). */
int ini_parse(const char *text, size_t len, ini_handler h, void *arg,
    void (*err)(void *arg, int line, const char *msg));

#endif
