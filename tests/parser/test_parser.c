/*
 * test_parser: SMS-FORMAT.md as a table. Each row is a message, the day it
 * is parsed, and the JSON line `kentongan parse` must print for it (for
 * errors only "error/field" is compared; test_reply checks the texts).
 */
#include <stdio.h>
#include <string.h>

#include "parser/json.h"
#include "parser/parser.h"
#include "parser/parser_int.h"
#include "parser/reply.h"
#include "tests/testlib.h"

#define TODAY	"2026-11-28"

struct row {
	const char *today;	/* NULL: TODAY */
	const char *msg;
	const char *want;	/* JSON line, or "!error/field" */
};

#define OK_RAPAT(desa, tgl, jenis, l, p, cat)				\
	"{\"ok\":true,\"kind\":\"rapat\",\"desa\":\"" desa "\",\"tanggal\":\"" \
	tgl "\",\"jenis\":\"" jenis "\",\"laki\":" #l ",\"perempuan\":" #p \
	",\"catatan\":\"" cat "\"}"
#define OK_TGL(tgl)	OK_RAPAT("SUKAMAJU", tgl, "RKP", 1, 1, "")
#define OK_J(jenis)	OK_RAPAT("X", "2026-01-01", jenis, 1, 1, "")
#define OK_APBDES(desa, keg)						\
	"{\"ok\":true,\"kind\":\"apbdes\",\"desa\":\"" desa "\",\"kegiatan\":\"" \
	keg "\"}"
#define OK_PANTAU(desa, keg, persen, cat)				\
	"{\"ok\":true,\"kind\":\"pantau\",\"desa\":\"" desa "\",\"kegiatan\":\"" \
	keg "\",\"persen\":" #persen ",\"catatan\":\"" cat "\"}"
#define OK_W(keg, persen, cat)	OK_PANTAU("WATES", keg, persen, cat)

static const struct row rows[] = {
	/* the spec's examples */
	{ NULL, "RAPAT 3322012005 27/09 RKP 45 30",
	  OK_RAPAT("33.22.01.2005", "2026-09-27", "RKP", 45, 30, "") },
	{ NULL, "aduan#Suka Maju#Jembatan di dusun 2 rusak, mohon dicek",
	  "{\"ok\":true,\"kind\":\"aduan\",\"desa\":\"SUKA MAJU\",\"isi\":"
	  "\"Jembatan di dusun 2 rusak, mohon dicek\"}" },
	{ NULL, "RAPT sukamaju 1/12 rkp 4 5",
	  OK_RAPAT("SUKAMAJU", "2025-12-01", "RKP", 4, 5, "") },
	{ NULL, "KADER 3322012005 1/12/2026 10 posyandu",
	  "!future_date/tanggal" },

	/* every keyword and alias */
	{ NULL, "MUSDES 3322012005 27/09 RKP 45 30",
	  OK_RAPAT("33.22.01.2005", "2026-09-27", "RKP", 45, 30, "") },
	{ NULL, "musyawarah 3322012005 27/09 RKP 45 30",
	  OK_RAPAT("33.22.01.2005", "2026-09-27", "RKP", 45, 30, "") },
	{ NULL, "RAPAT 33.22.01.2005 27/09 apbdes 0 3 dihadiri  kepala desa",
	  OK_RAPAT("33.22.01.2005", "2026-09-27", "APB", 0, 3,
	    "dihadiri kepala desa") },
	{ NULL, "KADER 3322012005 27/09 25 posyandu balita",
	  "{\"ok\":true,\"kind\":\"kader\",\"desa\":\"33.22.01.2005\","
	  "\"tanggal\":\"2026-09-27\",\"jumlah\":25,\"topik\":"
	  "\"posyandu balita\"}" },
	{ NULL, "latih x 1/1 1 a",
	  "{\"ok\":true,\"kind\":\"kader\",\"desa\":\"X\",\"tanggal\":"
	  "\"2026-01-01\",\"jumlah\":1,\"topik\":\"a\"}" },
	{ NULL, "Pelatihan x 1/1 1 a",
	  "{\"ok\":true,\"kind\":\"kader\",\"desa\":\"X\",\"tanggal\":"
	  "\"2026-01-01\",\"jumlah\":1,\"topik\":\"a\"}" },
	{ NULL, "ADUAN sukamaju jalan rusak",
	  "{\"ok\":true,\"kind\":\"aduan\",\"desa\":\"SUKAMAJU\",\"isi\":"
	  "\"jalan rusak\"}" },
	{ NULL, "LAPOR sukamaju jalan rusak",
	  "{\"ok\":true,\"kind\":\"aduan\",\"desa\":\"SUKAMAJU\",\"isi\":"
	  "\"jalan rusak\"}" },
	{ NULL, "keluhan sukamaju jalan rusak",
	  "{\"ok\":true,\"kind\":\"aduan\",\"desa\":\"SUKAMAJU\",\"isi\":"
	  "\"jalan rusak\"}" },
	{ NULL, "ASPIRASI pd01 Mohon lampu jalan",
	  "{\"ok\":true,\"kind\":\"aspirasi\",\"perdes\":\"PD01\",\"isi\":"
	  "\"Mohon lampu jalan\"}" },
	{ NULL, "usul PD1 x",
	  "{\"ok\":true,\"kind\":\"aspirasi\",\"perdes\":\"PD1\",\"isi\":"
	  "\"x\"}" },
	{ NULL, "USULAN perdes12 x",
	  "{\"ok\":true,\"kind\":\"aspirasi\",\"perdes\":\"PERDES12\","
	  "\"isi\":\"x\"}" },
	{ NULL, "STATUS ADU-42",
	  "{\"ok\":true,\"kind\":\"status\",\"tiket\":\"ADU-42\"}" },
	{ NULL, "cek asp7",
	  "{\"ok\":true,\"kind\":\"status\",\"tiket\":\"ASP-7\"}" },
	{ NULL, "BATAL R-12",
	  "{\"ok\":true,\"kind\":\"batal\",\"nomor\":\"R-12\"}" },
	{ NULL, "DAFTAR 3322012005 Siti  Aminah",
	  "{\"ok\":true,\"kind\":\"daftar\",\"desa\":\"33.22.01.2005\","
	  "\"nama\":\"Siti Aminah\"}" },
	{ NULL, "reg sukamaju Budi",
	  "{\"ok\":true,\"kind\":\"daftar\",\"desa\":\"SUKAMAJU\","
	  "\"nama\":\"Budi\"}" },
	{ NULL, "BERHENTI", "{\"ok\":true,\"kind\":\"berhenti\"}" },
	{ NULL, "stop please", "{\"ok\":true,\"kind\":\"berhenti\"}" },
	{ NULL, "UNREG", "{\"ok\":true,\"kind\":\"berhenti\"}" },
	{ NULL, "MULAI", "{\"ok\":true,\"kind\":\"mulai\"}" },
	{ NULL, "start lagi", "{\"ok\":true,\"kind\":\"mulai\"}" },
	{ NULL, "BANTU", "{\"ok\":true,\"kind\":\"bantu\",\"topik\":\"\"}" },
	{ NULL, "help rapat",
	  "{\"ok\":true,\"kind\":\"bantu\",\"topik\":\"RAPAT\"}" },
	{ NULL, "INFO musdes",
	  "{\"ok\":true,\"kind\":\"bantu\",\"topik\":\"RAPAT\"}" },
	{ NULL, "?", "{\"ok\":true,\"kind\":\"bantu\",\"topik\":\"\"}" },
	{ NULL, "? aduan",
	  "{\"ok\":true,\"kind\":\"bantu\",\"topik\":\"ADUAN\"}" },
	{ NULL, "BANTU ASPRASI",
	  "{\"ok\":true,\"kind\":\"bantu\",\"topik\":\"ASPIRASI\"}" },
	{ NULL, "BANTU apa ini",
	  "{\"ok\":true,\"kind\":\"bantu\",\"topik\":\"\"}" },
	{ NULL, "BANTU#cek",
	  "{\"ok\":true,\"kind\":\"bantu\",\"topik\":\"STATUS\"}" },
	{ NULL, "SIARAN SEMUA Rapat besok jam 9",
	  "{\"ok\":true,\"kind\":\"siaran\",\"grup\":\"SEMUA\",\"isi\":"
	  "\"Rapat besok jam 9\"}" },
	{ NULL, "broadcast warga x",
	  "{\"ok\":true,\"kind\":\"siaran\",\"grup\":\"WARGA\",\"isi\":"
	  "\"x\"}" },
	{ NULL, "SIARAN 3322012005 x",
	  "{\"ok\":true,\"kind\":\"siaran\",\"grup\":\"33.22.01.2005\","
	  "\"isi\":\"x\"}" },
	{ NULL, "SIARAN#suka maju#x",
	  "{\"ok\":true,\"kind\":\"siaran\",\"grup\":\"SUKA MAJU\","
	  "\"isi\":\"x\"}" },

	/* keywords: case, one-edit guesses and their limits */
	{ NULL, "RaPaT x 1/1 rkp 1 1",
	  OK_J("RKP") },
	{ NULL, "RAPATT x 1/1 rkp 1 1",
	  OK_J("RKP") },	/* insert */
	{ NULL, "RAPET x 1/1 rkp 1 1",
	  OK_J("RKP") },	/* substitute */
	{ NULL, "ARPAT x 1/1 rkp 1 1",
	  OK_J("RKP") },	/* swap */
	{ NULL, "RAPTA x 1/1 rkp 1 1",
	  OK_J("RKP") },	/* swap at end */
	{ NULL, "MUSDSE x 1/1 rkp 1 1",
	  OK_J("RKP") },	/* alias */
	{ NULL, "ADUN x y", "{\"ok\":true,\"kind\":\"aduan\",\"desa\":\"X\","
	  "\"isi\":\"y\"}" },
	{ NULL, "STATSU ADU1",
	  "{\"ok\":true,\"kind\":\"status\",\"tiket\":\"ADU-1\"}" },
	{ NULL, "BERHNETI", "{\"ok\":true,\"kind\":\"berhenti\"}" },
	{ NULL, "STRAT", "{\"ok\":true,\"kind\":\"mulai\"}" },
	{ NULL, "SIARN semua x",
	  "{\"ok\":true,\"kind\":\"siaran\",\"grup\":\"SEMUA\",\"isi\":"
	  "\"x\"}" },
	{ NULL, "RPAT x", "!missing_field/tanggal" },
	{ NULL, "ARPTA x 1/1 rkp 1 1", "!unknown_keyword/" },	/* two swaps */
	{ NULL, "RAAPT x 1/1 rkp 1 1",
	  OK_J("RKP") },
	{ NULL, "RPAAT x 1/1 rkp 1 1",
	  OK_J("RKP") },
	{ NULL, "RAP x 1/1 rkp 1 1", "!unknown_keyword/" },	/* two edits */
	{ NULL, "RAPATTT x", "!unknown_keyword/" },
	{ NULL, "USU x y", "!unknown_keyword/" },	/* USUL is under 5 */
	{ NULL, "CEKK ADU-1", "!unknown_keyword/" },
	{ NULL, "HELPP", "!unknown_keyword/" },
	{ NULL, "STOPP", "!unknown_keyword/" },
	{ NULL, "HALO", "!unknown_keyword/" },
	{ NULL, "RAPAT2 x 1/1 rkp 1 1",
	  OK_J("RKP") },
	{ NULL, "RAPATx1/1", "!unknown_keyword/" },

	/* splitting: '#' and '*' mode, whitespace mode */
	{ NULL, "  RAPAT  3322012005,27/09;RKP 45 , 30  ",
	  OK_RAPAT("33.22.01.2005", "2026-09-27", "RKP", 45, 30, "") },
	{ NULL, "RAPAT\t3322012005\t27/09\tRKP\t45\t30\tok\tsekali",
	  OK_RAPAT("33.22.01.2005", "2026-09-27", "RKP", 45, 30,
	    "ok sekali") },
	{ NULL, "RAPAT*3322012005*27/09*RKP*45*30",
	  OK_RAPAT("33.22.01.2005", "2026-09-27", "RKP", 45, 30, "") },
	{ NULL, "RAPAT # suka  maju # 27/09 # RKP # 45 # 30 # ada, #1 dan *2",
	  OK_RAPAT("SUKA MAJU", "2026-09-27", "RKP", 45, 30,
	    "ada, #1 dan *2") },
	{ NULL, "RAPAT#sukamaju#27/09#RKP#45#30###",
	  OK_RAPAT("SUKAMAJU", "2026-09-27", "RKP", 45, 30, "") },
	{ NULL, "RAPAT##27/09#RKP#45#30", "!missing_field/desa" },
	{ NULL, "RAPAT#x#27/09##45#30", "!missing_field/jenis" },
	{ NULL, "RAPAT#x#27/09#RKP#45", "!missing_field/perempuan" },
	{ NULL, "RAPAT#x#27/09#RKP#45#", "!missing_field/perempuan" },
	{ NULL, "ADUAN#x#", "!missing_field/isi" },
	{ NULL, "ADUAN#x# # ", "!missing_field/isi" },
	{ NULL, "ADUAN#x#  jalan   rusak, lampu  #3 mati  ",
	  "{\"ok\":true,\"kind\":\"aduan\",\"desa\":\"X\",\"isi\":"
	  "\"jalan rusak, lampu #3 mati\"}" },
	{ NULL, "ADUAN x jalan; rusak,  parah!",
	  "{\"ok\":true,\"kind\":\"aduan\",\"desa\":\"X\",\"isi\":"
	  "\"jalan; rusak, parah!\"}" },
	{ NULL, "ADUAN x ,; jalan",
	  "{\"ok\":true,\"kind\":\"aduan\",\"desa\":\"X\",\"isi\":"
	  "\"jalan\"}" },
	{ NULL, "STATUS ADU-42#",
	  "{\"ok\":true,\"kind\":\"status\",\"tiket\":\"ADU-42\"}" },
	{ NULL, "STATUS#adu 0042",
	  "{\"ok\":true,\"kind\":\"status\",\"tiket\":\"ADU-42\"}" },
	{ NULL, "STATUS ADU-42 terima kasih",
	  "{\"ok\":true,\"kind\":\"status\",\"tiket\":\"ADU-42\"}" },
	/* '#' and '*' separate only after a keyword alone */
	{ NULL, "ADUAN sukamaju jalan di RT #3 rusak",
	  "{\"ok\":true,\"kind\":\"aduan\",\"desa\":\"SUKAMAJU\",\"isi\":"
	  "\"jalan di RT #3 rusak\"}" },
	{ NULL, "ADUAN x jalan rusak #3",
	  "{\"ok\":true,\"kind\":\"aduan\",\"desa\":\"X\",\"isi\":"
	  "\"jalan rusak #3\"}" },
	{ NULL, "ADUAN x*2 rusak",
	  "{\"ok\":true,\"kind\":\"aduan\",\"desa\":\"X*2\",\"isi\":"
	  "\"rusak\"}" },
	{ NULL, "KADER x 1/1 2 gizi*balita #1",
	  "{\"ok\":true,\"kind\":\"kader\",\"desa\":\"X\",\"tanggal\":"
	  "\"2026-01-01\",\"jumlah\":2,\"topik\":\"gizi*balita #1\"}" },
	{ NULL, "SIARAN semua rapat #2 besok",
	  "{\"ok\":true,\"kind\":\"siaran\",\"grup\":\"SEMUA\",\"isi\":"
	  "\"rapat #2 besok\"}" },
	{ NULL, "  aduan  # Suka Maju # x",
	  "{\"ok\":true,\"kind\":\"aduan\",\"desa\":\"SUKA MAJU\","
	  "\"isi\":\"x\"}" },
	{ NULL, "RAPT#suka maju#1/1#rkp#1#1",
	  OK_RAPAT("SUKA MAJU", "2026-01-01", "RKP", 1, 1, "") },
	{ NULL, "lapor*suka maju*x",
	  "{\"ok\":true,\"kind\":\"aduan\",\"desa\":\"SUKA MAJU\","
	  "\"isi\":\"x\"}" },
	{ NULL, "RAPAT sukamaju#1/1#rkp#1#1", "!missing_field/tanggal" },
	{ NULL, "HALO#x#y", "!unknown_keyword/" },
	{ NULL, "#ADUAN#x#y", "!unknown_keyword/" },
	{ NULL, "BERHENTI#", "{\"ok\":true,\"kind\":\"berhenti\"}" },

	/* empty */
	{ NULL, "", "!empty/" },
	{ NULL, "   \t ", "!empty/" },
	{ NULL, "#", "!empty/" },
	{ NULL, " # * ## ", "!empty/" },

	/* desa */
	{ NULL, "ADUAN 3322012005 x",
	  "{\"ok\":true,\"kind\":\"aduan\",\"desa\":\"33.22.01.2005\","
	  "\"isi\":\"x\"}" },
	{ NULL, "ADUAN 332201200 x",
	  "{\"ok\":true,\"kind\":\"aduan\",\"desa\":\"332201200\","
	  "\"isi\":\"x\"}" },
	{ NULL, "ADUAN 33220120051 x",
	  "{\"ok\":true,\"kind\":\"aduan\",\"desa\":\"33220120051\","
	  "\"isi\":\"x\"}" },
	{ NULL, "ADUAN 33..22.01.2005 x",
	  "{\"ok\":true,\"kind\":\"aduan\",\"desa\":\"33..22.01.2005\","
	  "\"isi\":\"x\"}" },
	{ NULL, "ADUAN 3322.01.2005. x",
	  "{\"ok\":true,\"kind\":\"aduan\",\"desa\":\"3322.01.2005.\","
	  "\"isi\":\"x\"}" },
	{ NULL, "ADUAN#  Kali   Bening  #x",
	  "{\"ok\":true,\"kind\":\"aduan\",\"desa\":\"KALI BENING\","
	  "\"isi\":\"x\"}" },
	{ NULL, "ADUAN", "!missing_field/desa" },
	{ NULL, "ADUAN x", "!missing_field/isi" },

	/* tanggal: forms */
	{ NULL, "RAPAT sukamaju 27/9 rkp 1 1", OK_TGL("2026-09-27") },
	{ NULL, "RAPAT sukamaju 27-09 rkp 1 1", OK_TGL("2026-09-27") },
	{ NULL, "RAPAT sukamaju 27.09 rkp 1 1", OK_TGL("2026-09-27") },
	{ NULL, "RAPAT sukamaju 27/09/26 rkp 1 1", OK_TGL("2026-09-27") },
	{ NULL, "RAPAT sukamaju 27-9-2026 rkp 1 1", OK_TGL("2026-09-27") },
	{ NULL, "RAPAT sukamaju 7.9.2025 rkp 1 1", OK_TGL("2025-09-07") },
	{ NULL, "RAPAT sukamaju 270926 rkp 1 1", OK_TGL("2026-09-27") },
	{ NULL, "RAPAT sukamaju 27092026 rkp 1 1", OK_TGL("2026-09-27") },
	{ NULL, "RAPAT sukamaju 01011999 rkp 1 1", OK_TGL("1999-01-01") },
	{ NULL, "RAPAT sukamaju hariini rkp 1 1", OK_TGL("2026-11-28") },
	{ NULL, "RAPAT sukamaju KEMARIN rkp 1 1", OK_TGL("2026-11-27") },
	{ NULL, "RAPAT sukamaju 28/11 rkp 1 1", OK_TGL("2026-11-28") },
	{ NULL, "RAPAT sukamaju 29/11 rkp 1 1", OK_TGL("2025-11-29") },
	{ NULL, "RAPAT sukamaju 28/11/2026 rkp 1 1", OK_TGL("2026-11-28") },
	{ NULL, "RAPAT sukamaju 29/11/2026 rkp 1 1", "!future_date/tanggal" },
	{ NULL, "RAPAT sukamaju 291126 rkp 1 1", "!future_date/tanggal" },
	{ NULL, "RAPAT sukamaju 1/1/27 rkp 1 1", "!future_date/tanggal" },
	{ NULL, "RAPAT sukamaju 31/02 rkp 1 1", "!bad_date/tanggal" },
	{ NULL, "RAPAT sukamaju 31/04/2026 rkp 1 1", "!bad_date/tanggal" },
	{ NULL, "RAPAT sukamaju 31/4 rkp 1 1", "!bad_date/tanggal" },
	{ NULL, "RAPAT sukamaju 0/1 rkp 1 1", "!bad_date/tanggal" },
	{ NULL, "RAPAT sukamaju 1/13 rkp 1 1", "!bad_date/tanggal" },
	{ NULL, "RAPAT sukamaju 1/0 rkp 1 1", "!bad_date/tanggal" },
	{ NULL, "RAPAT sukamaju 123/1 rkp 1 1", "!bad_date/tanggal" },
	{ NULL, "RAPAT sukamaju 1/1/202 rkp 1 1", "!bad_date/tanggal" },
	{ NULL, "RAPAT sukamaju 1/1/20261 rkp 1 1", "!bad_date/tanggal" },
	{ NULL, "RAPAT sukamaju 1/1/0000 rkp 1 1", "!bad_date/tanggal" },
	{ NULL, "RAPAT sukamaju 1/1/ rkp 1 1", "!bad_date/tanggal" },
	{ NULL, "RAPAT sukamaju 1/ rkp 1 1", "!bad_date/tanggal" },
	{ NULL, "RAPAT sukamaju /1 rkp 1 1", "!bad_date/tanggal" },
	{ NULL, "RAPAT sukamaju 1 rkp 1 1", "!bad_date/tanggal" },
	{ NULL, "RAPAT sukamaju 2709 rkp 1 1", "!bad_date/tanggal" },
	{ NULL, "RAPAT sukamaju 2709261 rkp 1 1", "!bad_date/tanggal" },
	{ NULL, "RAPAT sukamaju 320126 rkp 1 1", "!bad_date/tanggal" },
	{ NULL, "RAPAT sukamaju 1x/1 rkp 1 1", "!bad_date/tanggal" },
	{ NULL, "RAPAT sukamaju 1:1 rkp 1 1", "!bad_date/tanggal" },
	{ NULL, "RAPAT sukamaju besok rkp 1 1", "!bad_date/tanggal" },
	{ NULL, "RAPAT sukamaju", "!missing_field/tanggal" },

	/* tanggal: month ends, leap years, the year boundary */
	{ "2026-03-01", "RAPAT sukamaju kemarin rkp 1 1", OK_TGL("2026-02-28") },
	{ "2024-03-01", "RAPAT sukamaju kemarin rkp 1 1", OK_TGL("2024-02-29") },
	{ "2026-01-01", "RAPAT sukamaju kemarin rkp 1 1", OK_TGL("2025-12-31") },
	{ "2026-05-01", "RAPAT sukamaju kemarin rkp 1 1", OK_TGL("2026-04-30") },
	{ "2026-01-01", "RAPAT sukamaju hariini rkp 1 1", OK_TGL("2026-01-01") },
	{ "2026-01-01", "RAPAT sukamaju 31/12 rkp 1 1", OK_TGL("2025-12-31") },
	{ "2026-01-01", "RAPAT sukamaju 1/1 rkp 1 1", OK_TGL("2026-01-01") },
	{ "2026-01-01", "RAPAT sukamaju 2/1 rkp 1 1", OK_TGL("2025-01-02") },
	{ "2026-01-01", "RAPAT sukamaju 31/12/2025 rkp 1 1",
	  OK_TGL("2025-12-31") },
	{ "2025-12-31", "RAPAT sukamaju 1/1/26 rkp 1 1",
	  "!future_date/tanggal" },
	{ NULL, "RAPAT sukamaju 29/02 rkp 1 1", OK_TGL("2024-02-29") },
	{ "2024-02-29", "RAPAT sukamaju 29/02 rkp 1 1", OK_TGL("2024-02-29") },
	{ "2024-02-28", "RAPAT sukamaju 29/02 rkp 1 1", OK_TGL("2020-02-29") },
	{ "2104-01-01", "RAPAT sukamaju 29/2 rkp 1 1", OK_TGL("2096-02-29") },
	{ NULL, "RAPAT sukamaju 29/02/2024 rkp 1 1", OK_TGL("2024-02-29") },
	{ NULL, "RAPAT sukamaju 29/02/2025 rkp 1 1", "!bad_date/tanggal" },
	{ NULL, "RAPAT sukamaju 29/02/2000 rkp 1 1", OK_TGL("2000-02-29") },
	{ NULL, "RAPAT sukamaju 29/02/1900 rkp 1 1", "!bad_date/tanggal" },
	{ NULL, "RAPAT sukamaju 290224 rkp 1 1", OK_TGL("2024-02-29") },
	{ NULL, "RAPAT sukamaju 290225 rkp 1 1", "!bad_date/tanggal" },
	{ NULL, "RAPAT sukamaju 30/02 rkp 1 1", "!bad_date/tanggal" },
	{ NULL, "RAPAT sukamaju 31/12 rkp 1 1", OK_TGL("2025-12-31") },
	{ NULL, "RAPAT sukamaju 30/11 rkp 1 1", OK_TGL("2025-11-30") },
	{ NULL, "RAPAT sukamaju 31/10 rkp 1 1", OK_TGL("2026-10-31") },
	{ NULL, "RAPAT sukamaju 31/11 rkp 1 1", "!bad_date/tanggal" },
	{ "2026-12-31", "RAPAT sukamaju 31/12 rkp 1 1", OK_TGL("2026-12-31") },
	{ "2026-12-31", "RAPAT sukamaju 311226 rkp 1 1", OK_TGL("2026-12-31") },

	/* jenis: every code and alias, exact only */
	{ NULL, "RAPAT x 1/1 RPJM 1 1", OK_J("RPJM") },
	{ NULL, "RAPAT x 1/1 rpjmdes 1 1", OK_J("RPJM") },
	{ NULL, "RAPAT x 1/1 RPJMDesa 1 1", OK_J("RPJM") },
	{ NULL, "RAPAT x 1/1 RKP 1 1", OK_J("RKP") },
	{ NULL, "RAPAT x 1/1 RKPDES 1 1", OK_J("RKP") },
	{ NULL, "RAPAT x 1/1 RKPDESA 1 1", OK_J("RKP") },
	{ NULL, "RAPAT x 1/1 APB 1 1", OK_J("APB") },
	{ NULL, "RAPAT x 1/1 APBDES 1 1", OK_J("APB") },
	{ NULL, "RAPAT x 1/1 apbdesa 1 1", OK_J("APB") },
	{ NULL, "RAPAT x 1/1 perdes 1 1", OK_J("PERDES") },
	{ NULL, "RAPAT x 1/1 SOS 1 1", OK_J("SOS") },
	{ NULL, "RAPAT x 1/1 sosialisasi 1 1", OK_J("SOS") },
	{ NULL, "RAPAT x 1/1 EVAL 1 1", OK_J("EVAL") },
	{ NULL, "RAPAT x 1/1 evaluasi 1 1", OK_J("EVAL") },
	{ NULL, "RAPAT x 1/1 KAD 1 1", OK_J("KAD") },
	{ NULL, "RAPAT x 1/1 kerjasama 1 1", OK_J("KAD") },
	{ NULL, "RAPAT x 1/1 LAIN 1 1", OK_J("LAIN") },
	{ NULL, "RAPAT x 1/1 RKPP 1 1", "!bad_jenis/jenis" },
	{ NULL, "RAPAT x 1/1 EVALUASII 1 1", "!bad_jenis/jenis" },
	{ NULL, "RAPAT x 1/1 musdes 1 1", "!bad_jenis/jenis" },
	{ NULL, "RAPAT x 1/1", "!missing_field/jenis" },

	/* numbers */
	{ NULL, "RAPAT x 1/1 LAIN 9999 0", OK_RAPAT("X", "2026-01-01", "LAIN",
	  9999, 0, "") },
	{ NULL, "RAPAT x 1/1 LAIN 0045 007", OK_RAPAT("X", "2026-01-01", "LAIN",
	  45, 7, "") },
	{ NULL, "RAPAT x 1/1 LAIN 10000 1", "!bad_number/laki" },
	{ NULL, "RAPAT x 1/1 LAIN 99999999999999999999 1", "!bad_number/laki" },
	{ NULL, "RAPAT x 1/1 LAIN -1 1", "!bad_number/laki" },
	{ NULL, "RAPAT x 1/1 LAIN +1 1", "!bad_number/laki" },
	{ NULL, "RAPAT x 1/1 LAIN 4.5 1", "!bad_number/laki" },
	/* a '.' between groups of three digits is a thousands separator */
	{ NULL, "RAPAT x 1/1 LAIN 1.200 80", OK_RAPAT("X", "2026-01-01", "LAIN",
	  1200, 80, "") },
	{ NULL, "RAPAT x 1/1 LAIN 9.999 0.045", OK_RAPAT("X", "2026-01-01",
	  "LAIN", 9999, 45, "") },
	{ NULL, "KADER x 1/1 1.000 topik",
	  "{\"ok\":true,\"kind\":\"kader\",\"desa\":\"X\",\"tanggal\":"
	  "\"2026-01-01\",\"jumlah\":1000,\"topik\":\"topik\"}" },
	{ NULL, "RAPAT x 1/1 LAIN 10.000 1", "!bad_number/laki" },
	{ NULL, "RAPAT x 1/1 LAIN 1.20 1", "!bad_number/laki" },
	{ NULL, "RAPAT x 1/1 LAIN 1.2000 1", "!bad_number/laki" },
	{ NULL, "RAPAT x 1/1 LAIN 12.000.0 1", "!bad_number/laki" },
	{ NULL, "RAPAT x 1/1 LAIN 1.000.000 1", "!bad_number/laki" },
	{ NULL, "RAPAT x 1/1 LAIN 1000.200 1", "!bad_number/laki" },
	{ NULL, "RAPAT x 1/1 LAIN .200 1", "!bad_number/laki" },
	{ NULL, "RAPAT x 1/1 LAIN 1. 1", "!bad_number/laki" },
	{ NULL, "RAPAT x 1/1 LAIN 1..200 1", "!bad_number/laki" },
	{ NULL, "RAPAT x 1/1 LAIN 1 1.2.3", "!bad_number/perempuan" },
	{ NULL, "KADER x 1/1 0.000 topik", "!bad_number/jumlah" },
	/* laki and perempuan may be labelled with their letter */
	{ NULL, "RAPAT x 1/1 LAIN L40 P35", OK_RAPAT("X", "2026-01-01", "LAIN",
	  40, 35, "") },
	{ NULL, "RAPAT x 1/1 LAIN l:40 p=35 ok", OK_RAPAT("X", "2026-01-01",
	  "LAIN", 40, 35, "ok") },
	{ NULL, "RAPAT x 1/1 LAIN L=1.200 P:0", OK_RAPAT("X", "2026-01-01",
	  "LAIN", 1200, 0, "") },
	{ NULL, "RAPAT#x#1/1#LAIN#L40#p35#catatan",
	  OK_RAPAT("X", "2026-01-01", "LAIN", 40, 35, "catatan") },
	{ NULL, "RAPAT x 1/1 LAIN P40 L35", "!bad_number/laki" },
	{ NULL, "RAPAT x 1/1 LAIN L40 L35", "!bad_number/perempuan" },
	{ NULL, "RAPAT x 1/1 LAIN L 40 P35", "!bad_number/laki" },
	{ NULL, "RAPAT x 1/1 LAIN L: 40", "!bad_number/laki" },
	{ NULL, "RAPAT x 1/1 LAIN LL40 1", "!bad_number/laki" },
	{ NULL, "RAPAT x 1/1 LAIN L:=40 1", "!bad_number/laki" },
	{ NULL, "RAPAT x 1/1 LAIN L0 P0", "!bad_number/laki" },
	{ NULL, "KADER x 1/1 J5 topik", "!bad_number/jumlah" },
	{ NULL, "RAPAT x 1/1 LAIN 1 lima", "!bad_number/perempuan" },
	{ NULL, "RAPAT x 1/1 LAIN 0 0", "!bad_number/laki" },
	{ NULL, "RAPAT x 1/1 LAIN 0 00 catatan", "!bad_number/laki" },
	{ NULL, "RAPAT x 1/1 LAIN 0 x", "!bad_number/perempuan" },
	{ NULL, "RAPAT x 1/1 LAIN 0", "!missing_field/perempuan" },
	{ NULL, "RAPAT x 1/1 LAIN", "!missing_field/laki" },
	{ NULL, "KADER x 1/1 0 topik", "!bad_number/jumlah" },
	{ NULL, "KADER x 1/1 dua topik", "!bad_number/jumlah" },
	{ NULL, "KADER x 1/1 2", "!missing_field/topik" },
	{ NULL, "KADER x 1/1 2 ,;", "!missing_field/topik" },
	/* checked in order: the first field at fault */
	{ NULL, "RAPAT x 31/02 BAD -1 x", "!bad_date/tanggal" },
	{ NULL, "RAPAT x 1/1 BAD -1 x", "!bad_jenis/jenis" },

	/* tickets and record numbers */
	{ NULL, "STATUS adu42",
	  "{\"ok\":true,\"kind\":\"status\",\"tiket\":\"ADU-42\"}" },
	{ NULL, "STATUS ADU 0042",
	  "{\"ok\":true,\"kind\":\"status\",\"tiket\":\"ADU-42\"}" },
	{ NULL, "STATUS ADU- 42",
	  "{\"ok\":true,\"kind\":\"status\",\"tiket\":\"ADU-42\"}" },
	{ NULL, "STATUS ADU -42",
	  "{\"ok\":true,\"kind\":\"status\",\"tiket\":\"ADU-42\"}" },
	{ NULL, "STATUS Asp-0",
	  "{\"ok\":true,\"kind\":\"status\",\"tiket\":\"ASP-0\"}" },
	{ NULL, "STATUS ASP-000",
	  "{\"ok\":true,\"kind\":\"status\",\"tiket\":\"ASP-0\"}" },
	{ NULL, "STATUS ASP-000999999999",
	  "{\"ok\":true,\"kind\":\"status\",\"tiket\":\"ASP-999999999\"}" },
	{ NULL, "STATUS ASP-1000000000", "!bad_ticket/tiket" },
	{ NULL, "STATUS ADU", "!bad_ticket/tiket" },
	{ NULL, "STATUS ADU-", "!bad_ticket/tiket" },
	{ NULL, "STATUS ADU--42", "!bad_ticket/tiket" },
	{ NULL, "STATUS ADU 42x", "!bad_ticket/tiket" },
	{ NULL, "STATUS ADU x", "!bad_ticket/tiket" },
	{ NULL, "STATUS 42", "!bad_ticket/tiket" },
	{ NULL, "STATUS R-42", "!bad_ticket/tiket" },
	{ NULL, "STATUS ADUAN-42", "!bad_ticket/tiket" },
	{ NULL, "STATUS", "!missing_field/tiket" },
	{ NULL, "BATAL r12",
	  "{\"ok\":true,\"kind\":\"batal\",\"nomor\":\"R-12\"}" },
	{ NULL, "BATAL R 0012",
	  "{\"ok\":true,\"kind\":\"batal\",\"nomor\":\"R-12\"}" },
	{ NULL, "BATAL#R 12",
	  "{\"ok\":true,\"kind\":\"batal\",\"nomor\":\"R-12\"}" },
	{ NULL, "BATAL R-12 salah ketik",
	  "{\"ok\":true,\"kind\":\"batal\",\"nomor\":\"R-12\"}" },
	{ NULL, "BATAL 12", "!bad_ticket/nomor" },
	{ NULL, "BATAL ADU-12", "!bad_ticket/nomor" },
	{ NULL, "BATAL R", "!bad_ticket/nomor" },
	{ NULL, "BATAL", "!missing_field/nomor" },

	/* perdes */
	{ NULL, "ASPIRASI PD x", "!bad_perdes/perdes" },
	{ NULL, "ASPIRASI 01 x", "!bad_perdes/perdes" },
	{ NULL, "ASPIRASI PD01A x", "!bad_perdes/perdes" },
	{ NULL, "ASPIRASI PD-01 x", "!bad_perdes/perdes" },
	{ NULL, "ASPIRASI PD01", "!missing_field/isi" },
	{ NULL, "ASPIRASI", "!missing_field/perdes" },

	/* APBDES: desa, [kegiatan]; aliases DANA, ANGGARAN */
	{ NULL, "APBDES 3322012005 K01", OK_APBDES("33.22.01.2005", "K01") },
	{ NULL, "APBDES wates", OK_APBDES("WATES", "") },
	{ NULL, "dana wates k01", OK_APBDES("WATES", "K01") },
	{ NULL, "Anggaran wates pk3", OK_APBDES("WATES", "PK3") },
	{ NULL, "APBDES wates k 01", OK_APBDES("WATES", "K01") },
	{ NULL, "APBDES wates K 01 terima kasih", OK_APBDES("WATES", "K01") },
	{ NULL, "APBDES wates K01 terima kasih", OK_APBDES("WATES", "K01") },
	/* "Dana Desa": the word desa before the village is passed over */
	{ NULL, "DANA DESA WATES", OK_APBDES("WATES", "") },
	{ NULL, "dana desa wates k01", OK_APBDES("WATES", "K01") },
	{ NULL, "APBDES Desa 3322012005", OK_APBDES("33.22.01.2005", "") },
	{ NULL, "DANA DESA", OK_APBDES("DESA", "") },	/* alone: the village */
	{ NULL, "DANA DESAKU", OK_APBDES("DESAKU", "") },
	{ NULL, "APBDES#desa#K01", OK_APBDES("DESA", "K01") },
	{ NULL, "APBDES wates,k01;", OK_APBDES("WATES", "K01") },
	{ NULL, "APBDES#Suka Maju#K01", OK_APBDES("SUKA MAJU", "K01") },
	{ NULL, "APBDES#Suka Maju", OK_APBDES("SUKA MAJU", "") },
	{ NULL, "APBDES#Suka Maju##", OK_APBDES("SUKA MAJU", "") },
	{ NULL, "APBDES#Suka Maju# k 01 ", OK_APBDES("SUKA MAJU", "K01") },
	{ NULL, "APBDES wates ABCDEFGH1234", OK_APBDES("WATES",
	  "ABCDEFGH1234") },		/* the limits: 8 letters, 4 digits */
	{ NULL, "APBDES wates K0001", OK_APBDES("WATES", "K0001") },
	{ NULL, "APBDES wates ABCDEFGHI1", "!bad_kegiatan/kegiatan" },
	{ NULL, "APBDES wates K12345", "!bad_kegiatan/kegiatan" },
	{ NULL, "APBDES wates K", "!bad_kegiatan/kegiatan" },
	{ NULL, "APBDES wates 01", "!bad_kegiatan/kegiatan" },
	{ NULL, "APBDES wates K01X", "!bad_kegiatan/kegiatan" },
	{ NULL, "APBDES wates K-01", "!bad_kegiatan/kegiatan" },
	{ NULL, "APBDES#wates#K01 K02", "!bad_kegiatan/kegiatan" },
	/* a two-word village without '#': its second word is no code */
	{ NULL, "APBDES suka maju", "!bad_kegiatan/kegiatan" },
	{ NULL, "APBDES suka maju K01", "!bad_kegiatan/kegiatan" },
	{ NULL, "APBDES wates terima kasih", "!bad_kegiatan/kegiatan" },
	{ NULL, "APBDES", "!missing_field/desa" },
	{ NULL, "APBDES#", "!missing_field/desa" },
	{ NULL, "APBDS wates", OK_APBDES("WATES", "") },	/* one edit */
	{ NULL, "APBDESA wates k01", OK_APBDES("WATES", "K01") },
	{ NULL, "ANGARAN wates", OK_APBDES("WATES", "") },
	{ NULL, "DANAA wates", "!unknown_keyword/" },	/* DANA is under 5 */
	{ NULL, "DAN wates", "!unknown_keyword/" },
	/* and RAPAT's jenis APBDES is still a meeting type, not a keyword */
	{ NULL, "RAPAT x 1/1 apbdes 1 1", OK_J("APB") },

	/* PANTAU: desa, kegiatan, persen, [catatan]; alias AWASI */
	{ NULL, "PANTAU 3322012005 K01 40 baru diratakan",
	  OK_PANTAU("33.22.01.2005", "K01", 40, "baru diratakan") },
	{ NULL, "PANTAU wates k01 60%", OK_W("K01", 60, "") },
	{ NULL, "PANTAU wates k01 60 %", OK_W("K01", 60, "") },
	{ NULL, "PANTAU wates k01 60 % baru  diratakan",
	  OK_W("K01", 60, "baru diratakan") },
	{ NULL, "PANTAU wates k01 60% 50% aspal", OK_W("K01", 60, "50% aspal") },
	{ NULL, "PANTAU wates k01 60 %% x", OK_W("K01", 60, "%% x") },
	{ NULL, "PANTAU wates k 01 0 belum mulai",
	  OK_W("K01", 0, "belum mulai") },
	{ NULL, "PANTAU wates k 01 7 %", OK_W("K01", 7, "") },
	{ NULL, "PANTAU wates K01 100 selesai", OK_W("K01", 100, "selesai") },
	{ NULL, "PANTAU wates K01 0100", OK_W("K01", 100, "") },
	{ NULL, "PANTAU wates K01 40,baru", OK_W("K01", 40, "baru") },
	{ NULL, "AWASI wates K01 40", OK_W("K01", 40, "") },
	{ NULL, "awasi#wates#K01#40#x", OK_W("K01", 40, "x") },
	{ NULL, "PANTAU#Suka Maju#K01#40#baru diratakan",
	  OK_PANTAU("SUKA MAJU", "K01", 40, "baru diratakan") },
	{ NULL, "PANTAU#Suka Maju#k 01# 40 % #baru, #2 *diratakan",
	  OK_PANTAU("SUKA MAJU", "K01", 40, "baru, #2 *diratakan") },
	{ NULL, "PANTAU#Suka Maju#K01#40",
	  OK_PANTAU("SUKA MAJU", "K01", 40, "") },
	{ NULL, "PANTAU#Suka Maju#K01##x", "!missing_field/persen" },
	{ NULL, "PANTAU#Suka Maju##40", "!missing_field/kegiatan" },
	{ NULL, "PANTAU wates K01 101", "!bad_number/persen" },
	{ NULL, "PANTAU wates K01 101%", "!bad_number/persen" },
	{ NULL, "PANTAU wates K01 1000 %", "!bad_number/persen" },
	{ NULL, "PANTAU wates K01 99999999999999999999", "!bad_number/persen" },
	{ NULL, "PANTAU wates K01 -5", "!bad_number/persen" },
	{ NULL, "PANTAU wates K01 60.5", "!bad_number/persen" },
	{ NULL, "PANTAU wates K01 0.100", "!bad_number/persen" },
	{ NULL, "PANTAU wates K01 %", "!bad_number/persen" },
	{ NULL, "PANTAU wates K01 60%%", "!bad_number/persen" },
	{ NULL, "PANTAU wates K01 enam puluh", "!bad_number/persen" },
	{ NULL, "PANTAU wates K01", "!missing_field/persen" },
	{ NULL, "PANTAU wates", "!missing_field/kegiatan" },
	{ NULL, "PANTAU", "!missing_field/desa" },
	{ NULL, "PANTAU wates 01 40", "!bad_kegiatan/kegiatan" },
	{ NULL, "PANTAU wates K 40", "!missing_field/persen" },	/* K40 */
	{ NULL, "PANTAU wates K01X 40", "!bad_kegiatan/kegiatan" },
	{ NULL, "PANTAU suka maju K01 40", "!bad_kegiatan/kegiatan" },
	{ NULL, "PANTAI wates K01 40", OK_W("K01", 40, "") },	/* beach */
	/* one edit from PANTAU and from BANTU: no guess */
	{ NULL, "PANTU wates K01 40", "!unknown_keyword/" },
	{ NULL, "BANTAU wates K01 40", "!unknown_keyword/" },
	{ NULL, "PANTUA wates K01 40", OK_W("K01", 40, "") },
	{ NULL, "PNATAU wates K01 40", OK_W("K01", 40, "") },
	{ NULL, "AWAS wates K01 40", OK_W("K01", 40, "") },	/* AWASI */
	{ NULL, "PANTAUAN wates K01 40", "!unknown_keyword/" },	/* 2 edits */
	{ NULL, "BANTU APBDES",
	  "{\"ok\":true,\"kind\":\"bantu\",\"topik\":\"APBDES\"}" },
	{ NULL, "BANTU dana",
	  "{\"ok\":true,\"kind\":\"bantu\",\"topik\":\"APBDES\"}" },
	{ NULL, "help pantau",
	  "{\"ok\":true,\"kind\":\"bantu\",\"topik\":\"PANTAU\"}" },
	{ NULL, "? awasi",
	  "{\"ok\":true,\"kind\":\"bantu\",\"topik\":\"PANTAU\"}" },

	/* text keeps case and punctuation, folds white space */
	{ NULL, "ADUAN x  Jalan\t\tRUSAK ,  \"parah\"\\ 100%  ",
	  "{\"ok\":true,\"kind\":\"aduan\",\"desa\":\"X\",\"isi\":"
	  "\"Jalan RUSAK , \\\"parah\\\"\\\\ 100%\"}" },
	{ NULL, "DAFTAR x", "!missing_field/nama" },
	{ NULL, "SIARAN", "!missing_field/grup" },
	{ NULL, "SIARAN semua", "!missing_field/isi" },
};

/* Check one row: parse, format as kentongan parse would, compare. */
static void
check_row(const struct row *rw)
{
	struct parse_result r;
	struct pdate today;
	char scratch[4096], json[8192], reply[REPLY_MAX], want[256];
	size_t n;
	int rc;

	CHECK(parse_iso_date(rw->today ? rw->today : TODAY, &today) == 0,
	    "today %s", rw->today);
	memset(&r, 0, sizeof(r));
	r.scratch = scratch;
	r.scratch_cap = sizeof(scratch);
	rc = parse_message(rw->msg, strlen(rw->msg), &today, &r);
	reply[0] = '\0';
	if (rc < 0)
		CHECK(reply_for_parse_error(&r, reply, sizeof(reply)) > 0,
		    "reply for %s", rw->msg);
	n = json_format_result(&r, reply, json, sizeof(json));
	CHECK(n < sizeof(json), "json fits");
	if (rw->want[0] == '!') {
		const char *slash = strchr(rw->want, '/');

		snprintf(want, sizeof(want),
		    "{\"ok\":false,\"error\":\"%.*s\",\"field\":\"%s\",\"reply\":",
		    (int)(slash - rw->want - 1), rw->want + 1, slash + 1);
		CHECK(rc == -1 && strncmp(json, want, strlen(want)) == 0,
		    "%s\n    got  %s\n    want %s...", rw->msg, json, want);
	} else {
		CHECK(rc == 0 && strcmp(json, rw->want) == 0,
		    "%s\n    got  %s\n    want %s", rw->msg, json, rw->want);
	}
}

/* A guess must be unique: a word one edit from two keywords is refused. */
static void
check_guess_rules(void)
{
	static const struct kw_entry tab[] = {
		{ "RAPAT", 1 }, { "RAPIT", 2 }, { "KADER", 3 },
		{ "KADERS", 3 }, { "ABCD", 4 },
	};
	size_t n = sizeof(tab) / sizeof(tab[0]);
	int g;

	CHECK_INT(kw_match(tab, n, "RAPUT", 5, &g), -1);	/* 1 and 2 */
	CHECK_INT(kw_match(tab, n, "rapat", 5, &g), 1);
	CHECK_INT(g, 0);
	CHECK_INT(kw_match(tab, n, "KADE", 4, &g), 3);	/* one keyword, */
	CHECK_INT(g, 1);				/* two of its words */
	CHECK_INT(kw_match(tab, n, "KADERX", 6, &g), 3);
	CHECK_INT(kw_match(tab, n, "ABC", 3, &g), -1);	/* under 5 letters */
	CHECK_INT(kw_match(tab, n, "ABCD", 4, &g), 4);
	CHECK_INT(kw_match(tab, n, "ABCDEFGHIJKLMNOPQRSTUVWXYZ", 26, &g), -1);
}

/* The guess is reported, and the canonical keyword is named. */
static void
check_guess_flag(void)
{
	struct parse_result r;
	struct pdate today = { 2026, 11, 28 };
	char scratch[256];

	memset(&r, 0, sizeof(r));
	r.scratch = scratch;
	r.scratch_cap = sizeof(scratch);
	CHECK_INT(parse_message("RAPT x 1/1 RKP 1 1", 18, &today, &r), 0);
	CHECK_INT(r.keyword_guessed, 1);
	CHECK_STR(r.keyword, "RAPAT");
	CHECK_INT(parse_message("musdes x 1/1 RKP 1 1", 20, &today, &r), 0);
	CHECK_INT(r.keyword_guessed, 0);
	CHECK_STR(r.keyword, "RAPAT");
	/* on a field error the keyword and kind are still known */
	CHECK_INT(parse_message("RAPT x", 6, &today, &r), -1);
	CHECK_INT(r.kind, PK_RAPAT);
	CHECK_STR(r.keyword, "RAPAT");
	CHECK_INT(parse_message("APBDS x", 7, &today, &r), 0);
	CHECK_INT(r.keyword_guessed, 1);
	CHECK_STR(r.keyword, "APBDES");
	CHECK_INT(parse_message("dana x", 6, &today, &r), 0);
	CHECK_INT(r.keyword_guessed, 0);
	CHECK_STR(r.keyword, "APBDES");
	CHECK_INT(parse_message("PANTAI x K1 1", 13, &today, &r), 0);
	CHECK_INT(r.keyword_guessed, 1);
	CHECK_STR(r.keyword, "PANTAU");
	CHECK_INT(parse_message("xyz", 3, &today, &r), -1);
	CHECK_INT(r.kind, PK_NONE);
	CHECK_STR(r.keyword, "");
}

/* NUL bytes are text; the scratch bound of parser.h holds; bad callers. */
static void
check_edges(void)
{
	struct parse_result r;
	struct pdate today = { 2026, 11, 28 };
	static const char nul_msg[] = "ADUAN x a\0b";
	char scratch[2 * 64 + 64], json[1024];
	char big[64];
	size_t i;

	memset(&r, 0, sizeof(r));
	r.scratch = scratch;
	r.scratch_cap = sizeof(scratch);
	CHECK_INT(parse_message(nul_msg, sizeof(nul_msg) - 1, &today, &r), 0);
	CHECK_INT(r.isi_len, 3);
	CHECK(memcmp(r.isi, "a\0b", 4) == 0, "isi keeps the NUL");
	json_format_result(&r, NULL, json, sizeof(json));
	CHECK_STR(json, "{\"ok\":true,\"kind\":\"aduan\",\"desa\":\"X\","
	    "\"isi\":\"a\\u0000b\"}");
	CHECK_INT(parse_message("\0", 1, &today, &r), -1);
	CHECK_INT(r.error, PE_UNKNOWN_KEYWORD);

	/* the worst case for scratch: short fields that grow */
	memcpy(big, "RAPAT 3322012005 1/1 RKP 1 1 x", 30);
	r.scratch_cap = 2 * 30 + 64;
	CHECK_INT(parse_message(big, 30, &today, &r), 0);
	r.scratch_cap = 2 * 30 + 63;
	CHECK_INT(parse_message(big, 30, &today, &r), -1);
	CHECK_INT(r.error, PE_EMPTY);
	r.scratch_cap = sizeof(scratch);
	CHECK_INT(parse_message(big, 30, NULL, &r), -1);
	r.scratch = NULL;
	CHECK_INT(parse_message(big, 30, &today, &r), -1);
	r.scratch = scratch;
	CHECK_INT(parse_message(NULL, 0, &today, &r), -1);
	CHECK_INT(r.error, PE_EMPTY);
	for (i = 0; i < sizeof(big); i++)
		big[i] = ' ';
	CHECK_INT(parse_message(big, sizeof(big), &today, &r), -1);
	CHECK_INT(r.error, PE_EMPTY);
}

/* The word at fault, as typed, for the reply to quote. */
static void
check_bad_words(void)
{
	static const struct {
		const char *msg, *bad;
	} cases[] = {
		{ "RAPAT sumogawe tgl 5/11 RKP 45 30", "tgl" },
		{ "RAPAT x 1/1 SOS L4 P4x 80", "P4x" },
		{ "RAPAT x 1/1 SOS 4.5 80", "4.5" },
		{ "RAPAT x 1/1 RKPP 1 1", "RKPP" },
		{ "RAPAT#x#  1 / 13 #RKP#1#1", "1 / 13" },
		{ "KADER x 1/12/2026 1 t", "1/12/2026" },
		{ "STATUS ADU x", "ADU x" },
		{ "BATAL 12", "12" },
		{ "ASPIRASI PD-01 x", "PD-01" },
		{ "APBDES wates k x", "k x" },
		{ "APBDES suka maju", "maju" },
		{ "PANTAU wates K01 101 %", "101 %" },
		{ "PANTAU wates K01 101 % x", "101 %" },
		{ "PANTAU#x#K01# 1 01 # x", "1 01" },
		{ "Halo pak, jalan rusak", "Halo" },
		{ "#ADUAN#x", "#ADUAN#x" },
		{ "RAPAT x 1/1 RKP 0 0", "" },	/* no one word */
		{ "RAPAT x 1/1 RKP 1", "" },	/* missing */
		{ "", "" },
	};
	struct parse_result r;
	struct pdate today = { 2026, 11, 28 };
	char scratch[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&r, 0, sizeof(r));
		r.scratch = scratch;
		r.scratch_cap = sizeof(scratch);
		CHECK(parse_message(cases[i].msg, strlen(cases[i].msg), &today,
		    &r) == -1, "%s fails", cases[i].msg);
		CHECK(r.bad_len == strlen(cases[i].bad) && (r.bad_len == 0 ||
		    memcmp(r.bad, cases[i].bad, r.bad_len) == 0),
		    "%s: bad \"%.*s\" want \"%s\"", cases[i].msg,
		    (int)r.bad_len, r.bad_len ? r.bad : "", cases[i].bad);
	}
}

/* Names used in JSON and the store. */
static void
check_names(void)
{
	CHECK_STR(parse_kind_name(PK_RAPAT), "rapat");
	CHECK_STR(parse_kind_name(PK_SIARAN), "siaran");
	CHECK_STR(parse_error_name(PE_BAD_PERDES), "bad_perdes");
	CHECK_STR(parse_kind_name(PK_APBDES), "apbdes");
	CHECK_STR(parse_kind_name(PK_PANTAU), "pantau");
	CHECK_STR(parse_error_name(PE_BAD_KEGIATAN), "bad_kegiatan");
	CHECK_STR(parse_error_name(PE_UNKNOWN_KEYWORD), "unknown_keyword");
	CHECK_STR(parse_error_name((enum parse_error)99), "unknown");
}

int
main(void)
{
	size_t i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		check_row(&rows[i]);
	check_guess_rules();
	check_guess_flag();
	check_edges();
	check_names();
	check_bad_words();
	return test_summary("test_parser");
}
