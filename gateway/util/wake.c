/* The office's commands wake the daemon (wake.h). */
#include "gateway/util/wake.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

/* database's socket address; 0, or -1 when the path does not fit. */
static int
wake_addr(const char *database, struct sockaddr_un *a)
{
	int n;

	memset(a, 0, sizeof(*a));
	a->sun_family = AF_UNIX;
	n = snprintf(a->sun_path, sizeof(a->sun_path), "%s.wake", database);
	if (n < 0 || (size_t)n >= sizeof(a->sun_path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

int
wake_listen(const char *database)
{
	struct sockaddr_un a;
	struct stat st;
	int fd;

	if (wake_addr(database, &a) != 0 || (fd = socket(AF_UNIX,
	    SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	/* the daemon holds the database's lock: a socket there is stale */
	(void)unlink(a.sun_path);
	if (bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0) {
		close(fd);
		return -1;
	}
	/* whoever may write the database may wake its daemon */
	if (stat(database, &st) == 0)
		(void)chmod(a.sun_path, st.st_mode & 0666);
	return fd;
}

void
wake_drain(int fd)
{
	char buf[16];

	while (recv(fd, buf, sizeof(buf), 0) >= 0 || errno == EINTR)
		;
}

void
wake_close(const char *database, int fd)
{
	struct sockaddr_un a;

	if (fd < 0)
		return;
	close(fd);
	if (wake_addr(database, &a) == 0)
		(void)unlink(a.sun_path);
}

void
wake_send(const char *database)
{
	struct sockaddr_un a;
	int fd;

	if (wake_addr(database, &a) != 0 || (fd = socket(AF_UNIX,
	    SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return;
	/* no daemon, or one that has not read the last: nothing to do */
	(void)sendto(fd, "w", 1, MSG_DONTWAIT, (struct sockaddr *)&a,
	    sizeof(a));
	close(fd);
}
