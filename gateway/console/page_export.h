/* page_export: a store_export as a CSV download, the very bytes the CLI's
 * --format csv writes (both go through csv_write_row). */
#ifndef KENTONGAN_PAGE_EXPORT_H
#define KENTONGAN_PAGE_EXPORT_H

#include "store/store.h"

struct creq;

/* Answer r with kind's rows as filename, or a 503 page. */
void page_export(struct creq *, enum export_kind,
    const struct export_filter *, const char *filename);

/* An export_row_fn writing each row after the header as a table row of
 * escaped cells (arg: the struct creq). */
int page_export_row(void *arg, int row, int n, const char *const *v);

#endif
