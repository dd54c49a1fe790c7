/*
 * The modem worker's insides, shared by its files: modem_worker.c (the
 * process: connect, watchdog, inbox scan, commands) and worker_send.c
 * (encoding and sending an SMS, and classing what went wrong). Nothing
 * outside the worker includes this.
 */
#ifndef KENTONGAN_WORKER_INT_H
#define KENTONGAN_WORKER_INT_H

#include "gateway/rules/cms_errors.h"
#include "gateway/worker/frame.h"
#include "gateway/worker/frame_msg.h"
#include "gateway/worker/modem_worker.h"

#include <gammu.h>
#include <signal.h>

struct worker {
	const struct modem_worker_args *args;
	GSM_StateMachine *sm;
	INI_Section *ini;
	GSM_SMSC smsc;
	int have_smsc;
	GSM_MultiSMSMessage *scan;	/* ~260 KB each: one of each, reused */
	GSM_MultiSMSMessage *out;
	int send_done;			/* the send-status callback came */
	int send_status;		/* 0 ok, a CMS/CME code, or -1 */
	int send_ref;			/* the MR of the part */
	int send_timeout;		/* seconds to wait for +CMGS */
	int command_timeout;		/* seconds for any other AT exchange */
	int ack_timeout;		/* seconds to wait for the loop's deletes */
	int sent_log;			/* test only: KENTONGAN_SENT_LOG, or -1 */
	int ussd_on;			/* GSM_SetIncomingUSSD done */
	int ussd_done;
	GSM_USSDMessage ussd;
	unsigned char next_ref;		/* our own concatenation reference */
	int pending;			/* SMS posted, delete not yet received */
	unsigned read_seq;		/* numbers each GetNextSMS result */
	unsigned char rbuf[FRAME_MAX];
	size_t rlen;
};

/* The watchdog around one libGammu call (SIGALRM aborts it). */
void worker_watch(GSM_StateMachine *, int seconds);
void worker_unwatch(void);
extern volatile sig_atomic_t worker_watch_fired;
/* Write a whole frame to the loop; encoded is its frame_encode_X result. */
void worker_post(struct worker *, struct frame *, int encoded);
/* Post EV_DOWN with the libGammu error and exit; the loop restarts us. */
void worker_down(struct worker *, const char *what, GSM_Error)
    __attribute__((noreturn));
/* Errors that mean the device itself is gone or not answering. */
int worker_device_lost(GSM_Error);

/* worker_send.c: CMD_SEND, answered by exactly one EV_SENT. */
void worker_send_sms(struct worker *, long long id, const char *number,
    const char *text, int report, int ref, int done);
void worker_post_sent(struct worker *, long long id, int ok, int parts,
    const char *err, int code, enum send_class);

#endif
