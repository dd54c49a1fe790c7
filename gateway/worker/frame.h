/*
 * frame: the records the event loop and a modem worker exchange over their
 * socketpair. A frame is a 4-byte length, a 2-byte type, then fields, each a
 * 4-byte length and bytes (integers travel as decimal text). Pure: builds
 * and reads buffers, does no I/O.
 */
#ifndef KENTONGAN_FRAME_H
#define KENTONGAN_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define FRAME_MAX	65536
#define FRAME_HEADER	6

enum frame_type {
	/* worker -> loop */
	EV_UP = 1,	/* modem connected: manufacturer, model, imei, operator */
	EV_DOWN,	/* modem lost: error text */
	EV_SMS,		/* one SMS read: see modem_worker.c for the fields */
	EV_SCAN_DONE,	/* a scan ended: count */
	EV_SENT,	/* a send ended: outbox id, ok, parts, error, code, class */
	EV_NETWORK,	/* signal percent, network code (not EV_SIGNAL: libevent has it) */
	EV_PART,	/* a part accepted: outbox id, seq, total, ref, mr */
	EV_USSD,	/* a USSD answer: ok, status, text */
	/* loop -> worker */
	CMD_DELETE = 100,	/* folder, location, read id: stored, delete it */
	CMD_SEND,	/* outbox id, number, text, report, ref, parts done */
	CMD_SCAN,	/* scan the inbox now */
	CMD_USSD,	/* dial a USSD code and post its answer */
};

struct frame {
	uint16_t type;
	size_t len;		/* of data */
	unsigned char data[FRAME_MAX];
	size_t pos;		/* read cursor */
};

void frame_init(struct frame *, enum frame_type);
int frame_put_str(struct frame *, const char *s, size_t len);
int frame_put_cstr(struct frame *, const char *s);
int frame_put_int(struct frame *, long long v);
/* Bytes to write: header then data; *n gets the total. */
const unsigned char *frame_bytes(struct frame *, size_t *n);

/* Given at least FRAME_HEADER bytes, the full frame size, or -1 if bad. */
long frame_size(const unsigned char *hdr);
/* Load a complete frame from buf (n = frame_size()). */
int frame_load(struct frame *, const unsigned char *buf, size_t n);
/* Next field: pointer into the frame and its length; -1 at the end. */
int frame_get_str(struct frame *, const char **s, size_t *len);
/* Next field copied and NUL-terminated into out (cut to cap). */
int frame_get_cstr(struct frame *, char *out, size_t cap);
int frame_get_int(struct frame *, long long *v);

#endif
