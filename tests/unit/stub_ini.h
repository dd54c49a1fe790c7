/* The config every stage test starts from: one dummy modem, no quiet
 * hours, four tries at most. */
#ifndef KENTONGAN_STUB_INI_H
#define KENTONGAN_STUB_INI_H

#define STUB_INI \
	"[kentongan]\n" \
	"database = unused.db\n" \
	"send_max_tries = 4\n" \
	"send_retry_base = 30\n" \
	"quiet_hours = none\n" \
	"digest_time = none\n" \
	"[gammu]\n" \
	"device = /tmp/kentongan-unused\n" \
	"connection = none\n" \
	"model = dummy\n"

#endif
