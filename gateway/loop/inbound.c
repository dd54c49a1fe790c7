/* Inbound: commit what a worker read, and only then let it delete. */
#include "gateway/loop/gateway.h"
#include "gateway/util/log.h"
#include "parser/phone.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Sender class from the phone normaliser, in the store's terms. */
enum sender_class
inbound_sender_class(const char *raw, char *number, size_t cap)
{
	switch (phone_normalize(raw, number, cap)) {
	case PHONE_E164:
		return SENDER_NUMBER;
	case PHONE_SHORT:
		return SENDER_SHORT;
	case PHONE_ALNUM:
		return SENDER_ALNUM;
	default:
		return SENDER_INVALID;
	}
}

static void
batch_clear(struct modem *m)
{
	int i;

	for (i = 0; i < m->nbatch; i++)
		free(m->batch[i].text);
	m->nbatch = 0;
}

void
inbound_flush(struct modem *m)
{
	struct gateway *gw = m->gw;
	char number[NUMBER_MAX], esc[200];
	long long now = gw_now(gw), mid;
	int i, added = 0, dup = 0;

	if (m->nbatch == 0)
		return;
	if (store_begin(gw->store) != 0)
		goto fail;
	for (i = 0; i < m->nbatch; i++) {
		struct pending_sms *p = &m->batch[i];
		struct sms_in in;
		int rc;

		memset(&in, 0, sizeof(in));
		in.modem = m->name;
		in.number_raw = p->number_raw;
		in.sender_class = inbound_sender_class(p->number_raw, number,
		    sizeof(number));
		in.number = number;
		in.smsc_time = p->smsc_time;
		in.received_at = now;
		in.coding = p->coding;
		in.text = p->text;
		in.text_len = p->text_len;
		in.concat_ref = p->ref;
		in.concat_total = p->total;
		in.concat_seq = p->seq;
		in.is_report = p->is_report;
		in.report_ref = p->report_ref;
		in.report_status = p->report_status;
		in.is_binary = p->is_binary;
		if ((rc = store_sms_add(gw->store, &in, &mid)) < 0)
			goto fail_tx;
		if (rc == 0)
			dup++;
		else
			added++;
		log_debug("%s: SMS %s from %s%s: %s", m->name,
		    rc ? "stored" : "already stored", number,
		    p->total > 1 ? " (part)" : "",
		    log_escape(p->text, p->text_len, esc, sizeof(esc)));
	}
	if (store_commit(gw->store) != 0)
		goto fail_tx;
	/* Stored for good: now the SIM may forget them. */
	for (i = 0; i < m->nbatch; i++) {
		if (i > 0 && m->batch[i].folder == m->batch[i - 1].folder &&
		    m->batch[i].location == m->batch[i - 1].location)
			continue;
		gw->modem_ops->remove(m, m->batch[i].folder, m->batch[i].location,
		    m->batch[i].read_id);
	}
	gw->intake_error[0] = '\0';
	if (dup)
		log_info("%s: %d SMS read again and not stored twice", m->name,
		    dup);
	log_debug("%s: %d SMS stored", m->name, added);
	batch_clear(m);
	process_schedule(gw);
	return;
fail_tx:
	store_rollback(gw->store);
fail:
	/* Another process holds the lock: keep the batch and store it in a
	 * moment (nothing is deleted before). Not when stopping: the loop
	 * may end first, and the SIM keeps them for the next start. */
	if (!gw->stopping && retry_if_busy(gw, WORK_INBOUND))
		return;
	/* Nothing is deleted: the worker will read them again. */
	snprintf(gw->intake_error, sizeof(gw->intake_error), "%s: cannot "
	    "store SMS, left on the modem: %s%s", m->name,
	    store_errmsg(gw->store),
	    store_last_was_full(gw->store) ? " (disk full)" : "");
	log_alarm("%s: cannot store %d SMS, left on the modem: %s%s",
	    m->name, m->nbatch, store_errmsg(gw->store),
	    store_last_was_full(gw->store) ? " (disk full)" : "");
	batch_clear(m);
}

void
inbound_retry(struct gateway *gw)
{
	int i;

	for (i = 0; i < gw->nmodems; i++)
		if (gw->modems[i].nbatch > 0)
			inbound_flush(&gw->modems[i]);
}
