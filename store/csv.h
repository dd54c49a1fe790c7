/*
 * csv: RFC 4180 output with a spreadsheet formula guard. Pure: writes into
 * a caller's FILE. A cell that begins with = + - @ (or a tab or CR, which
 * some spreadsheets skip) gets a leading ' so it is never run as a formula.
 */
#ifndef KENTONGAN_CSV_H
#define KENTONGAN_CSV_H

#include <stdio.h>

void csv_write_cell(FILE *, const char *);
/* One row of n cells, comma-separated, CRLF-terminated. */
void csv_write_row(FILE *, int n, const char *const *cells);



/*
 * Read one RFC 4180 row from f: quoted fields may hold commas, quotes ("")
 * and newlines. Fields are NUL-terminated in buf (cap bytes) and pointed to
 * by cells (at most max). *lines is advanced by the lines consumed. Returns
 * the number of cells, 0 at end of file, -1 for a row too long or an
 * unterminated quote, CSV_READ_ERROR when the file could not be read
 * (errno says why; a gzip file cut short is EIO).
 */
#define CSV_READ_ERROR	(-2)
int csv_read_row(FILE *f, char *buf, size_t cap, char **cells, int max,
    int *lines);
/*
 * The same with the separator in *sep: ',' or ';' (Excel in an Indonesian
 * locale writes ';'). With *sep 0 the row's first unquoted ',' or ';'
 * becomes it: read a header that way, then its rows with what it found.
 */
int csv_read_row_sep(FILE *f, int *sep, char *buf, size_t cap, char **cells,
    int max, int *lines);
/* s without the UTF-8 byte order mark Excel puts before a "CSV UTF-8"
 * file's first cell. */
char *csv_skip_bom(char *s);
/* s without the ' that csv_write_cell puts before = + - @ (so that a file
 * written by list or export, saved again by a spreadsheet, reads back). */
char *csv_unguard(char *s);

/*
 * Open a CSV file for csv_read_row, plain or gzip-compressed (the village
 * list ships compressed): the caller reads text either way. NULL with errno
 * set when it cannot be opened. Close with fclose.
 */
FILE *csv_open(const char *path);
#endif
