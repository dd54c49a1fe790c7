/*
 * parser: one inbound SMS text -> a typed request or an error with its field.
 * Pure: no I/O, no allocation; the caller passes "today" and owns all memory.
 * The contract is shared/SMS-FORMAT.md (copied into docs/sms-format.md).
 */
#ifndef KENTONGAN_PARSER_H
#define KENTONGAN_PARSER_H

#include <stddef.h>

enum parse_kind {
	PK_NONE = 0,		/* only when error != PE_OK */
	PK_RAPAT,
	PK_KADER,
	PK_ADUAN,
	PK_ASPIRASI,
	PK_STATUS,
	PK_BATAL,
	PK_DAFTAR,
	PK_BERHENTI,
	PK_MULAI,
	PK_BANTU,
	PK_SIARAN,
	PK_APBDES,
	PK_PANTAU,
	PK__COUNT
};

enum parse_error {
	PE_OK = 0,
	PE_EMPTY,
	PE_UNKNOWN_KEYWORD,
	PE_MISSING_FIELD,
	PE_BAD_NUMBER,
	PE_BAD_DATE,
	PE_FUTURE_DATE,
	PE_BAD_JENIS,
	PE_BAD_TICKET,
	PE_BAD_PERDES,
	PE_BAD_KEGIATAN,
	PE__COUNT
};

/* A calendar date; the parser never reads the clock. */
struct pdate {
	int year, month, day;
};

/*
 * The caller provides the result and a scratch buffer; every string field
 * below is NUL-terminated and points into scratch (or is a static ""), so the
 * parser allocates nothing. scratch_cap >= 2 * len + 64 always suffices.
 * Fields not used by the kind are "" / 0.
 */
struct parse_result {
	enum parse_kind kind;
	enum parse_error error;
	const char *field;	/* field at fault ("desa", "tanggal", ...) or "" */
	const char *keyword;	/* canonical keyword used ("RAPAT"), "" if none */
	int keyword_guessed;	/* 1 when a one-edit correction chose it */

	const char *desa;	/* "33.22.01.2005" or "SUKA MAJU" */
	const char *tanggal;	/* "YYYY-MM-DD" */
	const char *jenis;	/* canonical meeting type code */
	int laki, perempuan;
	const char *catatan;
	int jumlah;
	const char *topik;	/* kader: text; bantu: canonical keyword or "" */
	const char *isi;
	const char *perdes;
	const char *tiket;	/* "ADU-42" / "ASP-7" */
	const char *nomor;	/* "R-12" */
	const char *nama;
	const char *grup;	/* SEMUA, PENDAMPING, KOORDINATOR, WARGA or a desa */
	const char *kegiatan;	/* an APBDes activity code, "K01"; "" if absent */
	int persen;		/* PANTAU: 0..100 */
	/* ADUAN, even when its isi is missing: everything after the keyword
	 * as free text. The parser cannot tell a village from a word; when
	 * the gateway finds the first word is none, this is the complaint. */
	const char *isi_all;

	char *scratch;
	size_t scratch_cap;

	/*
	 * Byte lengths of the strings that echo message text. They differ from
	 * strlen() only when the message held a NUL byte, which the parser keeps
	 * as part of the text (kentongan parse prints it as \u0000).
	 */
	size_t desa_len, catatan_len, topik_len, isi_len, nama_len, grup_len;

	/*
	 * On an error, the word at fault as it was typed, for the reply to
	 * quote: it points into msg (not scratch), bad_len bytes. bad_len is
	 * 0 when no one word is at fault (a field missing, laki and
	 * perempuan both 0).
	 */
	const char *bad;
	size_t bad_len;
	size_t isi_all_len;
};

/* Parse len bytes of msg as of today. Returns 0 on success, -1 on error
 * (r->error, r->field say which); -1 with PE_EMPTY also when scratch is too
 * small to be safe. */
int parse_message(const char *msg, size_t len, const struct pdate *today,
    struct parse_result *r);

/*
 * A date as an office types it in a spreadsheet: YYYY-MM-DD, or the
 * tanggal forms that carry a year (d/m/yyyy, d-m-yy, d.m.yyyy, ddmmyyyy,
 * ddmmyy). No "today": any real date is accepted, future ones too.
 * Returns 0, or -1 if it is none of these or not a real date.
 */
int parse_office_date(const char *s, struct pdate *d);

/* Read exactly "YYYY-MM-DD" into *d. Returns 0, or -1 if it is not a
 * real date. */
int parse_iso_date(const char *s, struct pdate *d);

/*
 * The longest APBDes activity code: letters then digits. The office's
 * codes are short (K01, K12, PK3); the limits keep every reply that
 * echoes a code whole without cutting it, and keep a long word or number
 * in a message from passing for one. kegiatan import must refuse a code
 * the parser would not read (parse_kegiatan).
 */
#define KEGIATAN_LETTERS_MAX	8
#define KEGIATAN_DIGITS_MAX	4
#define KEGIATAN_MAX		(KEGIATAN_LETTERS_MAX + KEGIATAN_DIGITS_MAX)

/*
 * An activity code as anyone may type it, in an SMS or the office's
 * spreadsheet ("k01", "K 01"), written as the parser writes it ("K01").
 * Returns 0, or -1 when it is not a code.
 */
int parse_kegiatan(const char *s, char out[KEGIATAN_MAX + 1]);

/* A percentage as anyone may type it ("40", "40%", " 40 % "): 0..100
 * into *out. Returns 0, or -1 when it is not one. */
int parse_persen(const char *s, int *out);

/*
 * A ticket number as anyone may type it, in an SMS, a USSD answer or on the
 * command line ("ADU-42", "adu 0042", "Asp42"): type gets "ADU" or "ASP",
 * *seq the number. Returns 0, or -1 when it is not a ticket number.
 */
int parse_ticket(const char *s, char type[4], long long *seq);

/*
 * A village as anyone may type it, written the one way every channel
 * stores and looks it up: a 10-digit code (dots allowed) as
 * 33.22.01.2005, a name upper-cased with inner blanks folded to one.
 */
void parse_desa(const char *s, char *out, size_t cap);

/* Stable lower-case names used in JSON and the store. */
const char *parse_kind_name(enum parse_kind);	/* "rapat", ... */
const char *parse_error_name(enum parse_error);	/* "bad_date", ... */

#endif
