/*
 * contacts_csv: a contacts import's rows (number,name,role[,desa]) for
 * csv_import, the same for `contacts import` and the console's upload.
 */
#ifndef KENTONGAN_RULES_CONTACTS_CSV_H
#define KENTONGAN_RULES_CONTACTS_CSV_H

#include "gateway/rules/contacts.h"
#include "gateway/rules/csv_import.h"

/* The columns, and the row checked last: zero it, set area. */
struct contacts_csv {
	int col[4];		/* number, name, role, desa; -1 if absent */
	const char *area;	/* where a village name is looked for */
	struct contact_full row;
	char codes[CONTACT_DESA_MAX][DESA_MAX];
};

extern const struct import_ops contacts_csv_ops;

/* Villages typed at the office ("3322012005; Sukamaju"), resolved the
 * one way (office_village) into codes; NULL or why not. */
const char *contact_villages(struct store *, const char *area,
    const char *list, char (*codes)[DESA_MAX], const char **ptrs, int *n,
    char *why, size_t cap);

#endif
