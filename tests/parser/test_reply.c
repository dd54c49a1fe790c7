/*
 * test_reply: every reply in the table is GSM 7-bit, fits one SMS with
 * realistic values uncut and with worst-case values cut, and every parse
 * error reply shows a format and an example that itself parses.
 */
#include <stdio.h>
#include <string.h>

#include "parser/gsm7.h"
#include "parser/parser.h"
#include "parser/parser_int.h"
#include "parser/reply.h"
#include "tests/testlib.h"

/* Every placeholder the table may use, with the longest realistic value:
 * these must never be cut. */
static const struct reply_var realistic[] = {
	{ "nomor", "R-999999999" },
	{ "tiket", "ASP-999999999" },
	{ "desa", "33.22.01.2005" },
	{ "tanggal", "2026-12-31" },
	{ "jenis", "PERDES" },
	{ "laki", "9999" },
	{ "perempuan", "9999" },
	{ "jumlah", "9999" },
	{ "topik", "Posyandu balita" },
	{ "perdes", "PD99" },
	{ "status", "sedang diproses" },
	{ "catatan", "Tim turun Senin" },
	{ "nama", "Siti Aminah" },
	{ "grup", "KOORDINATOR" },
	{ "keyword", "ASPIRASI" },
	{ "daftar", "PD01 PD02 PD03" },
	{ "field", "perempuan" },
	{ "jam", "09:00" },
	{ "tempat", "Balai Desa Kalisidi" },
	{ "laporan", "9999" },
	{ "baru", "9999" },
	{ "menunggu", "9999" },
	{ "hari", "365" },
	{ "ditahan", "99999" },	/* a flood of withheld replies in a day */
	/* a longer title is cut (test in check_render) */
	{ "judul", "Perdes Pengelolaan Sampah Desa" },
	{ "sampai", "31/12/2027" },
	{ "modem", "gammu12" },
	{ "pulsa", "999999999" },
	{ "alasan", "Alasan: kepala desa dinas luar" },
	{ "semula", "31/12 jam 19:30 di balai desa" },
	{ "batas", "99999" },
	{ "dikirim", "28/11 10:00" },
	{ "terakhir", "28/11 10:05" },
	{ "contoh", "KADER 3322012005 27/09 25 posyandu balita" },
	{ "kata", " \"RKPDESAAAAAAAAA\"" },
	{ "format", "RAPAT desa tanggal jenis laki perempuan [catatan]" },
	{ "pilihan", "Kec. Ungaran Barat 3322181006, Kec. Tuntang 3322062006" },
	{ "ulang", "R-999999999" },
	{ "ganti", "R-999999999" },
	/* a longer reason is cut; the office is told (records withdraw) */
	{ "alasan", "Salah desa, seharusnya Tajuk" },
	/* APBDES and PANTAU: amounts in short Indonesian, at their longest */
	{ "tahun", "2026" },
	{ "pendapatan", "Rp99,9 jt" },
	{ "belanja", "Rp99,9 jt" },
	{ "dana_desa", "Rp99,9 jt" },
	{ "anggaran", "Rp99,9 jt" },
	{ "sumber", "Dana Desa" },
	{ "mulai", "31/12" },
	{ "selesai", "31/12" },
	{ "resmi", "100% (31/12)" },		/* progres_resmi rendered */
	{ "warga", "9999 laporan, median 100%" },	/* progres_warga */
	{ "persen", "100" },
	{ "kecamatan", "Kaliwungu Selatan" },
	{ "selisih", "9999" },
	{ "kegiatan", "PK12" },
};
#define NREAL	(sizeof(realistic) / sizeof(realistic[0]))

/* Where a placeholder of one text holds something else than the value
 * above: an activity's name is longer than a person's; the summary's
 * example is an APBDES SMS, not any keyword's. */
static const struct {
	enum reply_id id;
	struct reply_var var;
} realistic_for[] = {
	{ R_APBDES_TOTAL, { "contoh", "APBDES 3322012005 PK12" } },
	{ R_APBDES_KEGIATAN, { "nama", "Rehab jalan dusun 2 RT 03" } },
	{ R_OK_PANTAU_RESMI, { "nama", "Rehab jalan dusun 2 RT 03" } },
	{ R_OK_PANTAU_WARGA, { "nama", "Rehab jalan dusun 2 RT 03" } },
};

/* The realistic value of placeholder name in text id. */
static const char *
realistic_value(enum reply_id id, size_t i)
{
	size_t k;

	for (k = 0; k < sizeof(realistic_for) / sizeof(realistic_for[0]); k++)
		if (realistic_for[k].id == id &&
		    strcmp(realistic_for[k].var.name, realistic[i].name) == 0)
			return realistic_for[k].var.value;
	return realistic[i].value;
}

/* Whether name is a known placeholder. */
static int
known(const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < NREAL; i++)
		if (strlen(realistic[i].name) == n &&
		    memcmp(realistic[i].name, name, n) == 0)
			return 1;
	return 0;
}

/* Fill buf with count copies of unit. */
static const char *
repeat(char *buf, size_t cap, const char *unit, size_t count)
{
	size_t n = strlen(unit), i, o = 0;

	for (i = 0; i < count && o + n < cap; i++, o += n)
		memcpy(buf + o, unit, n);
	buf[o] = '\0';
	return buf;
}

/* The table itself: GSM only, known placeholders, room left for values. */
static void
check_templates(void)
{
	const char *t, *p;
	size_t n;
	int id;

	for (id = 0; id < R__COUNT; id++) {
		t = reply_template(id);
		CHECK(t != NULL && *t != '\0', "template %d", id);
		if (t == NULL)
			continue;
		CHECK(gsm7_septets(t, strlen(t)) > 0, "%s not GSM: %s",
		    reply_name(id), t);
		CHECK(strcmp(reply_name(id), "unknown") != 0, "name %d", id);
		for (p = strchr(t, '{'); p != NULL; p = strchr(p + 1, '{')) {
			n = strcspn(p + 1, "}");
			CHECK(known(p + 1, n), "%s: unknown {%.*s}",
			    reply_name(id), (int)n, p + 1);
		}
	}
	CHECK(reply_template(R__COUNT) == NULL, "out of range");
}

/* Render every template with the given value for every placeholder and
 * check it is GSM and fits; returns 1 if it was cut. */
static int
render_all(enum reply_id id, const char *value, int expect_uncut)
{
	struct reply_var vars[NREAL];
	char out[REPLY_MAX];
	size_t i;
	int n, sept;

	for (i = 0; i < NREAL; i++) {
		vars[i].name = realistic[i].name;
		vars[i].value = value != NULL ? value : realistic_value(id, i);
	}
	n = reply_render(id, vars, NREAL, out, sizeof(out));
	CHECK(n >= 0, "%s renders", reply_name(id));
	if (n < 0)
		return 0;
	CHECK((size_t)n == strlen(out), "length");
	sept = gsm7_septets(out, (size_t)n);
	/* what callers ask before rendering: would a value be cut? */
	if (strstr(out, "..") == NULL)
		CHECK(reply_septets(id, vars, NREAL) == sept, "%s: %d septets "
		    "counted, %d rendered", reply_name(id),
		    reply_septets(id, vars, NREAL), sept);
	else
		CHECK(reply_septets(id, vars, NREAL) > SMS_SEPTETS,
		    "%s: cut, yet counted as fitting", reply_name(id));
	CHECK(sept >= 0 && sept <= SMS_SEPTETS, "%s: %d septets: %s",
	    reply_name(id), sept, out);
	if (expect_uncut)
		CHECK(strstr(out, "..") == NULL, "%s cut: %s", reply_name(id),
		    out);
	return strstr(out, "..") != NULL;
}

/* Worst-case values: long, extension characters, non-GSM, broken UTF-8. */
static void
check_worst_case(void)
{
	static char buf[8][4096];
	const char *worst[8];
	int id;
	size_t k;

	worst[0] = repeat(buf[0], sizeof(buf[0]), "\xe2\x82\xac", 500); /* euro */
	worst[1] = repeat(buf[1], sizeof(buf[1]), "[]{}~^\\|", 200);
	worst[2] = repeat(buf[2], sizeof(buf[2]), "\xc5\xb5", 500);	/* w^ */
	worst[3] = repeat(buf[3], sizeof(buf[3]), "\xff\xc3", 500);
	worst[4] = repeat(buf[4], sizeof(buf[4]), "\t\n\r\x1b\x7f", 300);
	worst[5] = repeat(buf[5], sizeof(buf[5]), "\xce\xa9x", 500); /* Omega */
	worst[6] = repeat(buf[6], sizeof(buf[6]), "W", 3000);
	worst[7] = repeat(buf[7], sizeof(buf[7]), "\xf0\x9f\x98\x80 ", 500);
	for (id = 0; id < R__COUNT; id++) {
		render_all(id, NULL, 1);
		for (k = 0; k < 8; k++)
			render_all(id, worst[k], 0);
	}
}

/* What the renderer writes: sanitising, cutting, exact texts. */
static void
check_render(void)
{
	char out[REPLY_MAX], big[2048];
	struct reply_var v[8];
	int n;

	v[0] = (struct reply_var){ "nomor", "R-1234" };
	v[1] = (struct reply_var){ "desa", "33.22.01.2005" };
	v[2] = (struct reply_var){ "tanggal", "2026-09-27" };
	v[3] = (struct reply_var){ "jenis", "RKP" };
	v[4] = (struct reply_var){ "laki", "45" };
	v[5] = (struct reply_var){ "perempuan", "30" };
	n = reply_render(R_OK_RAPAT, v, 6, out, sizeof(out));
	CHECK_STR(out, "RAPAT R-1234 tercatat: desa 33.22.01.2005, "
	    "2026-09-27, RKP, L 45 P 30. Salah? Kirim BATAL R-1234");
	CHECK_INT(n, (long long)strlen(out));

	/* non-GSM characters become '?', control characters a space */
	v[0] = (struct reply_var){ "tiket", "ADU-42" };
	v[1] = (struct reply_var){ "desa", "Caf\xc3\xa9 \xe2\x80\x9cX\xe2\x80\x9d\t`\xff" };
	reply_render(R_OK_ADUAN, v, 2, out, sizeof(out));
	CHECK_STR(out, "ADUAN diterima, tiket ADU-42, desa Caf\xc3\xa9 ?X? ??. "
	    "Cek: kirim STATUS ADU-42");

	/* a long name is cut with "..", the ticket is kept whole */
	v[1] = (struct reply_var){ "desa", repeat(big, sizeof(big), "ab", 300) };
	n = reply_render(R_OK_ADUAN, v, 2, out, sizeof(out));
	CHECK_INT(gsm7_septets(out, (size_t)n), SMS_SEPTETS);
	CHECK(strstr(out, "a... Cek") != NULL, "cut: %s", out);
	CHECK(strstr(out, "tiket ADU-42, desa") != NULL, "kept: %s", out);
	CHECK(strstr(out, "STATUS ADU-42") != NULL, "kept: %s", out);

	/* an extension character is not split at the cut */
	v[1] = (struct reply_var){ "desa",
	    repeat(big, sizeof(big), "\xe2\x82\xac", 300) };
	n = reply_render(R_OK_ADUAN, v, 2, out, sizeof(out));
	CHECK(gsm7_septets(out, (size_t)n) <= SMS_SEPTETS, "fits");

	/* missing and NULL values render empty; a trailing space goes */
	v[0] = (struct reply_var){ "tiket", "ADU-7" };
	v[1] = (struct reply_var){ "status", "selesai" };
	v[2] = (struct reply_var){ "catatan", NULL };
	reply_render(R_STATUS, v, 3, out, sizeof(out));
	CHECK_STR(out, "STATUS tiket ADU-7: selesai.");
	reply_render(R_TICKET_UPDATE, v, 2, out, sizeof(out));
	CHECK_STR(out, "Kabar tiket ADU-7: selesai.");

	v[0] = (struct reply_var){ "perdes", "PD09" };
	v[1] = (struct reply_var){ "daftar", "PD02, PD03" };
	v[2] = (struct reply_var){ "contoh", "PD02" };
	reply_render(R_PERDES_CLOSED, v, 3, out, sizeof(out));
	CHECK_STR(out, "ASPIRASI: konsultasi PD09 tidak dibuka. Yang dibuka di desa Anda: "
	    "PD02, PD03. Contoh: ASPIRASI PD02 Mohon lampu jalan");

	/* a consultation's announcement: one SMS, the title cut, never the
	 * SMS to send */
	{
		char title[300];

		memset(title, 'x', sizeof(title) - 1);
		title[sizeof(title) - 1] = '\0';
		v[0] = (struct reply_var){ "desa", "Kalisidi Kidul Wetan" };
		v[1] = (struct reply_var){ "judul", title };
		v[2] = (struct reply_var){ "sampai", "31/12/2027" };
		v[3] = (struct reply_var){ "perdes", "PDABCDEF12345" };
		n = reply_render(R_PERDES_ANNOUNCE, v, 4, out, sizeof(out));
		CHECK(n > 0 && gsm7_septets(out, (size_t)n) <= SMS_SEPTETS,
		    "one SMS");
		CHECK(strstr(out, "ketik: ASPIRASI PDABCDEF12345 isi usulan.")
		    != NULL, out);
		CHECK(strstr(out, "xx..") != NULL, out);
	}

	/* the caller's buffer is respected */
	CHECK_INT(reply_render(R_OK_BERHENTI, NULL, 0, out, 10), -1);
	CHECK_INT(reply_render(R__COUNT, NULL, 0, out, sizeof(out)), -1);
	CHECK_INT(reply_render((enum reply_id)-1, NULL, 0, out, sizeof(out)),
	    -1);
	n = reply_render(R_OK_BERHENTI, NULL, 0, out, sizeof(out));
	CHECK_INT(reply_render(R_OK_BERHENTI, NULL, 0, out, (size_t)n + 1), n);
	CHECK_INT(reply_render(R_OK_BERHENTI, NULL, 0, out, (size_t)n), -1);
}

/* The texts of APBDES and PANTAU take the placeholders reply.h promises
 * the gateway, and read as below with typical values. */
static void
check_budget_texts(void)
{
	static const struct {
		enum reply_id id;
		const char *names;
	} promised[] = {
		{ R_APBDES_TOTAL,
		  "desa tahun pendapatan belanja dana_desa daftar contoh" },
		{ R_APBDES_KEGIATAN,
		  "kegiatan nama desa anggaran sumber mulai selesai resmi warga" },
		{ R_PROGRES_RESMI, "persen tanggal" },
		{ R_PROGRES_WARGA, "jumlah persen" },
		{ R_APBDES_NONE, "tahun desa kecamatan" },
		{ R_KEGIATAN_UNKNOWN, "kegiatan desa tahun daftar contoh" },
		{ R_OK_PANTAU_RESMI, "kegiatan nama desa persen" },
		{ R_OK_PANTAU_WARGA, "kegiatan nama desa persen" },
		{ R_KEGIATAN_ANNOUNCE, "desa tahun jumlah kegiatan" },
		{ R_DIGEST, "tanggal laporan baru menunggu hari ditahan selisih" },
	};
	static const struct reply_var v[] = {
		{ "desa", "WATES" }, { "tahun", "2026" },
		{ "pendapatan", "Rp1,24 M" }, { "belanja", "Rp1,31 M" },
		{ "dana_desa", "Rp812 jt" },
		{ "daftar", "K01 Jalan dsn 2, K02 Posyandu" },
		{ "contoh", "APBDES WATES K01" }, { "kegiatan", "K01" },
		{ "nama", "Jalan dsn 2" }, { "anggaran", "Rp187 jt" },
		{ "sumber", "DD" }, { "mulai", "1/6" }, { "selesai", "30/9" },
		{ "resmi", "40% (12/8)" }, { "warga", "3 laporan, median 50%" },
		{ "persen", "40" }, { "tanggal", "12/8" }, { "jumlah", "3" },
		{ "kecamatan", "Getasan" },
	};
	static const struct {
		enum reply_id id;
		const char *want;
	} texts[] = {
		{ R_APBDES_TOTAL, "APBDes WATES 2026: pendapatan Rp1,24 M, "
		  "belanja Rp1,31 M, Dana Desa Rp812 jt. Kegiatan: K01 Jalan "
		  "dsn 2, K02 Posyandu. Rincian: APBDES WATES K01" },
		{ R_APBDES_KEGIATAN, "K01 Jalan dsn 2, WATES: Rp187 jt (DD), "
		  "1/6-30/9. Progres resmi: 40% (12/8). Warga: 3 laporan, "
		  "median 50%." },
		{ R_PROGRES_RESMI, "40% (12/8)" },
		{ R_PROGRES_RESMI_NONE, "belum ada" },
		{ R_PROGRES_WARGA, "3 laporan, median 40%" },
		{ R_PROGRES_WARGA_NONE, "belum ada laporan" },
		{ R_APBDES_NONE, "APBDes 2026 desa WATES belum dimasukkan. "
		  "Silakan tanya kantor desa atau Kantor Kecamatan Getasan." },
		{ R_KEGIATAN_UNKNOWN, "Kegiatan K01 tidak ada di APBDes WATES "
		  "2026. Kode: K01 Jalan dsn 2, K02 Posyandu. Contoh: APBDES "
		  "WATES K01" },
		{ R_OK_PANTAU_RESMI, "PANTAU K01 Jalan dsn 2 (WATES) 40% "
		  "tercatat sebagai progres resmi. Lihat: APBDES WATES K01" },
		{ R_OK_PANTAU_WARGA, "PANTAU K01 Jalan dsn 2 (WATES) 40% "
		  "tercatat sebagai laporan warga. Terima kasih. Lihat: APBDES "
		  "WATES K01" },
		{ R_KEGIATAN_ANNOUNCE, "APBDes WATES 2026: 3 kegiatan. Lihat: "
		  "APBDES WATES. Lapor kemajuan: PANTAU WATES K01 50 catatan. "
		  "Berhenti: kirim BERHENTI" },
	};
	char out[REPLY_MAX], name[32], list[600];
	struct reply_var w[sizeof(v) / sizeof(v[0])];
	const char *p;
	size_t i, n, k;

	for (i = 0; i < sizeof(promised) / sizeof(promised[0]); i++) {
		for (p = promised[i].names; *p != '\0'; p += n + (p[n] != 0)) {
			n = strcspn(p, " ");
			snprintf(name, sizeof(name), "{%.*s}", (int)n, p);
			CHECK(strstr(reply_template(promised[i].id), name) != NULL,
			    "%s lacks %s", reply_name(promised[i].id), name);
		}
	}
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		reply_render(texts[i].id, v, sizeof(v) / sizeof(v[0]), out,
		    sizeof(out));
		CHECK_STR(out, texts[i].want);
	}

	/* a summary whose activities do not all fit: the list is cut, never
	 * the SMS to send */
	memcpy(w, v, sizeof(w));
	list[0] = '\0';
	for (k = 1; k <= 30; k++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list),
		    "%sK%02zu Rehab jalan", k > 1 ? ", " : "", k);
	for (i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		if (strcmp(w[i].name, "daftar") == 0)
			w[i].value = list;
	CHECK(reply_septets(R_APBDES_TOTAL, w, sizeof(w) / sizeof(w[0])) >
	    SMS_SEPTETS, "the caller can tell the list is too long");
	n = (size_t)reply_render(R_APBDES_TOTAL, w, sizeof(w) / sizeof(w[0]),
	    out, sizeof(out));
	CHECK(gsm7_septets(out, n) == SMS_SEPTETS, "one SMS: %s", out);
	CHECK(strstr(out, "... Rincian: APBDES WATES K01") != NULL, "%s", out);

	/* the digest's new count reads with the old ones */
	{
		struct reply_var d[] = { { "tanggal", "28/11/2026" },
		    { "laporan", "12" }, { "baru", "3" }, { "menunggu", "1" },
		    { "hari", "7" }, { "ditahan", "4" }, { "selisih", "2" } };

		reply_render(R_DIGEST, d, 7, out, sizeof(out));
		CHECK_STR(out, "Ringkasan 28/11/2026: 12 laporan RAPAT/KADER, 3 "
		    "tiket baru, 1 tiket menunggu >7 hari, 4 balasan otomatis "
		    "ditahan, 2 kegiatan APBDes selisih.");
	}
}

/* Parse msg with today 2026-11-28 into r (scratch is static). */
static int
parse(const char *msg, struct parse_result *r)
{
	static char scratch[1024];
	struct pdate today = { 2026, 11, 28 };

	memset(r, 0, sizeof(*r));
	r->scratch = scratch;
	r->scratch_cap = sizeof(scratch);
	return parse_message(msg, strlen(msg), &today, r);
}

/* Error replies as the sender sees them. */
static void
check_sender_views(void)
{
	static const struct {
		const char *msg, *reply;
	} cases[] = {
		{ "RAPAT x 1/1 RKP 45", "Kurang perempuan. Format: RAPAT desa "
		  "tanggal jenis laki perempuan [catatan]. Contoh: RAPAT "
		  "3322012005 5/11 RKP 45 30" },
		{ "RAPAT sumogawe tgl 5/11 RKP 45 30", "Tanggal \"tgl\" tidak "
		  "dikenal. Tulis tgl/bln, mis. 5/11, atau HARIINI, KEMARIN. "
		  "Contoh: RAPAT 3322012005 5/11 RKP 45 30" },
		{ "KADER 3322012005 1/12/2026 10 posyandu", "Tanggal "
		  "\"1/12/2026\" belum lewat. Contoh: KADER 3322012005 27/09 25 "
		  "posyandu balita" },
		{ "RAPAT x 1/1 SOS 12.000 80", "Angka laki \"12.000\" salah, "
		  "harus 0-9999. Contoh: RAPAT 3322012005 5/11 RKP 45 30" },
		{ "KADER x 1/1 0 posyandu", "Angka jumlah \"0\" salah, harus "
		  "1-9999. Contoh: KADER 3322012005 27/09 25 posyandu balita" },
		{ "RAPAT x 1/1 SOS L0 P0", "Laki + perempuan minimal 1 orang. "
		  "Contoh: RAPAT 3322012005 5/11 RKP 45 30" },
		{ "HALO", "Perintah \"HALO\" tidak dikenal. Perintah: RAPAT "
		  "KADER ADUAN ASPIRASI STATUS BATAL DAFTAR BERHENTI MULAI "
		  "SIARAN. Contoh: ADUAN 3322012005 Jalan rusak" },
		{ "", "SMS kosong. Perintah: RAPAT KADER ADUAN ASPIRASI STATUS "
		  "BATAL DAFTAR BERHENTI MULAI SIARAN. Contoh: ADUAN 3322012005 "
		  "Jalan rusak" },
		{ "BATAL 12", "Penulisan nomor \"12\" salah. Contoh: BATAL R-12" },
		{ "DAFTAR 3322012005", "Kurang nama. Format: DAFTAR desa nama. "
		  "Contoh: DAFTAR 3322012005 Siti Aminah" },
		{ "PANTAU wates K01 101", "Angka persen \"101\" salah, harus "
		  "0-100. Contoh: PANTAU 3322012005 K01 40 baru diratakan" },
		{ "APBDES suka maju", "Kode kegiatan \"maju\" salah: huruf lalu "
		  "angka, mis. K01. Nama desa 2 kata: pakai #. Contoh: APBDES "
		  "3322012005 K01" },
		{ "PANTAU wates K-01 40", "Kode kegiatan \"K-01\" salah: huruf "
		  "lalu angka, mis. K01. Nama desa 2 kata: pakai #. Contoh: "
		  "PANTAU 3322012005 K01 40 baru diratakan" },
		{ "PANTAU wates", "Kurang kegiatan. Format: PANTAU desa kegiatan "
		  "persen [catatan]. Contoh: PANTAU 3322012005 K01 40 baru "
		  "diratakan" },
		{ "APBDES", "Kurang desa. Format: APBDES desa [kegiatan]. "
		  "Contoh: APBDES 3322012005 K01" },
		/* curly quotes are not GSM: the word is not quoted */
		{ "RAPAT x 1/1 \xe2\x80\x9cRKP\xe2\x80\x9d 1 1", "Jenis tidak "
		  "dikenal. Jenis: RPJM RKP APB PERDES SOS EVAL KAD LAIN. "
		  "Contoh: RAPAT 3322012005 5/11 RKP 45 30" },
	};
	struct parse_result r;
	char out[REPLY_MAX];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CHECK(parse(cases[i].msg, &r) == -1, "%s fails", cases[i].msg);
		CHECK(reply_for_parse_error(&r, out, sizeof(out)) > 0, "reply");
		CHECK_STR(out, cases[i].reply);
	}
}

/* Words at fault at their worst: long, extension characters (two septets
 * each), a cut inside one, characters outside GSM, nothing at all. */
static const char *const worst_words[] = {
	"",
	"tgl",
	"WWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWWW",
	"[]{}~^\\|[]{}~^\\|[]{}~^\\|[]{}~^\\|",
	"a[]{}~^\\|[]{}~^\\|",
	"\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac"
	"\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac",
	"5/11\xe2\x80\x9c",		/* a curly quote: not GSM */
	"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	"\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
	"a\nb\tc",
};

/* The quote a reply must show for word w (GSM and short), "" if none. */
static const char *
expected_quote(const char *w, char *buf, size_t cap)
{
	int sept = gsm7_septets(w, strlen(w));

	if (*w == '\0' || sept < 0 || sept > 16 || strchr(w, '\t'))
		return "";
	snprintf(buf, cap, "\"%s\"", w);
	return buf;
}

/* Error replies: every error on every keyword and field, with every worst
 * word at fault, fits, is GSM, quotes the word when it can, and ends in the
 * keyword's own example, whole. */
static void
check_error_replies(void)
{
	static const char *const fields[] = {
		"", "desa", "tanggal", "jenis", "laki", "perempuan", "catatan",
		"jumlah", "topik", "isi", "perdes", "tiket", "nomor", "nama",
		"grup", "kegiatan", "persen",
	};
	struct parse_result r;
	char out[REPLY_MAX], q[64], want[200];
	const char *quote;
	int e, k, n, sept, longest = 0;
	size_t f, w;

	memset(&r, 0, sizeof(r));
	for (e = PE_EMPTY; e < PE__COUNT; e++)
	for (k = PK_NONE; k < PK__COUNT; k++)
	for (f = 0; f < sizeof(fields) / sizeof(fields[0]); f++)
	for (w = 0; w < sizeof(worst_words) / sizeof(worst_words[0]); w++) {
		r.error = e;
		r.kind = k;
		r.field = fields[f];
		r.bad = worst_words[w];
		r.bad_len = strlen(worst_words[w]);
		n = reply_for_parse_error(&r, out, sizeof(out));
		sept = n > 0 ? gsm7_septets(out, (size_t)n) : -1;
		CHECK(n > 0 && sept >= 0 && sept <= SMS_SEPTETS,
		    "error %d kind %d word %zu: %d: %s", e, k, w, sept, out);
		if (sept > longest)
			longest = sept;
		if (k == PK_BERHENTI || k == PK_MULAI || k == PK_BANTU)
			continue;	/* these never fail */
		/* the keyword's own example, or the keywords, ends it */
		snprintf(want, sizeof(want), " Contoh: %s",
		    e == PE_EMPTY || e == PE_UNKNOWN_KEYWORD ?
		    reply_example(PK_NONE) : reply_example(k));
		CHECK(n > (int)strlen(want) &&
		    strcmp(out + n - strlen(want), want) == 0,
		    "example of %d at the end of: %s", k, out);
		quote = expected_quote(worst_words[w], q, sizeof(q));
		if (e == PE_MISSING_FIELD || e == PE_EMPTY ||
		    (e == PE_BAD_NUMBER && r.bad_len == 0))
			continue;	/* these name no word */
		if (*quote != '\0')
			CHECK(strstr(out, quote) != NULL, "quote %s in %s",
			    quote, out);
		else if (*worst_words[w] != '\0' &&
		    gsm7_septets(worst_words[w], r.bad_len) > 16)
			CHECK(strstr(out, "..\"") != NULL, "cut quote in %s",
			    out);
		else
			CHECK(strchr(out, '"') == NULL, "no quote in %s", out);
	}
	r.error = PE_OK;
	CHECK_INT(reply_for_parse_error(&r, out, sizeof(out)), -1);
	printf("longest error reply: %d septets\n", longest);

	check_sender_views();
}

/* Every keyword's example parses as that keyword. */
static void
check_keyword_examples(void)
{
	struct parse_result r;
	int k;

	for (k = PK_NONE; k < PK__COUNT; k++) {
		CHECK(parse(reply_example((enum parse_kind)k), &r) == 0,
		    "example \"%s\" fails: %s", reply_example(k),
		    parse_error_name(r.error));
		if (k != PK_NONE)
			CHECK_INT(r.kind, k);
	}
	/* the replies that send a village back show the keyword's example */
	{
		struct reply_var v[] = { { "desa", "SUKAMAJU" },
		    { "contoh", reply_example(PK_DAFTAR) } };
		char out[REPLY_MAX];

		reply_render(R_DESA_UNKNOWN, v, 2, out, sizeof(out));
		CHECK_STR(out, "Desa SUKAMAJU tidak dikenal. Kirim ulang dengan "
		    "kode desa 10 angka, contoh: DAFTAR 3322012005 Siti Aminah");
	}
	CHECK(strstr(reply_template(R_BANTU_BATAL), "24 jam") != NULL,
	    "BANTU BATAL names the window: %s", reply_template(R_BANTU_BATAL));
	CHECK(strstr(reply_template(R_BATAL_TOO_LATE), "24 jam") != NULL,
	    "too late names the window");
}

/* Each help text's example is itself a message that parses as its kind. */
static void
check_examples_parse(void)
{
	struct parse_result r;
	const char *t, *ex;
	char msg[200];
	int k;
	size_t n;

	for (k = PK_NONE; k < PK__COUNT; k++) {
		t = reply_template(reply_bantu_topic((enum parse_kind)k));
		if ((ex = strstr(t, "Contoh: ")) == NULL)
			continue;
		ex += 8;
		n = strcspn(ex, ".");
		if (n >= sizeof(msg))
			n = sizeof(msg) - 1;
		memcpy(msg, ex, n);
		msg[n] = '\0';
		CHECK(parse(msg, &r) == 0, "example \"%s\" fails: %s", msg,
		    parse_error_name(r.error));
		if (k != PK_NONE && k != PK_BANTU)
			CHECK_INT(r.kind, k);
	}
}

/* BANTU topics map to their texts and back. */
static void
check_topics(void)
{
	CHECK_INT(reply_bantu_topic(PK_NONE), R_BANTU);
	CHECK_INT(reply_bantu_topic(PK_BANTU), R_BANTU);
	CHECK_INT(reply_bantu_topic(PK_RAPAT), R_BANTU_RAPAT);
	CHECK_INT(reply_bantu_topic(PK_SIARAN), R_BANTU_SIARAN);
	CHECK_INT(reply_topic_kind("RAPAT"), PK_RAPAT);
	CHECK_INT(reply_topic_kind("ASPIRASI"), PK_ASPIRASI);
	CHECK_INT(reply_topic_kind(""), PK_NONE);
	CHECK_INT(reply_topic_kind("MUSDES"), PK_NONE);
	CHECK_INT(reply_topic_kind(NULL), PK_NONE);
	CHECK_INT(reply_bantu_topic(PK_APBDES), R_BANTU_APBDES);
	CHECK_INT(reply_bantu_topic(PK_PANTAU), R_BANTU_PANTAU);
	CHECK_INT(reply_topic_kind("APBDES"), PK_APBDES);
	CHECK_INT(reply_topic_kind("PANTAU"), PK_PANTAU);
	CHECK_INT(reply_topic_kind("DANA"), PK_NONE);	/* canonical only */
	/* BANTU DANA, BANTU AWASI: the parser gives the canonical keyword */
	{
		static const struct {
			const char *msg;
			enum reply_id want;
		} asks[] = {
			{ "BANTU DANA", R_BANTU_APBDES },
			{ "bantu anggaran", R_BANTU_APBDES },
			{ "BANTU APBDS", R_BANTU_APBDES },
			{ "INFO awasi", R_BANTU_PANTAU },
			{ "? pantau", R_BANTU_PANTAU },
			{ "BANTU", R_BANTU },
		};
		struct parse_result r;
		size_t i;

		for (i = 0; i < sizeof(asks) / sizeof(asks[0]); i++) {
			CHECK(parse(asks[i].msg, &r) == 0, "%s", asks[i].msg);
			CHECK(reply_bantu_topic(reply_topic_kind(r.topik)) ==
			    asks[i].want, "%s: %s", asks[i].msg, r.topik);
		}
	}
	/* the list of keywords names the new ones */
	CHECK(strstr(reply_template(R_BANTU), " APBDES PANTAU.") != NULL,
	    "%s", reply_template(R_BANTU));
}

/* Septet counting and the GSM alphabet. */
static void
check_gsm7(void)
{
	static const struct {
		const char *s;
		int septets;
	} cases[] = {
		{ "", 0 }, { "abc XYZ 019", 11 }, { "@$_!?#%&'()*+,-./:;<=>\"", 23 },
		{ "\xe2\x82\xac", 2 }, { "[]{}~^\\|", 16 }, { "\f", 2 },
		{ "\n\r", 2 }, { "\xc3\xa9\xc3\xa8\xc3\xa0\xc2\xa3\xc2\xa5", 5 },
		{ "\xc3\x87", 1 }, { "\xce\x94\xce\xa9", 2 }, { "\xc2\xbf\xc2\xa1", 2 },
		{ "`", -1 }, { "\t", -1 }, { "\xc3\xa7", -1 }, { "\xc3\xa1", -1 },
		{ "\xe2\x80\x9c", -1 }, { "\xff", -1 }, { "\xc3", -1 },
		{ "\xed\xa0\x80", -1 }, { "\xc0\xaf", -1 }, { "\x1b", -1 },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		CHECK(gsm7_septets(cases[i].s, strlen(cases[i].s)) ==
		    cases[i].septets, "\"%s\": %d want %d", cases[i].s,
		    gsm7_septets(cases[i].s, strlen(cases[i].s)),
		    cases[i].septets);
	CHECK_INT(gsm7_septets("a\0b", 3), -1);
}

/* How many SMS a text takes, and a reply in several: STATUS shows an
 * office note whole. */
static void
check_parts(void)
{
	char note[400], out[REPLY_LONG_MAX];
	struct reply_var v[] = { { "tiket", "ADU-1" }, { "status", "selesai" },
	    { "catatan", note } };
	int n;

	CHECK_INT(sms_parts("", 0), 1);
	memset(note, 'a', sizeof(note));
	CHECK_INT(sms_parts(note, 160), 1);
	CHECK_INT(sms_parts(note, 161), 2);
	CHECK_INT(sms_parts(note, 306), 2);
	CHECK_INT(sms_parts(note, 307), 3);
	/* one character outside GSM 7-bit: UCS-2, 70 a message, 67 a part */
	memcpy(note, "\xe2\x98\xba", 3);
	CHECK_INT(sms_parts(note, 70 + 2), 1);
	CHECK_INT(sms_parts(note, 71 + 2), 2);
	memset(note, 'a', sizeof(note));
	note[300] = '\0';
	n = reply_render_parts(R_STATUS, v, 3, 3, out, sizeof(out));
	CHECK(n > 300 && strstr(out, note) != NULL, "whole in 3 parts: %d", n);
	n = reply_render(R_STATUS, v, 3, out, sizeof(out));
	CHECK(n == SMS_SEPTETS && strstr(out, note) == NULL, "cut in one: %d",
	    n);
	CHECK_INT(reply_render_parts(R_STATUS, v, 3, 4, out, sizeof(out)), -1);
}

int
main(void)
{
	check_templates();
	check_worst_case();
	check_render();
	check_budget_texts();
	check_error_replies();
	check_examples_parse();
	check_keyword_examples();
	check_topics();
	check_gsm7();
	check_parts();
	return test_summary("test_reply");
}
