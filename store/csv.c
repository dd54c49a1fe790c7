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
