/*
 * The central PostgreSQL schema (docs/central.md): versioned like the
 * local one, each step run once in its own transaction, recorded in
 * central_schema. Every gateway runs it on connecting and `kentongan
 * central init` runs it for a DBA; two gateways connecting at once take
 * the same advisory lock, so one waits for the other's step.
 *
 * The rows have the columns of the CSV exports (export messages,
 * records, tickets; contacts list) plus site and version: times are the
 * site's local time, as the CSV shows them, so a month is the office's
 * month. version is the site's change counter when the row was read: an
 * upsert applies only a higher one, so a retry or a stale replay changes
 * nothing.
 */
#include "gateway/central/central.h"

#include <libpq-fe.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Any key: the lock serialises schema changes between gateways. */
#define SCHEMA_LOCK	"7243190451"

static const char *const steps[] = {
	/* 1 */
	"CREATE TABLE sites ("
	"  site text PRIMARY KEY,"
	"  last_seq bigint NOT NULL DEFAULT 0,"
	"  share_numbers boolean NOT NULL DEFAULT false,"
	"  first_push_at timestamptz NOT NULL DEFAULT now(),"
	"  pushed_at timestamptz,"
	"  software text NOT NULL DEFAULT ''"
	");"
	/* the names of the villages of Indonesia, one list for every site:
	 * each site sends its own (as changes), and the last one sent wins */
	"CREATE TABLE villages ("
	"  code text PRIMARY KEY,"
	"  name text NOT NULL,"
	"  kecamatan text NOT NULL,"
	"  kabupaten text NOT NULL,"
	"  provinsi text NOT NULL DEFAULT ''"
	");"
	"CREATE TABLE messages ("
	"  site text NOT NULL REFERENCES sites,"
	"  direction text NOT NULL CHECK (direction IN ('in', 'out')),"
	"  id bigint NOT NULL,"
	"  number text NOT NULL,"
	"  text text NOT NULL,"
	"  state text NOT NULL,"
	"  created_at timestamp NOT NULL,"
	"  smsc_time timestamp,"
	"  kind text NOT NULL DEFAULT '',"
	"  detail text NOT NULL DEFAULT '',"
	"  version bigint NOT NULL,"
	"  PRIMARY KEY (site, direction, id)"
	");"
	"CREATE INDEX messages_by_time ON messages (created_at);"
	"CREATE TABLE records ("
	"  site text NOT NULL REFERENCES sites,"
	"  id bigint NOT NULL,"
	"  nomor text NOT NULL,"
	"  created_at timestamp NOT NULL,"
	"  received_at timestamp,"
	"  smsc_time timestamp,"
	"  number text NOT NULL,"
	"  kind text NOT NULL,"
	"  desa text NOT NULL,"
	"  nama_desa text NOT NULL DEFAULT '',"
	"  tanggal text,"
	"  jenis text,"
	"  laki integer,"
	"  perempuan integer,"
	"  jumlah integer,"
	"  topik text,"
	"  isi text,"
	"  catatan text,"
	"  perdes text,"
	"  tiket text NOT NULL DEFAULT '',"
	"  state text NOT NULL,"
	"  flags text NOT NULL DEFAULT '',"
	"  message_id bigint,"
	"  version bigint NOT NULL,"
	"  PRIMARY KEY (site, id)"
	");"
	/* the monthly report: meetings and cadres by village and date */
	"CREATE INDEX records_by_desa ON records (desa, tanggal)"
	"  WHERE kind IN ('rapat', 'kader');"
	"CREATE TABLE tickets ("
	"  site text NOT NULL REFERENCES sites,"
	"  id bigint NOT NULL,"
	"  tiket text NOT NULL,"
	"  type text NOT NULL,"
	"  status text NOT NULL,"
	"  number text NOT NULL,"
	"  desa text NOT NULL,"
	"  nama_desa text NOT NULL DEFAULT '',"
	"  perdes text NOT NULL DEFAULT '',"
	"  isi text,"
	"  created_at timestamp NOT NULL,"
	"  updated_at timestamp NOT NULL,"
	"  closed_at timestamp,"		/* the last change to selesai */
	"  version bigint NOT NULL,"
	"  PRIMARY KEY (site, id)"
	");"
	"CREATE INDEX tickets_by_created ON tickets (type, created_at);"
	"CREATE INDEX tickets_by_closed ON tickets (closed_at)"
	"  WHERE closed_at IS NOT NULL;"
	"CREATE INDEX tickets_waiting ON tickets (created_at)"
	"  WHERE status IN ('baru', 'diproses');"
	"CREATE TABLE contacts ("
	"  site text NOT NULL REFERENCES sites,"
	"  id text NOT NULL,"			/* the number, or its hash */
	"  number text NOT NULL,"
	"  name text NOT NULL DEFAULT '',"
	"  role text NOT NULL,"
	"  desa text NOT NULL DEFAULT '',"	/* codes, ';' between */
	"  opted_out boolean NOT NULL DEFAULT false,"
	"  version bigint NOT NULL,"
	"  PRIMARY KEY (site, id)"
	");"
	"CREATE INDEX contacts_by_role ON contacts (role);",
};

#define NSTEPS	((int)(sizeof(steps) / sizeof(steps[0])))

int
central_schema_version(void)
{
	return NSTEPS;
}

/* Run sql; 0, or -1 with PostgreSQL's words in err. */
int
central_exec(PGconn *pg, const char *sql, char *err, size_t cap)
{
	PGresult *r = PQexec(pg, sql);
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK ||
	    PQresultStatus(r) == PGRES_TUPLES_OK;

	if (!ok)
		snprintf(err, cap, "%s", PQerrorMessage(pg));
	PQclear(r);
	return ok ? 0 : -1;
}

/* The version of the central schema, 0 before the first step; -1 on an
 * error. */
static int
read_version(PGconn *pg, char *err, size_t cap)
{
	PGresult *r;
	int v = -1;

	if (central_exec(pg, "CREATE TABLE IF NOT EXISTS central_schema"
	    " (version integer NOT NULL);", err, cap) != 0)
		return -1;
	r = PQexec(pg, "SELECT COALESCE(MAX(version), 0) FROM central_schema");
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
		v = atoi(PQgetvalue(r, 0, 0));
	else
		snprintf(err, cap, "%s", PQerrorMessage(pg));
	PQclear(r);
	return v;
}

int
central_schema_ensure(PGconn *pg, int *was, char *err, size_t cap)
{
	char sql[64];
	int v, i;

	*was = -1;
	if (central_exec(pg, "SELECT pg_advisory_lock(" SCHEMA_LOCK ")", err,
	    cap) != 0)
		return -1;
	if ((v = read_version(pg, err, cap)) < 0)
		goto fail;
	*was = v;
	if (v > NSTEPS) {
		snprintf(err, cap, "the central database is at schema version "
		    "%d, newer than this gateway's %d: upgrade the gateway", v,
		    NSTEPS);
		goto fail;
	}
	for (i = v; i < NSTEPS; i++) {
		snprintf(sql, sizeof(sql), "INSERT INTO central_schema VALUES "
		    "(%d);", i + 1);
		if (central_exec(pg, "BEGIN", err, cap) != 0)
			goto fail;
		if (central_exec(pg, steps[i], err, cap) != 0 ||
		    central_exec(pg, sql, err, cap) != 0 ||
		    central_exec(pg, "COMMIT", err, cap) != 0) {
			char e[512];

			snprintf(e, sizeof(e), "%s", err);
			(void)central_exec(pg, "ROLLBACK", err, cap);
			snprintf(err, cap, "central schema step %d: %s", i + 1,
			    e);
			goto fail;
		}
	}
	(void)central_exec(pg, "SELECT pg_advisory_unlock(" SCHEMA_LOCK ")",
	    err, cap);
	return 0;
fail:
	{
		char e[512];

		snprintf(e, sizeof(e), "%s", err);
		(void)central_exec(pg, "SELECT pg_advisory_unlock("
		    SCHEMA_LOCK ")", err, cap);
		snprintf(err, cap, "%s", e);
	}
	return -1;
}
