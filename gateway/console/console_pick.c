/* console_pick: villages and kecamatans typed into the console's forms. */
#include "gateway/console/console_pick.h"
#include "gateway/loop/gateway.h"
#include "gateway/rules/office_village.h"
#include "gateway/rules/report.h"
#include "config/config.h"

#include <stdarg.h>
#include <stdio.h>

#define CHOICES	8

/* Append to why at o while it has room; the new end. */
static size_t __attribute__((format(printf, 4, 5)))
add(char *why, size_t cap, size_t o, const char *fmt, ...)
{
	va_list ap;

	if (o < cap) {
		va_start(ap, fmt);
		o += (size_t)vsnprintf(why + o, cap - o, fmt, ap);
		va_end(ap);
	}
	return o;
}

const char *
console_village(struct creq *r, const char *typed, char *code, size_t cap,
    char *why, size_t whycap)
{
	struct village cand[CHOICES];
	struct village_pick p = { .cand = cand, .cand_max = CHOICES };
	char norm[DESA_MAX];
	size_t o;
	int i, n;

	switch (office_village_pick(r->gw->store, r->gw->conf->area, typed, norm,
	    sizeof(norm), code, cap, &p)) {
	case VILLAGE_FOUND:
	case VILLAGE_AS_TYPED:
		return code;
	case VILLAGE_AMBIGUOUS:
		n = p.choices < p.ncand ? p.choices : p.ncand;
		o = (size_t)snprintf(why, whycap, "Ada %d desa bernama '%s':",
		    p.choices, typed);
		for (i = 0; i < n; i++)
			o = add(why, whycap, o, "%s %s (Kec. %s)", i ? "," : "",
			    cand[i].code, cand[i].kecamatan);
		add(why, whycap, o, "%s. Tulis kodenya.", n < p.choices ?
		    ", ..." : "");
		return NULL;
	case VILLAGE_UNKNOWN:
		snprintf(why, whycap, "Desa '%s' tidak dikenal.", typed);
		return NULL;
	default:
		snprintf(why, whycap, "Basis data tidak dapat dibaca. Coba "
		    "lagi.");
		return NULL;
	}
}

const char *
console_kecamatan(struct creq *r, const char *typed, char *code, char *why,
    size_t whycap)
{
	struct kec_pick p;
	size_t o;
	int i, rc;

	rc = report_kecamatan_pick(r->gw->store, typed, r->gw->conf->area, &p);
	if (rc == KEC_FOUND) {
		snprintf(code, sizeof(p.k.code), "%s", p.k.code);
		return code;
	}
	if (rc < 0) {
		snprintf(why, whycap, "Basis data tidak dapat dibaca. Coba "
		    "lagi.");
		return NULL;
	}
	if (rc == KEC_AMBIGUOUS)
		o = (size_t)snprintf(why, whycap, "Ada %d kecamatan bernama "
		    "'%s':", p.ncand, typed);
	else
		o = (size_t)snprintf(why, whycap, "Kecamatan '%s' tidak "
		    "dikenal%s", typed, p.ncand ? "; yang mirip:" : ".");
	for (i = 0; i < p.ncand; i++)
		o = add(why, whycap, o, "%s %s (%s)", i ? "," : "",
		    p.cand[i].name, p.cand[i].code);
	if (rc == KEC_AMBIGUOUS)
		add(why, whycap, o, ". Tulis kodenya.");
	return NULL;
}
