#include "gateway/modem_worker.h"
#include "gateway/frame.h"

#include <gammu.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SCAN_BATCH	500	/* SMS per scan before waiting for deletes */
#define ACK_TIMEOUT	30	/* seconds to wait for the loop's deletes */
#define SEND_TIMEOUT	90	/* seconds to wait for a send result */

struct worker {
	const struct modem_worker_args *args;
	GSM_StateMachine *sm;
	INI_Section *ini;
	GSM_SMSC smsc;
	int have_smsc;
	GSM_MultiSMSMessage *scan;	/* ~260 KB each: one of each, reused */
	GSM_MultiSMSMessage *out;
	int send_status;		/* -1 while waiting for the callback */
	int send_ref;
	unsigned char next_ref;		/* our own concatenation reference */
	int pending;			/* SMS posted, delete not yet received */
	unsigned char rbuf[FRAME_MAX];
	size_t rlen;
};

static struct frame txf;

/* Write a whole frame to the loop; the loop never blocks on its side. */
static void
post(struct worker *w, struct frame *f)
{
	size_t n, off = 0;
	const unsigned char *p = frame_bytes(f, &n);

	while (off < n) {
		ssize_t r = write(w->args->fd, p + off, n - off);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			_exit(0);	/* the loop is gone */
		}
		off += (size_t)r;
	}
}

/* Post EV_DOWN with the libGammu error and leave; the loop restarts us. */
static void __attribute__((noreturn))
down(struct worker *w, const char *what, GSM_Error err)
{
	char msg[256];

	snprintf(msg, sizeof(msg), "%s: %s (%s)", what, GSM_ErrorString(err),
	    GSM_ErrorName(err));
	frame_init(&txf, EV_DOWN);
	frame_put_cstr(&txf, msg);
	frame_put_int(&txf, err);
	post(w, &txf);
	if (w->sm != NULL && GSM_IsConnected(w->sm))
		GSM_TerminateConnection(w->sm);
	_exit(3);
}

/* Errors that mean the device itself is gone or not answering. */
static int
device_lost(GSM_Error e)
{
	switch (e) {
	case ERR_TIMEOUT:
	case ERR_DEVICENOTEXIST:
	case ERR_DEVICEOPENERROR:
	case ERR_DEVICEREADERROR:
	case ERR_DEVICEWRITEERROR:
	case ERR_DEVICENODRIVER:
	case ERR_DEVICELOCKED:
	case ERR_DEVICENOPERMISSION:
	case ERR_NOTCONNECTED:
	case ERR_ABORTED:
		return 1;
	default:
		return 0;
	}
}

static void
send_status_cb(GSM_StateMachine *sm, int status, int ref, void *arg)
{
	struct worker *w = arg;

	(void)sm;
	w->send_status = status;
	w->send_ref = ref;
}

/* Connect the state machine from our INI file's [gammuN] section. */
static void
connect_modem(struct worker *w)
{
	GSM_Error err;
	GSM_NetworkInfo net;
	GSM_SignalQuality sig;
	char manu[GSM_MAX_MANUFACTURER_LENGTH + 1] = "";
	char model[GSM_MAX_MODEL_LENGTH + 1] = "";
	char imei[GSM_MAX_IMEI_LENGTH + 1] = "";

	if ((w->sm = GSM_AllocStateMachine()) == NULL)
		down(w, "allocating the state machine", ERR_MOREMEMORY);
	err = INI_ReadFile(w->args->config_path, FALSE, &w->ini);
	if (err != ERR_NONE)
		down(w, "reading the config", err);
	err = GSM_ReadConfig(w->ini, GSM_GetConfig(w->sm, 0),
	    w->args->gammu_index);
	if (err != ERR_NONE)
		down(w, "reading [gammu] config", err);
	GSM_SetConfigNum(w->sm, 1);
	if ((err = GSM_InitConnection(w->sm, 1)) != ERR_NONE)
		down(w, "connecting", err);
	/* InitConnection clears the callbacks: register them after it. */
	GSM_SetSendSMSStatusCallback(w->sm, send_status_cb, w);

	memset(&w->smsc, 0, sizeof(w->smsc));
	w->smsc.Location = 1;
	w->have_smsc = GSM_GetSMSC(w->sm, &w->smsc) == ERR_NONE;

	GSM_GetManufacturer(w->sm, manu);
	GSM_GetModel(w->sm, model);
	GSM_GetIMEI(w->sm, imei);
	memset(&net, 0, sizeof(net));
	GSM_GetNetworkInfo(w->sm, &net);
	memset(&sig, 0, sizeof(sig));
	sig.SignalPercent = -1;
	GSM_GetSignalQuality(w->sm, &sig);

	frame_init(&txf, EV_UP);
	frame_put_cstr(&txf, manu);
	frame_put_cstr(&txf, model);
	frame_put_cstr(&txf, imei);
	frame_put_cstr(&txf, net.NetworkCode);
	frame_put_int(&txf, sig.SignalPercent);
	post(w, &txf);
}

/* GSM_DateTime (with its zone offset) to Unix seconds. */
static long long
datetime_to_unix(const GSM_DateTime *d)
{
	struct tm tm;

	if (d->Year == 0)
		return 0;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = d->Year - 1900;
	tm.tm_mon = d->Month - 1;
	tm.tm_mday = d->Day;
	tm.tm_hour = d->Hour;
	tm.tm_min = d->Minute;
	tm.tm_sec = d->Second;
	return (long long)timegm(&tm) - d->Timezone;
}

/* Post one SMS read from the device as EV_SMS. */
static void
post_sms(struct worker *w, const GSM_SMSMessage *m)
{
	static char text[GSM_MAX_SMS_LENGTH * 8 + 16];
	static char number[GSM_MAX_NUMBER_LENGTH * 4 + 4];
	const char *coding = "gsm7";
	int ref = 0, total = 0, seq = 0, binary = 0;

	EncodeUTF8(number, m->Number);
	switch (m->Coding) {
	case SMS_Coding_Unicode_No_Compression:
	case SMS_Coding_Unicode_Compression:
		coding = "ucs2";
		EncodeUTF8(text, m->Text);
		break;
	case SMS_Coding_8bit: {
		/* Binary payloads are kept as hex: they are never parsed. */
		size_t i, n = (size_t)m->Length;

		coding = "8bit";
		binary = 1;
		if (n > GSM_MAX_SMS_LENGTH)
			n = GSM_MAX_SMS_LENGTH;
		for (i = 0; i < n; i++)
			snprintf(text + 2 * i, 3, "%02X", m->Text[i]);
		text[2 * n] = '\0';
		break;
	}
	default:
		EncodeUTF8(text, m->Text);
		break;
	}
	if (m->PDU == SMS_Status_Report)
		text[0] = '\0';
	switch (m->UDH.Type) {
	case UDH_ConcatenatedMessages:
		ref = m->UDH.ID8bit;
		break;
	case UDH_ConcatenatedMessages16bit:
		ref = m->UDH.ID16bit;
		break;
	default:
		break;
	}
	if (m->UDH.Type == UDH_ConcatenatedMessages ||
	    m->UDH.Type == UDH_ConcatenatedMessages16bit) {
		total = m->UDH.AllParts;
		seq = m->UDH.PartNumber;
	}
	if (m->UDH.Type != UDH_NoUDH && total == 0 &&
	    m->Coding == SMS_Coding_8bit)
		binary = 1;

	frame_init(&txf, EV_SMS);
	frame_put_int(&txf, m->Folder);
	frame_put_int(&txf, m->Location);
	frame_put_cstr(&txf, number);
	frame_put_int(&txf, datetime_to_unix(&m->DateTime));
	frame_put_cstr(&txf, coding);
	frame_put_cstr(&txf, text);
	frame_put_int(&txf, ref);
	frame_put_int(&txf, total);
	frame_put_int(&txf, seq);
	frame_put_int(&txf, m->PDU == SMS_Status_Report);
	frame_put_int(&txf, m->MessageReference);
	frame_put_int(&txf, m->DeliveryStatus);
	frame_put_int(&txf, binary);
	post(w, &txf);
}

/* Read up to SCAN_BATCH inbox SMS and post them; returns how many. */
static int
scan_inbox(struct worker *w)
{
	GSM_Error err;
	int start = 1, count = 0, i;

	memset(w->scan, 0, sizeof(*w->scan));
	while (count < SCAN_BATCH) {
		/* The message is GetNextSMS's cursor: never clear it here. */
		err = GSM_GetNextSMS(w->sm, w->scan, start);
		start = 0;
		if (err == ERR_EMPTY)
			break;
		if (err != ERR_NONE) {
			if (device_lost(err))
				down(w, "reading SMS", err);
			break;
		}
		for (i = 0; i < w->scan->Number; i++) {
			if (!w->scan->SMS[i].InboxFolder)
				continue;
			post_sms(w, &w->scan->SMS[i]);
			count++;
		}
	}
	w->pending = count;
	frame_init(&txf, EV_SCAN_DONE);
	frame_put_int(&txf, count);
	post(w, &txf);
	return count;
}

/* Delete one stored SMS from the device. */
static void
delete_sms(struct worker *w, int folder, int location)
{
	GSM_SMSMessage m;
	GSM_Error err;

	memset(&m, 0, sizeof(m));
	m.Folder = folder;
	m.Location = location;
	err = GSM_DeleteSMS(w->sm, &m);
	if (err != ERR_NONE && err != ERR_EMPTY && device_lost(err))
		down(w, "deleting SMS", err);
	if (w->pending > 0)
		w->pending--;
}

/* Post the end of a send. */
static void
post_sent(struct worker *w, long long id, int ok, int parts, const char *err,
    int code)
{
	frame_init(&txf, EV_SENT);
	frame_put_int(&txf, id);
	frame_put_int(&txf, ok);
	frame_put_int(&txf, parts);
	frame_put_cstr(&txf, err);
	frame_put_int(&txf, code);
	post(w, &txf);
}

/* Encode text (UTF-8) as one or more SMS and send every part. */
static void
send_sms(struct worker *w, long long id, const char *number, const char *text,
    int report)
{
	static unsigned char ucs[(FRAME_MAX + 1) * 2];
	GSM_MultiPartSMSInfo info;
	GSM_Error err;
	char msg[256];
	int i;

	DecodeUTF8(ucs, text, strlen(text));
	GSM_ClearMultiPartSMSInfo(&info);
	info.Class = -1;
	info.EntriesNum = 1;
	/* AutoTextLong picks GSM 7-bit when every character fits it. */
	info.Entries[0].ID = SMS_ConcatenatedAutoTextLong;
	info.Entries[0].Buffer = ucs;
	memset(w->out, 0, sizeof(*w->out));
	err = GSM_EncodeMultiPartSMS(NULL, &info, w->out);
	if (err != ERR_NONE) {
		post_sent(w, id, 0, 0, GSM_ErrorString(err), -(int)err);
		return;
	}
	if (w->out->Number > 1) {
		/* libGammu takes the reference from the clock, so two long
		 * replies in one second would share it. */
		for (i = 0; i < w->out->Number; i++) {
			w->out->SMS[i].UDH.ID8bit = w->next_ref;
			GSM_EncodeUDHHeader(NULL, &w->out->SMS[i].UDH);
		}
		w->next_ref++;
	}
	for (i = 0; i < w->out->Number; i++) {
		GSM_SMSMessage *p = &w->out->SMS[i];
		time_t deadline = time(NULL) + SEND_TIMEOUT;

		/* SMSC read once at connect; Location 0 stops libGammu
		 * re-reading it for every part. */
		if (w->have_smsc)
			CopyUnicodeString(p->SMSC.Number, w->smsc.Number);
		p->SMSC.Location = 0;
		EncodeUnicode(p->Number, number, strlen(number));
		p->PDU = report ? SMS_Status_Report : SMS_Submit;
		w->send_status = -1;
		err = GSM_SendSMS(w->sm, p);
		if (err != ERR_NONE) {
			snprintf(msg, sizeof(msg), "part %d/%d: %s", i + 1,
			    w->out->Number, GSM_ErrorString(err));
			post_sent(w, id, 0, i, msg, -(int)err);
			if (device_lost(err))
				down(w, "sending SMS", err);
			return;
		}
		/* On AT the result arrives later, while reading the device. */
		while (w->send_status == -1 && time(NULL) < deadline)
			GSM_ReadDevice(w->sm, TRUE);
		if (w->send_status != 0) {
			snprintf(msg, sizeof(msg), "part %d/%d: %s", i + 1,
			    w->out->Number, w->send_status == -1 ?
			    "no answer from the modem" : "refused by the network");
			post_sent(w, id, 0, i, msg, w->send_status);
			if (w->send_status == -1)
				down(w, "sending SMS", ERR_TIMEOUT);
			return;
		}
	}
	post_sent(w, id, 1, w->out->Number, "", 0);
}

/* Act on one frame from the loop. */
static void
handle_command(struct worker *w, struct frame *f)
{
	long long a = 0, b = 0, report = 0;
	char number[64];
	const char *text;
	size_t len;
	static char tbuf[FRAME_MAX];

	switch (f->type) {
	case CMD_DELETE:
		if (frame_get_int(f, &a) == 0 && frame_get_int(f, &b) == 0)
			delete_sms(w, (int)a, (int)b);
		break;
	case CMD_SEND:
		if (frame_get_int(f, &a) != 0 ||
		    frame_get_cstr(f, number, sizeof(number)) != 0 ||
		    frame_get_str(f, &text, &len) != 0 ||
		    frame_get_int(f, &report) != 0 || len >= sizeof(tbuf)) {
			post_sent(w, a, 0, 0, "bad send command", -1);
			break;
		}
		memcpy(tbuf, text, len);
		tbuf[len] = '\0';
		send_sms(w, a, number, tbuf, (int)report &&
		    w->args->delivery_reports);
		break;
	case CMD_SCAN:
		break;
	default:
		break;
	}
}

/*
 * Wait up to ms for commands and run them. Returns 1 if a CMD_SCAN came.
 * Exits when the loop closes the socket.
 */
static int
read_commands(struct worker *w, int ms)
{
	struct pollfd pfd = { .fd = w->args->fd, .events = POLLIN };
	static struct frame rx;
	int scan = 0;
	ssize_t r;

	if (poll(&pfd, 1, ms) <= 0)
		return 0;
	r = read(w->args->fd, w->rbuf + w->rlen, sizeof(w->rbuf) - w->rlen);
	if (r == 0)
		_exit(0);
	if (r < 0)
		return 0;
	w->rlen += (size_t)r;
	for (;;) {
		long n;

		if (w->rlen < FRAME_HEADER)
			break;
		if ((n = frame_size(w->rbuf)) < 0)
			_exit(4);	/* the stream is corrupt: start over */
		if (w->rlen < (size_t)n)
			break;
		if (frame_load(&rx, w->rbuf, (size_t)n) == 0) {
			if (rx.type == CMD_SCAN)
				scan = 1;
			handle_command(w, &rx);
		}
		memmove(w->rbuf, w->rbuf + n, w->rlen - (size_t)n);
		w->rlen -= (size_t)n;
	}
	return scan;
}

int
modem_worker_main(const struct modem_worker_args *args)
{
	struct worker w;
	time_t next_scan = 0, ack_deadline = 0;

	memset(&w, 0, sizeof(w));
	w.args = args;
	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, SIG_IGN);	/* the loop decides when we stop */
	w.next_ref = (unsigned char)(time(NULL) ^ getpid());
	w.scan = calloc(1, sizeof(*w.scan));
	w.out = calloc(1, sizeof(*w.out));
	if (w.scan == NULL || w.out == NULL)
		down(&w, "allocating buffers", ERR_MOREMEMORY);
	connect_modem(&w);
	for (;;) {
		time_t now = time(NULL);
		int wait_ms;

		if (w.pending > 0 && now >= ack_deadline)
			w.pending = 0;	/* the loop could not store them */
		if (w.pending == 0 && now >= next_scan) {
			int n = scan_inbox(&w);

			ack_deadline = time(NULL) + ACK_TIMEOUT;
			next_scan = n > 0 ? 0 :
			    time(NULL) + args->receive_interval;
			continue;
		}
		wait_ms = w.pending > 0 ? 1000 :
		    (int)(next_scan > now ? (next_scan - now) * 1000 : 0);
		if (wait_ms > 1000)
			wait_ms = 1000;
		if (read_commands(&w, wait_ms))
			next_scan = 0;
		/* Let the driver take unsolicited results (AT). */
		if (w.pending == 0)
			GSM_ReadDevice(w.sm, FALSE);
	}
}
