/*
 * frame_msg: each frame the loop and a modem worker exchange, as a struct
 * with one encoder and one decoder, so the two sides share one field order
 * instead of each spelling it out. Built on frame.h, whose wire format
 * (length, type, length-prefixed fields, integers as decimal text) this
 * does not change. Pure: no I/O, no libGammu, no libevent.
 *
 * frame_encode_X starts the frame (frame_init) and writes every field; it
 * returns -1 only when the fields do not fit in FRAME_MAX.
 *
 * frame_decode_X reads a loaded frame from its first field. It returns -1
 * when the frame is of another type, a field is missing or not a number,
 * a number is out of its field's range (flags are 0 or 1), or fields are
 * left over. It zeroes the struct first and fills it in wire order, so on
 * -1 the fields read before the bad one hold their values and the rest are
 * zero (a malformed CMD_SEND is still answered with its outbox id).
 *
 * Strings are NUL-terminated and cut to their buffer, as frame_get_cstr
 * cuts; frame_cstr_cut cuts the same way when filling a struct to encode.
 * The two texts of unbounded size (an SMS's, a send's) are a pointer and a
 * length instead: after decoding they point into the frame, valid while the
 * frame is, and not NUL-terminated.
 */
#ifndef KENTONGAN_FRAME_MSG_H
#define KENTONGAN_FRAME_MSG_H

#include "gateway/rules/cms_errors.h"
#include "gateway/worker/frame.h"

#include <stddef.h>

/* The sizes the loop keeps (struct modem, struct pending_sms). */
#define FRAME_ERROR_MAX		256	/* EV_DOWN, EV_SENT error texts */
#define FRAME_IDENT_MAX		64	/* manufacturer, model */
#define FRAME_IMEI_MAX		32
#define FRAME_NETWORK_MAX	16	/* MCC and MNC, "51010" */
#define FRAME_NUMBER_MAX	64	/* a phone number, a USSD code */
#define FRAME_CODING_MAX	8	/* "gsm7", "ucs2", "8bit" */
#define FRAME_USSD_MAX		512	/* a USSD answer */

/* EV_UP: the modem is connected. */
struct ev_up {
	char manufacturer[FRAME_IDENT_MAX];
	char model[FRAME_IDENT_MAX];
	char imei[FRAME_IMEI_MAX];
	char network[FRAME_NETWORK_MAX];
	int signal;			/* percent, -1 unknown */
};

/* EV_DOWN: the worker is leaving after a device error. */
struct ev_down {
	char error[FRAME_ERROR_MAX];
	int code;			/* the GSM_Error */
};

/* EV_SMS: one SMS (or part, or status report) read from the device. */
struct ev_sms {
	int folder, location;		/* where it is, for CMD_DELETE */
	char number[FRAME_NUMBER_MAX];	/* the sender, UTF-8 as received */
	long long smsc_time;		/* unix time the SMSC stamped */
	char coding[FRAME_CODING_MAX];
	const char *text;		/* UTF-8; hex for 8bit; empty for a report */
	size_t text_len;
	int ref, total, seq;		/* concatenation; 0 for a single SMS */
	int is_report;			/* flag: a status report */
	int report_ref;			/* the MR it reports on */
	int report_status;		/* its delivery status */
	int is_binary;			/* flag */
	unsigned read_id;		/* the read, echoed in CMD_DELETE */
};

/* EV_SCAN_DONE: a scan of the inbox ended. */
struct ev_scan_done {
	int count;			/* EV_SMS posted by the scan */
	int complete;			/* flag: read to the end of the inbox */
};

/* EV_SENT: the one answer to a CMD_SEND. */
struct ev_sent {
	long long id;			/* outbox id */
	int ok;				/* flag: every part accepted */
	int parts;			/* parts accepted, counting earlier tries */
	char error[FRAME_ERROR_MAX];	/* empty when ok */
	int code;			/* +CMS (> 0), -GSM_Error or -1, 0 none */
	enum send_class cls;
};

/* EV_NETWORK: the periodic signal check, also the worker's liveness. */
struct ev_network {
	int signal;			/* percent */
	char network[FRAME_NETWORK_MAX];
};

/* EV_PART: one part of a CMD_SEND accepted by the network. */
struct ev_part {
	long long id;			/* outbox id */
	int seq, total;			/* 1-based part number, parts in all */
	int ref;			/* concatenation reference, -1 single */
	int mr;				/* message reference, for reports */
};

/* EV_USSD: the answer to a CMD_USSD, or why there is none. */
struct ev_ussd {
	int ok;				/* flag */
	int status;			/* libGammu's USSD status, -1 failed */
	char text[FRAME_USSD_MAX];	/* the answer, or the error */
};

/* CMD_DELETE: an SMS is stored; delete it if it is still that read. */
struct cmd_delete {
	int folder, location;
	unsigned read_id;		/* from its EV_SMS */
};

/* CMD_SEND: send one outbox row, answered by one EV_SENT. */
struct cmd_send {
	long long id;			/* outbox id */
	char number[FRAME_NUMBER_MAX];
	const char *text;		/* UTF-8 */
	size_t text_len;
	int report;			/* flag: ask for a status report */
	int ref;			/* reference of earlier parts, -1 none */
	int done;			/* parts already sent by earlier tries */
};

/* CMD_USSD: dial a code and post its answer as EV_USSD. */
struct cmd_ussd {
	char code[FRAME_NUMBER_MAX];
};

/* Copy src into dst cut to cap, as a decoder cuts a string. */
void frame_cstr_cut(char *dst, size_t cap, const char *src);

int frame_encode_ev_up(struct frame *, const struct ev_up *);
int frame_decode_ev_up(struct frame *, struct ev_up *);
int frame_encode_ev_down(struct frame *, const struct ev_down *);
int frame_decode_ev_down(struct frame *, struct ev_down *);
int frame_encode_ev_sms(struct frame *, const struct ev_sms *);
int frame_decode_ev_sms(struct frame *, struct ev_sms *);
int frame_encode_ev_scan_done(struct frame *, const struct ev_scan_done *);
int frame_decode_ev_scan_done(struct frame *, struct ev_scan_done *);
int frame_encode_ev_sent(struct frame *, const struct ev_sent *);
int frame_decode_ev_sent(struct frame *, struct ev_sent *);
int frame_encode_ev_network(struct frame *, const struct ev_network *);
int frame_decode_ev_network(struct frame *, struct ev_network *);
int frame_encode_ev_part(struct frame *, const struct ev_part *);
int frame_decode_ev_part(struct frame *, struct ev_part *);
int frame_encode_ev_ussd(struct frame *, const struct ev_ussd *);
int frame_decode_ev_ussd(struct frame *, struct ev_ussd *);
int frame_encode_cmd_delete(struct frame *, const struct cmd_delete *);
int frame_decode_cmd_delete(struct frame *, struct cmd_delete *);
int frame_encode_cmd_send(struct frame *, const struct cmd_send *);
int frame_decode_cmd_send(struct frame *, struct cmd_send *);
/* CMD_SCAN carries no field (C has no empty struct): scan the inbox now. */
int frame_encode_cmd_scan(struct frame *);
int frame_decode_cmd_scan(struct frame *);
int frame_encode_cmd_ussd(struct frame *, const struct cmd_ussd *);
int frame_decode_cmd_ussd(struct frame *, struct cmd_ussd *);

#endif
