/* Intake first (intake.h). */
#include "gateway/rules/intake.h"

void
intake_mo(struct intake *in, double t)
{
	in->mo_at = t;
}

int
intake_holds(struct intake *in, double t, double *wait)
{
	if (in->mo_at == 0 || t - in->mo_at >= INTAKE_QUIET) {
		in->held_since = 0;
		return 0;
	}
	if (in->held_since == 0)
		in->held_since = t;
	if (t - in->held_since >= INTAKE_HOLD_MAX)
		return 0;
	*wait = in->mo_at + INTAKE_QUIET - t;
	return 1;
}
