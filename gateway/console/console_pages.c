/* The console's pages, in the order a path is matched. */
#include "gateway/console/console_int.h"

extern const struct console_page page_today;
extern const struct console_page page_kontak, page_kontak_csv,
    page_kontak_impor, page_perdes, page_rapat, page_pengguna;

const struct console_page *const console_pages[] = {
	&page_today,
	&page_kontak,
	&page_kontak_csv,
	&page_kontak_impor,
	&page_perdes,
	&page_rapat,
	&page_pengguna,
	&page_logout,
	NULL
};
