/* background: a thread's priority below the loop's (background.h). */
#include "gateway/util/background.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

void
background_priority(void)
{
	(void)syscall(SYS_ioprio_set, 1 /* IOPRIO_WHO_PROCESS */, 0,
	    (2 << 13) | 7 /* best effort, level 7 */);
	(void)setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), 10);
}
