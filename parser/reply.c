/*
 * reply: the one table of reply texts (Indonesian, GSM 7-bit only) and the
 * renderer that fits any values into one SMS.
 */
#include <stdio.h>
#include <string.h>

#include "parser/parser_int.h"
#include "parser/reply.h"
#include "parser/utf8.h"

/*
 * One example per keyword, shown by its help and by its error replies. A
 * village is written as its code: a name may match several villages.
 */
#define EX_RAPAT	"RAPAT 3322012005 5/11 RKP 45 30"
#define EX_KADER	"KADER 3322012005 27/09 25 posyandu balita"
#define EX_ADUAN	"ADUAN 3322012005 Jalan rusak"
#define EX_ASPIRASI	"ASPIRASI PD01 Mohon lampu jalan"
#define EX_STATUS	"STATUS ADU-42"
#define EX_BATAL	"BATAL R-12"
#define EX_DAFTAR	"DAFTAR 3322012005 Siti Aminah"
#define EX_SIARAN	"SIARAN WARGA Musdes Senin jam 9"
#define EX_APBDES	"APBDES 3322012005 K01"
#define EX_PANTAU	"PANTAU 3322012005 K01 40 baru diratakan"

static const struct {
	const char *name;
	const char *text;
} replies[R__COUNT] = {
	[R_OK_RAPAT] = { "ok_rapat",
	    "RAPAT {nomor} tercatat: desa {desa}, {tanggal}, {jenis}, "
	    "L {laki} P {perempuan}. Salah? Kirim BATAL {nomor}" },
	[R_OK_KADER] = { "ok_kader",
	    "KADER {nomor} tercatat: desa {desa}, {tanggal}, {jumlah} orang, "
	    "topik {topik}. Salah? Kirim BATAL {nomor}" },
	[R_OK_ADUAN] = { "ok_aduan",
	    "ADUAN diterima, tiket {tiket}, desa {desa}. "
	    "Cek: kirim STATUS {tiket}" },
	[R_OK_ASPIRASI] = { "ok_aspirasi",
	    "ASPIRASI untuk {perdes} diterima, tiket {tiket}. "
	    "Cek: kirim STATUS {tiket}" },
	[R_STATUS] = { "status",
	    "STATUS tiket {tiket}: {status}. {catatan}" },
	[R_BATAL_OK] = { "batal_ok",
	    "BATAL: laporan {nomor} dibatalkan." },
	[R_BATAL_TOO_LATE] = { "batal_too_late",
	    "BATAL: laporan {nomor} sudah lewat 24 jam, tidak bisa dibatalkan "
	    "lagi. Hubungi koordinator." },
	[R_BATAL_NOT_YOURS] = { "batal_not_yours",
	    "BATAL: laporan {nomor} tidak dikirim dari nomor ini, jadi tidak "
	    "bisa dibatalkan." },
	[R_BATAL_UNKNOWN] = { "batal_unknown",
	    "BATAL: laporan {nomor} tidak ditemukan. Contoh: " EX_BATAL },
	[R_OK_DAFTAR] = { "ok_daftar",
	    "DAFTAR berhasil. Terima kasih {nama}, nomor ini terdaftar untuk "
	    "desa {desa}. Berhenti: kirim BERHENTI" },
	[R_OK_BERHENTI] = { "ok_berhenti",
	    "BERHENTI: nomor ini tidak lagi dikirimi berita, pengingat, dan "
	    "siaran. Balasan atas SMS Anda dan kabar tiket Anda tetap "
	    "dikirim. Mulai lagi: kirim MULAI" },
	[R_OK_MULAI] = { "ok_mulai",
	    "MULAI: nomor ini akan dikirimi SMS lagi. Berhenti: kirim "
	    "BERHENTI. Bantuan: kirim BANTU" },
	[R_BERHENTI_OLDER] = { "berhenti_older",
	    "BERHENTI Anda ({dikirim}) tidak dipakai: MULAI Anda ({terakhir}) "
	    "lebih baru. Nomor ini tetap dikirimi berita dan siaran. "
	    "Berhenti: kirim BERHENTI lagi" },
	[R_MULAI_OLDER] = { "mulai_older",
	    "MULAI Anda ({dikirim}) tidak dipakai: BERHENTI Anda ({terakhir}) "
	    "lebih baru. Nomor ini tetap tidak dikirimi berita dan siaran. "
	    "Mulai: kirim MULAI lagi" },
	[R_OK_SIARAN] = { "ok_siaran",
	    "SIARAN ke {grup} masuk antrean: {jumlah} penerima." },
	[R_BANTU] = { "bantu",
	    "Perintah: RAPAT KADER ADUAN ASPIRASI STATUS BATAL DAFTAR "
	    "BERHENTI MULAI SIARAN APBDES PANTAU. Info: BANTU ADUAN. "
	    "Contoh: " EX_ADUAN },
	[R_BANTU_RAPAT] = { "bantu_rapat",
	    "Format: RAPAT desa tanggal jenis laki perempuan. "
	    "Jenis: RPJM RKP APB PERDES SOS EVAL KAD LAIN. "
	    "Contoh: " EX_RAPAT },
	[R_BANTU_KADER] = { "bantu_kader",
	    "Format: KADER desa tanggal jumlah topik. "
	    "Contoh: " EX_KADER },
	[R_BANTU_ADUAN] = { "bantu_aduan",
	    "Format: ADUAN desa isi. Nama desa 2 kata: pakai #. "
	    "Contoh: ADUAN#Suka Maju#Jembatan rusak" },
	[R_BANTU_ASPIRASI] = { "bantu_aspirasi",
	    "Format: ASPIRASI kode isi. Kode ada di undangan konsultasi "
	    "perdes. Contoh: " EX_ASPIRASI },
	[R_BANTU_STATUS] = { "bantu_status",
	    "Format: STATUS tiket. Contoh: " EX_STATUS },
	[R_BANTU_BATAL] = { "bantu_batal",
	    "Format: BATAL nomor laporan. Laporan RAPAT/KADER bisa dibatalkan "
	    "dalam 24 jam. Contoh: " EX_BATAL },
	[R_BANTU_DAFTAR] = { "bantu_daftar",
	    "Format: DAFTAR desa nama. Contoh: " EX_DAFTAR },
	[R_BANTU_BERHENTI] = { "bantu_berhenti",
	    "Kirim BERHENTI agar tidak dikirimi SMS lagi. "
	    "Kirim MULAI untuk mulai lagi." },
	[R_BANTU_MULAI] = { "bantu_mulai",
	    "Kirim MULAI agar dikirimi SMS lagi. "
	    "Kirim BERHENTI untuk berhenti." },
	[R_BANTU_SIARAN] = { "bantu_siaran",
	    "Format: SIARAN grup isi. Grup: SEMUA, PENDAMPING, KOORDINATOR, "
	    "WARGA atau desa. Contoh: " EX_SIARAN },
	[R_BANTU_APBDES] = { "bantu_apbdes",
	    "Format: APBDES desa [kegiatan]. Tanpa kegiatan: ringkasan APBDes "
	    "desa tahun ini dan kode kegiatannya. Contoh: " EX_APBDES },
	[R_BANTU_PANTAU] = { "bantu_pantau",
	    "Format: PANTAU desa kegiatan persen [catatan]. Kode kegiatan: "
	    "kirim APBDES desa. Contoh: " EX_PANTAU },
	[R_NOT_PENDAMPING] = { "not_pendamping",
	    "{keyword} {nomor} disimpan, tetapi nomor ini belum terdaftar "
	    "sebagai pendamping. Hubungi koordinator kabupaten." },
	[R_NOT_KOORDINATOR] = { "not_koordinator",
	    "SIARAN hanya untuk koordinator. Pesan tidak dikirim." },
	[R_DESA_UNKNOWN] = { "desa_unknown",
	    "Desa {desa} tidak dikenal. Kirim ulang dengan kode desa 10 "
	    "angka, contoh: {contoh}" },
	/* {pilihan}: "Kec. Tuntang 3322062006, ..." as many as fit */
	[R_DESA_CHOICES] = { "desa_choices",
	    "Ada {jumlah} desa {desa}: {pilihan}. Kirim ulang {keyword} dengan "
	    "kode desa." },
	[R_TICKET_UNKNOWN] = { "ticket_unknown",
	    "STATUS: tiket {tiket} tidak ditemukan. Contoh: " EX_STATUS },
	[R_TICKET_NOT_YOURS] = { "ticket_not_yours",
	    "STATUS: tiket {tiket} tidak dikirim dari nomor ini." },
	/* the sender's village's open ones; the example is the first */
	[R_PERDES_CLOSED] = { "perdes_closed",
	    "ASPIRASI: konsultasi {perdes} tidak dibuka. "
	    "Yang dibuka di desa Anda: {daftar}. "
	    "Contoh: ASPIRASI {contoh} Mohon lampu jalan" },
	[R_PERDES_NONE_OPEN] = { "perdes_none_open",
	    "ASPIRASI: konsultasi {perdes} tidak dibuka. Kode konsultasi ada "
	    "di SMS undangan konsultasi Perdes desa Anda." },
	[R_TICKET_UPDATE] = { "ticket_update",
	    "Kabar tiket {tiket}: {status}. {catatan}" },
	/* the note cut by the office's command: STATUS shows all of it */
	[R_TICKET_UPDATE_CUT] = { "ticket_update_cut",
	    "Kabar tiket {tiket}: {status}. {catatan} Lengkap: kirim STATUS "
	    "{tiket}" },
	[R_FLAGGED_DESA] = { "flagged_desa",
	    "{keyword} {nomor} disimpan, belum dihitung: desa {desa} bukan "
	    "desa tugas Anda, koordinator akan memeriksa. Salah? Kirim BATAL "
	    "{nomor}" },
	[R_DUPLICATE] = { "duplicate",
	    "{keyword} {nomor} sama dengan {ulang} (desa {desa}, {tanggal}), "
	    "tidak dihitung dua kali. Jika {nomor} yang benar, kirim BATAL "
	    "{ulang}" },
	/* {ulang} is past BATAL's 24 hours: the coordinator withdraws it */
	[R_DUPLICATE_LATE] = { "duplicate_late",
	    "{keyword} {nomor} sama dengan {ulang} (desa {desa}, {tanggal}), "
	    "tidak dihitung dua kali. Jika {nomor} yang benar, hubungi "
	    "koordinator." },
	[R_BATAL_REPLACED] = { "batal_replaced",
	    "BATAL: laporan {nomor} dibatalkan. Laporan {ganti} sekarang "
	    "dihitung." },
	[R_RECORD_WITHDRAWN] = { "record_withdrawn",
	    "Laporan {nomor} ({keyword} desa {desa}, {tanggal}) dibatalkan "
	    "koordinator: {alasan}" },
	[R_RECORD_WITHDRAWN_REPLACED] = { "record_withdrawn_replaced",
	    "Laporan {nomor} ({keyword} desa {desa}, {tanggal}) dibatalkan "
	    "koordinator: {alasan}. {ganti} dihitung gantinya." },
	[R_INCOMPLETE] = { "incomplete",
	    "SMS Anda tidak lengkap diterima. Mohon kirim ulang, "
	    "lebih pendek." },
	[R_NOT_ALLOWED] = { "not_allowed",
	    "{keyword} tidak bisa dipakai dari nomor ini. "
	    "Kirim BANTU untuk daftar perintah." },
	/* {daftar} takes what room is left: the caller adds activities while
	 * reply_septets() says they fit. {contoh} "APBDES WATES K01" */
	[R_APBDES_TOTAL] = { "apbdes_total",
	    "APBDes {desa} {tahun}: pendapatan {pendapatan}, belanja "
	    "{belanja}, Dana Desa {dana_desa}. Kegiatan: {daftar}. "
	    "Rincian: {contoh}" },
	[R_APBDES_KEGIATAN] = { "apbdes_kegiatan",
	    "{kegiatan} {nama}, {desa}: {anggaran} ({sumber}), "
	    "{mulai}-{selesai}. Progres resmi: {resmi}. Warga: {warga}." },
	/* the values of {resmi} and {warga} in apbdes_kegiatan */
	[R_PROGRES_RESMI] = { "progres_resmi", "{persen}% ({tanggal})" },
	[R_PROGRES_RESMI_NONE] = { "progres_resmi_none", "belum ada" },
	[R_PROGRES_WARGA] = { "progres_warga",
	    "{jumlah} laporan, median {persen}%" },
	[R_PROGRES_WARGA_NONE] = { "progres_warga_none", "belum ada laporan" },
	[R_APBDES_NONE] = { "apbdes_none",
	    "APBDes {tahun} desa {desa} belum dimasukkan. Silakan tanya "
	    "kantor desa atau Kantor Kecamatan {kecamatan}." },
	[R_KEGIATAN_UNKNOWN] = { "kegiatan_unknown",
	    "Kegiatan {kegiatan} tidak ada di APBDes {desa} {tahun}. "
	    "Kode: {daftar}. Contoh: {contoh}" },
	/* {desa} is typed again in "APBDES {desa}": a code or a one-word
	 * name, as in kegiatan_announce */
	[R_OK_PANTAU_RESMI] = { "ok_pantau_resmi",
	    "PANTAU {kegiatan} {nama} ({desa}) {persen}% tercatat sebagai "
	    "progres resmi. Lihat: APBDES {desa} {kegiatan}" },
	[R_OK_PANTAU_WARGA] = { "ok_pantau_warga",
	    "PANTAU {kegiatan} {nama} ({desa}) {persen}% tercatat sebagai "
	    "laporan warga. Terima kasih. Lihat: APBDES {desa} {kegiatan}" },
	[R_MEETING_ANNOUNCE] = { "meeting_announce",
	    "Undangan musyawarah {jenis} desa {desa}: {tanggal} jam {jam} di "
	    "{tempat}. Mohon hadir. Berhenti: kirim BERHENTI" },
	[R_MEETING_REMINDER] = { "meeting_reminder",
	    "Pengingat: {hari} musyawarah {jenis} desa {desa}, {tanggal} jam "
	    "{jam} di {tempat}." },
	/* {alasan}: "Alasan: ..." or "" */
	[R_MEETING_CANCEL] = { "meeting_cancel",
	    "Mohon maaf, musyawarah {jenis} desa {desa} {tanggal} jam {jam} "
	    "DIBATALKAN. {alasan}" },
	/* {semula}: the old date, time and place, "20/12 jam 19:30 di Balai" */
	[R_MEETING_CHANGE] = { "meeting_change",
	    "Perubahan: musyawarah {jenis} desa {desa} menjadi {tanggal} jam "
	    "{jam} di {tempat} (semula {semula}). Mohon hadir." },
	/* One SMS each, the title cut to fit: it goes to every warga and
	 * pendamping of the village. The SMS to send is whole. */
	[R_PERDES_ANNOUNCE] = { "perdes_announce",
	    "Konsultasi Perdes desa {desa}: {judul}. Kirim usulan sampai "
	    "{sampai}, ketik: ASPIRASI {perdes} isi usulan. Berhenti: kirim "
	    "BERHENTI" },
	[R_PERDES_THANKS] = { "perdes_thanks",
	    "Konsultasi Perdes {perdes} desa {desa} sudah ditutup. Terima "
	    "kasih atas aspirasi Anda. Semua: {jumlah} aspirasi diterima." },
	/* To every warga and pendamping of the village, like the other
	 * announcements: the SMS to send whole, so {desa} must be one a
	 * message can carry (the code, or a one-word name). */
	[R_KEGIATAN_ANNOUNCE] = { "kegiatan_announce",
	    "APBDes {desa} {tahun}: {jumlah} kegiatan. Lihat: APBDES {desa}. "
	    "Lapor kemajuan: PANTAU {desa} {kegiatan} 50 catatan. Berhenti: "
	    "kirim BERHENTI" },
	/* ">{hari} hari" rather than "lebih dari": {selisih} had to fit */
	[R_DIGEST] = { "digest",
	    "Ringkasan {tanggal}: {laporan} laporan RAPAT/KADER, {baru} tiket "
	    "baru, {menunggu} tiket menunggu >{hari} hari, {ditahan} balasan "
	    "otomatis ditahan, {selisih} kegiatan APBDes selisih." },
	[R_CREDIT_LOW] = { "credit_low",
	    "Kentongan: pulsa modem {modem} tinggal Rp {pulsa} (batas Rp "
	    "{batas}). Mohon isi ulang." },
	/* The same facts as STATUS by SMS, worded for a screen: no keyword
	 * to type, and the example is the ticket alone. */
	[R_USSD_TICKET_BAD] = { "ussd_ticket_bad",
	    "Nomor tiket salah. Contoh: ADU-42" },
	[R_USSD_TICKET_UNKNOWN] = { "ussd_ticket_unknown",
	    "Tiket {tiket} tidak ditemukan. Contoh: ADU-42" },
	[R_USSD_TICKET_NOT_YOURS] = { "ussd_ticket_not_yours",
	    "Tiket {tiket} tidak dikirim dari nomor ini." },
	[R_USSD_STATUS] = { "ussd_status", "Tiket {tiket}: {status}. {catatan}" },
	[R_USSD_NO_MEETINGS] = { "ussd_no_meetings",
	    "Belum ada jadwal musyawarah." },
	[R_USSD_EXPIRED] = { "ussd_expired",
	    "Waktu sesi habis. Silakan panggil lagi." },
	[R_USSD_UNAVAILABLE] = { "ussd_unavailable",
	    "Maaf, layanan sedang gangguan. Coba lagi nanti." },
	[R_USSD_BUSY] = { "ussd_busy",
	    "Maaf, sistem sedang sibuk dan isian Anda belum tersimpan. "
	    "Silakan coba lagi sebentar lagi." },
	[R_USSD_BAD_CHOICE] = { "ussd_bad_choice", "Pilihan salah." },
	[R_USSD_EMPTY_ANSWER] = { "ussd_empty_answer", "Jawaban kosong." },
	/* above the numbered list of those villages */
	[R_USSD_DESA_AMBIGUOUS] = { "ussd_desa_ambiguous",
	    "Ada beberapa desa dengan nama itu." },
	[R_USSD_DESA_UNKNOWN] = { "ussd_desa_unknown", "Desa tidak dikenal." },
	[R_USSD_TEXT_CUT] = { "ussd_text_cut",
	    "Isi terlalu panjang, dipotong." },
	[R_USSD_SMS_SENT] = { "ussd_sms_sent", "Konfirmasi dikirim lewat SMS." },
	/* replies_per_hour reached: the screen must not promise an SMS */
	[R_USSD_NO_SMS] = { "ussd_no_sms",
	    "SMS konfirmasi tidak dikirim (batas per jam)." },
	[R_USSD_ENDED] = { "ussd_ended",
	    "Sesi ini sudah selesai. Silakan panggil lagi." },
	[R_USSD_BAD_PERSEN] = { "ussd_bad_persen",
	    "Ketik 1-100, atau 0% jika belum mulai." },
	/* The leads of reply_for_parse_error(). {kata} is the word at
	 * fault in quotes after a space, or "" when it cannot be shown, so
	 * "Tanggal{kata} tidak dikenal." reads either way; {field} is the
	 * field's name, {batas} the numbers allowed, {format} the keyword
	 * and its fields. */
	[R_ERR_EMPTY] = { "err_empty", "SMS kosong." },
	[R_ERR_UNKNOWN_KEYWORD] = { "err_unknown_keyword",
	    "Perintah{kata} tidak dikenal." },
	[R_ERR_MISSING_FIELD] = { "err_missing_field",
	    "Kurang {field}. Format: {format}." },
	[R_ERR_BAD_NUMBER] = { "err_bad_number",
	    "Angka {field}{kata} salah, harus {batas}." },
	[R_ERR_NOBODY] = { "err_nobody",
	    "Laki + perempuan minimal 1 orang." },
	[R_ERR_BAD_DATE] = { "err_bad_date",
	    "Tanggal{kata} tidak dikenal. Tulis tgl/bln, mis. 5/11, atau "
	    "HARIINI, KEMARIN." },
	[R_ERR_FUTURE_DATE] = { "err_future_date",
	    "Tanggal{kata} belum lewat." },
	[R_ERR_BAD_JENIS] = { "err_bad_jenis",
	    "Jenis{kata} tidak dikenal. Jenis: RPJM RKP APB PERDES SOS EVAL "
	    "KAD LAIN." },
	[R_ERR_BAD_TICKET] = { "err_bad_ticket",
	    "Penulisan {field}{kata} salah." },
	[R_ERR_BAD_PERDES] = { "err_bad_perdes",
	    "Kode konsultasi{kata} salah: huruf lalu angka." },
	/* a village of two words typed without '#' ends here: "APBDES suka
	 * maju" reads "maju" as the code */
	[R_ERR_BAD_KEGIATAN] = { "err_bad_kegiatan",
	    "Kode kegiatan{kata} salah: huruf lalu angka, mis. K01. Nama desa "
	    "2 kata: pakai #." },
	/* After an error lead when no keyword was understood. Not APBDES
	 * and PANTAU: with the longest quoted word they would take 173
	 * septets; BANTU lists them. */
	[R_ERR_COMMANDS] = { "err_commands",
	    "Perintah: RAPAT KADER ADUAN ASPIRASI STATUS BATAL DAFTAR "
	    "BERHENTI MULAI SIARAN. Contoh: " EX_ADUAN },
};

/* Each keyword's example (BERHENTI, MULAI, BANTU never fail). */
static const char *const examples[PK__COUNT] = {
	[PK_NONE] = EX_ADUAN,
	[PK_RAPAT] = EX_RAPAT,
	[PK_KADER] = EX_KADER,
	[PK_ADUAN] = EX_ADUAN,
	[PK_ASPIRASI] = EX_ASPIRASI,
	[PK_STATUS] = EX_STATUS,
	[PK_BATAL] = EX_BATAL,
	[PK_DAFTAR] = EX_DAFTAR,
	[PK_BERHENTI] = "BERHENTI",
	[PK_MULAI] = "MULAI",
	[PK_BANTU] = "BANTU ADUAN",
	[PK_SIARAN] = EX_SIARAN,
	[PK_APBDES] = EX_APBDES,
	[PK_PANTAU] = EX_PANTAU,
};

/* The lead of each parse error's reply. */
static const enum reply_id error_replies[PE__COUNT] = {
	[PE_OK] = R__COUNT,
	[PE_EMPTY] = R_ERR_EMPTY,
	[PE_UNKNOWN_KEYWORD] = R_ERR_UNKNOWN_KEYWORD,
	[PE_MISSING_FIELD] = R_ERR_MISSING_FIELD,
	[PE_BAD_NUMBER] = R_ERR_BAD_NUMBER,
	[PE_BAD_DATE] = R_ERR_BAD_DATE,
	[PE_FUTURE_DATE] = R_ERR_FUTURE_DATE,
	[PE_BAD_JENIS] = R_ERR_BAD_JENIS,
	[PE_BAD_TICKET] = R_ERR_BAD_TICKET,
	[PE_BAD_PERDES] = R_ERR_BAD_PERDES,
	[PE_BAD_KEGIATAN] = R_ERR_BAD_KEGIATAN,
};

/* The help text of each keyword. */
static const enum reply_id bantu_replies[PK__COUNT] = {
	[PK_NONE] = R_BANTU,
	[PK_RAPAT] = R_BANTU_RAPAT,
	[PK_KADER] = R_BANTU_KADER,
	[PK_ADUAN] = R_BANTU_ADUAN,
	[PK_ASPIRASI] = R_BANTU_ASPIRASI,
	[PK_STATUS] = R_BANTU_STATUS,
	[PK_BATAL] = R_BANTU_BATAL,
	[PK_DAFTAR] = R_BANTU_DAFTAR,
	[PK_BERHENTI] = R_BANTU_BERHENTI,
	[PK_MULAI] = R_BANTU_MULAI,
	[PK_BANTU] = R_BANTU,
	[PK_SIARAN] = R_BANTU_SIARAN,
	[PK_APBDES] = R_BANTU_APBDES,
	[PK_PANTAU] = R_BANTU_PANTAU,
};

/* Most placeholders one text may hold. */
#define MAX_SLOTS	16
/* Longest template, the error lead and help joined included. */
#define TEMPLATE_MAX	512
/* A render before copying out: the longest budget's septets (the parts
 * of a long SMS) of at most 4 bytes each. */
#define WORK_MAX	(SMS_PART_SEPTETS * REPLY_PARTS_MAX * 4 + 8)

struct slot {
	const char *value;
	size_t len;
	int septets;		/* of the whole sanitised value */
	int cap;		/* septets it may take */
};

/* The value given for placeholder name (n bytes), "" if none. */
static const char *
lookup(const struct reply_var *vars, size_t nvars, const char *name,
    size_t n)
{
	size_t i;

	for (i = 0; i < nvars; i++)
		if (vars[i].name != NULL && strlen(vars[i].name) == n &&
		    memcmp(vars[i].name, name, n) == 0)
			return vars[i].value != NULL ? vars[i].value : "";
	return "";
}

/* Length of a placeholder name at t ("{name}" without braces), 0 if t
 * does not start one. */
static size_t
placeholder(const char *t)
{
	size_t n = 0;

	if (t[0] != '{')
		return 0;
	while ((t[n + 1] >= 'a' && t[n + 1] <= 'z') || t[n + 1] == '_')
		n++;
	return n > 0 && t[n + 1] == '}' ? n : 0;
}

/* Septets of one literal character at t, and its byte length in *used. */
static int
literal_septets(const char *t, size_t *used)
{
	uint32_t cp;
	int ok, c;

	*used = utf8_decode((const unsigned char *)t, strlen(t), &cp, &ok);
	c = ok ? gsm7_char_septets(cp) : 0;
	return c ? c : 1;
}

/*
 * Share budget septets among the slots: a value that fits its fair share
 * keeps its length, the longer ones split what remains equally.
 */
static void
share_budget(struct slot *slots, size_t n, int budget)
{
	int done[MAX_SLOTS] = { 0 };
	size_t left = n, i;
	int share, progress = 1, extra;

	while (left > 0 && progress) {
		progress = 0;
		share = budget / (int)left;
		for (i = 0; i < n; i++) {
			if (!done[i] && slots[i].septets <= share) {
				slots[i].cap = slots[i].septets;
				budget -= slots[i].septets;
				done[i] = 1;
				left--;
				progress = 1;
			}
		}
	}
	if (left == 0)
		return;
	share = budget / (int)left;
	extra = budget % (int)left;
	for (i = 0; i < n; i++) {
		if (done[i])
			continue;
		slots[i].cap = share + (extra > 0 ? 1 : 0);
		if (extra > 0)
			extra--;
	}
}

/* Render template tpl with vars into out, in budget septets; see
 * reply_render. */
static int
render_template(const char *tpl, const struct reply_var *vars, size_t nvars,
    int budget, char *out, size_t cap)
{
	struct slot slots[MAX_SLOTS], *s;
	char work[WORK_MAX];
	size_t nslots = 0, n, used, o = 0, w;
	int fixed = 0, total = 0, septets, whole;
	const char *t;

	for (t = tpl; *t != '\0'; t += used) {
		if ((n = placeholder(t)) > 0) {
			if (nslots == MAX_SLOTS)
				return -1;
			slots[nslots].value = lookup(vars, nvars, t + 1, n);
			slots[nslots].len = strlen(slots[nslots].value);
			gsm7_sanitize(slots[nslots].value, slots[nslots].len,
			    budget + 1, NULL, &slots[nslots].septets,
			    &whole);
			slots[nslots].cap = slots[nslots].septets;
			total += slots[nslots].septets;
			nslots++;
			used = n + 2;
		} else
			fixed += literal_septets(t, &used);
	}
	if (fixed > budget)
		return -1;
	if (total > budget - fixed)
		share_budget(slots, nslots, budget - fixed);

	nslots = 0;
	for (t = tpl; *t != '\0'; t += used) {
		if ((n = placeholder(t)) == 0) {
			literal_septets(t, &used);
			memcpy(work + o, t, used);
			o += used;
			continue;
		}
		used = n + 2;
		s = &slots[nslots++];
		if (s->septets <= s->cap) {
			o += gsm7_sanitize(s->value, s->len, s->cap, work + o,
			    &septets, &whole);
		} else if (s->cap >= 2) {
			/* cut, and show it was cut */
			o += gsm7_sanitize(s->value, s->len, s->cap - 2,
			    work + o, &septets, &whole);
			work[o++] = '.';
			work[o++] = '.';
		} else
			o += gsm7_sanitize(s->value, s->len, s->cap, work + o,
			    &septets, &whole);
	}
	/* an empty last value leaves ". " behind: drop the trailing space */
	while (o > 0 && work[o - 1] == ' ')
		o--;
	w = o;
	if (out == NULL || w + 1 > cap)
		return -1;
	memcpy(out, work, w);
	out[w] = '\0';
	return (int)w;
}

/* Septets of a reply with no value cut; see reply.h. */
int
reply_septets(enum reply_id id, const struct reply_var *vars, size_t nvars)
{
	const char *t, *v;
	size_t n, used;
	int total = 0, septets, whole;

	if (id < 0 || id >= R__COUNT)
		return -1;
	for (t = replies[id].text; *t != '\0'; t += used) {
		if ((n = placeholder(t)) == 0) {
			total += literal_septets(t, &used);
			continue;
		}
		v = lookup(vars, nvars, t + 1, n);
		gsm7_sanitize(v, strlen(v), SMS_SEPTETS + 1, NULL, &septets,
		    &whole);
		total += septets;
		used = n + 2;
	}
	return total;
}

/* Render one reply; see reply.h. */
int
reply_render(enum reply_id id, const struct reply_var *vars, size_t nvars,
    char *out, size_t cap)
{
	if (id < 0 || id >= R__COUNT)
		return -1;
	return render_template(replies[id].text, vars, nvars, SMS_SEPTETS, out,
	    cap);
}

/* Render one reply into at most parts SMS; see reply.h. */
int
reply_render_parts(enum reply_id id, const struct reply_var *vars,
    size_t nvars, int parts, char *out, size_t cap)
{
	if (id < 0 || id >= R__COUNT || parts < 1 || parts > REPLY_PARTS_MAX)
		return -1;
	return render_template(replies[id].text, vars, nvars, parts == 1 ?
	    SMS_SEPTETS : parts * SMS_PART_SEPTETS, out, cap);
}

/* Most septets of a quoted word, its ".." included: enough to recognise
 * it, and the longest lead and example still fit (test_reply). */
#define QUOTE_SEPTETS	16

/*
 * The word at fault as {kata}: ' "word"', cut to QUOTE_SEPTETS with "..";
 * "" when there is none or it has a character outside GSM 7-bit (the
 * contract: such a word is not quoted at all, rather than shown garbled).
 */
static void
quote_word(const char *w, size_t n, char *out, size_t cap)
{
	int septets, whole;
	size_t o;

	out[0] = '\0';
	if (n == 0 || cap < QUOTE_SEPTETS * 3 + 8)
		return;
	septets = gsm7_septets(w, n);
	if (septets < 0)
		return;
	out[0] = ' ';
	out[1] = '"';
	o = 2 + gsm7_sanitize(w, n, septets <= QUOTE_SEPTETS ? septets :
	    QUOTE_SEPTETS - 2, out + 2, &septets, &whole);
	if (!whole) {
		out[o++] = '.';
		out[o++] = '.';
	}
	out[o++] = '"';
	out[o] = '\0';
}

/* "RAPAT desa tanggal jenis laki perempuan [catatan]": the keyword and its
 * fields, optional ones in brackets. */
static void
format_of(const struct kind_spec *ks, char *out, size_t cap)
{
	size_t i, o;
	int opt;

	o = (size_t)snprintf(out, cap, "%s", ks->keyword);
	for (i = 0; i < ks->nfields && o < cap; i++) {
		opt = FT_OPTIONAL(ks->fields[i].type);
		o += (size_t)snprintf(out + o, cap - o, opt ? " [%s]" : " %s",
		    ks->fields[i].name);
	}
}

/* The numbers field accepts, "0-9999", for {batas}. */
static void
bounds_of(const struct kind_spec *ks, const char *field, char *out,
    size_t cap)
{
	size_t i;
	int min = 0, max = NUMBER_MAX;

	for (i = 0; ks != NULL && i < ks->nfields; i++) {
		if (strcmp(ks->fields[i].name, field) != 0)
			continue;
		min = ks->fields[i].min;
		if (ks->fields[i].type == FT_PERSEN)
			max = PERSEN_MAX;
	}
	snprintf(out, cap, "%d-%d", min, max);
}

/* The lead that says what is wrong with r. */
static enum reply_id
error_lead(const struct parse_result *r)
{
	/* a bad number with no word at fault: laki and perempuan both 0 */
	if (r->error == PE_BAD_NUMBER && r->bad_len == 0)
		return R_ERR_NOBODY;
	return error_replies[r->error];
}

/* The reply to a failed parse: what is wrong, then an example. */
int
reply_for_parse_error(const struct parse_result *r, char *out, size_t cap)
{
	char tpl[TEMPLATE_MAX], kata[QUOTE_SEPTETS * 3 + 8], format[128];
	char batas[16];
	const struct kind_spec *ks = NULL;
	struct reply_var vars[] = { { "field", r->field }, { "kata", kata },
	    { "batas", batas }, { "format", format } };
	const char *lead;
	int n, no_keyword;

	if (r->error <= PE_OK || r->error >= PE__COUNT)
		return -1;
	no_keyword = r->error == PE_EMPTY || r->error == PE_UNKNOWN_KEYWORD;
	if (!no_keyword)
		ks = parser_kind_spec(r->kind);
	quote_word(r->bad, r->bad_len, kata, sizeof(kata));
	format[0] = '\0';
	if (ks != NULL)
		format_of(ks, format, sizeof(format));
	bounds_of(ks, r->field, batas, sizeof(batas));
	lead = replies[error_lead(r)].text;
	if (no_keyword)
		n = snprintf(tpl, sizeof(tpl), "%s %s", lead,
		    replies[R_ERR_COMMANDS].text);
	else
		n = snprintf(tpl, sizeof(tpl), "%s Contoh: %s", lead,
		    reply_example(r->kind));
	if (n < 0 || (size_t)n >= sizeof(tpl))
		return -1;
	return render_template(tpl, vars, sizeof(vars) / sizeof(vars[0]),
	    SMS_SEPTETS, out, cap);
}

/* The example of keyword k. */
const char *
reply_example(enum parse_kind k)
{
	return k >= 0 && k < PK__COUNT ? examples[k] : examples[PK_NONE];
}

/* The help text for a BANTU topic. */
enum reply_id
reply_bantu_topic(enum parse_kind topic)
{
	if (topic < 0 || topic >= PK__COUNT)
		return R_BANTU;
	return bantu_replies[topic];
}

/* The kind a canonical keyword names. */
enum parse_kind
reply_topic_kind(const char *keyword)
{
	const struct kind_spec *ks;
	int k;

	if (keyword == NULL)
		return PK_NONE;
	for (k = PK_NONE + 1; k < PK__COUNT; k++)
		if ((ks = parser_kind_spec((enum parse_kind)k)) != NULL &&
		    strcmp(ks->keyword, keyword) == 0)
			return (enum parse_kind)k;
	return PK_NONE;
}

/* The raw template of id. */
const char *
reply_template(enum reply_id id)
{
	return (id >= 0 && id < R__COUNT) ? replies[id].text : NULL;
}

/* The stable name of id. */
const char *
reply_name(enum reply_id id)
{
	return (id >= 0 && id < R__COUNT) ? replies[id].name : "unknown";
}

const char *
reply_month_name(int month)
{
	static const char *const months[] = { "Januari", "Februari", "Maret",
	    "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
	    "November", "Desember" };

	return month >= 1 && month <= 12 ? months[month - 1] : "";
}
