/*
 * background: what a thread of the daemon that is not the loop does to
 * come after it (the daily copy, the push to central).
 */
#ifndef KENTONGAN_BACKGROUND_H
#define KENTONGAN_BACKGROUND_H

/* Ask, for the calling thread, the lowest best-effort I/O class and a
 * nice value of 10, so that its reads, writes and CPU come after the
 * loop's. Either may be refused (a sandbox); it then runs as it is. */
void background_priority(void);

#endif
