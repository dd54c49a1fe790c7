/*
 * central_link: the daemon's pusher to the central PostgreSQL, when the
 * configuration has [central] (docs/central.md).
 */
#ifndef KENTONGAN_CENTRAL_LINK_H
#define KENTONGAN_CENTRAL_LINK_H

struct gateway;

/* Capture on and the pusher started with [central]; capture off
 * without. 0, or -1 after logging why. */
int central_link_start(struct gateway *);
void central_link_stop(struct gateway *);

#endif
