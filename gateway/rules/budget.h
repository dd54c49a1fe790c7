/*
 * budget: APBDES and PANTAU, the same whichever front end asks (SMS,
 * USSD, the CLI's announcement): amounts as people say them, an
 * observation stored and its activity's flag kept, and the SMS texts
 * that show a budget or an activity.
 */
#ifndef KENTONGAN_BUDGET_H
#define KENTONGAN_BUDGET_H

#include <stddef.h>

#include "store/store_budget.h"

/* Rupiah as people say them, three figures at most: "Rp1,24 M",
 * "Rp812 jt", "Rp750 rb", "Rp500". */
void budget_amount(long long rupiah, char *out, size_t cap);
/* How village desa (name: as people know it) is written in an SMS to
 * send: its name when one word (a second word would be read as the next
 * field), else its code without dots. */
void budget_sms_desa(const char *desa, const char *name, char *out,
    size_t cap);
/* A YYYY-MM-DD date as "d/m"; "?" when there is none. */
void budget_day(const char *iso, char *out, size_t cap);
/* "d/m" of a time, in the gateway's zone. */
void budget_day_of(long long t, char *out, size_t cap);

/*
 * Whether an activity is flagged (report kegiatan's selisih): villagers
 * report, and their median is PANTAU_SELISIH points or more from the
 * verified progress, or the verified progress is older than
 * PANTAU_WINDOW_DAYS (or, when there is none, the activity began that
 * long ago).
 */
int budget_selisih(const struct progres *, const struct kegiatan *,
    long long now);

/* An observation as a front end received it. */
struct budget_obs {
	const char *desa;	/* a village code */
	int tahun;
	const char *kode;	/* as the parser wrote it */
	const char *number;	/* E.164 */
	int persen;
	const char *catatan;
	long long message_id;	/* 0: none (USSD) */
	long long sent_at, now;
};

enum budget_obs_result { OBS_STORED, OBS_NO_BUDGET, OBS_NO_KEGIATAN };

/*
 * PANTAU: store o for its activity, as the verified progress when the
 * sender is a koordinator or a pendamping of the village (*resmi = 1),
 * else as a villager's observation, and set or clear the activity's flag.
 * k gets the activity. Returns the result, or -1 on a store error. In the
 * caller's transaction.
 */
int budget_observe(struct store *, const struct budget_obs *o,
    struct kegiatan *k, int *resmi);

/*
 * The flags time alone changes (villagers' reports past 60 days, a
 * verified progress growing old while villagers report): set or clear
 * each watched activity's as of now; once a day, before the digest counts
 * them. Returns how many changed, or -1. In the caller's transaction.
 */
int budget_recheck(struct store *, long long now);

/* The activities listed in one text: at most this many are read. */
#define BUDGET_LIST_MAX	64

/*
 * The SMS that answers APBDES desa (name: as the reply shows it) of
 * tahun: its totals and as many codes and short names as fit, or that
 * none was entered and which office to ask (kecamatan: its name). Returns
 * the length, or -1 on a store error.
 */
int budget_total_text(struct store *, const char *desa, const char *name,
    const char *kecamatan, int tahun, char *out, size_t cap);
/* Activity k's progress as of now, as every front end words it: the
 * verified one with its date, and villagers' (how many, their median).
 * 0 or -1. */
int budget_progres_text(struct store *, const struct kegiatan *k,
    long long now, char *resmi, size_t rcap, char *warga, size_t wcap);
/* A name cut short for a list (at most max bytes), at a word where one
 * ends early enough. */
void budget_short_name(const char *name, size_t max, char *out, size_t cap);
/* The SMS that shows activity k (APBDES desa kode) as of now. */
int budget_kegiatan_text(struct store *, const struct kegiatan *k,
    const char *name, long long now, char *out, size_t cap);
/* The SMS that answers a code desa does not have in tahun, listing the
 * codes it has; pantau: its example is a PANTAU, else an APBDES. */
int budget_unknown_text(struct store *, const char *desa, const char *name,
    int tahun, const char *kode, int pantau, char *out, size_t cap);

#endif
