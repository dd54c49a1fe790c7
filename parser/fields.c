/*
 * fields: the field types of SMS-FORMAT.md. Each reads one trimmed field,
 * writes its normalised form to scratch and returns PE_OK or its error.
 */
#include <string.h>

#include "parser/parser_int.h"

/* RAPAT meeting types: what may be typed -> canonical code. */
static const struct {
	const char *word, *code;
} jenis_table[] = {
	{ "RPJM", "RPJM" }, { "RPJMDES", "RPJM" }, { "RPJMDESA", "RPJM" },
	{ "RKP", "RKP" }, { "RKPDES", "RKP" }, { "RKPDESA", "RKP" },
	{ "APB", "APB" }, { "APBDES", "APB" }, { "APBDESA", "APB" },
	{ "PERDES", "PERDES" },
	{ "SOS", "SOS" }, { "SOSIALISASI", "SOS" },
	{ "EVAL", "EVAL" }, { "EVALUASI", "EVAL" },
	{ "KAD", "KAD" }, { "KERJASAMA", "KAD" },
	{ "LAIN", "LAIN" },
};

/* Words that stand for a date relative to today. */
static const struct {
	const char *word;
	int days_back;
} relative_dates[] = {
	{ "HARIINI", 0 },
	{ "KEMARIN", 1 },
};

/* ASCII upper case; other bytes unchanged. */
static unsigned char
up(unsigned char c)
{
	return (c >= 'a' && c <= 'z') ? (unsigned char)(c - 'a' + 'A') : c;
}

/* Whether c is an ASCII digit. */
static int
isdig(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* Whether c is an ASCII letter. */
static int
isalpha_ascii(unsigned char c)
{
	c = up(c);
	return c >= 'A' && c <= 'Z';
}

/* Whether n bytes at s equal the upper-case word w, ignoring ASCII case. */
static int
eq_word(const char *s, size_t n, const char *w)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (w[i] == '\0' || up((unsigned char)s[i]) != (unsigned char)w[i])
			return 0;
	return w[n] == '\0';
}

/* Whether y is a Gregorian leap year. */
static int
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days in month m of year y. */
static int
month_days(int y, int m)
{
	static const int days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	return (m == 2 && is_leap(y)) ? 29 : days[m - 1];
}

/* Whether a calendar date exists (years 1..9999). */
int
pdate_valid(int y, int m, int d)
{
	return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
	    d <= month_days(y, m);
}

/* -1, 0, 1 as date a is before, equal to, after date b. */
static int
date_cmp(int y, int m, int d, const struct pdate *b)
{
	if (y != b->year)
		return y < b->year ? -1 : 1;
	if (m != b->month)
		return m < b->month ? -1 : 1;
	if (d != b->day)
		return d < b->day ? -1 : 1;
	return 0;
}

/* Write n decimal digits of v, zero-padded. */
static void
put_digits(struct sbuf *sb, int v, int n)
{
	char tmp[4];
	int i;

	for (i = n - 1; i >= 0; i--) {
		tmp[i] = (char)('0' + v % 10);
		v /= 10;
	}
	for (i = 0; i < n; i++)
		sb_putc(sb, tmp[i]);
}

/* Write an ISO date to scratch. */
static const char *
put_date(struct sbuf *sb, int y, int m, int d)
{
	char *start = sb_start(sb);

	put_digits(sb, y, 4);
	sb_putc(sb, '-');
	put_digits(sb, m, 2);
	sb_putc(sb, '-');
	put_digits(sb, d, 2);
	sb_end(sb, start);
	return start;
}

/* Read 1..max digits at s[*i]; returns the value or -1. */
static int
read_num(const char *s, size_t n, size_t *i, int min_digits, int max_digits,
    int *ndigits)
{
	int v = 0, k = 0;

	while (*i < n && isdig((unsigned char)s[*i]) && k < max_digits) {
		v = v * 10 + (s[*i] - '0');
		(*i)++;
		k++;
	}
	*ndigits = k;
	return k >= min_digits ? v : -1;
}

/* A village: 10-digit code (dots allowed between digits) or a name. */
enum parse_error
field_desa(const char *s, size_t n, struct sbuf *sb, const char **out,
    size_t *outlen)
{
	char digits[10];
	size_t i, nd = 0;
	int code = 1, space = 0;
	char *start;

	for (i = 0; i < n && code; i++) {
		unsigned char c = (unsigned char)s[i];

		if (isdig(c)) {
			if (nd == sizeof(digits))
				code = 0;
			else
				digits[nd++] = (char)c;
		} else if (c != '.' || i == 0 || i == n - 1 ||
		    !isdig((unsigned char)s[i - 1]))
			code = 0;
	}
	start = sb_start(sb);
	if (code && nd == sizeof(digits)) {
		for (i = 0; i < nd; i++) {
			if (i == 2 || i == 4 || i == 6)
				sb_putc(sb, '.');
			sb_putc(sb, digits[i]);
		}
	} else {
		for (i = 0; i < n; i++) {
			unsigned char c = (unsigned char)s[i];

			if (p_isspace(c)) {
				space = 1;
				continue;
			}
			if (space)
				sb_putc(sb, ' ');
			space = 0;
			sb_putc(sb, (char)up(c));
		}
	}
	*outlen = sb_end(sb, start);
	*out = start;
	return PE_OK;
}

/*
 * The numeric date forms, shared by SMS dates and the office's spreadsheet
 * dates: ddmmyy, ddmmyyyy, d/m, d/m/yy, d/m/yyyy ('/', '-' or '.' between
 * parts). *y is -1 when no year was written; whether the date exists is
 * the caller's check. Returns 0, or -1 for none of these forms.
 */
static int
read_dmy(const char *s, size_t n, int *y, int *m, int *d)
{
	size_t i = 0;
	int nd;

	*y = -1;
	if (n == 6 || n == 8) {
		*d = read_num(s, n, &i, 2, 2, &nd);
		*m = read_num(s, n, &i, 2, 2, &nd);
		*y = read_num(s, n, &i, (int)n - 4, (int)n - 4, &nd);
		if (i == n && *d >= 0 && *m >= 0 && *y >= 0) {
			if (n == 6)
				*y += 2000;
			return 0;
		}
		i = 0;
		*y = -1;
	}

	*d = read_num(s, n, &i, 1, 2, &nd);
	if (*d < 0 || i == n || !strchr("/-.", s[i]) || s[i] == '\0')
		return -1;
	i++;
	*m = read_num(s, n, &i, 1, 2, &nd);
	if (*m < 0)
		return -1;
	if (i < n) {
		if (!strchr("/-.", s[i]) || s[i] == '\0')
			return -1;
		i++;
		*y = read_num(s, n, &i, 2, 4, &nd);
		if (*y < 0 || nd == 3)
			return -1;
		if (nd == 2)
			*y += 2000;
	}
	return i == n ? 0 : -1;
}

/* A date in any form of SMS-FORMAT.md, not after today. */
enum parse_error
field_date(const char *s, size_t n, const struct pdate *today,
    struct sbuf *sb, const char **out)
{
	int y, m, d, back;
	size_t k;

	for (k = 0; k < sizeof(relative_dates) / sizeof(relative_dates[0]); k++) {
		if (!eq_word(s, n, relative_dates[k].word))
			continue;
		y = today->year;
		m = today->month;
		d = today->day;
		for (back = relative_dates[k].days_back; back > 0; back--) {
			if (--d >= 1)
				continue;
			if (--m < 1) {
				m = 12;
				y--;
			}
			d = month_days(y, m);
		}
		*out = put_date(sb, y, m, d);
		return PE_OK;
	}

	if (read_dmy(s, n, &y, &m, &d) != 0)
		return PE_BAD_DATE;
	if (y < 0) {
		/* No year: the latest such date not after today. 29/02 may be
		 * eight years back around a century. */
		if (m < 1 || m > 12 || d < 1 || d > month_days(2000, m))
			return PE_BAD_DATE;
		for (y = today->year; y > today->year - 9; y--)
			if (pdate_valid(y, m, d) &&
			    date_cmp(y, m, d, today) <= 0)
				break;
	}
	if (!pdate_valid(y, m, d))
		return PE_BAD_DATE;
	if (date_cmp(y, m, d, today) > 0)
		return PE_FUTURE_DATE;
	*out = put_date(sb, y, m, d);
	return PE_OK;
}

/*
 * An office's date from a spreadsheet: ISO, or a numeric SMS form with its
 * year (a cell has no "today" to place a yearless date by, and a plan's
 * dates may lie ahead). Blanks around it, as a CSV cell may carry, are
 * ignored.
 */
int
parse_office_date(const char *s, struct pdate *d)
{
	size_t a = 0, n;
	int y, m, day;

	if (s == NULL)
		return -1;
	n = strlen(s);
	p_trim(s, &a, &n);
	if (n - a == 10 && s[a + 4] == '-') {
		char iso[11];

		memcpy(iso, s + a, 10);
		iso[10] = '\0';
		return parse_iso_date(iso, d);
	}
	if (read_dmy(s + a, n - a, &y, &m, &day) != 0 || y < 0 ||
	    !pdate_valid(y, m, day))
		return -1;
	d->year = y;
	d->month = m;
	d->day = day;
	return 0;
}

/*
 * A count, min..9999: decimal digits, where a '.' between groups of exactly
 * three digits is a thousands separator (1.200, as it is printed). letter,
 * if not 0, may come first, then ':' or '=' (L40, p:35): people label the
 * counts they write.
 */
enum parse_error
field_number(const char *s, size_t n, int min, char letter, int *out)
{
	size_t i = 0, group = 0;
	int v = 0, dotted = 0;

	if (letter != 0 && n > 1 &&
	    up((unsigned char)s[0]) == (unsigned char)letter) {
		i = 1;
		if (s[i] == ':' || s[i] == '=')
			i++;
	}
	if (i == n)
		return PE_BAD_NUMBER;
	for (; i < n; i++) {
		if (s[i] == '.') {
			/* the first group 1..3 digits, every later one 3 */
			if (group == 0 || group > 3 || (dotted && group != 3))
				return PE_BAD_NUMBER;
			dotted = 1;
			group = 0;
			continue;
		}
		if (!isdig((unsigned char)s[i]))
			return PE_BAD_NUMBER;
		v = v * 10 + (s[i] - '0');
		if (v > NUMBER_MAX)
			return PE_BAD_NUMBER;
		group++;
	}
	if ((dotted && group != 3) || v < min)
		return PE_BAD_NUMBER;
	*out = v;
	return PE_OK;
}

/* A meeting type, matched exactly (aliases included), never guessed. */
enum parse_error
field_jenis(const char *s, size_t n, const char **out)
{
	size_t k;

	for (k = 0; k < sizeof(jenis_table) / sizeof(jenis_table[0]); k++) {
		if (eq_word(s, n, jenis_table[k].word)) {
			*out = jenis_table[k].code;
			return PE_OK;
		}
	}
	return PE_BAD_JENIS;
}

/* Free text: white space runs folded to one space; case and all else kept. */
enum parse_error
field_text(const char *s, size_t n, struct sbuf *sb, const char **out,
    size_t *outlen)
{
	char *start = sb_start(sb);
	size_t i;
	int space = 0;

	for (i = 0; i < n; i++) {
		if (p_isspace((unsigned char)s[i])) {
			space = 1;
			continue;
		}
		if (space)
			sb_putc(sb, ' ');
		space = 0;
		sb_putc(sb, s[i]);
	}
	*outlen = sb_end(sb, start);
	*out = start;
	return *outlen ? PE_OK : PE_MISSING_FIELD;
}

/*
 * A code of letters then digits, upper-cased into scratch. gap: white
 * space (or ',', ';') may stand between the two and is dropped; limits of
 * 0 are none. Returns 0, or -1 when s is no such code.
 */
static int
read_code(const char *s, size_t n, int gap, size_t max_letters,
    size_t max_digits, struct sbuf *sb, const char **out)
{
	size_t i = 0, letters, start_digits, digits;
	char *start;

	while (i < n && isalpha_ascii((unsigned char)s[i]))
		i++;
	letters = i;
	while (gap && i < n && p_iswsep((unsigned char)s[i]))
		i++;
	start_digits = i;
	while (i < n && isdig((unsigned char)s[i]))
		i++;
	digits = i - start_digits;
	if (letters == 0 || digits == 0 || i != n ||
	    (max_letters && letters > max_letters) ||
	    (max_digits && digits > max_digits))
		return -1;
	start = sb_start(sb);
	for (i = 0; i < n; i++)
		if (i < letters || i >= start_digits)
			sb_putc(sb, (char)up((unsigned char)s[i]));
	sb_end(sb, start);
	*out = start;
	return 0;
}

/* A consultation code: letters then digits, upper-cased. */
enum parse_error
field_perdes(const char *s, size_t n, struct sbuf *sb, const char **out)
{
	return read_code(s, n, 0, 0, 0, sb, out) == 0 ? PE_OK : PE_BAD_PERDES;
}

/*
 * An APBDes activity code as the office registered it: letters, then
 * digits, upper-cased ("K01", "PK3"), within the limits of parser.h. The
 * two-word form ("k 01") is the same code.
 */
enum parse_error
field_kegiatan(const char *s, size_t n, struct sbuf *sb, const char **out)
{
	return read_code(s, n, 1, KEGIATAN_LETTERS_MAX, KEGIATAN_DIGITS_MAX,
	    sb, out) == 0 ? PE_OK : PE_BAD_KEGIATAN;
}

/*
 * A percentage, 0..100, a '%' after it allowed (attached, or apart: "60
 * %"). Digits only, no thousands: "60.5" or "0.100" would be read as a
 * decimal point, and progress is stored in whole percent.
 */
enum parse_error
field_persen(const char *s, size_t n, int *out)
{
	size_t i = 0;
	int v = 0;

	if (n > 0 && s[n - 1] == '%') {
		n--;
		while (n > 0 && p_iswsep((unsigned char)s[n - 1]))
			n--;
	}
	if (n == 0)
		return PE_BAD_NUMBER;
	for (; i < n; i++) {
		if (!isdig((unsigned char)s[i]))
			return PE_BAD_NUMBER;
		v = v * 10 + (s[i] - '0');
		if (v > PERSEN_MAX)
			return PE_BAD_NUMBER;
	}
	*out = v;
	return PE_OK;
}

/*
 * A ticket or record number: a prefix from the list, then optional spaces
 * and '-', then digits; written PREFIX-n without leading zeros. More than
 * nine significant digits is refused so the number fits the store's ids.
 */
enum parse_error
field_ticket(const char *s, size_t n, const char *const *prefixes,
    struct sbuf *sb, const char **out)
{
	const char *const *p;
	size_t plen = 0, i, first;
	char *start;
	int dash = 0;

	for (p = prefixes; *p != NULL; p++) {
		plen = strlen(*p);
		if (plen <= n && eq_word(s, plen, *p))
			break;
	}
	if (*p == NULL)
		return PE_BAD_TICKET;
	i = plen;
	for (; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '-' && !dash)
			dash = 1;
		else if (!p_iswsep(c))
			break;
	}
	if (i == n)
		return PE_BAD_TICKET;
	while (i < n - 1 && s[i] == '0')
		i++;
	first = i;
	for (; i < n; i++)
		if (!isdig((unsigned char)s[i]))
			return PE_BAD_TICKET;
	if (n - first > 9)
		return PE_BAD_TICKET;
	start = sb_start(sb);
	for (i = 0; i < plen; i++)
		sb_putc(sb, (*p)[i]);
	sb_putc(sb, '-');
	for (i = first; i < n; i++)
		sb_putc(sb, s[i]);
	sb_end(sb, start);
	*out = start;
	return PE_OK;
}
