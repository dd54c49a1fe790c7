/*
 * inbound, against the stub loop and a fake modem: what a worker read is
 * committed first and deleted from the SIM after; a second read of the
 * same SMS is stored once; a failed commit deletes nothing.
 */
#include "tests/testlib.h"
#include "tests/unit/loop_stub.h"
#include "tests/unit/stub_ini.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void
take(struct modem *m, int location, const char *number, long long t,
    const char *text)
{
	struct pending_sms *p = &m->batch[m->nbatch++];

	memset(p, 0, sizeof(*p));
	p->folder = 1;
	p->location = location;
	snprintf(p->number_raw, sizeof(p->number_raw), "%s", number);
	p->smsc_time = t;
	snprintf(p->coding, sizeof(p->coding), "gsm7");
	p->text = strdup(text);
	p->text_len = strlen(text);
}

static void
test_commit_then_delete(void)
{
	struct modem *m = &stub.gw.modems[0];
	char flag[80];
	int fd;

	stub_open(STUB_INI);
	take(m, 1, "081211110001", 1000, "ADUAN sukamaju jalan rusak");
	take(m, 2, "081211110002", 1001, "STATUS ADU-1");
	inbound_flush(m);
	CHECK_INT(m->nbatch, 0);
	CHECK_INT(stub_int("SELECT COUNT(*) FROM messages WHERE state = "
	    "'received'"), 2);
	CHECK_STR(stub_text("SELECT number FROM messages ORDER BY id"),
	    "+6281211110001");
	CHECK_INT(stub.nremoves, 2);
	CHECK_INT(stub.remove_location[0], 1);
	CHECK_INT(stub.remove_location[1], 2);
	CHECK(stub.woken & WORK_PROCESS, "processing woken");

	/* read again after a crash between commit and delete */
	stub_reset();
	take(m, 3, "081211110001", 1000, "ADUAN sukamaju jalan rusak");
	inbound_flush(m);
	CHECK_INT(stub_int("SELECT COUNT(*) FROM messages"), 2);
	CHECK_INT(stub.nremoves, 1);
	CHECK_INT(stub.remove_location[0], 3);

	/* the commit fails: the SMS stays on the SIM */
	snprintf(flag, sizeof(flag), "%s.full", stub.path);
	fd = open(flag, O_CREAT | O_WRONLY, 0644);
	close(fd);
	store_test_disk_full(stub.gw.store, flag);
	stub_reset();
	take(m, 4, "081211110003", 1002, "BANTU");
	inbound_flush(m);
	CHECK_INT(m->nbatch, 0);
	CHECK_INT(stub.nremoves, 0);
	CHECK(!(stub.woken & WORK_PROCESS), "nothing to process");
	CHECK_INT(stub_int("SELECT COUNT(*) FROM messages"), 2);
	unlink(flag);
	store_test_disk_full(stub.gw.store, NULL);
	stub_close();
}

/* An alphanumeric sender is stored as such: process never answers it. */
static void
test_sender_class(void)
{
	struct modem *m = &stub.gw.modems[0];

	stub_open(STUB_INI);
	take(m, 1, "TELKOMSEL", 1000, "Paket data Anda habis");
	inbound_flush(m);
	process_run(&stub.gw);
	CHECK_STR(stub_text("SELECT state FROM messages"), "ignored");
	CHECK_INT(stub_int("SELECT COUNT(*) FROM outbox"), 0);
	stub_close();
}

int
main(void)
{
	test_commit_then_delete();
	test_sender_class();
	return test_summary("test_inbound");
}
