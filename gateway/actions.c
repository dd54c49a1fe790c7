#include "gateway/actions.h"

#include <stdio.h>
#include <string.h>

int
action_ticket(struct store *st, const struct ticket_request *q, char *tiket,
    size_t cap)
{
	struct record rec;
	long long id, seq;
	int aduan = strcmp(q->kind, "aduan") == 0;
	const char *type = aduan ? "ADU" : "ASP";

	memset(&rec, 0, sizeof(rec));
	rec.message_id = q->message_id;
	rec.kind = q->kind;
	rec.number = q->number;
	rec.desa = q->desa;
	rec.desa_input = q->desa_input ? q->desa_input : "";
	rec.isi = q->isi;
	rec.perdes = aduan ? NULL : q->perdes;
	rec.state = "counted";
	rec.created_at = q->now;
	if (store_record_add(st, &rec, &id) != 0 ||
	    store_ticket_add(st, type, id, q->number, q->now, &seq) != 0)
		return -1;
	snprintf(tiket, cap, "%s-%lld", type, seq);
	return 0;
}
