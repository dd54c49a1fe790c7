/* APBDES and PANTAU for every front end (budget.h). */
#include "gateway/rules/budget.h"
#include "parser/parser.h"
#include "parser/reply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define V(n, v) { n, v }

void
budget_amount(long long rp, char *out, size_t cap)
{
	static const struct { long long unit; const char *name; } units[] = {
		{ 1000000000LL, " M" }, { 1000000LL, " jt" }, { 1000LL, " rb" },
	};
	long long p = 1, r, whole, frac;
	char dec[24];
	size_t i, n;

	if (rp < 0)
		rp = 0;
	/* round to three significant figures first: 999.6 jt is Rp1 M */
	for (r = rp; r >= 1000; r /= 10)
		p *= 10;
	r = (rp + p / 2) / p * p;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (r >= units[i].unit)
			break;
	if (i == sizeof(units) / sizeof(units[0])) {
		snprintf(out, cap, "Rp%lld", r);
		return;
	}
	whole = r / units[i].unit;
	frac = (r % units[i].unit) * 100 / units[i].unit;
	snprintf(dec, sizeof(dec), ",%02lld", frac);
	n = strlen(dec);
	while (n > 1 && dec[n - 1] == '0')
		dec[--n] = '\0';
	if (n == 1)
		dec[0] = '\0';
	if (whole >= 1000)	/* trillions: a kabupaten's total, not a village's */
		snprintf(out, cap, "Rp%lld.%03lld%s", whole / 1000, whole % 1000,
		    units[i].name);
	else
		snprintf(out, cap, "Rp%lld%s%s", whole, dec, units[i].name);
}

void
budget_day(const char *iso, char *out, size_t cap)
{
	struct pdate d;

	if (iso == NULL || parse_iso_date(iso, &d) != 0)
		snprintf(out, cap, "?");
	else
		snprintf(out, cap, "%d/%d", d.day, d.month);
}

void
budget_day_of(long long t, char *out, size_t cap)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (localtime_r(&tt, &tm) == NULL)
		snprintf(out, cap, "?");
	else
		snprintf(out, cap, "%d/%d", tm.tm_mday, tm.tm_mon + 1);
}

/* When an ISO date began, local midnight; 0 when there is none. */
static long long
day_start(const char *iso)
{
	struct pdate d;
	struct tm tm;

	if (parse_iso_date(iso, &d) != 0)
		return 0;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = d.year - 1900;
	tm.tm_mon = d.month - 1;
	tm.tm_mday = d.day;
	tm.tm_isdst = -1;
	return (long long)mktime(&tm);
}

int
budget_selisih(const struct progres *p, const struct kegiatan *k,
    long long now)
{
	long long window = (long long)PANTAU_WINDOW_DAYS * 86400, began;

	if (p->warga == 0)
		return 0;
	if (p->resmi >= 0)
		return abs(p->median - p->resmi) >= PANTAU_SELISIH ||
		    now - p->resmi_at > window;
	/* nobody verified yet: only once the work should long be under way */
	began = day_start(k->mulai);
	return began > 0 && now - began > window;
}

int
budget_observe(struct store *st, const struct budget_obs *o,
    struct kegiatan *k, int *resmi)
{
	struct contact c;
	struct pantau p;
	struct progres pr;
	int rc, known;

	if ((rc = store_kegiatan_get(st, o->desa, o->tahun, o->kode, k)) < 0)
		return -1;
	if (rc == 0) {
		if ((rc = store_kegiatan_of(st, o->desa, o->tahun, NULL, 0)) < 0)
			return -1;
		return rc == 0 ? OBS_NO_BUDGET : OBS_NO_KEGIATAN;
	}
	if ((known = store_contact_get(st, o->number, &c)) < 0)
		return -1;
	*resmi = 0;
	if (known && !strcmp(c.role, "koordinator"))
		*resmi = 1;
	else if (known && !strcmp(c.role, "pendamping") &&
	    (*resmi = store_contact_has_desa(st, o->number, o->desa)) < 0)
		return -1;
	memset(&p, 0, sizeof(p));
	p.kegiatan_id = k->id;
	p.message_id = o->message_id;
	p.number = o->number;
	p.resmi = *resmi;
	p.persen = o->persen;
	p.catatan = o->catatan;
	p.sent_at = o->sent_at;
	p.created_at = o->now;
	if (store_pantau_add(st, &p, NULL) != 0 ||
	    store_kegiatan_progres(st, k->id, o->now, &pr) != 0 ||
	    store_kegiatan_flag(st, k->id, budget_selisih(&pr, k, o->now),
	    o->now) != 0)
		return -1;
	return OBS_STORED;
}

int
budget_recheck(struct store *st, long long now)
{
	struct kegiatan k;
	struct progres p;
	long long *ids;
	int n, i, rc, flag, changed = 0;

	if ((n = store_kegiatan_watched(st, now -
	    (long long)PANTAU_WINDOW_DAYS * 86400, &ids)) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		if ((rc = store_kegiatan_by_id(st, ids[i], &k)) < 0 ||
		    (rc == 1 && store_kegiatan_progres(st, k.id, now, &p) != 0))
			break;
		if (rc == 0)
			continue;
		flag = budget_selisih(&p, &k, now);
		if (flag == (k.flagged_at != 0))
			continue;
		if (store_kegiatan_flag(st, k.id, flag, now) != 0)
			break;
		changed++;
	}
	free(ids);
	return i < n ? -1 : changed;
}

void
budget_sms_desa(const char *desa, const char *name, char *out, size_t cap)
{
	if (name[0] && strchr(name, ' ') == NULL)
		snprintf(out, cap, "%s", name);
	else if (strlen(desa) == 13)	/* 33.22.01.2005 */
		snprintf(out, cap, "%.2s%.2s%.2s%.4s", desa, desa + 3, desa + 6,
		    desa + 9);
	else	/* no village list: the name as typed, nothing better */
		snprintf(out, cap, "%s", desa);
}

void
budget_short_name(const char *name, size_t max, char *out, size_t cap)
{
	size_t n = strlen(name), cut;

	if (max >= cap)
		max = cap - 1;
	if (n <= max) {
		snprintf(out, cap, "%s", name);
		return;
	}
	for (cut = max; cut > max / 2 && name[cut] != ' '; cut--)
		;
	if (name[cut] != ' ')
		cut = max;
	while (cut > 0 && ((unsigned char)name[cut] & 0xc0) == 0x80)
		cut--;	/* never half a character */
	snprintf(out, cap, "%.*s", (int)cut, name);
}

/* The codes of k[0..n), with their short names when names is set,
 * k first ones. */
static void
code_list(const struct kegiatan *k, int n, int names, char *out, size_t cap)
{
	char one[64];
	size_t o = 0;
	int i;

	out[0] = '\0';
	for (i = 0; i < n && o < cap; i++) {
		if (names)
			budget_short_name(k[i].nama, 16, one, sizeof(one));
		o += (size_t)snprintf(out + o, cap - o, "%s%s%s%s",
		    i ? ", " : "", k[i].kode, names ? " " : "",
		    names ? one : "");
	}
}

/* Render id with the longest list of k that fits one SMS ({daftar});
 * ", dll" says when some were left out. */
static int
render_list(enum reply_id id, struct reply_var *v, size_t nv,
    const struct kegiatan *k, int n, int names, char *list, size_t lcap,
    char *out, size_t cap)
{
	int i, shown = n < BUDGET_LIST_MAX ? n : BUDGET_LIST_MAX;

	snprintf(list, lcap, "-");
	for (i = shown; i >= 1; i--) {
		code_list(k, i, names, list, lcap);
		if (i < n && strlen(list) + 6 < lcap)
			strcat(list, ", dll");
		if (reply_septets(id, v, nv) <= SMS_SEPTETS)
			break;
	}
	return reply_render(id, v, nv, out, cap);
}

/* The activities of desa in tahun (at most BUDGET_LIST_MAX): how many
 * there are, or -1. *k is malloc'd. */
static int
read_list(struct store *st, const char *desa, int tahun,
    struct kegiatan **k)
{
	int n;

	if ((*k = calloc(BUDGET_LIST_MAX, sizeof(**k))) == NULL)
		return -1;
	if ((n = store_kegiatan_of(st, desa, tahun, *k, BUDGET_LIST_MAX)) < 0) {
		free(*k);
		*k = NULL;
	}
	return n;
}

int
budget_total_text(struct store *st, const char *desa, const char *name,
    const char *kecamatan, int tahun, char *out, size_t cap)
{
	struct apbdes a;
	struct kegiatan *k;
	char th[8], pd[32], bl[32], dd[32], list[REPLY_MAX * 2], contoh[64];
	char ex[40];
	struct reply_var v[] = { V("desa", name), V("tahun", th),
	    V("pendapatan", pd), V("belanja", bl), V("dana_desa", dd),
	    V("daftar", list), V("contoh", contoh), V("kecamatan", kecamatan) };
	int rc, n;

	snprintf(th, sizeof(th), "%d", tahun);
	if ((rc = store_apbdes_get(st, desa, tahun, &a)) < 0 ||
	    (n = read_list(st, desa, tahun, &k)) < 0)
		return -1;
	if (rc == 0 && n == 0) {
		free(k);
		return reply_render(R_APBDES_NONE, v, 8, out, cap);
	}
	if (rc == 0)
		memset(&a, 0, sizeof(a));
	budget_amount(a.pendapatan, pd, sizeof(pd));
	budget_amount(a.belanja, bl, sizeof(bl));
	budget_amount(a.dana_desa, dd, sizeof(dd));
	budget_sms_desa(desa, name, ex, sizeof(ex));
	snprintf(contoh, sizeof(contoh), "APBDES %s %s", ex,
	    n > 0 ? k[0].kode : "K01");
	rc = render_list(R_APBDES_TOTAL, v, 8, k, n, 1, list, sizeof(list),
	    out, cap);
	free(k);
	return rc;
}

int
budget_progres_text(struct store *st, const struct kegiatan *k,
    long long now, char *resmi, size_t rcap, char *warga, size_t wcap)
{
	struct progres p;
	char pr[8], tgl[8], jml[16];
	struct reply_var v[] = { V("persen", pr), V("tanggal", tgl),
	    V("jumlah", jml) };

	if (store_kegiatan_progres(st, k->id, now, &p) != 0)
		return -1;
	snprintf(pr, sizeof(pr), "%d", p.resmi);
	budget_day_of(p.resmi_at, tgl, sizeof(tgl));
	if (reply_render(p.resmi >= 0 ? R_PROGRES_RESMI : R_PROGRES_RESMI_NONE,
	    v, 3, resmi, rcap) < 0)
		resmi[0] = '\0';
	snprintf(pr, sizeof(pr), "%d", p.median);
	snprintf(jml, sizeof(jml), "%d", p.warga);
	if (reply_render(p.warga > 0 ? R_PROGRES_WARGA : R_PROGRES_WARGA_NONE,
	    v, 3, warga, wcap) < 0)
		warga[0] = '\0';
	return 0;
}

int
budget_kegiatan_text(struct store *st, const struct kegiatan *k,
    const char *name, long long now, char *out, size_t cap)
{
	char ag[32], mulai[8], selesai[8], resmi[64], warga[64];
	struct reply_var v[] = { V("kegiatan", k->kode), V("nama", k->nama),
	    V("desa", name), V("anggaran", ag), V("sumber", k->sumber),
	    V("mulai", mulai), V("selesai", selesai), V("resmi", resmi),
	    V("warga", warga) };

	if (budget_progres_text(st, k, now, resmi, sizeof(resmi), warga,
	    sizeof(warga)) != 0)
		return -1;
	budget_amount(k->anggaran, ag, sizeof(ag));
	budget_day(k->mulai, mulai, sizeof(mulai));
	budget_day(k->selesai, selesai, sizeof(selesai));
	return reply_render(R_APBDES_KEGIATAN, v, 9, out, cap);
}

int
budget_unknown_text(struct store *st, const char *desa, const char *name,
    int tahun, const char *kode, int pantau, char *out, size_t cap)
{
	struct kegiatan *k;
	char th[8], list[REPLY_MAX * 2], contoh[80], ex[40];
	struct reply_var v[] = { V("kegiatan", kode), V("desa", name),
	    V("tahun", th), V("daftar", list), V("contoh", contoh) };
	int n, rc;

	snprintf(th, sizeof(th), "%d", tahun);
	if ((n = read_list(st, desa, tahun, &k)) < 0)
		return -1;
	budget_sms_desa(desa, name, ex, sizeof(ex));
	snprintf(contoh, sizeof(contoh), pantau ? "PANTAU %s %s 50 catatan" :
	    "APBDES %s %s", ex, n > 0 ? k[0].kode : "K01");
	rc = render_list(R_KEGIATAN_UNKNOWN, v, 5, k, n, 0, list, sizeof(list),
	    out, cap);
	free(k);
	return rc;
}
