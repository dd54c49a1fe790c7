/* The console's pages, in the order a path is matched. */
#include "gateway/console/console_int.h"

extern const struct console_page page_today;
extern const struct console_page page_tiket, page_tiket_one;
extern const struct console_page page_bulanan, page_bulanan_csv, page_laporan;
extern const struct console_page page_pesan, page_percakapan;
extern const struct console_page page_siaran;
extern const struct console_page page_modem;
extern const struct console_page page_kontak, page_kontak_csv,
    page_kontak_impor, page_perdes, page_rapat, page_pengguna;

const struct console_page *const console_pages[] = {
	&page_today,
	&page_tiket,
	&page_tiket_one,
	&page_bulanan,		/* before /laporan, which takes the rest */
	&page_bulanan_csv,
	&page_laporan,
	&page_pesan,
	&page_percakapan,
	&page_siaran,
	&page_modem,
	&page_kontak,
	&page_kontak_csv,
	&page_kontak_impor,
	&page_perdes,
	&page_rapat,
	&page_pengguna,
	&page_logout,
	NULL
};
