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

#endif
