/* budget: amounts as people say them, the flag rule, and an observation
 * stored and read back (the median of each number's latest) in a real
 * SQLite file. */
#include "gateway/rules/budget.h"
#include "store/store_budget.h"
#include "tests/testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define DAY	86400LL

static const char *
amount(long long rp)
{
	static char out[32];

	budget_amount(rp, out, sizeof(out));
	return out;
}

static void
test_amount(void)
{
	CHECK_STR(amount(1240000000LL), "Rp1,24 M");
	CHECK_STR(amount(1243999999LL), "Rp1,24 M");
	CHECK_STR(amount(1245000000LL), "Rp1,25 M");	/* rounds, not cuts */
	CHECK_STR(amount(1000000000LL), "Rp1 M");
	CHECK_STR(amount(1200000000LL), "Rp1,2 M");
	CHECK_STR(amount(812000000LL), "Rp812 jt");
	CHECK_STR(amount(812345678LL), "Rp812 jt");
	CHECK_STR(amount(999600000LL), "Rp1 M");	/* not "Rp1000 jt" */
	CHECK_STR(amount(81250000LL), "Rp81,3 jt");
	CHECK_STR(amount(8125000LL), "Rp8,13 jt");
	CHECK_STR(amount(750000LL), "Rp750 rb");
	CHECK_STR(amount(999999LL), "Rp1 jt");
	CHECK_STR(amount(1500LL), "Rp1,5 rb");
	CHECK_STR(amount(500LL), "Rp500");
	CHECK_STR(amount(0LL), "Rp0");
	CHECK_STR(amount(12300000000LL), "Rp12,3 M");
	CHECK_STR(amount(1230000000000LL), "Rp1.230 M");
}

static void
test_selisih(void)
{
	struct kegiatan k;
	struct progres p;
	long long now = 1780000000LL;

	memset(&k, 0, sizeof(k));
	/* nobody reported: never flagged */
	p = (struct progres){ 40, now - DAY, 0, -1 };
	CHECK_INT(budget_selisih(&p, &k, now), 0);
	/* villagers 29 points off: not yet; 30: flagged, either way */
	p = (struct progres){ 40, now - DAY, 3, 11 };
	CHECK_INT(budget_selisih(&p, &k, now), 0);
	p.median = 10;
	CHECK_INT(budget_selisih(&p, &k, now), 1);
	p.median = 70;
	CHECK_INT(budget_selisih(&p, &k, now), 1);
	/* agreeing, but the verified one is over 60 days old */
	p = (struct progres){ 40, now - 61 * DAY, 2, 45 };
	CHECK_INT(budget_selisih(&p, &k, now), 1);
	p.resmi_at = now - 59 * DAY;
	CHECK_INT(budget_selisih(&p, &k, now), 0);
	/* nothing verified: only once the work should be long under way */
	p = (struct progres){ -1, 0, 2, 10 };
	CHECK_INT(budget_selisih(&p, &k, now), 0);	/* no start date */
	snprintf(k.mulai, sizeof(k.mulai), "2020-01-01");
	CHECK_INT(budget_selisih(&p, &k, now), 1);
	snprintf(k.mulai, sizeof(k.mulai), "2099-01-01");
	CHECK_INT(budget_selisih(&p, &k, now), 0);
}

/* Add an observation of k from number at t. */
static int
observe(struct store *st, const char *number, int persen, long long t,
    struct kegiatan *k, int *resmi)
{
	struct budget_obs o = { "33.22.01.2005", 2026, "K01", number, persen,
	    "", 0, t, t };

	return budget_observe(st, &o, k, resmi);
}

static void
test_store(const char *path)
{
	struct store *st;
	struct apbdes a = { "33.22.01.2005", 2026, 1240000000LL, 1200000000LL,
	    812000000LL }, got;
	struct kegiatan k, list[4];
	struct contact c;
	struct progres p;
	const char *codes[] = { "33.22.01.2005" };
	char err[256];
	long long t = 1780000000LL;
	int resmi = -1, i;

	unlink(path);
	st = store_open(path, STORE_CREATE, err, sizeof(err));
	CHECK(st != NULL, "open: %s", err);
	if (st == NULL)
		return;
	CHECK_INT(store_apbdes_put(st, &a, t), 0);
	a.belanja = 1210000000LL;
	CHECK_INT(store_apbdes_put(st, &a, t), 0);	/* again: updates */
	CHECK_INT(store_apbdes_get(st, "33.22.01.2005", 2026, &got), 1);
	CHECK_INT(got.belanja, 1210000000LL);
	CHECK_INT(store_apbdes_get(st, "33.22.01.2005", 2025, &got), 0);
	/* K10 after K2: codes in the order people read them */
	memset(&k, 0, sizeof(k));
	snprintf(k.desa, sizeof(k.desa), "33.22.01.2005");
	k.tahun = 2026;
	k.anggaran = 150000000LL;
	snprintf(k.sumber, sizeof(k.sumber), "DD");
	snprintf(k.nama, sizeof(k.nama), "Rabat beton jalan dusun 2");
	for (i = 0; i < 3; i++) {
		snprintf(k.kode, sizeof(k.kode), "%s", (const char *[]){ "K10",
		    "K2", "K01" }[i]);
		CHECK_INT(store_kegiatan_put(st, &k, t), 0);
	}
	CHECK_INT(store_kegiatan_of(st, "33.22.01.2005", 2026, list, 4), 3);
	CHECK_STR(list[0].kode, "K01");
	CHECK_STR(list[1].kode, "K2");
	CHECK_STR(list[2].kode, "K10");
	CHECK_INT(store_kegiatan_of(st, "33.22.01.2005", 2026, list, 1), 3);
	/* K1 finds K01, k2 nothing (the parser upper-cases), K010 K10 */
	CHECK_INT(store_kegiatan_get(st, "33.22.01.2005", 2026, "K1", &k), 1);
	CHECK_STR(k.kode, "K01");
	CHECK_INT(store_kegiatan_get(st, "33.22.01.2005", 2026, "K02", &k), 1);
	CHECK_STR(k.kode, "K2");
	CHECK_INT(store_kegiatan_get(st, "33.22.01.2005", 2026, "K010", &k), 1);
	CHECK_STR(k.kode, "K10");
	CHECK_INT(store_kegiatan_get(st, "33.22.01.2005", 2026, "K3", &k), 0);
	CHECK_INT(store_kegiatan_get(st, "33.22.01.2005", 2026, "P01", &k), 0);
	CHECK_INT(store_kegiatan_get(st, "33.22.01.2005", 2026, "K", &k), 0);

	/* an unknown code, a village without a budget */
	CHECK_INT(observe(st, "+62811", 40, t, &k, &resmi), OBS_STORED);
	CHECK_INT(resmi, 0);	/* a stranger: an observation */
	{
		struct budget_obs o = { "33.22.01.2005", 2026, "K99", "+62811",
		    40, "", 0, t, t };

		CHECK_INT(budget_observe(st, &o, &k, &resmi), OBS_NO_KEGIATAN);
		o.desa = "33.22.01.2006";
		o.kode = "K01";
		CHECK_INT(budget_observe(st, &o, &k, &resmi), OBS_NO_BUDGET);
	}
	/* the same number again replaces its earlier one in the median */
	CHECK_INT(observe(st, "+62811", 10, t + 60, &k, &resmi), OBS_STORED);
	CHECK_INT(observe(st, "+62812", 20, t + 60, &k, &resmi), OBS_STORED);
	CHECK_INT(store_kegiatan_progres(st, k.id, t + 120, &p), 0);
	CHECK_INT(p.warga, 2);
	CHECK_INT(p.median, 15);
	CHECK_INT(p.resmi, -1);
	CHECK_INT(observe(st, "+62813", 90, t + 60, &k, &resmi), OBS_STORED);
	CHECK_INT(store_kegiatan_progres(st, k.id, t + 120, &p), 0);
	CHECK_INT(p.median, 20);
	/* older than 60 days: no longer counted */
	CHECK_INT(store_kegiatan_progres(st, k.id, t + 61 * DAY, &p), 0);
	CHECK_INT(p.warga, 0);
	CHECK_INT(p.median, -1);

	/* the village's pendamping: the verified progress; the flag */
	memset(&c, 0, sizeof(c));
	snprintf(c.number, sizeof(c.number), "+62899");
	snprintf(c.number_raw, sizeof(c.number_raw), "+62899");
	snprintf(c.role, sizeof(c.role), "pendamping");
	CHECK_INT(store_contact_put(st, &c, t), 0);
	CHECK_INT(observe(st, "+62899", 60, t + 100, &k, &resmi), OBS_STORED);
	CHECK_INT(resmi, 0);	/* not assigned this village */
	CHECK_INT(store_contact_set_desa(st, "+62899", codes, 1), 0);
	CHECK_INT(observe(st, "+62899", 60, t + 200, &k, &resmi), OBS_STORED);
	CHECK_INT(resmi, 1);
	CHECK_INT(store_kegiatan_progres(st, k.id, t + 300, &p), 0);
	CHECK_INT(p.resmi, 60);
	CHECK_INT(p.resmi_at, t + 200);
	/* villagers: 10, 20, 60(unassigned pendamping), 90 -> 40 */
	CHECK_INT(p.warga, 4);
	CHECK_INT(p.median, 40);
	CHECK_INT(store_kegiatan_get(st, "33.22.01.2005", 2026, "K01", &k), 1);
	CHECK_INT(k.flagged_at, 0);
	/* villagers at 5%: the first makes the median 20, 40 off: flagged
	 * then, and the flag keeps that time while it stands */
	CHECK_INT(observe(st, "+62821", 5, t + 400, &k, &resmi), OBS_STORED);
	CHECK_INT(observe(st, "+62822", 5, t + 500, &k, &resmi), OBS_STORED);
	CHECK_INT(observe(st, "+62823", 5, t + 600, &k, &resmi), OBS_STORED);
	CHECK_INT(store_kegiatan_get(st, "33.22.01.2005", 2026, "K01", &k), 1);
	CHECK_INT(k.flagged_at, t + 400);
	{
		struct digest_figures f;

		CHECK_INT(store_digest(st, t, t + DAY, t, &f), 0);
		CHECK_INT(f.flagged, 1);
		CHECK_INT(store_digest(st, t + 401, t + DAY, t, &f), 0);
		CHECK_INT(f.flagged, 0);
	}
	/* verified again, close to them: cleared */
	CHECK_INT(observe(st, "+62899", 10, t + 700, &k, &resmi), OBS_STORED);
	CHECK_INT(store_kegiatan_get(st, "33.22.01.2005", 2026, "K01", &k), 1);
	CHECK_INT(k.flagged_at, 0);
	/* time alone: 61 days on, the verified 10% is old while a villager
	 * reported within the window: flagged by the daily re-check */
	CHECK_INT(budget_recheck(st, t + 700), 0);
	CHECK_INT(observe(st, "+62821", 10, t + 30 * DAY, &k, &resmi),
	    OBS_STORED);
	CHECK_INT(budget_recheck(st, t + 61 * DAY), 1);
	CHECK_INT(store_kegiatan_get(st, "33.22.01.2005", 2026, "K01", &k), 1);
	CHECK_INT(k.flagged_at, t + 61 * DAY);
	CHECK_INT(budget_recheck(st, t + 62 * DAY), 0);	/* stands: kept */
	/* 91 days on the villager's report is past the window: cleared */
	CHECK_INT(budget_recheck(st, t + 91 * DAY), 1);
	CHECK_INT(store_kegiatan_get(st, "33.22.01.2005", 2026, "K01", &k), 1);
	CHECK_INT(k.flagged_at, 0);
	store_close(st);
}

int
main(void)
{
	char path[128];

	setenv("TZ", "Asia/Jakarta", 1);
	tzset();
	snprintf(path, sizeof(path), "/tmp/kentongan-test-budget-%d.db",
	    (int)getpid());
	test_amount();
	test_selisih();
	test_store(path);
	unlink(path);
	{
		char p2[160];

		snprintf(p2, sizeof(p2), "%s-wal", path);
		unlink(p2);
		snprintf(p2, sizeof(p2), "%s-shm", path);
		unlink(p2);
	}
	return test_summary("unit-budget");
}
