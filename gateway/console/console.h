/*
 * console: the office's web console, an evhttp listener on the daemon's
 * loop ([console] listen). Pages read the store directly and change it
 * only through the same rules/ actions as the CLI.
 */
#ifndef KENTONGAN_CONSOLE_H
#define KENTONGAN_CONSOLE_H

struct gateway;

int console_start(struct gateway *);
void console_stop(struct gateway *);
/* The store synced: answer the requests whose change is now on disk. */
void console_release_durable(struct gateway *);

#endif
