#include "gateway/worker/modem_worker.h"
#include "gateway/worker/worker_int.h"
#include "gateway/rules/cms_errors.h"
#include "gateway/worker/frame.h"
#include "gateway/worker/frame_msg.h"
#include "gateway/worker/gammu_text.h"
#include "config/config.h"

#include <gammu.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SCAN_BATCH	500	/* SMS read and not yet deleted, at most */
#define SIGNAL_EVERY	30	/* seconds between signal checks when idle */
#define USSD_TIMEOUT	30	/* seconds to wait for a USSD answer */

/* struct worker: gateway/worker_int.h */

#define INIT_TIMEOUT	60	/* seconds for the AT initialisation */

static struct frame txf;

/*
 * The watchdog. libGammu waits up to 200 s per try, three tries, for an
 * answer to some AT commands: a modem that stops answering would hold us
 * for ten minutes. SIGALRM sets libGammu's abort flag (GSM_AbortOperation
 * only stores it), so the call returns ERR_ABORTED and we go down.
 */
static GSM_StateMachine *volatile watched;
volatile sig_atomic_t worker_watch_fired;
static int watch_seconds;

static void
on_alarm(int sig)
{
	(void)sig;
	worker_watch_fired = 1;
	if (watched != NULL)
		GSM_AbortOperation(watched);
}

/* Arm the watchdog for one libGammu call; worker_unwatch() disarms it. */
void
worker_watch(GSM_StateMachine *sm, int seconds)
{
	watched = sm;
	watch_seconds = seconds;
	worker_watch_fired = 0;
	alarm((unsigned)seconds);
}

void
worker_unwatch(void)
{
	alarm(0);
}

/*
 * Write a whole frame to the loop; the loop never blocks on its side. A
 * frame that did not encode is a bug (every field we post is far under
 * FRAME_MAX): leave rather than post half of it, and the loop restarts us.
 */
void
worker_post(struct worker *w, struct frame *f, int encoded)
{
	size_t n, off = 0;
	const unsigned char *p;

	if (encoded != 0)
		_exit(6);
	p = frame_bytes(f, &n);
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
void
worker_down(struct worker *w, const char *what, GSM_Error err)
{
	struct ev_down down;

	worker_unwatch();
	if (err == ERR_ABORTED)
		snprintf(down.error, sizeof(down.error), "%s: the modem stopped "
		    "answering (nothing for %d s)", what, watch_seconds);
	else
		snprintf(down.error, sizeof(down.error), "%s: %s (%s)", what,
		    GSM_ErrorString(err), GSM_ErrorName(err));
	down.code = err;
	worker_post(w, &txf, frame_encode_ev_down(&txf, &down));
	if (w->sm != NULL && GSM_IsConnected(w->sm))
		GSM_TerminateConnection(w->sm);
	_exit(3);
}

/* Errors that mean the device itself is gone or not answering. */
int
worker_device_lost(GSM_Error e)
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

/* libGammu's AT driver passes the +CMS ERROR code itself as status. */
static void
send_status_cb(GSM_StateMachine *sm, int status, int ref, void *arg)
{
	struct worker *w = arg;

	(void)sm;
	w->send_done = 1;
	w->send_status = status;
	w->send_ref = ref;
}

static void
ussd_cb(GSM_StateMachine *sm, GSM_USSDMessage *u, void *arg)
{
	struct worker *w = arg;

	(void)sm;
	w->ussd = *u;
	w->ussd_done = 1;
}

/* Post the signal and network code: also our liveness check when idle. */
static void
post_signal(struct worker *w)
{
	GSM_SignalQuality sig;
	GSM_NetworkInfo net;
	GSM_Error err;
	struct ev_network ev;

	memset(&sig, 0, sizeof(sig));
	worker_watch(w->sm, w->command_timeout);
	if ((err = GSM_GetSignalQuality(w->sm, &sig)) != ERR_NONE) {
		if (worker_device_lost(err))
			worker_down(w, "reading the signal", err);
		worker_unwatch();
		return;
	}
	memset(&net, 0, sizeof(net));
	err = GSM_GetNetworkInfo(w->sm, &net);
	worker_unwatch();
	if (worker_device_lost(err))
		worker_down(w, "reading the network", err);
	ev.signal = sig.SignalPercent;
	frame_cstr_cut(ev.network, sizeof(ev.network), net.NetworkCode);
	worker_post(w, &txf, frame_encode_ev_network(&txf, &ev));
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
	struct ev_up up;

	if ((w->sm = GSM_AllocStateMachine()) == NULL)
		worker_down(w, "allocating the state machine", ERR_MOREMEMORY);
	err = INI_ReadFile(w->args->config_path, FALSE, &w->ini);
	if (err != ERR_NONE)
		worker_down(w, "reading the config", err);
	err = GSM_ReadConfig(w->ini, GSM_GetConfig(w->sm, 0),
	    w->args->gammu_index);
	if (err != ERR_NONE)
		worker_down(w, "reading [gammu] config", err);
	GSM_SetConfigNum(w->sm, 1);
	worker_watch(w->sm, w->command_timeout > INIT_TIMEOUT ? w->command_timeout :
	    INIT_TIMEOUT);
	if ((err = GSM_InitConnection(w->sm, 1)) != ERR_NONE)
		worker_down(w, "connecting", err);
	/* InitConnection clears the callbacks: register them after it. */
	GSM_SetSendSMSStatusCallback(w->sm, send_status_cb, w);
	GSM_SetIncomingUSSDCallback(w->sm, ussd_cb, w);

	memset(&w->smsc, 0, sizeof(w->smsc));
	w->smsc.Location = 1;
	w->have_smsc = GSM_GetSMSC(w->sm, &w->smsc) == ERR_NONE;

	if ((err = GSM_GetManufacturer(w->sm, manu)) != ERR_NONE &&
	    worker_device_lost(err))
		worker_down(w, "identifying the modem", err);
	GSM_GetModel(w->sm, model);
	GSM_GetIMEI(w->sm, imei);
	memset(&net, 0, sizeof(net));
	GSM_GetNetworkInfo(w->sm, &net);
	memset(&sig, 0, sizeof(sig));
	sig.SignalPercent = -1;
	GSM_GetSignalQuality(w->sm, &sig);

	worker_unwatch();
	frame_cstr_cut(up.manufacturer, sizeof(up.manufacturer), manu);
	frame_cstr_cut(up.model, sizeof(up.model), model);
	frame_cstr_cut(up.imei, sizeof(up.imei), imei);
	frame_cstr_cut(up.network, sizeof(up.network), net.NetworkCode);
	up.signal = sig.SignalPercent;
	worker_post(w, &txf, frame_encode_ev_up(&txf, &up));
}

/* Post one SMS read from the device as EV_SMS. */
static void
post_sms(struct worker *w, const GSM_SMSMessage *m, unsigned read_id)
{
	static char text[GSM_MAX_SMS_LENGTH * 8 + 16];
	static char number[GSM_MAX_NUMBER_LENGTH * 4 + 4];
	const char *coding = "gsm7";
	size_t len;
	int ref = 0, total = 0, seq = 0, binary = 0;
	struct ev_sms ev;

	EncodeUTF8(number, m->Number);
	switch (m->Coding) {
	case SMS_Coding_Unicode_No_Compression:
	case SMS_Coding_Unicode_Compression:
		coding = "ucs2";
		len = ucs2_to_utf8(text, m);
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
		len = 2 * n;
		break;
	}
	default:
		EncodeUTF8(text, m->Text);
		len = strlen(text);
		break;
	}
	if (m->PDU == SMS_Status_Report)
		len = 0;
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

	ev.folder = m->Folder;
	ev.location = m->Location;
	frame_cstr_cut(ev.number, sizeof(ev.number), number);
	ev.smsc_time = datetime_to_unix(&m->DateTime);
	frame_cstr_cut(ev.coding, sizeof(ev.coding), coding);
	ev.text = text;
	ev.text_len = len;
	ev.ref = ref;
	ev.total = total;
	ev.seq = seq;
	ev.is_report = m->PDU == SMS_Status_Report;
	ev.report_ref = m->MessageReference;
	ev.report_status = m->DeliveryStatus;
	ev.is_binary = binary;
	ev.read_id = read_id;
	worker_post(w, &txf, frame_encode_ev_sms(&txf, &ev));
}

/*
 * Which read of each location a CMD_DELETE may act on: the latest. When
 * the loop is slow to acknowledge (ack_timeout), the scan reads the same
 * SMS again and the loop stores it once but deletes it twice; between the
 * two deletes a new SMS may take the freed location, and the second
 * delete would remove it unread. A delete carries the read it answers and
 * is ignored unless that is the location's latest read. Forgetting is
 * always safe (the SMS stays, is read again and matched as a duplicate),
 * so the table is emptied at each scan and a full table tracks no more.
 */
#define READ_SLOTS	65536
#define SLOT_GONE	0xffffffffu

struct read_slot {
	int folder, location;
	unsigned id;		/* 0 empty, SLOT_GONE deleted */
};

static struct read_slot *reads;
static int reads_used;

static unsigned
read_hash(int folder, int location)
{
	return ((unsigned)location * 2654435761u ^ (unsigned)folder * 40503u) &
	    (READ_SLOTS - 1);
}

static void
reads_forget(void)
{
	if (reads != NULL && reads_used > 0)
		memset(reads, 0, READ_SLOTS * sizeof(*reads));
	reads_used = 0;
}

static void
reads_note(int folder, int location, unsigned id)
{
	unsigned h = read_hash(folder, location), i;
	struct read_slot *free_slot = NULL;

	if (reads == NULL && (reads = calloc(READ_SLOTS, sizeof(*reads))) == NULL)
		return;
	for (i = 0; i < READ_SLOTS; i++) {
		struct read_slot *r = &reads[(h + i) & (READ_SLOTS - 1)];

		if (r->id == 0) {
			if (free_slot == NULL) {
				if (reads_used >= READ_SLOTS / 4 * 3)
					return;		/* full: untracked */
				free_slot = r;
				reads_used++;
			}
			break;
		}
		if (r->id == SLOT_GONE) {
			if (free_slot == NULL)
				free_slot = r;
		} else if (r->folder == folder && r->location == location) {
			r->id = id;
			return;
		}
	}
	if (free_slot != NULL) {
		free_slot->folder = folder;
		free_slot->location = location;
		free_slot->id = id;
	}
}

/* 1 when id is the latest read of the location (which is then forgotten). */
static int
reads_take(int folder, int location, unsigned id)
{
	unsigned h = read_hash(folder, location), i;

	if (reads == NULL)
		return 0;
	for (i = 0; i < READ_SLOTS; i++) {
		struct read_slot *r = &reads[(h + i) & (READ_SLOTS - 1)];

		if (r->id == 0)
			return 0;
		if (r->id != SLOT_GONE && r->folder == folder &&
		    r->location == location) {
			if (r->id != id)
				return 0;
			r->id = SLOT_GONE;
			return 1;
		}
	}
	return 0;
}

static int read_commands(struct worker *, int);

/*
 * Read the inbox and post each SMS. The loop's deletes are taken between
 * reads, so storing and reading overlap; with SCAN_BATCH posted and not
 * yet deleted the scan waits for deletes, and ends if none come within
 * the ack timeout (the store cannot commit). Returns 0 when the scan
 * stopped short with SMS still to read (go on soon), 1 otherwise: the
 * driver said the inbox has nothing more, or it failed (try again after
 * the interval, not at once).
 */
static int
scan_inbox(struct worker *w)
{
	GSM_Error err;
	int start = 1, count = 0, i, complete = 1;
	time_t deadline;
	struct ev_scan_done done;

	memset(w->scan, 0, sizeof(*w->scan));
	reads_forget();		/* nothing of ours is in flight (pending 0) */
	for (;;) {
		unsigned id;

		read_commands(w, 0);
		deadline = time(NULL) + w->ack_timeout;
		while (w->pending >= SCAN_BATCH && time(NULL) < deadline)
			read_commands(w, 1000);
		if (w->pending >= SCAN_BATCH) {
			complete = 0;
			break;
		}
		/* The message is GetNextSMS's cursor: never clear it here. */
		worker_watch(w->sm, w->command_timeout);
		err = GSM_GetNextSMS(w->sm, w->scan, start);
		worker_unwatch();
		start = 0;
		if (err == ERR_EMPTY)
			break;
		if (err != ERR_NONE) {
			if (worker_device_lost(err))
				worker_down(w, "reading SMS", err);
			break;
		}
		if ((id = ++w->read_seq) == 0 || id == SLOT_GONE)
			id = w->read_seq = 1;
		for (i = 0; i < w->scan->Number; i++) {
			if (!w->scan->SMS[i].InboxFolder)
				continue;
			reads_note(w->scan->SMS[i].Folder,
			    w->scan->SMS[i].Location, id);
			post_sms(w, &w->scan->SMS[i], id);
			w->pending++;
			count++;
		}
	}
	done.count = count;
	done.complete = complete;
	worker_post(w, &txf, frame_encode_ev_scan_done(&txf, &done));
	return complete;
}

/* Delete one stored SMS from the device, if it is still the read the loop
 * stored (reads_take). */
static void
delete_sms(struct worker *w, int folder, int location, unsigned id)
{
	GSM_SMSMessage m;
	GSM_Error err;

	if (w->pending > 0)
		w->pending--;
	if (!reads_take(folder, location, id))
		return;
	memset(&m, 0, sizeof(m));
	m.Folder = folder;
	m.Location = location;
	worker_watch(w->sm, w->command_timeout);
	err = GSM_DeleteSMS(w->sm, &m);
	worker_unwatch();
	if (err != ERR_NONE && err != ERR_EMPTY && worker_device_lost(err))
		worker_down(w, "deleting SMS", err);
}

/* Dial a USSD code and post the answer (or why there is none). */
static void
run_ussd(struct worker *w, const char *code)
{
	static char text[GSM_MAX_USSD_LENGTH * 4 + 4];
	time_t deadline = time(NULL) + USSD_TIMEOUT;
	GSM_Error err;
	struct ev_ussd ev;

	worker_watch(w->sm, w->command_timeout);
	if (!w->ussd_on) {
		/* Without this libGammu drops the answer. */
		if ((err = GSM_SetIncomingUSSD(w->sm, TRUE)) != ERR_NONE)
			goto fail;
		w->ussd_on = 1;
	}
	w->ussd_done = 0;
	err = GSM_DialService(w->sm, (char *)code);
	worker_unwatch();
	if (err != ERR_NONE)
		goto fail;
	/* The answer arrives while reading the device. */
	while (!w->ussd_done && time(NULL) < deadline)
		if (GSM_ReadDevice(w->sm, TRUE) < 0) {
			err = ERR_DEVICEREADERROR;
			goto fail;
		}
	if (!w->ussd_done) {
		err = ERR_TIMEOUT;
		goto fail;
	}
	EncodeUTF8(text, w->ussd.Text);
	ev.ok = w->ussd.Status == USSD_NoActionNeeded ||
	    w->ussd.Status == USSD_ActionNeeded;
	ev.status = w->ussd.Status;
	frame_cstr_cut(ev.text, sizeof(ev.text), text);
	worker_post(w, &txf, frame_encode_ev_ussd(&txf, &ev));
	return;
fail:
	worker_unwatch();
	ev.ok = 0;
	ev.status = -1;
	frame_cstr_cut(ev.text, sizeof(ev.text), GSM_ErrorString(err));
	worker_post(w, &txf, frame_encode_ev_ussd(&txf, &ev));
	if (worker_device_lost(err))
		worker_down(w, "USSD", err);
}

/* Act on one frame from the loop. Returns 1 for a CMD_SCAN. */
static int
handle_command(struct worker *w, struct frame *f)
{
	struct cmd_delete del;
	struct cmd_send send;
	struct cmd_ussd ussd;
	static char tbuf[FRAME_MAX];

	switch (f->type) {
	case CMD_DELETE:
		if (frame_decode_cmd_delete(f, &del) == 0)
			delete_sms(w, del.folder, del.location, del.read_id);
		break;
	case CMD_SEND:
		/* The decoder keeps the id it read: the loop is waiting for
		 * this send's EV_SENT. */
		if (frame_decode_cmd_send(f, &send) != 0 ||
		    send.text_len >= sizeof(tbuf)) {
			worker_post_sent(w, send.id, 0, 0, "bad send command",
			    -1, SEND_PERMANENT);
			break;
		}
		memcpy(tbuf, send.text, send.text_len);
		tbuf[send.text_len] = '\0';
		worker_send_sms(w, send.id, send.number, tbuf, send.report &&
		    w->args->delivery_reports, send.ref, send.done);
		break;
	case CMD_USSD:
		if (frame_decode_cmd_ussd(f, &ussd) == 0)
			run_ussd(w, ussd.code);
		break;
	case CMD_SCAN:
		return frame_decode_cmd_scan(f) == 0;
	default:
		break;
	}
	return 0;
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
		if (frame_load(&rx, w->rbuf, (size_t)n) == 0 &&
		    handle_command(w, &rx))
			scan = 1;
		memmove(w->rbuf, w->rbuf + n, w->rlen - (size_t)n);
		w->rlen -= (size_t)n;
	}
	return scan;
}

/* The timeouts, from our own config file (the loop passes only its path). */
static void
read_timeouts(struct worker *w)
{
	struct config *c = malloc(sizeof(*c));

	w->send_timeout = 60;
	w->command_timeout = 20;
	w->ack_timeout = 30;
	if (c != NULL && config_load(c, w->args->config_path) == 0) {
		w->send_timeout = c->send_timeout;
		w->command_timeout = c->command_timeout;
		w->ack_timeout = c->ack_timeout;
	}
	free(c);
}

int
modem_worker_main(const struct modem_worker_args *args)
{
	struct worker w;
	time_t next_scan = 0, ack_deadline = 0, next_signal;
	const char *log;

	memset(&w, 0, sizeof(w));
	w.args = args;
	signal(SIGPIPE, SIG_IGN);
	signal(SIGINT, SIG_IGN);	/* the loop decides when we stop */
	w.next_ref = (unsigned char)(time(NULL) ^ getpid());
	w.scan = calloc(1, sizeof(*w.scan));
	w.out = calloc(1, sizeof(*w.out));
	if (w.scan == NULL || w.out == NULL)
		worker_down(&w, "allocating buffers", ERR_MOREMEMORY);
	read_timeouts(&w);
	w.sent_log = -1;
	if ((log = getenv("KENTONGAN_SENT_LOG")) != NULL && *log &&
	    (w.sent_log = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC,
	    0644)) < 0)
		worker_down(&w, "opening KENTONGAN_SENT_LOG", ERR_CANTOPENFILE);
	signal(SIGALRM, on_alarm);
	connect_modem(&w);
	next_signal = time(NULL) + SIGNAL_EVERY;
	for (;;) {
		time_t now = time(NULL);
		int wait_ms;

		if (w.pending == 0 && now >= next_signal) {
			post_signal(&w);
			next_signal = now + SIGNAL_EVERY;
		}

		if (w.pending > 0 && now >= ack_deadline)
			w.pending = 0;	/* the loop could not store them */
		if (w.pending == 0 && now >= next_scan) {
			/* A scan read to the end covered every SMS there was
			 * when it began; what came later waits for the next
			 * interval, as on an idle modem. Rescanning at once
			 * would keep a driver whose every scan probes each
			 * location (the dummy) busy while SMS trickle in. */
			int complete = scan_inbox(&w);

			ack_deadline = time(NULL) + w.ack_timeout;
			next_scan = complete ?
			    time(NULL) + args->receive_interval : 0;
			continue;
		}
		wait_ms = w.pending > 0 ? 1000 :
		    (int)(next_scan > now ? (next_scan - now) * 1000 : 0);
		if (wait_ms > 1000)
			wait_ms = 1000;
		if (read_commands(&w, wait_ms))
			next_scan = 0;
		/* Let the driver take unsolicited results (AT); a line that
		 * went away reads as an error. */
		if (w.pending == 0 && GSM_ReadDevice(w.sm, FALSE) < 0)
			worker_down(&w, "reading the device", ERR_DEVICEREADERROR);
	}
}
