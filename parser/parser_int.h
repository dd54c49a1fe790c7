/*
 * parser internals shared by parser.c (splitting, keywords, dispatch),
 * fields.c (field types) and json.c (which walks the same field tables).
 */
#ifndef KENTONGAN_PARSER_INT_H
#define KENTONGAN_PARSER_INT_H

#include <stddef.h>

#include "parser/parser.h"

enum ftype {
	FT_DESA,	/* village code or name */
	FT_TANGGAL,	/* date */
	FT_JENIS,	/* meeting type, exact match */
	FT_NUMBER,	/* 0..9999, at least min */
	FT_TEXT,	/* free text, required, takes the rest */
	FT_TEXT_OPT,	/* free text, "" when absent */
	FT_PERDES,	/* consultation code */
	FT_TICKET,	/* ADU-n / ASP-n */
	FT_RECORD,	/* R-n */
	FT_TOPIC,	/* a keyword, "" when absent or unknown */
	FT_KEGIATAN,	/* an APBDes activity code */
	FT_KEGIATAN_OPT, /* an activity code, "" when absent */
	FT_PERSEN,	/* 0..100, '%' after it allowed */
};

/* Whether a field of type t may be left out (it then reads "" / 0). */
#define FT_OPTIONAL(t)	((t) == FT_TEXT_OPT || (t) == FT_TOPIC || \
			 (t) == FT_KEGIATAN_OPT)
/* Whether a field of type t is an int in parse_result (else a string). */
#define FT_IS_INT(t)	((t) == FT_NUMBER || (t) == FT_PERSEN)

/* The largest FT_NUMBER and FT_PERSEN, for the fields and their replies. */
#define NUMBER_MAX	9999
#define PERSEN_MAX	100

#define NO_LEN	((size_t)-1)

struct field_spec {
	const char *name;	/* JSON name, also the field reported at fault */
	enum ftype type;
	size_t off;		/* offsetof the const char * or int in parse_result */
	size_t len_off;		/* offsetof its size_t length, or NO_LEN */
	int min;		/* FT_NUMBER: smallest accepted value */
	char letter;		/* FT_NUMBER: the letter that may name it ('L') */
};

struct kind_spec {
	const char *keyword;	/* canonical, upper case */
	const char *name;	/* JSON kind */
	const struct field_spec *fields;
	size_t nfields;
	/* Checks across fields after all parsed; NULL if none. */
	enum parse_error (*check)(struct parse_result *, const char **field);
};

/* The spec of kind k (PK_RAPAT .. PK_PANTAU), NULL otherwise. */
const struct kind_spec *parser_kind_spec(enum parse_kind k);

/* A bounded writer over the caller's scratch buffer. */
struct sbuf {
	char *p;
	size_t len, cap;
	int full;
};

/* Start a string in sb; returns where it starts. */
char *sb_start(struct sbuf *sb);
/* Append one byte (sets full instead of overflowing). */
void sb_putc(struct sbuf *sb, char c);
/* NUL-terminate the current string; returns its length. */
size_t sb_end(struct sbuf *sb, const char *start);

/* Whether c is white space / separates words in whitespace mode. */
int p_isspace(unsigned char c);
int p_iswsep(unsigned char c);
/* Narrow [*a, *b) of s past white space at both ends. */
void p_trim(const char *s, size_t *a, size_t *b);

/* Field types: each reads n bytes at s (already trimmed, n > 0) and returns
 * PE_OK or the error for that field. */
enum parse_error field_desa(const char *s, size_t n, struct sbuf *sb,
    const char **out, size_t *outlen);
enum parse_error field_date(const char *s, size_t n, const struct pdate *today,
    struct sbuf *sb, const char **out);
enum parse_error field_number(const char *s, size_t n, int min, char letter,
    int *out);
enum parse_error field_jenis(const char *s, size_t n, const char **out);
enum parse_error field_text(const char *s, size_t n, struct sbuf *sb,
    const char **out, size_t *outlen);
enum parse_error field_perdes(const char *s, size_t n, struct sbuf *sb,
    const char **out);
enum parse_error field_kegiatan(const char *s, size_t n, struct sbuf *sb,
    const char **out);
enum parse_error field_persen(const char *s, size_t n, int *out);
/* prefixes: NULL-terminated list of upper-case letter prefixes ("ADU"). */
enum parse_error field_ticket(const char *s, size_t n,
    const char *const *prefixes, struct sbuf *sb, const char **out);

/* A word that names something (a keyword, an alias) and what it names. */
struct kw_entry {
	const char *word;	/* upper case */
	int value;
};

/* A guess needs the word being matched to have this many letters. */
#define KW_GUESS_MIN	5
/* Longest word in a kw_entry table. */
#define KW_MAX		16

/* The value of the word n bytes at s name in tab: exact (ASCII case
 * ignored), else the single value with a word of KW_GUESS_MIN+ letters one
 * edit away (*guessed = 1); -1 if none or ambiguous. */
int kw_match(const struct kw_entry *tab, size_t ntab, const char *s, size_t n,
    int *guessed);

/* Whether a calendar date exists. */
int pdate_valid(int y, int m, int d);

#endif
