/*
 * reply: every SMS text the gateway sends, in one table (reply.c), and the
 * renderer that fills a text's {name} placeholders so the result is GSM
 * 7-bit only and fits one SMS (160 septets). Pure.
 */
#ifndef KENTONGAN_REPLY_H
#define KENTONGAN_REPLY_H

#include <stddef.h>

#include "parser/gsm7.h"
#include "parser/parser.h"

/* Bytes that always hold a rendered reply and its NUL (a GSM character is
 * at most 2 UTF-8 bytes a septet). */
#define REPLY_MAX	(SMS_SEPTETS * 2 + 1)

/*
 * One id per reply text. The placeholders each text takes are listed; a
 * placeholder with no value given renders as "". Every value is a string,
 * numbers included ("45"). {nomor} is the whole record number as the
 * parser writes it ("R-1234"), {tiket} the whole ticket ("ADU-42"),
 * {keyword} a canonical keyword ("RAPAT").
 */
enum reply_id {
	/* confirmations */
	R_OK_RAPAT,		/* {nomor} {desa} {tanggal} {jenis} {laki} {perempuan} */
	R_OK_KADER,		/* {nomor} {desa} {tanggal} {jumlah} {topik} */
	R_OK_ADUAN,		/* {tiket} {desa} */
	R_OK_ASPIRASI,		/* {tiket} {perdes} */
	R_STATUS,		/* {tiket} {status} {catatan} */
	R_BATAL_OK,		/* {nomor} */
	R_BATAL_TOO_LATE,	/* {nomor} */
	R_BATAL_NOT_YOURS,	/* {nomor} */
	R_BATAL_UNKNOWN,	/* {nomor} */
	R_OK_DAFTAR,		/* {nama} {desa} */
	R_OK_BERHENTI,
	R_OK_MULAI,
	/* an older BERHENTI (MULAI) read after a newer MULAI (BERHENTI):
	 * {dikirim} when it was sent, {terakhir} when the one that stands was */
	R_BERHENTI_OLDER,
	R_MULAI_OLDER,
	R_OK_SIARAN,		/* {grup} {jumlah} */
	/* help: general, then one per keyword topic */
	R_BANTU,
	R_BANTU_RAPAT,
	R_BANTU_KADER,
	R_BANTU_ADUAN,
	R_BANTU_ASPIRASI,
	R_BANTU_STATUS,
	R_BANTU_BATAL,
	R_BANTU_DAFTAR,
	R_BANTU_BERHENTI,
	R_BANTU_MULAI,
	R_BANTU_SIARAN,
	R_BANTU_APBDES,
	R_BANTU_PANTAU,
	/* refusals and notices */
	R_NOT_PENDAMPING,	/* {keyword} {nomor}: stored, not counted */
	R_NOT_KOORDINATOR,	/* SIARAN refused */
	R_DESA_UNKNOWN,		/* {desa} {contoh}: reply_example() */
	R_DESA_CHOICES,		/* {jumlah} {desa} {pilihan} {keyword}: which? */
	R_TICKET_UNKNOWN,	/* {tiket} */
	R_TICKET_NOT_YOURS,	/* {tiket} */
	R_PERDES_CLOSED,	/* {perdes} {daftar} {contoh}: the village's open */
	R_PERDES_NONE_OPEN,	/* {perdes}: none open in the sender's village */
	R_TICKET_UPDATE,	/* {tiket} {status} {catatan}: pushed to the sender */
	R_TICKET_UPDATE_CUT,	/* {tiket} {status} {catatan}: the note cut */
	R_FLAGGED_DESA,		/* {keyword} {nomor} {desa}: village not assigned */
	/* {keyword} {nomor} {ulang} {desa} {tanggal}: the same report as
	 * {ulang}, not counted twice; BATAL {ulang} still possible, or not */
	R_DUPLICATE,
	R_DUPLICATE_LATE,
	R_BATAL_REPLACED,	/* {nomor} {ganti}: its repeat counts instead */
	/* the office withdrew a report: {nomor} {keyword} {desa} {tanggal}
	 * {alasan}, and {ganti} when a repeat of it counts instead */
	R_RECORD_WITHDRAWN,
	R_RECORD_WITHDRAWN_REPLACED,
	R_INCOMPLETE,		/* a long SMS whose parts never all arrived */
	R_NOT_ALLOWED,		/* {keyword} not for this sender's role */
	/* APBDES and PANTAU. Amounts come rendered ("Rp1,24 M"), dates as
	 * "d/m", {tahun} the budget year, {kegiatan} an activity code. */
	/* {desa} {tahun} {pendapatan} {belanja} {dana_desa} {daftar} {contoh}:
	 * {daftar} "K01 Jalan dsn 2, K02 Posyandu" (as many as fit, cut by
	 * the caller), {contoh} "APBDES WATES K01" */
	R_APBDES_TOTAL,
	/* {kegiatan} {nama} {desa} {anggaran} {sumber} {mulai} {selesai}
	 * {resmi} {warga}: {resmi} is R_PROGRES_RESMI(_NONE) rendered,
	 * {warga} R_PROGRES_WARGA(_NONE) */
	R_APBDES_KEGIATAN,
	R_PROGRES_RESMI,	/* {persen} {tanggal}: "40% (12/5)" */
	R_PROGRES_RESMI_NONE,
	R_PROGRES_WARGA,	/* {jumlah} {persen}: how many, their median */
	R_PROGRES_WARGA_NONE,
	/* no budget of {tahun} for {desa}: ask the village office or the
	 * office of kecamatan {kecamatan} */
	R_APBDES_NONE,
	/* {kegiatan} {desa} {tahun} {daftar} {contoh}: no such activity;
	 * {daftar} the village's codes "K01, K02, K03", {contoh} a whole
	 * PANTAU or APBDES SMS with the first of them */
	R_KEGIATAN_UNKNOWN,
	/* {kegiatan} {nama} {desa} {persen}: stored as the verified progress
	 * (the village's pendamping, a koordinator) / as an observation */
	R_OK_PANTAU_RESMI,
	R_OK_PANTAU_WARGA,
	/* what the gateway sends first (not replies) */
	R_MEETING_ANNOUNCE,	/* {jenis} {desa} {tanggal} {jam} {tempat} */
	/* {hari}: "besok" or "hari ini", from the day it goes out */
	R_MEETING_REMINDER,	/* {hari} {jenis} {desa} {tanggal} {jam} {tempat} */
	R_MEETING_CANCEL,	/* {jenis} {desa} {tanggal} {jam} {alasan} */
	/* {jenis} {desa} {tanggal} {jam} {tempat}, the new ones; {semula} */
	R_MEETING_CHANGE,
	R_PERDES_ANNOUNCE,	/* {desa} {judul} {sampai} {perdes} */
	R_PERDES_THANKS,	/* {perdes} {desa} {jumlah}: when it closes */
	/* kegiatan import --announce: {desa} {tahun} {jumlah} {kegiatan}
	 * (the first code): how to ask (APBDES) and report (PANTAU) */
	R_KEGIATAN_ANNOUNCE,
	R_DIGEST,		/* {tanggal} {laporan} {baru} {menunggu} {hari}
				 * {ditahan} {selisih}: activities newly
				 * flagged (report kegiatan's selisih) */
	R_CREDIT_LOW,		/* {modem} {pulsa} {batas}: to coordinators */
	/* USSD screens that are not a menu (the menu is ussd_menu.c) */
	R_USSD_TICKET_BAD,
	R_USSD_TICKET_UNKNOWN,	/* {tiket} */
	R_USSD_TICKET_NOT_YOURS, /* {tiket} */
	R_USSD_STATUS,		/* {tiket} {status} {catatan} */
	R_USSD_NO_MEETINGS,
	R_USSD_EXPIRED,
	R_USSD_UNAVAILABLE,
	R_USSD_BUSY,
	R_USSD_BAD_CHOICE,	/* shown above a menu on a wrong answer */
	R_USSD_EMPTY_ANSWER,
	R_USSD_DESA_AMBIGUOUS,
	R_USSD_DESA_UNKNOWN,
	R_USSD_TEXT_CUT,	/* on an action's end screen */
	R_USSD_SMS_SENT,
	R_USSD_NO_SMS,
	R_USSD_ENDED,
	R_USSD_BAD_PERSEN,	/* Dana desa: not a percentage 0..100 */
	/* parse errors: the lead of reply_for_parse_error(), {field} {kata}
	 * {batas} {format} */
	R_ERR_EMPTY,
	R_ERR_UNKNOWN_KEYWORD,
	R_ERR_MISSING_FIELD,
	R_ERR_BAD_NUMBER,
	R_ERR_NOBODY,		/* laki and perempuan both 0 */
	R_ERR_BAD_DATE,
	R_ERR_FUTURE_DATE,
	R_ERR_BAD_JENIS,
	R_ERR_BAD_TICKET,
	R_ERR_BAD_PERDES,
	R_ERR_BAD_KEGIATAN,
	R_ERR_COMMANDS,		/* the keywords, after a lead without one */
	R__COUNT
};

struct reply_var {
	const char *name;	/* placeholder name without braces: "tiket" */
	const char *value;	/* untrusted UTF-8; NULL is "" */
};

/* A long SMS: septets a part holds (7 go to the concatenation header),
 * and the most parts a reply may take (STATUS with a long office note). */
#define SMS_PART_SEPTETS	153
#define REPLY_PARTS_MAX		3
/* Bytes that always hold a reply of REPLY_PARTS_MAX parts and its NUL. */
#define REPLY_LONG_MAX		(SMS_PART_SEPTETS * REPLY_PARTS_MAX * 2 + 1)

/*
 * Render reply id into out (cap bytes; REPLY_MAX always suffices). Values
 * are sanitised to GSM 7-bit (other characters become '?') and the longest
 * are cut, ending in "..", so the whole reply fits 160 septets. Returns the
 * length, or -1 if id is unknown or out is too small.
 */
int reply_render(enum reply_id id, const struct reply_var *vars, size_t nvars,
    char *out, size_t cap);

/* reply_render into at most parts (1..REPLY_PARTS_MAX) SMS: a long SMS of
 * parts * SMS_PART_SEPTETS septets when parts > 1 (cap: REPLY_LONG_MAX). */
int reply_render_parts(enum reply_id id, const struct reply_var *vars,
    size_t nvars, int parts, char *out, size_t cap);

/* Septets reply id takes with vars, no value cut: more than SMS_SEPTETS
 * means reply_render would cut one. -1 if id is unknown. */
int reply_septets(enum reply_id id, const struct reply_var *vars,
    size_t nvars);

/*
 * The reply to a failed parse: what is wrong, quoting the word at fault
 * (r->bad) when it is GSM 7-bit, shortened when long; then an example of
 * the keyword (or the keywords, when there is none).
 * Returns the length, or -1 if r holds no error or out is too small.
 */
int reply_for_parse_error(const struct parse_result *r, char *out, size_t cap);

/* The example of keyword k, a whole SMS that parses as k ("RAPAT
 * 3322012005 5/11 RKP 45 30"); an ADUAN one for PK_NONE. */
const char *reply_example(enum parse_kind k);

/* The help text for a BANTU topic (PK_NONE or PK_BANTU: the general one). */
enum reply_id reply_bantu_topic(enum parse_kind topic);

/* The help topic a canonical keyword names ("RAPAT" -> PK_RAPAT); PK_NONE
 * for "" or anything else. */
enum parse_kind reply_topic_kind(const char *keyword);

/* The raw template of id, NULL if unknown; for tests and docs. */
const char *reply_template(enum reply_id id);
/* The month's name as people read it in a text ({bulan}): 1 is
 * "Januari"; "" outside 1..12. */
const char *reply_month_name(int month);

/* A stable lower-case name of id ("ok_rapat"), for logs and the store. */
const char *reply_name(enum reply_id id);

#endif
