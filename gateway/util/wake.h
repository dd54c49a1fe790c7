/*
 * wake: the office's commands tell a running daemon that they wrote
 * (`kentongan broadcast`, a ticket's update), so that it sends now
 * rather than at its next look (4 a second). A datagram socket beside
 * the database, "<database>.wake", that the daemon binds while it holds
 * the database's lock; a datagram carries no meaning but "look".
 */
#ifndef KENTONGAN_WAKE_H
#define KENTONGAN_WAKE_H

/* The daemon's socket, non-blocking and close-on-exec, replacing one a
 * crash left; -1 when it cannot be made (a path too long for a socket):
 * the daemon then only looks 4 times a second. */
int wake_listen(const char *database);
/* Read what came (the daemon looks once however many came). */
void wake_drain(int fd);
/* Remove the socket: at the daemon's stop. */
void wake_close(const char *database, int fd);
/* Tell the daemon on database to look; silent when none listens. */
void wake_send(const char *database);

#endif
