/* ussd_menu: every screen fits, and the walks do what the menu says. */
#include "gateway/ussd/ussd_menu.h"
#include "tests/testlib.h"

#include <stdio.h>
#include <string.h>

/* A fake store: two villages, consultations in one, one ticket. */
static int submits, nperdes = 2, long_values;

static int
f_resolve(void *arg, const char *typed, struct ussd_village *out, int max)
{
	static const struct ussd_village candirejo[] = {
		{ "33.22.06.2006", "Candirejo", "Tuntang" },
		{ "33.22.15.2008", "Candirejo", "Pringapus" },
		{ "33.22.18.1006", "Candirejo", "Ungaran Barat" },
	};
	int i;

	(void)arg;
	if (!strcmp(typed, "3322182002") || !strcasecmp(typed, "kalisidi")) {
		snprintf(out[0].code, sizeof(out[0].code), "33.22.18.2002");
		snprintf(out[0].name, sizeof(out[0].name), "%s", long_values ?
		    "Desa Dengan Nama Yang Sangat Panjang Sekali Ya" : "Kalisidi");
		return 1;
	}
	if (!strcasecmp(typed, "candirejo")) {
		for (i = 0; i < 3 && i < max; i++)
			out[i] = candirejo[i];
		return 3;
	}
	return 0;
}

static int
f_open(void *arg, const char *desa, struct ussd_item *it, int max)
{
	int i, n = strcmp(desa, "33.22.18.2002") ? 0 : nperdes;

	(void)arg;
	for (i = 0; i < n && i < max; i++) {
		snprintf(it[i].code, sizeof(it[i].code), "PD0%d", i + 1);
		snprintf(it[i].title, sizeof(it[i].title), "%s", long_values ?
		    "Perdes tentang pengelolaan sampah rumah tangga dan pasar desa"
		    : "Sampah");
	}
	return n < max ? n : max;
}

static int
f_status(void *arg, const char *t, char *out, size_t cap)
{
	(void)arg;
	snprintf(out, cap, "Tiket %s: diproses.", t);
	return 0;
}

static int
f_meetings(void *arg, const char *desa, char *out, size_t cap)
{
	(void)arg;
	snprintf(out, cap, "%s", long_values ?
	    "12/12 09:00 RKP Balai Desa Kalisidi lantai dua\n"
	    "19/12 09:00 APB Balai Desa Kalisidi lantai dua\n"
	    "26/12 09:00 PERDES Balai Desa Kalisidi lantai dua" :
	    strcmp(desa, "33.22.18.2002") ? "Belum ada jadwal musyawarah." :
	    "12/12 09:00 RKP Balai Desa");
	return 0;
}

static int
f_submit(void *arg, enum ussd_action a, struct ussd_ctx *ctx)
{
	(void)arg;
	submits++;
	snprintf(ctx->tiket, sizeof(ctx->tiket), "%s-%d",
	    a == USSD_ADUAN ? "ADU" : "ASP", long_values ? 99999 : 7);
	return 0;
}

/* Kalisidi's budget: five activities (K1..K5), none elsewhere. */
static int
f_kegiatan_list(void *arg, const char *desa, struct ussd_ctx *ctx,
    struct ussd_item *it, int max)
{
	int i, n = strcmp(desa, "33.22.18.2002") ? 0 : 5;

	(void)arg;
	snprintf(ctx->tahun, sizeof(ctx->tahun), "2026");
	snprintf(ctx->pendapatan, sizeof(ctx->pendapatan), "%s",
	    long_values ? "Rp81,3 jt" : "Rp1,24 M");
	snprintf(ctx->belanja, sizeof(ctx->belanja), "%s",
	    long_values ? "Rp81,3 jt" : "Rp1,2 M");
	snprintf(ctx->dana_desa, sizeof(ctx->dana_desa), "%s",
	    long_values ? "Rp81,3 jt" : "Rp812 jt");
	for (i = 0; i < n && i < max; i++) {
		snprintf(it[i].code, sizeof(it[i].code), "%s%d",
		    long_values ? "KGT" : "K", i + 1);
		/* the op cuts names to 12 */
		snprintf(it[i].title, sizeof(it[i].title), "%s",
		    long_values ? "Pembangunan" : "Jalan");
	}
	return n;
}

/* K1..K5 of Kalisidi exist ("K5" is reachable only by its code). */
static int
f_kegiatan_detail(void *arg, struct ussd_ctx *ctx)
{
	(void)arg;
	if (strcmp(ctx->desa, "33.22.18.2002") || strlen(ctx->kegiatan) < 2 ||
	    strchr("12345", ctx->kegiatan[strlen(ctx->kegiatan) - 1]) == NULL)
		return 0;
	/* the op cuts names to 32 */
	snprintf(ctx->nama, sizeof(ctx->nama), "%s", long_values ?
	    "Pembangunan rabat beton jalan" : "Jalan dusun 2");
	snprintf(ctx->anggaran, sizeof(ctx->anggaran), "Rp81,3 jt");
	snprintf(ctx->sumber, sizeof(ctx->sumber), "%s", long_values ?
	    "PADes+Bankeu" : "DD");
	snprintf(ctx->mulai, sizeof(ctx->mulai), "%s", long_values ? "30/12" :
	    "1/3");
	snprintf(ctx->selesai, sizeof(ctx->selesai), "30/12");
	snprintf(ctx->resmi, sizeof(ctx->resmi), "%s", long_values ?
	    "100% (30/12)" : "40% (12/5)");
	snprintf(ctx->warga, sizeof(ctx->warga), "%s", long_values ?
	    "1234 laporan, median 100%" : "3 laporan, median 35%");
	return 1;
}

static const struct ussd_ops ops = { NULL, f_resolve, f_open, f_status,
    f_meetings, f_submit, f_kegiatan_list, f_kegiatan_detail };
static struct ussd_caller anon = { "+6285700000001", "", "", NULL, NULL };
static struct ussd_caller warga = { "+6285700000002", "33.22.18.2002",
    "Kalisidi", NULL, NULL };

/* Characters (not bytes) of a UTF-8 string. */
static int
chars(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static char out[1024];
static enum ussd_action act;

static const char *
say(struct ussd_caller *c, const char *text)
{
	CHECK(ussd_respond(&ops, c, text, out, sizeof(out), &act) > 0,
	    "respond %s", text);
	CHECK(chars(out) <= USSD_SCREEN_MAX, "screen %s is %d chars", text,
	    chars(out));
	return out;
}

#define HAS(s, sub) CHECK(strstr((s), (sub)) != NULL, "%s lacks %s", (s), (sub))

/* The text the last submit carried, and what it said of it. */
static struct ussd_ctx last;

static int
f_submit_keep(void *arg, enum ussd_action a, struct ussd_ctx *ctx)
{
	f_submit(arg, a, ctx);
	ctx->no_sms = long_values;	/* reused: the SMS limit was reached */
	last = *ctx;
	return 0;
}

static const struct ussd_ops keep_ops = { NULL, f_resolve, f_open,
    f_status, f_meetings, f_submit_keep, f_kegiatan_list,
    f_kegiatan_detail };

/* A free-text answer is everything after the menu path, '*' included;
 * one too long is cut on a character and the end screen says so. */
static void
test_free_text(void)
{
	static const struct ussd_ops keep = { NULL, f_resolve, f_open,
	    f_status, f_meetings, f_submit_keep, f_kegiatan_list,
	    f_kegiatan_detail };
	char path[1200], isi[700];
	size_t i, n;

	CHECK(ussd_respond(&keep, &anon, "2*kalisidi*Lampu mati*jalan * gelap",
	    out, sizeof(out), &act) > 0, "star");
	CHECK_STR(last.isi, "Lampu mati*jalan * gelap");
	HAS(out, "Konfirmasi dikirim lewat SMS");
	CHECK(strstr(out, "dipotong") == NULL, "not cut: %s", out);
	CHECK(ussd_respond(&keep, &warga, "1*2*usul*2*3", out, sizeof(out),
	    &act) > 0 && act == USSD_ASPIRASI, "star in an aspiration");
	CHECK_STR(last.isi, "usul*2*3");
	/* navigation and empty answers still count on a text screen */
	HAS(say(&anon, "2*kalisidi*0*kalisidi"), "Aduan untuk Kalisidi");
	HAS(say(&anon, "2*kalisidi*00*2"), "Ketik kode desa");
	HAS(say(&anon, "2*kalisidi* *"), "Jawaban kosong");
	CHECK(ussd_respond(&keep, &anon, "2*kalisidi* *lagi*ya", out,
	    sizeof(out), &act) > 0 && act == USSD_ADUAN, "after an empty one");
	CHECK_STR(last.isi, "lagi*ya");
	/* 600 bytes of two-byte characters: cut to 510, and said */
	n = (size_t)snprintf(path, sizeof(path), "2*kalisidi*");
	for (i = 0; i < 300; i++)
		n += (size_t)snprintf(path + n, sizeof(path) - n, "\xc3\xa9");
	CHECK(ussd_respond(&keep, &anon, path, out, sizeof(out), &act) > 0,
	    "long text");
	CHECK_INT((long long)strlen(last.isi), 510);
	CHECK(last.isi_cut, "flagged as cut");
	HAS(out, "Isi terlalu panjang, dipotong.");
	CHECK(chars(out) <= USSD_SCREEN_MAX, "fits: %d", chars(out));
	for (i = 0; i < 255; i++)
		memcpy(isi + 2 * i, "\xc3\xa9", 2);
	isi[510] = '\0';
	CHECK_STR(last.isi, isi);
	/* exactly 511 bytes fit whole */
	path[11 + 511] = '\0';
	path[11 + 510] = 'x';
	CHECK(ussd_respond(&keep, &anon, path, out, sizeof(out), &act) > 0 &&
	    !last.isi_cut && strlen(last.isi) == 511, "511 bytes kept");
	/* no SMS confirmation: the screen does not promise one */
	long_values = 1;
	CHECK(ussd_respond(&keep, &warga, "1*2*usul", out, sizeof(out),
	    &act) > 0, "no SMS");
	long_values = 0;
	HAS(out, "SMS konfirmasi tidak dikirim");
	CHECK(strstr(out, "Konfirmasi dikirim") == NULL, "%s", out);
	/* the longest end screen still fits: cut, no SMS, long values */
	n = (size_t)snprintf(path, sizeof(path), "1*1*");
	for (i = 0; i < 300; i++)
		n += (size_t)snprintf(path + n, sizeof(path) - n, "\xc3\xa9");
	long_values = 1;
	CHECK(ussd_respond(&keep, &warga, path, out, sizeof(out),
	    &act) > 0 && last.isi_cut && act == USSD_ASPIRASI,
	    "long everything: %s", out);
	long_values = 0;
	CHECK(chars(out) <= USSD_SCREEN_MAX, "fits: %d", chars(out));
}

/* Dana desa: the caller's own village first, the totals and three
 * activities, any other by its code, the detail, an observation. */
static void
test_dana(void)
{
	static const char *const paths[] = { "5", "5*1", "5*1*1", "5*1*1*1",
	    "5*1*1*1*40", "5*1*1*1*40*-", "5*kalisidi*k5", "5*1*9",
	    "5*1*1*1*150" };
	size_t i;

	HAS(say(&warga, "5"), "1 Kalisidi");
	HAS(say(&anon, "5"), "Ketik kode desa");
	HAS(say(&warga, "5*1"), "APBDes Kalisidi 2026\nPendapatan Rp1,24 M\n"
	    "Belanja Rp1,2 M\nDana Desa Rp812 jt\n1 K1 Jalan\n2 K2 Jalan\n"
	    "3 K3 Jalan\n0 Kembali 00 Menu");
	CHECK(strstr(out, "K4") == NULL, "three shown: %s", out);
	HAS(say(&anon, "5*kalisidi"), "APBDes Kalisidi 2026");
	/* another village than the caller's own */
	HAS(say(&warga, "5*candirejo"), "Pilih desa");
	HAS(say(&warga, "5*candirejo*1"), "END APBDes Candirejo 2026 belum");
	/* by number, by code (beyond the three), a code it lacks */
	HAS(say(&warga, "5*1*2"), "CON K2 Jalan dusun 2\nRp81,3 jt DD, "
	    "1/3-30/12\nResmi: 40% (12/5)\nWarga: 3 laporan, median 35%\n"
	    "1 Kirim pantauan");
	HAS(say(&warga, "5*1* k 5 "), "CON K5 Jalan dusun 2");
	HAS(say(&warga, "5*1*K9"), "Pilihan salah");
	HAS(out, "APBDes Kalisidi");
	HAS(say(&warga, "5*1*4"), "Pilihan salah");	/* not shown */
	HAS(say(&warga, "5*1*k4"), "CON K4 Jalan");
	/* the percentage: 0..100, "%" allowed; then the note */
	HAS(say(&warga, "5*1*2*1"), "Pantau K2 Jalan dusun 2");
	HAS(say(&warga, "5*1*2*1*101"), "Ketik 1-100, atau 0%");
	HAS(say(&warga, "5*1*2*1*-5"), "Ketik 1-100, atau 0%");
	HAS(say(&warga, "5*1*2*1*empat"), "Ketik 1-100, atau 0%");
	HAS(say(&warga, "5*1*2*1*40 %"), "K2 40%\nKetik catatan");
	memset(&last, 0, sizeof(last));
	CHECK(ussd_respond(&keep_ops, &warga, "5*1*2*1*40%*-", out, sizeof(out),
	    &act) > 0 && act == USSD_PANTAU, "pantau: %s", out);
	HAS(out, "END Pantauan K2 40% diterima.");
	CHECK_STR(last.kegiatan, "K2");
	CHECK_STR(last.persen, "40");
	CHECK_STR(last.isi, "");
	CHECK_STR(last.desa, "33.22.18.2002");
	/* "0" goes back, on this screen too: none is "0%" */
	HAS(say(&warga, "5*1*2*1*0"), "CON K2 Jalan dusun 2");
	/* an empty note is none too; a note may hold '*' */
	CHECK(ussd_respond(&keep_ops, &warga, "5*1*2*1*0%*", out, sizeof(out),
	    &act) > 0 && act == USSD_PANTAU && !strcmp(last.isi, "") &&
	    !strcmp(last.persen, "0"), "empty note: %s", out);
	CHECK(ussd_respond(&keep_ops, &warga, "5*1*2*1*100*aspal *baru*",
	    out, sizeof(out), &act) > 0 && act == USSD_PANTAU,
	    "note: %s", out);
	CHECK_STR(last.isi, "aspal *baru*");
	/* back from the detail to the list */
	HAS(say(&warga, "5*1*2*0"), "APBDes Kalisidi 2026");
	/* every Dana desa screen fits with long values, its way back kept */
	long_values = 1;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		say(&warga, paths[i]);
		CHECK(strncmp(out, "END", 3) == 0 ||
		    strstr(out, "0 Kembali 00 Menu") != NULL,
		    "%s cut: %s", paths[i], out);
	}
	long_values = 0;
}

int
main(void)
{
	static const char *const paths[] = { "", "1", "2", "3", "4", "2*x",
	    "2*kalisidi", "2*kalisidi*teks", "1*kalisidi", "1*kalisidi*1",
	    "1*kalisidi*1*aspirasi", "3*ADU-1", "4*kalisidi", "9", "1*kalisidi*9",
	    "2*candirejo", "2*kalisidi*   " };
	size_t i;

	/* every screen, with long values everywhere, fits one screen */
	long_values = 1;
	nperdes = 5;
	for (i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		say(&anon, paths[i]);
		say(&warga, paths[i]);
	}
	long_values = 0;
	nperdes = 2;
	CHECK(ussd_screen_count() >= 10, "screens");
	for (i = 0; i < (size_t)ussd_screen_count(); i++) {
		const char *t = ussd_screen_template((int)i);

		CHECK(ussd_screen_name((int)i) != NULL, "screen %zu named", i);
		/* the raw text alone leaves room for the values */
		CHECK(t == NULL || chars(t) <= USSD_SCREEN_MAX - 40,
		    "screen %s template is %d chars", ussd_screen_name((int)i),
		    t ? chars(t) : 0);
	}

	HAS(say(&anon, ""), "CON Kentongan");
	HAS(out, "1 Aspirasi Perdes");
	/* complaint: desa, then text, then the ticket */
	HAS(say(&anon, "2"), "Ketik kode desa");
	HAS(say(&anon, "2*Atlantis"), "Desa tidak dikenal");
	CHECK(!strncmp(out, "CON ", 4), "still asking");
	/* a shared name: its villages as a numbered choice */
	HAS(say(&anon, "2*candirejo"), "beberapa desa");
	HAS(out, "1 Candirejo (Tuntang)\n2 Candirejo (Pringapus)\n"
	    "3 Candirejo (Ungaran Barat)");
	HAS(say(&anon, "2*candirejo*4"), "Pilihan salah");
	HAS(out, "3 Candirejo (Ungaran Barat)");
	HAS(say(&anon, "2*candirejo*2"), "Aduan untuk Candirejo");
	submits = 0;
	CHECK(ussd_respond(&keep_ops, &anon, "2*candirejo*3*Jalan rusak", out,
	    sizeof(out), &act) > 0 && act == USSD_ADUAN, "picked");
	CHECK_STR(last.desa, "33.22.18.1006");
	HAS(say(&anon, "2*candirejo*2*0"), "3 Candirejo (Ungaran Barat)");
	HAS(say(&anon, "2*candirejo*0"), "Ketik kode desa");
	HAS(say(&anon, "4*candirejo*1"), "END Jadwal di Candirejo");
	HAS(say(&anon, "1*candirejo*1"), "Tidak ada konsultasi Perdes yang "
	    "dibuka di Candirejo");
	HAS(say(&anon, "2*kalisidi"), "Aduan untuk Kalisidi");
	submits = 0;
	HAS(say(&anon, "2*kalisidi*Jalan rusak"), "END Aduan diterima, tiket ADU-7");
	CHECK(act == USSD_ADUAN && submits == 1, "one submit");
	HAS(say(&anon, "2*kalisidi*  "), "Jawaban kosong");
	/* back and main menu */
	HAS(say(&anon, "2*kalisidi*0"), "Ketik kode desa");
	HAS(say(&anon, "2*0"), "CON Kentongan");
	HAS(say(&anon, "2*kalisidi*00"), "CON Kentongan");
	HAS(say(&anon, "2*kalisidi*00*3"), "nomor tiket");
	HAS(say(&anon, "0"), "CON Kentongan");
	HAS(say(&anon, "7"), "Pilihan salah");
	/* aspiration: the registered caller skips the village */
	HAS(say(&warga, "1"), "Konsultasi Perdes di Kalisidi");
	HAS(out, "1 PD01 Sampah");
	HAS(out, "2 PD02 Sampah");
	HAS(say(&warga, "1*3"), "Pilihan salah");
	HAS(say(&warga, "1*2"), "PD02 Sampah");
	submits = 0;
	HAS(say(&warga, "1*2*Bank sampah tiap dusun"),
	    "END Aspirasi untuk PD02 diterima, tiket ASP-7");
	CHECK(act == USSD_ASPIRASI && submits == 1, "aspirasi submitted");
	HAS(say(&warga, "1*0"), "CON Kentongan");
	HAS(say(&anon, "1"), "Ketik kode desa");
	HAS(say(&anon, "1*kalisidi*1*x"), "END Aspirasi untuk PD01");
	nperdes = 0;
	HAS(say(&anon, "1*kalisidi"), "END Tidak ada konsultasi");
	nperdes = 2;
	/* status and meetings */
	HAS(say(&anon, "3*ADU-1"), "END Tiket ADU-1: diproses.");
	CHECK(act == USSD_NONE, "status is no action");
	HAS(say(&warga, "4"), "END Jadwal di Kalisidi:\n12/12 09:00 RKP");
	HAS(say(&anon, "4"), "Ketik kode desa");
	HAS(say(&anon, "4*kalisidi"), "12/12 09:00 RKP");
	/* the same path, the same screen */
	submits = 0;
	HAS(say(&anon, "2*kalisidi*Jalan rusak"), "tiket ADU-7");
	HAS(say(&anon, "2*kalisidi*Jalan rusak"), "tiket ADU-7");
	CHECK(submits == 2, "the walk asks every time; the store keeps it once");
	/* an empty answer in the middle is an answer */
	HAS(say(&anon, "2**kalisidi"), "Aduan untuk Kalisidi");
	test_free_text();
	test_dana();
	return test_summary("unit-ussd-menu");
}
