#include "gateway/ussd/ussd_menu.h"
#include "parser/parser.h"
#include "parser/reply.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum screen_type {
	T_MENU,		/* fixed options */
	T_INPUT,	/* one typed answer */
	T_CHOICE,	/* a numbered list made from the store */
	T_VILLAGE,	/* which of the villages a typed name may mean */
	T_BRANCH,	/* no screen: goes on by a condition */
	T_END,		/* the last screen: may carry out an action */
};

enum input_kind { IN_NONE, IN_DESA, IN_TEXT, IN_TICKET,
	IN_DESA_MINE,	/* "1" the caller's own village, or one typed */
	IN_PERSEN,	/* 0..100 */
	IN_TEXT_OPT,	/* free text, or nothing ("" or "-") */
};
enum lookup { L_NONE, L_STATUS, L_MEETINGS,
	L_KEGIATAN,	/* a choice of the village's activities */
	L_KEGIATAN_ONE,	/* the activity chosen */
};

enum screen_id {
	S_MAIN, S_ASP, S_ASP_DESA, S_ASP_PILIH, S_ASP_NONE, S_ASP_ISI,
	S_ASP_OK, S_ADU_DESA, S_ADU_ISI, S_ADU_OK, S_CEK, S_CEK_OK, S_JADWAL,
	S_JADWAL_DESA, S_JADWAL_OK, S_DESA_PILIH, S_DANA, S_DANA_MINE,
	S_DANA_DESA, S_DANA_LIST, S_DANA_NONE, S_DANA_KEG, S_DANA_PERSEN,
	S_DANA_CATATAN, S_DANA_OK, S__COUNT
};

#define OPTIONS_MAX	5

struct option_def {
	const char *key;
	enum screen_id next;
};

/* One screen of the menu. Placeholders: {desa} {pilihan} {perdes} {judul}
 * {tiket} {status} {jadwal} {catatan} (what became of the text and the SMS
 * confirmation, after an action), and Dana desa's: {tahun} {pendapatan}
 * {belanja} {dana_desa} {kegiatan} {nama} {anggaran} {sumber} {mulai}
 * {selesai} {resmi} {warga} {persen}. */
struct screen {
	const char *name;
	enum screen_type type;
	const char *text;
	struct option_def options[OPTIONS_MAX];
	enum input_kind input;
	enum screen_id next;	/* after a good answer; a branch's "yes" */
	enum screen_id other;	/* a branch's "no"; a choice with no items */
	enum ussd_action action;
	enum lookup lookup;
};

#define NAV "\n0 Kembali 00 Menu"

static const struct screen screens[S__COUNT] = {
	[S_MAIN] = { "main", T_MENU,
	    "Kentongan: layanan desa\n1 Aspirasi Perdes\n2 Lapor aduan\n"
	    "3 Cek status tiket\n4 Jadwal musyawarah\n5 Dana desa",
	    { { "1", S_ASP }, { "2", S_ADU_DESA }, { "3", S_CEK },
	      { "4", S_JADWAL }, { "5", S_DANA } } },
	/* A caller registered with a village goes straight to its list. */
	[S_ASP] = { "aspirasi", T_BRANCH, NULL, { { NULL, 0 } }, IN_NONE,
	    S_ASP_PILIH, S_ASP_DESA },
	[S_ASP_DESA] = { "aspirasi_desa", T_INPUT,
	    "Aspirasi Perdes\nKetik kode desa (10 angka) atau nama desa:" NAV,
	    { { NULL, 0 } }, IN_DESA, S_ASP_PILIH },
	[S_ASP_PILIH] = { "aspirasi_pilih", T_CHOICE,
	    "Konsultasi Perdes di {desa}:\n{pilihan}" NAV,
	    { { NULL, 0 } }, IN_NONE, S_ASP_ISI, S_ASP_NONE },
	[S_ASP_NONE] = { "aspirasi_tidak_ada", T_END,
	    "Tidak ada konsultasi Perdes yang dibuka di {desa} saat ini." },
	[S_ASP_ISI] = { "aspirasi_isi", T_INPUT,
	    "{perdes} {judul}\nKetik aspirasi Anda:" NAV,
	    { { NULL, 0 } }, IN_TEXT, S_ASP_OK },
	[S_ASP_OK] = { "aspirasi_ok", T_END,
	    "Aspirasi untuk {perdes} diterima, tiket {tiket}. {catatan}"
	    "Terima kasih.",
	    { { NULL, 0 } }, IN_NONE, 0, 0, USSD_ASPIRASI },
	[S_ADU_DESA] = { "aduan_desa", T_INPUT,
	    "Lapor aduan\nKetik kode desa (10 angka) atau nama desa:" NAV,
	    { { NULL, 0 } }, IN_DESA, S_ADU_ISI },
	[S_ADU_ISI] = { "aduan_isi", T_INPUT,
	    "Aduan untuk {desa}.\nKetik isi aduan:" NAV,
	    { { NULL, 0 } }, IN_TEXT, S_ADU_OK },
	[S_ADU_OK] = { "aduan_ok", T_END,
	    "Aduan diterima, tiket {tiket}. {catatan}Cek status: menu 3.",
	    { { NULL, 0 } }, IN_NONE, 0, 0, USSD_ADUAN },
	[S_CEK] = { "status_tiket", T_INPUT,
	    "Cek status tiket\nKetik nomor tiket (contoh ADU-42):" NAV,
	    { { NULL, 0 } }, IN_TICKET, S_CEK_OK },
	[S_CEK_OK] = { "status_hasil", T_END, "{status}",
	    { { NULL, 0 } }, IN_NONE, 0, 0, USSD_NONE, L_STATUS },
	[S_JADWAL] = { "jadwal", T_BRANCH, NULL, { { NULL, 0 } }, IN_NONE,
	    S_JADWAL_OK, S_JADWAL_DESA },
	[S_JADWAL_DESA] = { "jadwal_desa", T_INPUT,
	    "Jadwal musyawarah\nKetik kode desa (10 angka) atau nama desa:" NAV,
	    { { NULL, 0 } }, IN_DESA, S_JADWAL_OK },
	[S_JADWAL_OK] = { "jadwal_hasil", T_END, "Jadwal di {desa}:\n{jadwal}",
	    { { NULL, 0 } }, IN_NONE, 0, 0, USSD_NONE, L_MEETINGS },
	/* After any village screen whose name several villages share; a
	 * pick goes on as that screen's answer would have. */
	[S_DESA_PILIH] = { "desa_pilih", T_VILLAGE,
	    "Pilih desa:\n{pilihan}" NAV },
	/* Dana desa: the budget of a village, its activities, and an
	 * observation of one (PANTAU by USSD). A registered caller's own
	 * village is offered first. */
	[S_DANA] = { "dana", T_BRANCH, NULL, { { NULL, 0 } }, IN_NONE,
	    S_DANA_MINE, S_DANA_DESA },
	[S_DANA_MINE] = { "dana_desa_saya", T_INPUT,
	    "Dana desa\n1 {desa}\natau ketik nama/kode desa lain:" NAV,
	    { { NULL, 0 } }, IN_DESA_MINE, S_DANA_LIST },
	[S_DANA_DESA] = { "dana_desa", T_INPUT,
	    "Dana desa\nKetik kode desa (10 angka) atau nama desa:" NAV,
	    { { NULL, 0 } }, IN_DESA, S_DANA_LIST },
	/* three activities fit under the totals; any other by its code */
	[S_DANA_LIST] = { "dana_apbdes", T_CHOICE,
	    "APBDes {desa} {tahun}\nPendapatan {pendapatan}\n"
	    "Belanja {belanja}\nDana Desa {dana_desa}\n{pilihan}" NAV,
	    { { NULL, 0 } }, IN_NONE, S_DANA_KEG, S_DANA_NONE, USSD_NONE,
	    L_KEGIATAN },
	[S_DANA_NONE] = { "dana_tidak_ada", T_END,
	    "APBDes {desa} {tahun} belum dimasukkan. Tanyakan ke kantor desa "
	    "atau kantor kecamatan." },
	[S_DANA_KEG] = { "dana_kegiatan", T_MENU,
	    "{kegiatan} {nama}\n{anggaran} {sumber}, {mulai}-{selesai}\n"
	    "Resmi: {resmi}\nWarga: {warga}\n1 Kirim pantauan" NAV,
	    { { "1", S_DANA_PERSEN } }, IN_NONE, 0, 0, USSD_NONE,
	    L_KEGIATAN_ONE },
	[S_DANA_PERSEN] = { "dana_persen", T_INPUT,
	    "Pantau {kegiatan} {nama}\nPersen selesai menurut Anda "
	    "(1-100, 0% jika belum mulai):" NAV,
	    { { NULL, 0 } }, IN_PERSEN, S_DANA_CATATAN, 0, USSD_NONE,
	    L_KEGIATAN_ONE },
	[S_DANA_CATATAN] = { "dana_catatan", T_INPUT,
	    "{kegiatan} {persen}%\nKetik catatan (apa yang Anda lihat), "
	    "atau - jika tidak ada:" NAV,
	    { { NULL, 0 } }, IN_TEXT_OPT, S_DANA_OK },
	[S_DANA_OK] = { "dana_ok", T_END,
	    "Pantauan {kegiatan} {persen}% diterima. {catatan}Terima kasih.",
	    { { NULL, 0 } }, IN_NONE, 0, 0, USSD_PANTAU },
};

/* Activities shown under the totals (the screen holds no more). */
#define KEGIATAN_SHOWN	3

/* The state of one walk down the path. */
struct walk {
	const struct ussd_ops *ops;
	struct ussd_caller *caller;
	enum screen_id stack[64];
	int depth;
	struct ussd_ctx ctx;
	const char *error;	/* shown above the screen the last answer left */
	struct ussd_item items[USSD_ITEMS_MAX];
	int nitems;
	struct ussd_village villages[USSD_ITEMS_MAX];	/* S_DESA_PILIH's */
	int nvillages, villages_total;
	int failed;		/* an op failed: answer with an error */
};

int
ussd_screen_count(void)
{
	return S__COUNT;
}

const char *
ussd_screen_template(int i)
{
	return i >= 0 && i < S__COUNT ? screens[i].text : NULL;
}

const char *
ussd_screen_name(int i)
{
	return i >= 0 && i < S__COUNT ? screens[i].name : NULL;
}

/* Load the list choice screen sc shows. */
static void
load_items(struct walk *w, const struct screen *sc)
{
	if (sc->lookup == L_KEGIATAN) {
		w->nitems = w->ops->kegiatan_list(w->ops->arg, w->ctx.desa,
		    &w->ctx, w->items, KEGIATAN_SHOWN);
		if (w->nitems > KEGIATAN_SHOWN)
			w->nitems = KEGIATAN_SHOWN;
	} else
		w->nitems = w->ops->open_perdes(w->ops->arg, w->ctx.desa,
		    w->items, USSD_ITEMS_MAX);
	if (w->nitems < 0) {
		w->failed = 1;
		w->nitems = 0;
	}
}

/* Go to screen s: branches and empty lists lead on at once. */
static void
enter(struct walk *w, enum screen_id s)
{
	for (;;) {
		const struct screen *sc = &screens[s];

		if (sc->type == T_BRANCH) {
			int has;

			if (w->caller->load != NULL) {
				w->caller->load(w->caller->load_arg, w->caller);
				w->caller->load = NULL;
			}
			has = w->caller->desa && w->caller->desa[0];

			if (has) {
				snprintf(w->ctx.desa, sizeof(w->ctx.desa), "%s",
				    w->caller->desa);
				snprintf(w->ctx.desa_name,
				    sizeof(w->ctx.desa_name), "%s",
				    w->caller->desa_name ? w->caller->desa_name :
				    w->caller->desa);
			}
			s = has ? sc->next : sc->other;
			continue;
		}
		if (sc->type == T_CHOICE) {
			load_items(w, sc);
			if (w->nitems == 0) {
				s = sc->other;
				continue;
			}
		}
		break;
	}
	if (w->depth < (int)(sizeof(w->stack) / sizeof(w->stack[0])))
		w->stack[w->depth++] = s;
}

/* The span of s without its leading and trailing blanks. */
static size_t
span_trimmed(const char *s, const char **start)
{
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	*start = s;
	return n;
}

/* Copy s trimmed into out; returns its length. */
static size_t
trimmed(const char *s, char *out, size_t cap)
{
	const char *start;
	size_t n = span_trimmed(s, &start);

	if (n >= cap)
		n = cap - 1;
	memcpy(out, start, n);
	out[n] = '\0';
	return n;
}

/* Copy src into dst, cut to fit. */
static void
copy_cut(char *dst, size_t cap, const char *src)
{
	size_t n = strlen(src);

	if (n >= cap)
		n = cap - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* Copy the caller's text into dst, cut to fit on a character boundary
 * (never half a UTF-8 sequence); returns 1 when it was cut. */
static int
copy_text(char *dst, size_t cap, const char *src, size_t n)
{
	int cut = n >= cap;

	if (cut) {
		n = cap - 1;
		while (n > 0 && ((unsigned char)src[n] & 0xc0) == 0x80)
			n--;
	}
	memcpy(dst, src, n);
	dst[n] = '\0';
	return cut;
}

/* The walk's village is v. */
static void
take_village(struct walk *w, const struct ussd_village *v)
{
	copy_cut(w->ctx.desa, sizeof(w->ctx.desa), v->code);
	copy_cut(w->ctx.desa_name, sizeof(w->ctx.desa_name), v->name);
}

/* A village typed on screen on top: one goes on, several are offered
 * as a choice, none is asked again. */
static void
typed_village(struct walk *w, const char *typed)
{
	const struct screen *sc = &screens[w->stack[w->depth - 1]];
	int n = w->ops->resolve_desa(w->ops->arg, typed, w->villages,
	    USSD_ITEMS_MAX);

	if (n < 0) {
		w->failed = 1;
		return;
	}
	if (n == 0) {
		w->error = reply_template(R_USSD_DESA_UNKNOWN);
		return;
	}
	if (n == 1) {
		take_village(w, &w->villages[0]);
		enter(w, sc->next);
		return;
	}
	w->villages_total = n;
	w->nvillages = n < USSD_ITEMS_MAX ? n : USSD_ITEMS_MAX;
	enter(w, S_DESA_PILIH);
	w->error = reply_template(R_USSD_DESA_AMBIGUOUS);
}

/* On the list of activities: its number, or the code of any activity of
 * the village ("k01", "K 01"), goes on to that activity. */
static void
choose_kegiatan(struct walk *w, const struct screen *sc, const char *tok)
{
	char code[KEGIATAN_MAX + 1];
	int i = atoi(tok), rc;

	if (i >= 1 && i <= w->nitems && strspn(tok, "0123456789") ==
	    strlen(tok))
		copy_cut(code, sizeof(code), w->items[i - 1].code);
	else if (parse_kegiatan(tok, code) != 0) {
		w->error = reply_template(R_USSD_BAD_CHOICE);
		return;
	}
	copy_cut(w->ctx.kegiatan, sizeof(w->ctx.kegiatan), code);
	if ((rc = w->ops->kegiatan_detail(w->ops->arg, &w->ctx)) < 0) {
		w->failed = 1;
		return;
	}
	if (rc == 0) {
		w->ctx.kegiatan[0] = '\0';
		w->error = reply_template(R_USSD_BAD_CHOICE);
		return;
	}
	enter(w, sc->next);
}

/* Apply one answer to the screen on top. */
static void
apply(struct walk *w, const char *tok)
{
	const struct screen *sc = &screens[w->stack[w->depth - 1]];
	char buf[sizeof(w->ctx.isi)];
	int i;

	switch (sc->type) {
	case T_MENU:
		for (i = 0; i < OPTIONS_MAX && sc->options[i].key; i++)
			if (!strcmp(tok, sc->options[i].key)) {
				enter(w, sc->options[i].next);
				return;
			}
		w->error = reply_template(R_USSD_BAD_CHOICE);
		return;
	case T_CHOICE:
		load_items(w, sc);
		if (sc->lookup == L_KEGIATAN) {
			choose_kegiatan(w, sc, tok);
			return;
		}
		i = atoi(tok);
		if (i < 1 || i > w->nitems || strspn(tok, "0123456789") !=
		    strlen(tok)) {
			w->error = reply_template(R_USSD_BAD_CHOICE);
			return;
		}
		snprintf(w->ctx.perdes, sizeof(w->ctx.perdes), "%s",
		    w->items[i - 1].code);
		snprintf(w->ctx.judul, sizeof(w->ctx.judul), "%s",
		    w->items[i - 1].title);
		enter(w, sc->next);
		return;
	case T_VILLAGE:
		i = atoi(tok);
		if (i < 1 || i > w->nvillages || strspn(tok, "0123456789") !=
		    strlen(tok)) {
			w->error = reply_template(R_USSD_BAD_CHOICE);
			return;
		}
		take_village(w, &w->villages[i - 1]);
		/* on as the village screen below would have gone */
		enter(w, screens[w->stack[w->depth - 2]].next);
		return;
	case T_INPUT:
		if (sc->input == IN_TEXT_OPT) {
			const char *s;
			size_t n = span_trimmed(tok, &s);

			if (n == 1 && s[0] == '-')
				n = 0;
			w->ctx.isi_cut = copy_text(w->ctx.isi,
			    sizeof(w->ctx.isi), s, n);
			enter(w, sc->next);
			return;
		}
		if (sc->input == IN_TEXT) {
			const char *s;
			size_t n = span_trimmed(tok, &s);

			if (n == 0) {
				w->error = reply_template(R_USSD_EMPTY_ANSWER);
				return;
			}
			w->ctx.isi_cut = copy_text(w->ctx.isi,
			    sizeof(w->ctx.isi), s, n);
			enter(w, sc->next);
			return;
		}
		if (trimmed(tok, buf, sizeof(buf)) == 0) {
			w->error = reply_template(R_USSD_EMPTY_ANSWER);
			return;
		}
		if (sc->input == IN_DESA_MINE && !strcmp(buf, "1")) {
			enter(w, sc->next);	/* the branch set it */
			return;
		}
		if (sc->input == IN_DESA || sc->input == IN_DESA_MINE) {
			typed_village(w, buf);
			return;
		}
		if (sc->input == IN_PERSEN) {
			int v;

			if (parse_persen(buf, &v) != 0) {
				w->error = reply_template(R_USSD_BAD_PERSEN);
				return;
			}
			snprintf(w->ctx.persen, sizeof(w->ctx.persen), "%d", v);
		} else
			copy_cut(w->ctx.tiket, sizeof(w->ctx.tiket), buf);
		enter(w, sc->next);
		return;
	default:
		return;		/* an end screen takes no more answers */
	}
}

/* Append s to out, keeping at most max characters (UTF-8 aware). */
static void
put(char *out, size_t cap, size_t *len, int *chars, int max, const char *s)
{
	for (; *s && *chars < max; s++) {
		if (((unsigned char)*s & 0xc0) != 0x80) {
			if (*len + 5 >= cap)
				return;
			(*chars)++;
		}
		out[(*len)++] = *s;
	}
	/* never leave half a character */
	while (*s && ((unsigned char)*s & 0xc0) == 0x80 && *len + 1 < cap)
		out[(*len)++] = *s++;
	out[*len] = '\0';
}

/* Fill the screen's placeholders and cut it to one USSD screen. */
static int
render(struct walk *w, const struct screen *sc, const char *status,
    const char *jadwal, const char *catatan, char *out, size_t cap)
{
	char pilihan[USSD_ITEMS_MAX * 96] = "";
	size_t len = 0;
	int chars = 0, i;
	const char *p;

	for (i = 0; i < w->nitems && sc->type == T_CHOICE; i++) {
		size_t o = strlen(pilihan);

		snprintf(pilihan + o, sizeof(pilihan) - o, "%s%d %s %s",
		    i ? "\n" : "", i + 1, w->items[i].code, w->items[i].title);
	}
	for (i = 0; i < w->nvillages && sc->type == T_VILLAGE; i++) {
		size_t o = strlen(pilihan);

		snprintf(pilihan + o, sizeof(pilihan) - o, "%s%d %s (%s)",
		    i ? "\n" : "", i + 1, w->villages[i].name,
		    w->villages[i].kecamatan);
	}
	put(out, cap, &len, &chars, USSD_SCREEN_MAX,
	    sc->type == T_END ? "END " : "CON ");
	if (w->error && sc->type != T_END) {
		put(out, cap, &len, &chars, USSD_SCREEN_MAX, w->error);
		put(out, cap, &len, &chars, USSD_SCREEN_MAX, "\n");
	}
	for (p = sc->text; *p; p++) {
#define F(name, field)	{ "{" name "}", offsetof(struct ussd_ctx, field) }
		static const struct { const char *name; size_t off; } fields[] = {
			F("desa", desa_name), F("perdes", perdes),
			F("judul", judul), F("tiket", tiket), F("tahun", tahun),
			F("pendapatan", pendapatan), F("belanja", belanja),
			F("dana_desa", dana_desa), F("kegiatan", kegiatan),
			F("nama", nama), F("anggaran", anggaran),
			F("sumber", sumber), F("mulai", mulai),
			F("selesai", selesai), F("resmi", resmi),
			F("warga", warga), F("persen", persen),
		};
#undef F
		const char *v = NULL;
		size_t k, n = 0;
		char one[2] = { *p, '\0' };

		if (*p != '{') {
			put(out, cap, &len, &chars, USSD_SCREEN_MAX, one);
			continue;
		}
		for (k = 0; k < sizeof(fields) / sizeof(fields[0]); k++)
			if (!strncmp(p, fields[k].name,
			    n = strlen(fields[k].name))) {
				v = (const char *)&w->ctx + fields[k].off;
				break;
			}
		if (v == NULL && !strncmp(p, "{pilihan}", n = 9))
			v = pilihan;
		if (v == NULL && !strncmp(p, "{status}", n = 8))
			v = status;
		if (v == NULL && !strncmp(p, "{jadwal}", n = 8))
			v = jadwal;
		if (v == NULL && !strncmp(p, "{catatan}", n = 9))
			v = catatan;
		if (v != NULL) {
			put(out, cap, &len, &chars, USSD_SCREEN_MAX, v);
			p += n - 1;
		} else
			put(out, cap, &len, &chars, USSD_SCREEN_MAX, one);
	}
	return (int)len;
}

/*
 * Whether the answer starting at tok is the whole rest of the path: on a
 * free-text screen a '*' is part of what the caller typed. Not when the
 * answer before the next '*' (at end) is navigation or empty: "0" and "00"
 * still go back, and an empty answer is asked again.
 */
static int
takes_rest(const struct walk *w, const char *tok, const char *end)
{
	const struct screen *sc = &screens[w->stack[w->depth - 1]];
	size_t n = (size_t)(end - tok);

	if (sc->type != T_INPUT || (sc->input != IN_TEXT &&
	    sc->input != IN_TEXT_OPT))
		return 0;
	if ((n == 1 && tok[0] == '0') || (n == 2 && !strncmp(tok, "00", 2)))
		return 0;
	while (tok < end && isspace((unsigned char)*tok))
		tok++;
	return tok < end;
}

/* What an action's end screen says of the text and the SMS confirmation. */
static void
action_note(const struct ussd_ctx *ctx, char *out, size_t cap)
{
	char cut[128] = "", sms[128] = "";

	if (ctx->isi_cut && reply_render(R_USSD_TEXT_CUT, NULL, 0, cut,
	    sizeof(cut)) < 0)
		cut[0] = '\0';
	if (reply_render(ctx->no_sms ? R_USSD_NO_SMS : R_USSD_SMS_SENT, NULL, 0,
	    sms, sizeof(sms)) < 0)
		sms[0] = '\0';
	snprintf(out, cap, "%s%s%s%s", cut, cut[0] ? " " : "", sms,
	    sms[0] ? " " : "");
}

int
ussd_respond(const struct ussd_ops *ops, struct ussd_caller *caller,
    const char *text, char *out, size_t cap, enum ussd_action *action)
{
	struct walk w;
	char status[256] = "", jadwal[256] = "", catatan[256] = "";
	char path[2048], *tok, *save = NULL;
	const struct screen *sc;

	memset(&w, 0, sizeof(w));
	w.ops = ops;
	w.caller = caller;
	*action = USSD_NONE;
	enter(&w, S_MAIN);
	if (snprintf(path, sizeof(path), "%s", text ? text : "") >=
	    (int)sizeof(path))
		return -1;
	/* strtok would merge "1**2": an empty answer is an answer too. */
	for (tok = path; tok != NULL; tok = save) {
		save = strchr(tok, '*');
		if (save != NULL && takes_rest(&w, tok, save))
			save = NULL;
		if (save != NULL)
			*save++ = '\0';
		if (tok == path && *tok == '\0' && save == NULL)
			break;	/* the first screen: text is empty */
		w.error = NULL;
		if (!strcmp(tok, "00")) {
			w.depth = 0;
			memset(&w.ctx, 0, sizeof(w.ctx));
			enter(&w, S_MAIN);
		} else if (!strcmp(tok, "0") &&
		    screens[w.stack[w.depth - 1]].type != T_END) {
			if (w.depth > 1)
				w.depth--;
			if (screens[w.stack[w.depth - 1]].type == T_CHOICE)
				load_items(&w, &screens[w.stack[w.depth - 1]]);
		} else
			apply(&w, tok);
	}
	sc = &screens[w.stack[w.depth - 1]];
	if (sc->type == T_CHOICE)
		load_items(&w, sc);
	if (sc->action != USSD_NONE) {
		if (ops->submit(ops->arg, sc->action, &w.ctx) != 0)
			return -1;
		*action = sc->action;
		action_note(&w.ctx, catatan, sizeof(catatan));
	}
	if (sc->lookup == L_STATUS &&
	    ops->ticket_status(ops->arg, w.ctx.tiket, status,
	    sizeof(status)) != 0)
		return -1;
	if (sc->lookup == L_MEETINGS &&
	    ops->meetings(ops->arg, w.ctx.desa, jadwal, sizeof(jadwal)) != 0)
		return -1;
	if (sc->lookup == L_KEGIATAN_ONE &&
	    ops->kegiatan_detail(ops->arg, &w.ctx) < 0)
		return -1;
	if (w.failed)
		return -1;
	return render(&w, sc, status, jadwal, catatan, out, cap);
}
