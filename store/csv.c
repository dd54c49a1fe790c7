#include "store/csv.h"

#include <string.h>

void
csv_write_cell(FILE *f, const char *s)
{
	int guard = strchr("=+-@\t\r", s[0]) != NULL && s[0] != '\0';
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
		if (c == ',') {
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
	if (quoted)
		return -1;
	if (!any)
		return 0;
	buf[o] = '\0';
	if (c == EOF)
		(*lines)++;
	return n;
}
