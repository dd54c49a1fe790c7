/* The console's pages, in the order a path is matched. */
#include "gateway/console/console_int.h"

extern const struct console_page page_today;

const struct console_page *const console_pages[] = {
	&page_today,
	&page_logout,
	NULL
};
