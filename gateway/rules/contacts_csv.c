/* contacts_csv: the rows of a contacts import, checked and stored. */
#include "gateway/rules/contacts_csv.h"
#include "gateway/rules/office.h"
#include "parser/parser.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* Villages typed at the office ("3322012005; Sukamaju"), resolved the
 * one way (office_village) into codes; NULL or why not. */
const char *
contact_villages(struct store *st, const char *area, const char *list,
    char (*codes)[DESA_MAX], const char **ptrs, int *n, char *why,
    size_t cap)
{
	char buf[2048], typed[DESA_MAX], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", list);
	*n = 0;
	for (tok = strtok_r(buf, ";,", &save); tok != NULL;
	    tok = strtok_r(NULL, ";,", &save)) {
		parse_desa(tok, typed, sizeof(typed));
		if (typed[0] == '\0')
			continue;
		if (*n == CONTACT_DESA_MAX)
			return "too many villages";
		if (office_village(st, area, tok, codes[*n], DESA_MAX, why,
		    cap) == NULL)
			return why;
		ptrs[*n] = codes[*n];
		(*n)++;
	}
	return NULL;
}

static int
contacts_header(void *arg, char **cells, int n)
{
	static const char *const want[4] = { "number", "name", "role",
	    "desa" };
	struct contacts_csv *c = arg;

	return csv_import_columns(cells, n, want, 4, 3, c->col);
}

static const char *
contacts_check(void *arg, struct store *st, char **cells, int n, char *why,
    size_t cap)
{
	struct contacts_csv *c = arg;
	const char *codes[CONTACT_DESA_MAX];
	int ncodes = 0;

	if (c->col[0] >= n || c->col[1] >= n || c->col[2] >= n)
		return "too few columns";
	if (c->col[3] >= 0 && c->col[3] < n &&
	    contact_villages(st, c->area, cells[c->col[3]], c->codes, codes,
	    &ncodes, why, cap) != NULL)
		return why;
	return contact_make(&c->row, cells[c->col[0]], cells[c->col[1]],
	    cells[c->col[2]], codes, ncodes, why, cap);
}

static int
contacts_put(void *arg, struct store *st, char **cells, int n)
{
	(void)cells;
	(void)n;
	return contact_store(st, &((struct contacts_csv *)arg)->row,
	    time(NULL));
}

/* A number twice in one file is a mistake to show, not a row to let win. */
static const char *
contacts_key(void *arg)
{
	return ((struct contacts_csv *)arg)->row.c.number;
}

const struct import_ops contacts_csv_ops = { "number,name,role,desa",
    contacts_header, contacts_check, contacts_put, contacts_key };
