#include "gateway/rules/office_village.h"
#include "parser/parser.h"

#include <stdio.h>

int
office_village_pick(struct store *st, const char *area, const char *typed,
    char *norm, size_t normcap, char *code, size_t cap,
    struct village_pick *p)
{
	struct village_scope scope = { NULL, area };
	int rc;

	parse_desa(typed, norm, normcap);
	rc = store_village_pick(st, norm, &scope, p);
	if (rc == VILLAGE_FOUND)
		snprintf(code, cap, "%s", p->v.code);
	else if (rc == VILLAGE_AS_TYPED)
		snprintf(code, cap, "%s", norm);
	return rc;
}
