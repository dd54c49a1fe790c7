/*
 * status: the one JSON document of modems and queues, rendered from the
 * rows the daemon writes to the store, for `kentongan status --format
 * json` and the admin /status alike (so they cannot drift apart). Needs
 * the store and libc only: no libevent, no CLI.
 */
#ifndef KENTONGAN_STATUS_H
#define KENTONGAN_STATUS_H

#include <stddef.h>

struct store;
struct modem_status;

/* A modem row older than this (seconds) was written by no running daemon. */
#define STATUS_STALE	90

/* Whether row m is too old to believe at now. */
int status_stale(const struct modem_status *m, long long now);

/* The document {"modems":[...],"queues":{...}} and a newline, in *out
 * (malloc'd, NUL-terminated; *len bytes). Returns 0, or -1 with the cause
 * in store_errmsg() (or ENOMEM). */
int status_json(struct store *, long long now, char **out, size_t *len);

#endif
