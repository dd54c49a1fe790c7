/* gateway/util/wake: a command's datagram reaches the daemon's socket. */
#include "gateway/util/wake.h"
#include "tests/testlib.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

static int
readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) == 1 && (p.revents & POLLIN);
}

int
main(void)
{
	char dir[] = "/tmp/test_wake.XXXXXX", db[256], sock[300], big[200];
	struct stat st;
	int fd, fd2, i;

	if (mkdtemp(dir) == NULL)
		return 1;
	snprintf(db, sizeof(db), "%s/kentongan.db", dir);
	snprintf(sock, sizeof(sock), "%s.wake", db);
	fclose(fopen(db, "w"));
	chmod(db, 0660);

	/* no daemon: a command's wake is silent and leaves nothing */
	wake_send(db);
	CHECK(access(sock, F_OK) != 0, "a socket without a daemon");

	fd = wake_listen(db);
	CHECK(fd >= 0, "listen: %s", strerror(errno));
	CHECK(stat(sock, &st) == 0 && S_ISSOCK(st.st_mode), "no socket");
	CHECK_INT(st.st_mode & 0777, 0660);	/* the database's own */
	CHECK(!readable(fd, 0), "readable before a wake");

	/* many wakes, one look: drained at once, nothing left */
	for (i = 0; i < 5; i++)
		wake_send(db);
	CHECK(readable(fd, 1000), "a wake not seen");
	wake_drain(fd);
	CHECK(recv(fd, big, sizeof(big), MSG_DONTWAIT) < 0 &&
	    errno == EAGAIN, "left after the drain");

	/* a crash leaves the socket: the next daemon binds anyway */
	fd2 = wake_listen(db);
	CHECK(fd2 >= 0, "a stale socket refused the next daemon");
	wake_send(db);
	CHECK(fd2 >= 0 && readable(fd2, 1000), "the next daemon not woken");
	close(fd);
	wake_close(db, fd2);
	CHECK(access(sock, F_OK) != 0, "the socket outlived the daemon");

	/* a path too long for a socket: none, said so; the daemon then
	 * looks 4 times a second */
	memset(big, 'x', sizeof(big) - 1);
	big[0] = '/';
	big[sizeof(big) - 1] = '\0';
	errno = 0;
	CHECK_INT(wake_listen(big), -1);
	CHECK_INT(errno, ENAMETOOLONG);
	wake_send(big);		/* and a command's wake does nothing */

	unlink(db);
	rmdir(dir);
	return test_summary("unit-wake");
}
