/*
 * The Kannel bearers: each [kannel] section is a listener for what smsbox
 * calls (kannel_listen.c) and a sender of sendsms calls (kannel_send.c).
 */
#include "gateway/loop/gateway.h"
#include "gateway/loop/kannel.h"
#include "gateway/loop/kannel_int.h"
#include "gateway/util/log.h"

#include <stdlib.h>

int
kannel_start(struct gateway *gw)
{
	int i;

	for (i = 0; i < gw->conf->nkannels; i++) {
		struct kannel *k;

		if ((k = calloc(1, sizeof(*k))) == NULL)
			return -1;
		gw->kannels[gw->nkannels++] = k;
		k->gw = gw;
		k->conf = &gw->conf->kannels[i];
		if (kannel_listen_start(k, HTTP_SLOT_KANNEL + i) != 0 ||
		    kannel_sender_start(k) != 0)
			return -1;
	}
	return 0;
}

void
kannel_release_durable(struct gateway *gw)
{
	unsigned long durable;
	int i;

	if (gw->nkannels == 0)
		return;
	durable = store_durable(gw->store, NULL, NULL);
	for (i = 0; i < gw->nkannels; i++) {
		kannel_release_parked(gw->kannels[i], durable);
		kannel_release_held(gw->kannels[i], durable);
	}
}

void
kannel_stop(struct gateway *gw)
{
	int i;

	for (i = 0; i < gw->nkannels; i++) {
		struct kannel *k = gw->kannels[i];

		kannel_listen_stop(k);
		kannel_sender_stop(k);
		log_info("%s: %lu SMS stored (%lu asked again), %lu delivery "
		    "reports (%lu unknown), %lu sent, %lu failed",
		    k->conf->section, k->mo, k->mo_again, k->dlr,
		    k->dlr_unknown, k->accepted, k->failed);
		free(k);
		gw->kannels[i] = NULL;
	}
	gw->nkannels = 0;
}
