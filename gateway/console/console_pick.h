/*
 * console_pick: a village or a kecamatan typed into a console form, as
 * the office's CLI resolves it (store_village_pick within the config's
 * area, report_kecamatan_pick), with the refusal in Indonesian.
 */
#ifndef KENTONGAN_CONSOLE_PICK_H
#define KENTONGAN_CONSOLE_PICK_H

#include "gateway/console/console_int.h"

/* The village typed, as a code (the typed text normalized when no village
 * list is imported), or NULL with why (a shared name: its villages). */
const char *console_village(struct creq *, const char *typed, char *code,
    size_t cap, char *why, size_t whycap);
/* The kecamatan typed, its code into code (16 bytes), or NULL with why
 * (the names it may mean). */
const char *console_kecamatan(struct creq *, const char *typed, char *code,
    char *why, size_t whycap);

#endif
