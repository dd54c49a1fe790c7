/* The config every stage test starts from: one dummy modem, no quiet
 * hours, four tries at most. */
#ifndef KENTONGAN_STUB_INI_H
#define KENTONGAN_STUB_INI_H

/* The [kentongan] keys alone, for a test that adds its own after them
 * (a section may appear only once). */
#define STUB_INI_KENTONGAN \
	"[kentongan]\n" \
	"database = unused.db\n" \
	"send_max_tries = 4\n" \
	"send_retry_base = 30\n" \
	"quiet_hours = none\n" \
	"digest_time = none\n"
#define STUB_INI_GAMMU \
	"[gammu]\n" \
	"device = /tmp/kentongan-unused\n" \
	"connection = none\n" \
	"model = dummy\n"
#define STUB_INI STUB_INI_KENTONGAN STUB_INI_GAMMU

#endif
