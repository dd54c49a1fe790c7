/*
 * APBDES and PANTAU by SMS: the village is resolved as in every message,
 * the year is the one the SMS was sent in, and what is shown or stored is
 * budget.c's, the same as USSD's.
 */
#include "gateway/loop/process_int.h"
#include "gateway/rules/budget.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The year the job's message was sent in (its "today"). */
static int
job_year(const struct job *j)
{
	return (int)strtol(j->today, NULL, 10);
}

/* The kecamatan of the job's village, for the office to ask; "" when the
 * village list does not have it. */
static int
job_kecamatan(struct job *j, char *out, size_t cap)
{
	struct village v;
	int rc;

	out[0] = '\0';
	if ((rc = store_village_get(j->st, j->desa, &v)) < 0)
		return -1;
	if (rc > 0)
		snprintf(out, cap, "%s", v.kecamatan);
	return 0;
}

/* The budget totals, or that none was entered. */
static int
say_total(struct job *j)
{
	char kec[128];
	int n;

	if (job_kecamatan(j, kec, sizeof(kec)) != 0)
		return -1;
	n = budget_total_text(j->st, j->desa, j->desa_name, kec, job_year(j),
	    j->reply, sizeof(j->reply));
	return n < 0 ? -1 : 0;
}

int
apbdes_own_village(struct job *j)
{
	struct parse_result *r = j->r;
	int rc;

	if (r->kind != PK_APBDES || r->error != PE_MISSING_FIELD ||
	    strcmp(r->field, "desa") != 0)
		return 0;
	if ((rc = job_own_village(j)) == 1)
		r->kegiatan = "";
	return rc;
}

/* "APBDES K01" from someone with one village: when the word is an
 * activity code and no village, it is theirs. 1 when so (j->desa and
 * *kode set), 0 when not, -1. */
static int
own_village_code(struct job *j, char *kode)
{
	int rc;

	if (j->r->kegiatan[0] != '\0' || parse_kegiatan(j->r->desa, kode) != 0)
		return 0;
	if ((rc = job_no_village(j, j->r->desa)) != 1)
		return rc;
	return job_own_village(j);
}

/* APBDES desa [kegiatan]: the year's totals, or one activity. A sender
 * with one village may leave it out. */
int
do_apbdes(struct job *j)
{
	struct kegiatan k;
	char kode[KEGIATAN_MAX + 1];
	int rc, n;

	if (j->desa[0] == '\0' && (rc = own_village_code(j, kode)) != 0) {
		if (rc < 0)
			return -1;
		j->r->kegiatan = kode;
	}
	if (j->desa[0] == '\0' && (rc = job_resolve_desa(j, j->r->desa)) != 0)
		return rc < 0 ? -1 : 0;
	if (j->r->kegiatan[0] == '\0')
		return say_total(j);
	if ((rc = store_kegiatan_get(j->st, j->desa, job_year(j),
	    j->r->kegiatan, &k)) < 0)
		return -1;
	if (rc == 1) {
		n = budget_kegiatan_text(j->st, &k, j->desa_name, j->now,
		    j->reply, sizeof(j->reply));
		return n < 0 ? -1 : 0;
	}
	j->state = "rejected";
	j->error = "kegiatan_unknown";
	if ((n = store_kegiatan_of(j->st, j->desa, job_year(j), NULL, 0)) < 0)
		return -1;
	if (n == 0)
		return say_total(j);
	n = budget_unknown_text(j->st, j->desa, j->desa_name, job_year(j),
	    j->r->kegiatan, 0, j->reply, sizeof(j->reply));
	return n < 0 ? -1 : 0;
}

/* PANTAU desa kegiatan persen [catatan]: an observation of an activity,
 * the verified progress when the village's pendamping or a koordinator
 * sends it. */
int
do_pantau(struct job *j)
{
	struct kegiatan k;
	struct budget_obs o;
	char persen[8], desa[DESA_MAX];
	int rc, resmi = 0;

	if ((rc = job_resolve_desa(j, j->r->desa)) != 0)
		return rc < 0 ? -1 : 0;
	memset(&o, 0, sizeof(o));
	o.desa = j->desa;
	o.tahun = job_year(j);
	o.kode = j->r->kegiatan;
	o.number = j->msg->number;
	o.persen = j->r->persen;
	o.catatan = j->r->catatan;
	o.message_id = j->msg->id;
	o.sent_at = job_sent_at(j);
	o.now = j->now;
	if ((rc = budget_observe(j->st, &o, &k, &resmi)) < 0)
		return -1;
	if (rc != OBS_STORED) {
		j->state = "rejected";
		j->error = "kegiatan_unknown";
		if (rc == OBS_NO_BUDGET)
			return say_total(j);
		return budget_unknown_text(j->st, j->desa, j->desa_name,
		    o.tahun, o.kode, 1, j->reply, sizeof(j->reply)) < 0 ? -1 : 0;
	}
	snprintf(persen, sizeof(persen), "%d", o.persen);
	budget_sms_desa(j->desa, j->desa_name, desa, sizeof(desa));
	j->note = resmi ? "verified progress" : "villager's observation";
	{
		struct reply_var v[] = { V("kegiatan", k.kode),
		    V("nama", k.nama), V("desa", desa), V("persen", persen) };

		job_say(j, resmi ? R_OK_PANTAU_RESMI : R_OK_PANTAU_WARGA, v, 4);
	}
	return 0;
}
