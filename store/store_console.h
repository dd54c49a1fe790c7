/*
 * store_console: what the web console reads, one function per view. Each
 * page's queries are in a store/store_console_*.c of their own; rows come
 * back as text through export_row_fn (row 1 first, no header), so a page
 * never sees SQL.
 */
#ifndef KENTONGAN_STORE_CONSOLE_H
#define KENTONGAN_STORE_CONSOLE_H

#include "store/store.h"

/* ---- the day's overview (store_console.c) ---- */

struct console_today {
	long long tickets_new;		/* status baru */
	long long tickets_today;	/* opened since day_start */
	long long received_today;	/* SMS parts the modems took in */
	long long failed_out;		/* outbox failed or dead */
};
/* kec: a camat's kecamatan code ("" everything). */
int store_console_today(struct store *, long long day_start, const char *kec,
    struct console_today *);
/* The newest tickets in status baru: name, desa name, isi, created_at. */
int store_console_new_tickets(struct store *, const char *kec, int max,
    export_row_fn, void *arg);
/* Per record kind: kind, counted this month, counted last month (by the
 * time they came). */
int store_console_month_kinds(struct store *, long long month_start,
    long long last_month_start, const char *kec, export_row_fn, void *arg);

/* ---- contacts and meetings (store_console_kontak.c) ---- */

/* Contacts numbered after `after` ("" from the first), by number: number,
 * name, role, villages ("code name; ..."), opted_out, consent_at. q
 * matches the name (any case) or the number; role and desa ("" any)
 * filter. */
int store_console_contacts(struct store *, const char *q, const char *role,
    const char *desa, const char *after, int max, export_row_fn, void *arg);
/* Meetings from today on (upcoming) or before it, nearest first: id,
 * desa, desa name, tanggal, waktu, jenis, tempat, state, reason. */
int store_console_meetings(struct store *, const char *today, int upcoming,
    int max, export_row_fn, void *arg);

#endif
