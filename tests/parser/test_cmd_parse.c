/*
 * test_cmd_parse: `kentongan parse` end to end through the real binary, in
 * a child with stdin and stdout on files: one valid JSON line per input
 * line, in order, for any bytes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tests/parser/jsoncheck.h"
#include "tests/testlib.h"

/* The real binary, sanitized (make test-parser builds it). */
static const char *
binary(void)
{
	const char *b = getenv("KENTONGAN_BIN");

	return b != NULL && *b ? b : "build/kentongan-san";
}

static char out_buf[1 << 22];
static size_t out_len;

/* Whether the child's stderr goes to /dev/null (for expected usage errors). */
static int quiet;

/* Run cmd_parse with argv on in (n bytes); output in out_buf. Returns the
 * exit status. */
static int
run(const char *in, size_t n, char **argv)
{
	char in_path[] = "/tmp/kentongan-parse-in-XXXXXX";
	char out_path[] = "/tmp/kentongan-parse-out-XXXXXX";
	int in_fd = mkstemp(in_path), out_fd = mkstemp(out_path), status, argc;
	pid_t pid;
	FILE *f;

	if (in_fd < 0 || out_fd < 0 || write(in_fd, in, n) != (ssize_t)n) {
		perror("tmp");
		exit(1);
	}
	lseek(in_fd, 0, SEEK_SET);
	for (argc = 0; argv[argc] != NULL; argc++)
		;
	fflush(stdout);
	if ((pid = fork()) == 0) {
		dup2(in_fd, 0);
		dup2(out_fd, 1);
		if (quiet && freopen("/dev/null", "w", stderr) == NULL)
			_exit(99);
		{
			char *args[16] = { "kentongan" };
			int i;

			for (i = 0; i < argc && i < 14; i++)
				args[i + 1] = argv[i];
			args[i + 1] = NULL;
			execv(binary(), args);
			_exit(127);
		}
	}
	waitpid(pid, &status, 0);
	f = fopen(out_path, "rb");
	out_len = f ? fread(out_buf, 1, sizeof(out_buf) - 1, f) : 0;
	out_buf[out_len] = '\0';
	if (f)
		fclose(f);
	close(in_fd);
	close(out_fd);
	unlink(in_path);
	unlink(out_path);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Check every output line is a JSON object; returns the line count. */
static int
lines_valid(void)
{
	size_t i = 0, end;
	int lines = 0;

	while (i < out_len) {
		for (end = i; end < out_len && out_buf[end] != '\n'; end++)
			;
		CHECK(end < out_len, "last line ends in newline");
		CHECK(json_valid_object(out_buf + i, end - i),
		    "line %d not JSON: %.*s", lines + 1, (int)(end - i),
		    out_buf + i);
		lines++;
		i = end + 1;
	}
	return lines;
}

/* Parse in as of today through the binary: nlines valid JSON lines that
 * start with want. */
static void
expect_parse(const char *in, const char *today, int nlines, const char *want)
{
	char *argv[] = { "parse", "--today", (char *)today, NULL };

	CHECK_INT(run(in, strlen(in), argv), 0);
	CHECK_INT(lines_valid(), nlines);
	CHECK(strncmp(out_buf, want, strlen(want)) == 0, "got %s\nwant %s",
	    out_buf, want);
}

/* The spec's examples, exactly. */
static void
check_spec_examples(void)
{
	static const char in[] =
	    "RAPAT 3322012005 27/09 RKP 45 30\n"
	    "aduan#Suka Maju#Jembatan di dusun 2 rusak, mohon dicek\n"
	    "RAPT sukamaju 1/12 rkp 4 5\n"
	    "KADER 3322012005 1/12/2026 10 posyandu\n";
	static const char want[] =
	    "{\"ok\":true,\"kind\":\"rapat\",\"desa\":\"33.22.01.2005\","
	    "\"tanggal\":\"2026-09-27\",\"jenis\":\"RKP\",\"laki\":45,"
	    "\"perempuan\":30,\"catatan\":\"\"}\n"
	    "{\"ok\":true,\"kind\":\"aduan\",\"desa\":\"SUKA MAJU\",\"isi\":"
	    "\"Jembatan di dusun 2 rusak, mohon dicek\"}\n"
	    "{\"ok\":true,\"kind\":\"rapat\",\"desa\":\"SUKAMAJU\","
	    "\"tanggal\":\"2025-12-01\",\"jenis\":\"RKP\",\"laki\":4,"
	    "\"perempuan\":5,\"catatan\":\"\"}\n"
	    "{\"ok\":false,\"error\":\"future_date\",\"field\":\"tanggal\","
	    "\"reply\":\"Tanggal \\\"1/12/2026\\\" belum lewat. Contoh: KADER";

	expect_parse(in, "2026-11-28", 4, want);
}

/* Line handling: CRLF, no final newline, empty lines, NUL, bad UTF-8. */
static void
check_lines(void)
{
	static const char in[] =
	    "BANTU\r\n"
	    "\n"
	    "\r\n"
	    "ADUAN x a\0b\"\\\x01\xff\xc3 c\r\r\n"
	    "STATUS ADU-1";
	char *argv[] = { "parse", "--today=2026-11-28", NULL };

	CHECK_INT(run(in, sizeof(in) - 1, argv), 0);
	CHECK_INT(lines_valid(), 5);
	CHECK_STR(out_buf,
	    "{\"ok\":true,\"kind\":\"bantu\",\"topik\":\"\"}\n"
	    "{\"ok\":false,\"error\":\"empty\",\"field\":\"\",\"reply\":"
	    "\"SMS kosong. Perintah: RAPAT KADER ADUAN ASPIRASI STATUS BATAL "
	    "DAFTAR BERHENTI MULAI SIARAN. Contoh: ADUAN 3322012005 Jalan "
	    "rusak\"}\n"
	    "{\"ok\":false,\"error\":\"empty\",\"field\":\"\",\"reply\":"
	    "\"SMS kosong. Perintah: RAPAT KADER ADUAN ASPIRASI STATUS BATAL "
	    "DAFTAR BERHENTI MULAI SIARAN. Contoh: ADUAN 3322012005 Jalan "
	    "rusak\"}\n"
	    "{\"ok\":true,\"kind\":\"aduan\",\"desa\":\"X\",\"isi\":"
	    "\"a\\u0000b\\\"\\\\\\u0001\xef\xbf\xbd\xef\xbf\xbd c\"}\n"
	    "{\"ok\":true,\"kind\":\"status\",\"tiket\":\"ADU-1\"}\n");
	CHECK_INT(run("", 0, argv), 0);
	CHECK_INT(out_len, 0);
}

/* A long line and many lines, all bytes: valid JSON, one line each. */
static void
check_long_and_random(void)
{
	static char in[300000];
	char *argv[] = { "parse", "--today", "2024-02-29", NULL };
	size_t i, n = 0;
	unsigned int x = 12345;
	int want = 0;

	memcpy(in, "ADUAN#desa#", 11);
	n = 11;
	for (i = 0; i < 200000; i++)
		in[n++] = (char)('a' + i % 26);
	in[n++] = '\n';
	want++;
	while (n < sizeof(in) - 1) {
		x = x * 1103515245u + 12345u;
		in[n] = (char)(x >> 16);
		if (in[n] == '\n')
			want++;
		n++;
	}
	in[n++] = '\n';
	want++;
	CHECK_INT(run(in, n, argv), 0);
	CHECK_INT(lines_valid(), want);
}

/* The rules of #16: '#' is text after a plain start, thousands and
 * labelled counts, the word at fault quoted, dates relative to --today
 * (the day the SMS was sent). */
static void
check_issue16_rules(void)
{
	static const char in[] =
	    "ADUAN sukamaju jalan di RT #3 rusak\n"
	    "RAPAT sumogawe 5/11 sos 1.200 80\n"
	    "RAPAT sumogawe 5/11 sos L40 P35\n"
	    "RAPAT sumogawe tgl 5/11 RKP 45 30\n"
	    "Musdes batur kemarin rpjmdes 60 45\n"
	    "KADER batur 15/11 3 gizi\n";
	static const char want[] =
	    "{\"ok\":true,\"kind\":\"aduan\",\"desa\":\"SUKAMAJU\","
	    "\"isi\":\"jalan di RT #3 rusak\"}\n"
	    "{\"ok\":true,\"kind\":\"rapat\",\"desa\":\"SUMOGAWE\","
	    "\"tanggal\":\"2026-11-05\",\"jenis\":\"SOS\",\"laki\":1200,"
	    "\"perempuan\":80,\"catatan\":\"\"}\n"
	    "{\"ok\":true,\"kind\":\"rapat\",\"desa\":\"SUMOGAWE\","
	    "\"tanggal\":\"2026-11-05\",\"jenis\":\"SOS\",\"laki\":40,"
	    "\"perempuan\":35,\"catatan\":\"\"}\n"
	    "{\"ok\":false,\"error\":\"bad_date\",\"field\":\"tanggal\","
	    "\"reply\":\"Tanggal \\\"tgl\\\" tidak dikenal. Tulis tgl/bln, mis. "
	    "5/11, atau HARIINI, KEMARIN. Contoh: RAPAT 3322012005 5/11 RKP 45 "
	    "30\"}\n"
	    "{\"ok\":true,\"kind\":\"rapat\",\"desa\":\"BATUR\","
	    "\"tanggal\":\"2026-11-13\",\"jenis\":\"RPJM\",\"laki\":60,"
	    "\"perempuan\":45,\"catatan\":\"\"}\n"
	    "{\"ok\":true,\"kind\":\"kader\",\"desa\":\"BATUR\","
	    "\"tanggal\":\"2025-11-15\",\"jumlah\":3,\"topik\":\"gizi\"}\n";

	expect_parse(in, "2026-11-14", 6, want);
}

/* Issue 22: APBDES and PANTAU lines, their JSON fields exactly as the
 * spec names them, and bad_kegiatan with its reply. */
static void
check_budget_lines(void)
{
	static const char in[] =
	    "APBDES WATES\n"
	    "dana 3322012005 k 01\n"
	    "PANTAU WATES K01 40 baru diratakan\n"
	    "awasi#Suka Maju#K01#60 %#jalan, #2 rusak\n"
	    "PANTAU WATES K01 60 % \n"
	    "PANTAU WATES K01 101\n"
	    "APBDES suka maju\n";
	static const char want[] =
	    "{\"ok\":true,\"kind\":\"apbdes\",\"desa\":\"WATES\","
	    "\"kegiatan\":\"\"}\n"
	    "{\"ok\":true,\"kind\":\"apbdes\",\"desa\":\"33.22.01.2005\","
	    "\"kegiatan\":\"K01\"}\n"
	    "{\"ok\":true,\"kind\":\"pantau\",\"desa\":\"WATES\","
	    "\"kegiatan\":\"K01\",\"persen\":40,\"catatan\":"
	    "\"baru diratakan\"}\n"
	    "{\"ok\":true,\"kind\":\"pantau\",\"desa\":\"SUKA MAJU\","
	    "\"kegiatan\":\"K01\",\"persen\":60,\"catatan\":"
	    "\"jalan, #2 rusak\"}\n"
	    "{\"ok\":true,\"kind\":\"pantau\",\"desa\":\"WATES\","
	    "\"kegiatan\":\"K01\",\"persen\":60,\"catatan\":\"\"}\n"
	    "{\"ok\":false,\"error\":\"bad_number\",\"field\":\"persen\","
	    "\"reply\":\"Angka persen \\\"101\\\" salah, harus 0-100. "
	    "Contoh: PANTAU 3322012005 K01 40 baru diratakan\"}\n"
	    "{\"ok\":false,\"error\":\"bad_kegiatan\",\"field\":"
	    "\"kegiatan\",\"reply\":\"Kode kegiatan \\\"maju\\\" salah: "
	    "huruf lalu angka, mis. K01. Nama desa 2 kata: pakai #. Contoh: "
	    "APBDES 3322012005 K01\"}\n";

	expect_parse(in, "2026-11-28", 7, want);
	CHECK_STR(out_buf, want);
}

/* Arguments: the default date is today's; bad ones exit 2, print nothing. */
static void
check_args(void)
{
	char *dflt[] = { "parse", NULL };
	char *bad_date[] = { "parse", "--today", "2026-02-30", NULL };
	char *no_date[] = { "parse", "--today", NULL };
	char *unknown[] = { "parse", "-x", NULL };
	char want[128];
	time_t now = time(NULL);
	struct tm tm;

	localtime_r(&now, &tm);
	snprintf(want, sizeof(want), "\"tanggal\":\"%04d-%02d-%02d\"",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	CHECK_INT(run("RAPAT x HARIINI RKP 1 1\n", 24, dflt), 0);
	CHECK(strstr(out_buf, want) != NULL, "got %s want %s", out_buf, want);
	quiet = 1;
	CHECK_INT(run("BANTU\n", 6, bad_date), 2);
	CHECK_INT(out_len, 0);
	CHECK_INT(run("BANTU\n", 6, no_date), 2);
	CHECK_INT(out_len, 0);
	CHECK_INT(run("BANTU\n", 6, unknown), 2);
	CHECK_INT(out_len, 0);
	quiet = 0;
}

int
main(void)
{
	check_spec_examples();
	check_lines();
	check_issue16_rules();
	check_budget_lines();
	check_long_and_random();
	check_args();
	return test_summary("test_cmd_parse");
}
