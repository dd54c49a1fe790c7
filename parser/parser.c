/*
 * parser: split an SMS into fields, find its keyword (exactly or by one
 * edit), then read the keyword's fields in order with the field types of
 * fields.c. Keywords, aliases and field lists are tables below.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "parser/parser_int.h"

#define S(f)	offsetof(struct parse_result, f)

static const struct field_spec rapat_fields[] = {
	{ "desa", FT_DESA, S(desa), S(desa_len), 0, 0 },
	{ "tanggal", FT_TANGGAL, S(tanggal), NO_LEN, 0, 0 },
	{ "jenis", FT_JENIS, S(jenis), NO_LEN, 0, 0 },
	{ "laki", FT_NUMBER, S(laki), NO_LEN, 0, 'L' },
	{ "perempuan", FT_NUMBER, S(perempuan), NO_LEN, 0, 'P' },
	{ "catatan", FT_TEXT_OPT, S(catatan), S(catatan_len), 0, 0 },
};
static const struct field_spec kader_fields[] = {
	{ "desa", FT_DESA, S(desa), S(desa_len), 0, 0 },
	{ "tanggal", FT_TANGGAL, S(tanggal), NO_LEN, 0, 0 },
	{ "jumlah", FT_NUMBER, S(jumlah), NO_LEN, 1, 0 },
	{ "topik", FT_TEXT, S(topik), S(topik_len), 0, 0 },
};
static const struct field_spec aduan_fields[] = {
	{ "desa", FT_DESA, S(desa), S(desa_len), 0, 0 },
	{ "isi", FT_TEXT, S(isi), S(isi_len), 0, 0 },
};
static const struct field_spec aspirasi_fields[] = {
	{ "perdes", FT_PERDES, S(perdes), NO_LEN, 0, 0 },
	{ "isi", FT_TEXT, S(isi), S(isi_len), 0, 0 },
};
static const struct field_spec status_fields[] = {
	{ "tiket", FT_TICKET, S(tiket), NO_LEN, 0, 0 },
};
static const struct field_spec batal_fields[] = {
	{ "nomor", FT_RECORD, S(nomor), NO_LEN, 0, 0 },
};
static const struct field_spec daftar_fields[] = {
	{ "desa", FT_DESA, S(desa), S(desa_len), 0, 0 },
	{ "nama", FT_TEXT, S(nama), S(nama_len), 0, 0 },
};
static const struct field_spec bantu_fields[] = {
	{ "topik", FT_TOPIC, S(topik), S(topik_len), 0, 0 },
};
static const struct field_spec siaran_fields[] = {
	{ "grup", FT_DESA, S(grup), S(grup_len), 0, 0 },
	{ "isi", FT_TEXT, S(isi), S(isi_len), 0, 0 },
};
static const struct field_spec apbdes_fields[] = {
	{ "desa", FT_DESA, S(desa), S(desa_len), 0, 0 },
	{ "kegiatan", FT_KEGIATAN_OPT, S(kegiatan), NO_LEN, 0, 0 },
};
static const struct field_spec pantau_fields[] = {
	{ "desa", FT_DESA, S(desa), S(desa_len), 0, 0 },
	{ "kegiatan", FT_KEGIATAN, S(kegiatan), NO_LEN, 0, 0 },
	{ "persen", FT_PERSEN, S(persen), NO_LEN, 0, 0 },
	{ "catatan", FT_TEXT_OPT, S(catatan), S(catatan_len), 0, 0 },
};

static enum parse_error rapat_check(struct parse_result *, const char **);

#define FIELDS(a)	a, sizeof(a) / sizeof(a[0])

/* One entry per kind, indexed by enum parse_kind. */
static const struct kind_spec kinds[PK__COUNT] = {
	[PK_RAPAT] = { "RAPAT", "rapat", FIELDS(rapat_fields), rapat_check },
	[PK_KADER] = { "KADER", "kader", FIELDS(kader_fields), NULL },
	[PK_ADUAN] = { "ADUAN", "aduan", FIELDS(aduan_fields), NULL },
	[PK_ASPIRASI] = { "ASPIRASI", "aspirasi", FIELDS(aspirasi_fields), NULL },
	[PK_STATUS] = { "STATUS", "status", FIELDS(status_fields), NULL },
	[PK_BATAL] = { "BATAL", "batal", FIELDS(batal_fields), NULL },
	[PK_DAFTAR] = { "DAFTAR", "daftar", FIELDS(daftar_fields), NULL },
	[PK_BERHENTI] = { "BERHENTI", "berhenti", NULL, 0, NULL },
	[PK_MULAI] = { "MULAI", "mulai", NULL, 0, NULL },
	[PK_BANTU] = { "BANTU", "bantu", FIELDS(bantu_fields), NULL },
	[PK_SIARAN] = { "SIARAN", "siaran", FIELDS(siaran_fields), NULL },
	[PK_APBDES] = { "APBDES", "apbdes", FIELDS(apbdes_fields), NULL },
	[PK_PANTAU] = { "PANTAU", "pantau", FIELDS(pantau_fields), NULL },
};

/* Every word that names a keyword: the keywords and their aliases. */
static const struct kw_entry keyword_words[] = {
	{ "RAPAT", PK_RAPAT }, { "MUSDES", PK_RAPAT },
	{ "MUSYAWARAH", PK_RAPAT },
	{ "KADER", PK_KADER }, { "LATIH", PK_KADER }, { "PELATIHAN", PK_KADER },
	{ "ADUAN", PK_ADUAN }, { "LAPOR", PK_ADUAN }, { "KELUHAN", PK_ADUAN },
	{ "ASPIRASI", PK_ASPIRASI }, { "USUL", PK_ASPIRASI },
	{ "USULAN", PK_ASPIRASI },
	{ "STATUS", PK_STATUS }, { "CEK", PK_STATUS },
	{ "BATAL", PK_BATAL },
	{ "DAFTAR", PK_DAFTAR }, { "REG", PK_DAFTAR },
	{ "BERHENTI", PK_BERHENTI }, { "STOP", PK_BERHENTI },
	{ "UNREG", PK_BERHENTI },
	{ "MULAI", PK_MULAI }, { "START", PK_MULAI },
	{ "BANTU", PK_BANTU }, { "HELP", PK_BANTU }, { "INFO", PK_BANTU },
	{ "?", PK_BANTU },
	{ "SIARAN", PK_SIARAN }, { "BROADCAST", PK_SIARAN },
	{ "APBDES", PK_APBDES }, { "DANA", PK_APBDES },
	{ "ANGGARAN", PK_APBDES },
	{ "PANTAU", PK_PANTAU }, { "AWASI", PK_PANTAU },
};
#define NKEYWORD_WORDS	(sizeof(keyword_words) / sizeof(keyword_words[0]))

static const char *const ticket_prefixes[] = { "ADU", "ASP", NULL };
static const char *const record_prefixes[] = { "R", NULL };

static const char *const kind_names[PK__COUNT] = {
	"none", "rapat", "kader", "aduan", "aspirasi", "status", "batal",
	"daftar", "berhenti", "mulai", "bantu", "siaran", "apbdes", "pantau",
};

static const char *const error_names[PE__COUNT] = {
	"ok", "empty", "unknown_keyword", "missing_field", "bad_number",
	"bad_date", "future_date", "bad_jenis", "bad_ticket", "bad_perdes",
	"bad_kegiatan",
};

/* Where the fields of a message are read from. */
struct cursor {
	const char *s;		/* trimmed message */
	size_t n;
	size_t pos;		/* next unread byte; > n when no field is left */
	int sep_mode;		/* '#' or '*' separate the fields */
};

/* The spec of kind k, NULL outside PK_RAPAT..PK_PANTAU. */
const struct kind_spec *
parser_kind_spec(enum parse_kind k)
{
	if (k <= PK_NONE || k >= PK__COUNT)
		return NULL;
	return &kinds[k];
}

/* Name of a kind for JSON and the store. */
const char *
parse_kind_name(enum parse_kind k)
{
	return (k >= 0 && k < PK__COUNT) ? kind_names[k] : "unknown";
}

/* Name of an error for JSON and the store. */
const char *
parse_error_name(enum parse_error e)
{
	return (e >= 0 && e < PE__COUNT) ? error_names[e] : "unknown";
}

/* White space; a NUL byte is not. */
int
p_isspace(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Separator between fields in whitespace mode. */
int
p_iswsep(unsigned char c)
{
	return p_isspace(c) || c == ',' || c == ';';
}

/* Separator between fields in '#' mode. */
static int
is_hsep(unsigned char c)
{
	return c == '#' || c == '*';
}

/* Start a string in scratch. */
char *
sb_start(struct sbuf *sb)
{
	return sb->p + sb->len;
}

/* Append one byte to scratch, or note that it is full. */
void
sb_putc(struct sbuf *sb, char c)
{
	if (sb->len + 1 < sb->cap)
		sb->p[sb->len++] = c;
	else
		sb->full = 1;
}

/* End the current scratch string; returns its length. */
size_t
sb_end(struct sbuf *sb, const char *start)
{
	size_t n = (size_t)(sb->p + sb->len - start);

	if (sb->len < sb->cap)
		sb->p[sb->len++] = '\0';
	else
		sb->full = 1;
	return n;
}

/* Narrow [*a, *b) past white space at both ends. */
void
p_trim(const char *s, size_t *a, size_t *b)
{
	while (*a < *b && p_isspace((unsigned char)s[*a]))
		(*a)++;
	while (*b > *a && p_isspace((unsigned char)s[*b - 1]))
		(*b)--;
}

/* The next field as [*a, *b); 0 when it is absent (none left, or empty). */
static int
next_field(struct cursor *c, size_t *a, size_t *b)
{
	size_t i;

	if (c->pos > c->n)
		return 0;
	if (c->sep_mode) {
		for (i = c->pos; i < c->n && !is_hsep((unsigned char)c->s[i]); i++)
			;
		*a = c->pos;
		*b = i;
		c->pos = i + 1;
		p_trim(c->s, a, b);
		return *a < *b;
	}
	for (i = c->pos; i < c->n && p_iswsep((unsigned char)c->s[i]); i++)
		;
	*a = i;
	for (; i < c->n && !p_iswsep((unsigned char)c->s[i]); i++)
		;
	*b = i;
	c->pos = i;
	return *a < *b;
}

/* Whether the next word (whitespace mode) is there; its span in [*a, *b). */
static int
peek_word(const struct cursor *c, size_t *a, size_t *b)
{
	struct cursor tmp = *c;

	return next_field(&tmp, a, b);
}

/* The rest of the message after the separators ending the last field. */
static int
rest_field(struct cursor *c, size_t *a, size_t *b)
{
	size_t i;

	if (c->pos > c->n)
		return 0;
	for (i = c->pos; i < c->n; i++) {
		unsigned char ch = (unsigned char)c->s[i];

		if (!(c->sep_mode ? is_hsep(ch) || p_isspace(ch) : p_iswsep(ch)))
			break;
	}
	*a = i;
	*b = c->n;
	c->pos = c->n + 1;
	p_trim(c->s, a, b);
	return *a < *b;
}

/* Whether typed word w (upper case) is one edit from keyword k: insert,
 * delete, substitute, or swap two neighbours. */
static int
one_edit(const char *w, size_t wn, const char *k, size_t kn)
{
	const char *lo, *sh;
	size_t i, ln, sn;

	if (wn == kn) {
		for (i = 0; i < wn && w[i] == k[i]; i++)
			;
		if (i == wn)
			return 0;	/* equal: zero edits */
		if (memcmp(w + i + 1, k + i + 1, wn - i - 1) == 0)
			return 1;
		return i + 1 < wn && w[i] == k[i + 1] && w[i + 1] == k[i] &&
		    memcmp(w + i + 2, k + i + 2, wn - i - 2) == 0;
	}
	if (wn + 1 == kn) {
		sh = w; sn = wn; lo = k; ln = kn;
	} else if (kn + 1 == wn) {
		sh = k; sn = kn; lo = w; ln = wn;
	} else
		return 0;
	for (i = 0; i < sn && sh[i] == lo[i]; i++)
		;
	return memcmp(sh + i, lo + i + 1, ln - i - 1) == 0;
}

/*
 * Find the word that n bytes at s name in tab: an exact match (ASCII case
 * ignored), else the one value that has a word of KW_GUESS_MIN+ letters
 * within one edit. Returns that value, or -1 if none or more than one.
 */
int
kw_match(const struct kw_entry *tab, size_t ntab, const char *s, size_t n,
    int *guessed)
{
	char w[KW_MAX + 2];
	int found = -1;
	size_t i, kn;

	*guessed = 0;
	if (n > KW_MAX + 1)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		w[i] = (char)((c >= 'a' && c <= 'z') ? c - 'a' + 'A' : c);
	}
	for (i = 0; i < ntab; i++) {
		kn = strlen(tab[i].word);
		if (kn == n && memcmp(tab[i].word, w, n) == 0)
			return tab[i].value;
	}
	for (i = 0; i < ntab; i++) {
		kn = strlen(tab[i].word);
		if (kn < KW_GUESS_MIN || !one_edit(w, n, tab[i].word, kn))
			continue;
		if (found != -1 && found != tab[i].value)
			return -1;		/* two keywords: no guess */
		found = tab[i].value;
	}
	*guessed = found != -1;
	return found;
}

/* The keyword that n bytes at s name, PK_NONE if none; see kw_match. */
static enum parse_kind
match_keyword(const char *s, size_t n, int *guessed)
{
	int v = kw_match(keyword_words, NKEYWORD_WORDS, s, n, guessed);

	return v < 0 ? PK_NONE : (enum parse_kind)v;
}

/*
 * '#' and '*' separate the fields only when what comes before the first of
 * them is a keyword alone ("ADUAN#Suka Maju#..."). Anywhere else they are
 * text: "ADUAN sukamaju jalan di RT #3 rusak" is a plain complaint.
 */
static int
separator_mode(const char *s, size_t n)
{
	size_t a = 0, b, i;
	int guessed;

	for (b = 0; b < n && !is_hsep((unsigned char)s[b]); b++)
		;
	if (b == n)
		return 0;
	p_trim(s, &a, &b);
	for (i = a; i < b; i++)
		if (p_iswsep((unsigned char)s[i]))
			return 0;
	return a < b && match_keyword(s + a, b - a, &guessed) != PK_NONE;
}

/* laki + perempuan must count at least one person. */
static enum parse_error
rapat_check(struct parse_result *r, const char **field)
{
	if (r->laki + r->perempuan >= 1)
		return PE_OK;
	*field = "laki";
	return PE_BAD_NUMBER;
}

/* Record an error at field and return -1. */
static int
fail(struct parse_result *r, enum parse_error e, const char *field)
{
	r->error = e;
	r->field = field;
	return -1;
}

/* Set every output field to "" / 0, keeping the caller's scratch. */
static void
reset(struct parse_result *r)
{
	char *scratch = r->scratch;
	size_t cap = r->scratch_cap;

	memset(r, 0, sizeof(*r));
	r->scratch = scratch;
	r->scratch_cap = cap;
	r->field = r->keyword = "";
	r->desa = r->tanggal = r->jenis = r->catatan = r->topik = "";
	r->isi = r->perdes = r->tiket = r->nomor = r->nama = r->grup = "";
	r->kegiatan = r->isi_all = "";
}

/* The value of field f, n bytes at s (present, trimmed), into r. */
static enum parse_error
read_value(const struct field_spec *f, const char *s, size_t n,
    const struct pdate *today, struct sbuf *sb, struct parse_result *r)
{
	void *slot = (char *)r + f->off;
	const char **str = FT_IS_INT(f->type) ? NULL : slot;
	size_t *len = f->len_off == NO_LEN ? NULL :
	    (size_t *)(void *)((char *)r + f->len_off);
	size_t dummy;
	int guessed;
	enum parse_kind k;

	if (len == NULL)
		len = &dummy;
	switch (f->type) {
	case FT_DESA:
		return field_desa(s, n, sb, str, len);
	case FT_TANGGAL:
		return field_date(s, n, today, sb, str);
	case FT_JENIS:
		return field_jenis(s, n, str);
	case FT_NUMBER:
		return field_number(s, n, f->min, f->letter, (int *)slot);
	case FT_TEXT:
	case FT_TEXT_OPT:
		return field_text(s, n, sb, str, len);
	case FT_PERDES:
		return field_perdes(s, n, sb, str);
	case FT_TICKET:
	case FT_RECORD:
		return field_ticket(s, n, f->type == FT_TICKET ?
		    ticket_prefixes : record_prefixes, sb, str);
	case FT_KEGIATAN:
	case FT_KEGIATAN_OPT:
		return field_kegiatan(s, n, sb, str);
	case FT_PERSEN:
		return field_persen(s, n, (int *)slot);
	case FT_TOPIC:
		k = match_keyword(s, n, &guessed);
		*str = k == PK_NONE ? "" : kinds[k].keyword;
		*len = strlen(*str);
		return PE_OK;
	}
	return PE_MISSING_FIELD;
}

/*
 * Whitespace mode: a field typed as two words takes the next word too. A
 * ticket, record number or activity code may come as its letters, then
 * its digits ("ADU 0042", "R 12", "k 01"): a word without digits joins
 * the next. A percentage may have its '%' apart ("60 %"): that word
 * joins it, so it never starts the catatan after it.
 */
static void
join_word(struct cursor *c, enum ftype t, size_t a, size_t *b)
{
	size_t a2, b2, i;

	switch (t) {
	case FT_TICKET:
	case FT_RECORD:
	case FT_KEGIATAN:
	case FT_KEGIATAN_OPT:
		for (i = a; i < *b && !(c->s[i] >= '0' && c->s[i] <= '9'); i++)
			;
		if (i < *b)
			return;
		break;
	case FT_PERSEN:
		if (c->s[*b - 1] == '%' || !peek_word(c, &a2, &b2) ||
		    b2 - a2 != 1 || c->s[a2] != '%')
			return;
		break;
	default:
		return;
	}
	if (next_field(c, &a2, &b2))
		*b = b2;
}

/* Read one field of spec f from the cursor into r. A field that is there
 * but wrong is left in r->bad, as typed, for the reply to quote. */
static enum parse_error
read_field(struct cursor *c, const struct field_spec *f,
    const struct pdate *today, struct sbuf *sb, struct parse_result *r)
{
	size_t a, b;
	int present;
	enum parse_error e;

	if (f->type == FT_TEXT || f->type == FT_TEXT_OPT)
		present = rest_field(c, &a, &b);
	else
		present = next_field(c, &a, &b);
	if (!present)
		return FT_OPTIONAL(f->type) ? PE_OK : PE_MISSING_FIELD;
	if (!c->sep_mode)
		join_word(c, f->type, a, &b);
	e = read_value(f, c->s + a, b - a, today, sb, r);
	if (e != PE_OK && e != PE_MISSING_FIELD) {
		r->bad = c->s + a;
		r->bad_len = b - a;
	}
	return e;
}

/* "DANA DESA WATES": people name the village fund (Dana Desa) and the
 * word "desa" before the village. In whitespace mode a word DESA with
 * another after it is passed over; alone, it is read as the village. */
static void
skip_desa_word(struct cursor *c)
{
	struct cursor peek = *c;
	size_t a, b, i;

	if (c->sep_mode || !next_field(&peek, &a, &b) || b - a != 4)
		return;
	for (i = 0; i < 4; i++)
		if ((c->s[a + i] & ~0x20) != "DESA"[i])
			return;
	{
		struct cursor after = peek;

		if (next_field(&after, &a, &b))
			*c = peek;
	}
}

/* Parse one SMS; see parser.h. */
int
parse_message(const char *msg, size_t len, const struct pdate *today,
    struct parse_result *r)
{
	const struct kind_spec *ks;
	struct cursor c;
	struct sbuf sb;
	size_t a, b, i;
	enum parse_kind k;
	enum parse_error e;
	const char *field = "";

	reset(r);
	if (r->scratch == NULL || today == NULL || (msg == NULL && len > 0) ||
	    len > (((size_t)-1) - 64) / 2 || r->scratch_cap < 2 * len + 64)
		return fail(r, PE_EMPTY, "");
	sb.p = r->scratch;
	sb.len = 0;
	sb.cap = r->scratch_cap;
	sb.full = 0;

	/* Separators at the very end are dropped first, so "STATUS ADU-42#"
	 * is still read in whitespace mode. */
	a = 0;
	b = len;
	while (b > a && (is_hsep((unsigned char)msg[b - 1]) ||
	    p_isspace((unsigned char)msg[b - 1])))
		b--;
	p_trim(msg, &a, &b);
	if (a == b)
		return fail(r, PE_EMPTY, "");
	c.sep_mode = separator_mode(msg + a, b - a);
	c.s = msg + a;
	c.n = b - a;
	c.pos = 0;

	if (!next_field(&c, &a, &b))
		return fail(r, PE_UNKNOWN_KEYWORD, "");
	k = match_keyword(c.s + a, b - a, &r->keyword_guessed);
	if (k == PK_NONE) {
		r->bad = c.s + a;
		r->bad_len = b - a;
		return fail(r, PE_UNKNOWN_KEYWORD, "");
	}
	ks = &kinds[k];
	r->kind = k;
	r->keyword = ks->keyword;
	if (k == PK_APBDES)
		skip_desa_word(&c);
	if (k == PK_ADUAN) {
		struct cursor all = c;

		if (rest_field(&all, &a, &b))
			(void)field_text(all.s + a, b - a, &sb, &r->isi_all,
			    &r->isi_all_len);
	}

	for (i = 0; i < ks->nfields; i++) {
		e = read_field(&c, &ks->fields[i], today, &sb, r);
		if (e != PE_OK)
			return fail(r, e, ks->fields[i].name);
	}
	if (ks->check != NULL && (e = ks->check(r, &field)) != PE_OK)
		return fail(r, e, field);
	if (sb.full)
		return fail(r, PE_EMPTY, "");
	return 0;
}

/* Read exactly YYYY-MM-DD. */
int
parse_iso_date(const char *s, struct pdate *d)
{
	int v[3] = { 0, 0, 0 };
	size_t i, part = 0;

	if (s == NULL || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (i = 0; i < 10; i++) {
		if (i == 4 || i == 7) {
			part++;
			continue;
		}
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v[part] = v[part] * 10 + (s[i] - '0');
	}
	if (!pdate_valid(v[0], v[1], v[2]))
		return -1;
	d->year = v[0];
	d->month = v[1];
	d->day = v[2];
	return 0;
}

int
parse_ticket(const char *s, char type[4], long long *seq)
{
	char buf[32];
	struct sbuf sb = { buf, 0, sizeof(buf), 0 };
	const char *t;
	size_t a = 0, n = strlen(s);

	/* the same rule as the STATUS field, blanks around it ignored */
	while (a < n && (s[a] == ' ' || s[a] == '\t'))
		a++;
	while (n > a && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (field_ticket(s + a, n - a, ticket_prefixes, &sb, &t) != PE_OK ||
	    sb.full)
		return -1;
	memcpy(type, t, 3);
	type[3] = '\0';
	*seq = strtoll(t + 4, NULL, 10);
	return *seq > 0 ? 0 : -1;
}

int
parse_kegiatan(const char *s, char out[KEGIATAN_MAX + 1])
{
	/* a code within the limits fills out at most, its NUL included */
	struct sbuf sb = { out, 0, KEGIATAN_MAX + 1, 0 };
	const char *t;
	size_t a = 0, b = strlen(s);

	p_trim(s, &a, &b);
	return field_kegiatan(s + a, b - a, &sb, &t) == PE_OK && !sb.full ?
	    0 : -1;
}

int
parse_persen(const char *s, int *out)
{
	size_t a = 0, b = strlen(s);

	p_trim(s, &a, &b);
	return field_persen(s + a, b - a, out) == PE_OK ? 0 : -1;
}

/* A name cut short at a byte count may end inside a character: drop
 * the incomplete character so the rest stays valid UTF-8. */
static void
utf8_cut(char *s)
{
	size_t n = strlen(s), i = n;
	unsigned char lead;
	size_t need;

	while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;
	if (i == 0 || (lead = (unsigned char)s[i - 1]) < 0xC0)
		return;
	need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
	if (n - (i - 1) < need)
		s[i - 1] = '\0';
}

void
parse_desa(const char *s, char *out, size_t cap)
{
	struct sbuf sb = { out, 0, cap, 0 };
	const char *t;
	size_t a = 0, n = strlen(s), len;

	if (cap == 0)
		return;
	out[0] = '\0';
	while (a < n && p_isspace((unsigned char)s[a]))
		a++;
	while (n > a && p_isspace((unsigned char)s[n - 1]))
		n--;
	if (a == n)
		return;
	field_desa(s + a, n - a, &sb, &t, &len);
	if (sb.full)
		utf8_cut(out);
}
