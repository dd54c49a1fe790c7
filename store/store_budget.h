/*
 * store_budget: the village budget (APBDes) the office enters, its
 * activities (kegiatan), and what people report of their progress
 * (PANTAU): the verified progress from the village's pendamping or a
 * koordinator, and villagers' observations. Every observation is kept;
 * the figures are read from them.
 */
#ifndef KENTONGAN_STORE_BUDGET_H
#define KENTONGAN_STORE_BUDGET_H

#include "store/store.h"

/* A village's budget totals of one year, rupiah. */
struct apbdes {
	char desa[16];		/* 33.22.01.2005 */
	int tahun;
	long long pendapatan, belanja, dana_desa;
};

/* One activity of a village's budget. */
struct kegiatan {
	long long id;
	char desa[16];
	int tahun;
	char kode[16];		/* "K01", as the parser writes it */
	char nama[128];
	long long anggaran;	/* rupiah */
	char sumber[32];	/* DD, ADD, PADes, ... */
	char mulai[11];		/* YYYY-MM-DD, "" when not planned */
	char selesai[11];
	long long flagged_at;	/* when its selisih began; 0 while none */
};

/* One PANTAU, by SMS or USSD. */
struct pantau {
	long long kegiatan_id;
	long long message_id;	/* 0 when none (a USSD session's) */
	const char *number;
	int resmi;		/* 1: the verified progress */
	int persen;
	const char *catatan;
	long long sent_at;	/* when the sender sent it */
	long long created_at;
};

/* The days a villager's observation counts, and after which a verified
 * progress is old while villagers keep reporting. */
#define PANTAU_WINDOW_DAYS	60
/* How far villagers and the verified progress may differ before the
 * activity is flagged (report kegiatan's selisih). */
#define PANTAU_SELISIH		30

/* What is known of an activity's progress at a time. */
struct progres {
	int resmi;		/* the latest verified progress, -1 if none */
	long long resmi_at;	/* when it was sent */
	int warga;		/* numbers whose latest observation counts */
	int median;		/* their median (halves round up), -1 if none */
};

/* Insert or update a year's totals. 0 or -1. */
int store_apbdes_put(struct store *, const struct apbdes *, long long now);
/* The totals of desa in tahun: 1 found, 0 none, -1 on error. */
int store_apbdes_get(struct store *, const char *desa, int tahun,
    struct apbdes *);

/* Insert or update an activity (by desa, tahun, kode). 0 or -1. */
int store_kegiatan_put(struct store *, const struct kegiatan *,
    long long now);
/* The activity kode of desa in tahun: 1 found, 0 none, -1 on error. */
int store_kegiatan_get(struct store *, const char *desa, int tahun,
    const char *kode, struct kegiatan *);
/* The activities of desa in tahun in code order (K2 before K10), at most
 * max into out; returns how many there are in all, or -1. */
int store_kegiatan_of(struct store *, const char *desa, int tahun,
    struct kegiatan *out, int max);

/* Store an observation. 0 or -1. */
int store_pantau_add(struct store *, const struct pantau *, long long *id);
/* The progress of activity id as of now. 0 or -1. */
int store_kegiatan_progres(struct store *, long long id, long long now,
    struct progres *);
/* Set (flagged 1) or clear activity id's flag; a flag standing keeps its
 * first time. 0 or -1. */
int store_kegiatan_flag(struct store *, long long id, int flagged,
    long long now);

/* The activities whose flag may change with time alone: those flagged,
 * and those villagers reported on since since. *ids is malloc'd (the
 * caller frees it). Returns how many, or -1. */
int store_kegiatan_watched(struct store *, long long since, long long **ids);
/* Activity id: 1 found (k filled), 0 none, -1 on error. */
int store_kegiatan_by_id(struct store *, long long id, struct kegiatan *k);

/* Filters for the lists and the report; NULL or 0: any. */
struct kegiatan_filter {
	const char *desa;	/* a code */
	const char *kecamatan;	/* a code, 33.22.01 */
	int tahun;
	int flagged_only;
};
/* fn(arg, &k, desa's name, kecamatan's name) for each activity that
 * passes f, by kecamatan, village and code; fn returns nonzero to stop.
 * Returns how many were passed, or -1. */
typedef int (*kegiatan_fn)(void *arg, const struct kegiatan *,
    const char *desa_name, const char *kecamatan);
int store_kegiatan_each(struct store *, const struct kegiatan_filter *,
    kegiatan_fn, void *arg);

#endif
