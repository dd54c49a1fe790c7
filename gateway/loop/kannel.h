/*
 * kannel: a bearer through Kannel's smsbox (docs/kannel.md). Kannel
 * calls the gateway on a listener of the bearer's own: /kannel/mo for an
 * SMS received (answered 200 once it is stored on disk, so smsbox retries
 * until then), /kannel/dlr for a delivery report (moves a sent row
 * forward only).
 */
#ifndef KENTONGAN_KANNEL_H
#define KENTONGAN_KANNEL_H

struct gateway;

/* Start a listener for each [kannel] section; -1 after logging why. */
int kannel_start(struct gateway *);
/* Answer what is parked: 503 for what may not be on disk (smsbox asks
 * again, and the id makes it a no-op), then free. */
void kannel_stop(struct gateway *);
/* Answer the MO requests whose commit is now on disk. */
void kannel_release_durable(struct gateway *);

#endif
