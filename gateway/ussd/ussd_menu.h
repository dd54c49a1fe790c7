/*
 * ussd_menu: the USSD menu as data, and the walk that turns the aggregator's
 * `text` (every answer so far, joined with '*') into the next screen. Pure:
 * what it needs from the store comes through struct ussd_ops, so the same
 * path always gives the same screen, and tests can drive it with a fake.
 * "0" goes back and "00" to the main menu on every screen. A free-text
 * answer is the rest of the path: a '*' in it was typed by the caller.
 */
#ifndef KENTONGAN_USSD_MENU_H
#define KENTONGAN_USSD_MENU_H

#include <stddef.h>

#define USSD_SCREEN_MAX	182	/* characters a screen holds, CON/END included */
#define USSD_ITEMS_MAX	5	/* consultations listed on one screen */

enum ussd_action { USSD_NONE, USSD_ASPIRASI, USSD_ADUAN, USSD_PANTAU };

/* A choice on a dynamic list (an open Perdes consultation). */
struct ussd_item {
	char code[16];
	char title[64];
};

/* A village a typed name may mean, offered as a numbered choice. */
struct ussd_village {
	char code[16];
	char name[64];
	char kecamatan[48];
};

/* What the walk collected on the way to an action. */
struct ussd_ctx {
	char desa[16];		/* a village code */
	char desa_name[64];
	char perdes[16];
	char judul[64];
	char tiket[24];
	char isi[512];
	int isi_cut;		/* the typed text was longer: cut to fit */
	int no_sms;		/* submit queued no SMS confirmation */
	/* Dana desa: the budget of the year (ops->kegiatan_list), one
	 * activity (ops->kegiatan_detail), as the screens show them */
	char tahun[8];
	char pendapatan[24], belanja[24], dana_desa[24];
	char kegiatan[16];	/* its code */
	char nama[64];
	char anggaran[24], sumber[32], mulai[8], selesai[8];
	char resmi[48], warga[48];	/* the progress, verified and seen */
	char persen[8];		/* the observation's, as typed: "40" */
};

struct ussd_caller {
	const char *number;	/* E.164 */
	const char *desa;	/* the caller's registered village, "" if none */
	const char *desa_name;
	/* When set, called once the first time a screen needs desa and
	 * desa_name (most screens do not: the store is not read for them). */
	void (*load)(void *arg, struct ussd_caller *);
	void *load_arg;
};

struct ussd_ops {
	void *arg;
	/* The villages typed may mean, nearest the caller first: returns
	 * how many there are (1: that one; more: the caller picks; 0: none)
	 * with at most max of them in out, or -1 on error. */
	int (*resolve_desa)(void *arg, const char *typed,
	    struct ussd_village *out, int max);
	/* Open consultations of desa, at most max; returns how many or -1. */
	int (*open_perdes)(void *arg, const char *desa, struct ussd_item *,
	    int max);
	/* The status line of a ticket for this caller; -1 on error. */
	int (*ticket_status)(void *arg, const char *tiket, char *out,
	    size_t cap);
	/* The next meetings of desa as one short text ("" if none). */
	int (*meetings)(void *arg, const char *desa, char *out, size_t cap);
	/* Carry out an action once per session and path (the caller of the
	 * walk keeps that promise); fills ctx->tiket, and sets ctx->no_sms
	 * when no SMS confirmation was queued. 0 or -1. */
	int (*submit)(void *arg, enum ussd_action, struct ussd_ctx *);
	/* The budget of desa this year into ctx (tahun, pendapatan,
	 * belanja, dana_desa) and its activities, at most max (title: a
	 * short name): returns how many there are in all, 0 when no budget
	 * was entered (ctx->tahun still set), -1 on error. */
	int (*kegiatan_list)(void *arg, const char *desa, struct ussd_ctx *,
	    struct ussd_item *, int max);
	/* Activity ctx->kegiatan of ctx->desa this year into ctx (nama,
	 * anggaran, sumber, mulai, selesai, resmi, warga): 1, 0 when there
	 * is none, -1 on error. */
	int (*kegiatan_detail)(void *arg, struct ussd_ctx *);
};

/*
 * The answer to one request: "CON ..." or "END ...", at most
 * USSD_SCREEN_MAX characters, written to out (cap >= USSD_SCREEN_MAX * 4).
 * *action says which action the path completed (USSD_NONE if none).
 * Returns the length, or -1 when an op failed (answer with an error).
 */
int ussd_respond(const struct ussd_ops *, struct ussd_caller *,
    const char *text, char *out, size_t cap, enum ussd_action *action);

/* For tests and docs: the number of screens and each one's raw template. */
int ussd_screen_count(void);
const char *ussd_screen_template(int i);
const char *ussd_screen_name(int i);

#endif
