/* The modem worker's send path: encode, send each part, class the errors. */
#include "gateway/worker/worker_int.h"
#include "gateway/worker/gammu_text.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static struct frame txf;

/*
 * Test only: one line "outbox_id part total" per part GSM_SendSMS took, on
 * disk before anything else happens, so a crash test can count what left
 * twice (the dummy driver keeps no copy of what it sends).
 */
static void
sent_record(struct worker *w, long long id, int part, int total)
{
	char line[64];
	int n;

	if (w->sent_log < 0)
		return;
	n = snprintf(line, sizeof(line), "%lld %d %d\n", id, part, total);
	if (write(w->sent_log, line, (size_t)n) != n || fsync(w->sent_log) != 0)
		_exit(5);	/* a test that cannot count must not pass */
}

/* Post the end of a send: parts accepted so far and the failure class. */
void
worker_post_sent(struct worker *w, long long id, int ok, int parts, const char *err,
    int code, enum send_class cls)
{
	struct ev_sent ev;

	ev.id = id;
	ev.ok = ok;
	ev.parts = parts;
	frame_cstr_cut(ev.error, sizeof(ev.error), err);
	ev.code = code;
	ev.cls = cls;
	worker_post(w, &txf, frame_encode_ev_sent(&txf, &ev));
}

/* One part accepted by the network, with its message reference. */
static void
post_part(struct worker *w, long long id, int seq, int total, int ref,
    int mr)
{
	struct ev_part ev = { .id = id, .seq = seq, .total = total,
	    .ref = ref, .mr = mr };

	worker_post(w, &txf, frame_encode_ev_part(&txf, &ev));
}

/*
 * The class of a GSM_SendSMS error (the PDU never went out whole: no
 * Ctrl-Z was written). Errors not listed are transient.
 */
static const struct { GSM_Error err; enum send_class cls; } gammu_classes[] = {
	{ ERR_EMPTYSMSC, SEND_LOCAL },
	{ ERR_SECURITYERROR, SEND_LOCAL },
	{ ERR_NOSIM, SEND_LOCAL },
	{ ERR_NOTSUPPORTED, SEND_LOCAL },
	{ ERR_BUG, SEND_LOCAL },
};

static enum send_class
gammu_class(GSM_Error e)
{
	size_t i;

	for (i = 0; i < sizeof(gammu_classes) / sizeof(gammu_classes[0]); i++)
		if (gammu_classes[i].err == e)
			return gammu_classes[i].cls;
	return SEND_TRANSIENT;
}

/* Fail part i of a send: post it, and leave if the device is gone. */
static void
send_failed(struct worker *w, long long id, int i, int total, const char *why,
    int code, enum send_class cls, int lost)
{
	char msg[256];

	snprintf(msg, sizeof(msg), "part %d/%d: %s", i + 1, total, why);
	worker_post_sent(w, id, 0, i, msg, code, cls);
	if (lost)
		worker_down(w, "sending SMS", ERR_TIMEOUT);
}

/*
 * Encode text (UTF-8) as one or more SMS and send the parts after the
 * first `done` ones (a retry resumes a long SMS with the same reference,
 * so the recipient's phone still joins it). ref < 0 picks a new reference.
 */
void
worker_send_sms(struct worker *w, long long id, const char *number, const char *text,
    int report, int ref, int done)
{
	static unsigned char ucs[(FRAME_MAX + 1) * 2];
	GSM_Error err;
	char why[200];
	int i, n;

	err = encode_text_sms(text, ucs, w->out);
	if (err != ERR_NONE) {
		/* This text, not the modem: no retry will encode it. */
		worker_post_sent(w, id, 0, 0, GSM_ErrorString(err), -(int)err,
		    SEND_PERMANENT);
		return;
	}
	n = w->out->Number;
	if (done >= n)
		done = 0;	/* not the text we sent before: start over */
	if (n > 1) {
		/* libGammu takes the reference from the clock, so two long
		 * replies in one second would share it. */
		if (ref < 0 || ref > 255 || done == 0)
			ref = w->next_ref++;
		for (i = 0; i < n; i++) {
			w->out->SMS[i].UDH.ID8bit = ref;
			GSM_EncodeUDHHeader(NULL, &w->out->SMS[i].UDH);
		}
	} else
		ref = -1;
	for (i = done; i < n; i++) {
		GSM_SMSMessage *p = &w->out->SMS[i];
		time_t deadline = time(NULL) + w->send_timeout;
		int lost = 0;

		/* SMSC read once at connect; Location 0 stops libGammu
		 * re-reading it for every part. */
		if (w->have_smsc)
			CopyUnicodeString(p->SMSC.Number, w->smsc.Number);
		p->SMSC.Location = 0;
		EncodeUnicode(p->Number, number, strlen(number));
		p->PDU = report ? SMS_Status_Report : SMS_Submit;
		w->send_done = 0;
		worker_watch(w->sm, w->command_timeout);
		err = GSM_SendSMS(w->sm, p);
		worker_unwatch();
		if (err == ERR_NONE)
			sent_record(w, id, i + 1, n);
		if (err != ERR_NONE) {
			/* No Ctrl-Z went out: the part was not sent. A +CMS
			 * ERROR to AT+CMGS itself still reaches the callback. */
			if (w->send_done && w->send_status > 0) {
				snprintf(why, sizeof(why), "+CMS ERROR %d: %s",
				    w->send_status, cms_text(w->send_status));
				send_failed(w, id, i, n, why, w->send_status,
				    cms_class(w->send_status), 0);
			} else
				send_failed(w, id, i, n, GSM_ErrorString(err),
				    -(int)err, gammu_class(err), 0);
			if (worker_device_lost(err))
				worker_down(w, "sending SMS", err);
			return;
		}
		/* Aborted after the PDU went out: libGammu's abort flag would
		 * also stop every read below, so this is the end. */
		if (worker_watch_fired && !w->send_done)
			send_failed(w, id, i, n, "the modem stopped answering: "
			    "maybe sent", 0, SEND_UNCERTAIN, 1);
		/* On AT the result arrives later, while reading the device. */
		while (!w->send_done && time(NULL) < deadline)
			if (GSM_ReadDevice(w->sm, TRUE) < 0) {
				lost = 1;
				break;
			}
		if (!w->send_done) {
			/* The PDU and Ctrl-Z went out and nothing came back:
			 * the network may have it. */
			send_failed(w, id, i, n, lost ? "line lost before the "
			    "modem answered: maybe sent" : "no answer from the "
			    "modem: maybe sent", 0, SEND_UNCERTAIN, 1);
			return;
		}
		if (w->send_status != 0) {
			int code = w->send_status;

			if (code > 0)
				snprintf(why, sizeof(why), "+CMS ERROR %d: %s",
				    code, cms_text(code));
			else
				snprintf(why, sizeof(why), "refused (ERROR)");
			send_failed(w, id, i, n, why, code, code > 0 ?
			    cms_class(code) : SEND_TRANSIENT, 0);
			return;
		}
		post_part(w, id, i + 1, n, ref, w->send_ref);
	}
	worker_post_sent(w, id, 1, n, "", 0, SEND_OK);
}
