#include "store/csv.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

/* A cell a spreadsheet would run as a formula: = + - @, or a tab or CR,
 * which some skip. */
static int
formula_like(const char *s)
{
	return s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
}

void
csv_write_cell(FILE *f, const char *s)
{
	int guard = formula_like(s);
	const char *p;

	if (!guard && strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	if (guard)
		fputc('\'', f);
	for (p = s; *p; p++) {
		if (*p == '"')
			fputc('"', f);
		fputc(*p, f);
	}
	fputc('"', f);
}

void
csv_write_row(FILE *f, int n, const char *const *cells)
{
	int i;

	for (i = 0; i < n; i++) {
		if (i)
			fputc(',', f);
		csv_write_cell(f, cells[i]);
	}
	fputs("\r\n", f);
}

int
csv_read_row(FILE *f, char *buf, size_t cap, char **cells, int max,
    int *lines)
{
	int sep = ',';

	return csv_read_row_sep(f, &sep, buf, cap, cells, max, lines);
}

char *
csv_skip_bom(char *s)
{
	return strncmp(s, "\xef\xbb\xbf", 3) == 0 ? s + 3 : s;
}

char *
csv_unguard(char *s)
{
	return s[0] == '\'' && formula_like(s + 1) ? s + 1 : s;
}

int
csv_read_row_sep(FILE *f, int *sep, char *buf, size_t cap, char **cells,
    int max, int *lines)
{
	size_t o = 0;
	int c, n = 0, quoted = 0, any = 0;

	if (max < 1 || cap < 2)
		return -1;
	cells[n++] = buf;
	while ((c = fgetc(f)) != EOF) {
		any = 1;
		if (quoted) {
			if (c == '"') {
				int d = fgetc(f);

				if (d == '"')
					goto put;
				quoted = 0;
				if (d == EOF)
					break;
				ungetc(d, f);
				continue;
			}
			if (c == '\n')
				(*lines)++;
			goto put;
		}
		if (c == '"') {
			quoted = 1;
			continue;
		}
		if (c == '\r')
			continue;
		if (c == '\n') {
			(*lines)++;
			break;
		}
		if (*sep == 0 && (c == ',' || c == ';'))
			*sep = c;
		if (c == *sep) {
			if (o + 1 >= cap || n >= max)
				return -1;
			buf[o++] = '\0';
			cells[n++] = buf + o;
			continue;
		}
put:
		if (o + 1 >= cap)
			return -1;
		buf[o++] = (char)c;
	}
	/* EOF from a failed read is not the end of the file */
	if (ferror(f))
		return CSV_READ_ERROR;
	if (quoted)
		return -1;
	if (!any)
		return 0;
	buf[o] = '\0';
	if (c == EOF)
		(*lines)++;
	return n;
}

static ssize_t
gz_cookie_read(void *cookie, char *buf, size_t n)
{
	int got;

	if (n > 1u << 30)
		n = 1u << 30;
	got = gzread(cookie, buf, (unsigned)n);
	/* a gzip stream cut short reads as a plain end, with the error
	 * kept aside (Z_BUF_ERROR): a copy made half must not import half */
	if (got == 0) {
		int err;

		gzerror(cookie, &err);
		if (err != Z_OK)
			got = -1;
	}
	if (got < 0) {
		errno = EIO;
		return -1;
	}
	return got;
}

static int
gz_cookie_close(void *cookie)
{
	return gzclose_r(cookie) == Z_OK ? 0 : EOF;
}

FILE *
csv_open(const char *path)
{
	/* gzread passes a file that is not gzip through unchanged, so one
	 * path serves both; fopencookie keeps csv_read_row a plain stdio
	 * reader. */
	static const cookie_io_functions_t io = { .read = gz_cookie_read,
		.close = gz_cookie_close };
	gzFile gz;
	FILE *f;
	int fd;

	/* fopen first: it sets errno the way every other open does. */
	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	fd = dup(fileno(f));
	fclose(f);
	if (fd < 0)
		return NULL;
	if ((gz = gzdopen(fd, "rb")) == NULL) {
		close(fd);
		errno = ENOMEM;
		return NULL;
	}
	gzbuffer(gz, 64 * 1024);
	if ((f = fopencookie(gz, "r", io)) == NULL)
		gzclose_r(gz);
	return f;
}
