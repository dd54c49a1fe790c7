/*
 * phone: normalise a sender as the modem reports it. Pure.
 *
 * PHONE_E164     "+<7..15 digits>": Indonesian numbers in any usual form
 *                ("0812-3456-7890", "62812...", "+62 812 ...", "(0812) 345
 *                678", "0062812...") become "+62812..."; other countries'
 *                numbers written with "+" or "00" keep their digits.
 * PHONE_SHORT    digits only, fewer than 7 ("123", "3636"): out = the digits.
 * PHONE_ALNUM    holds letters ("TELKOMSEL", "INFO"): out = the trimmed text,
 *                control characters replaced by '?', cut to fit.
 * PHONE_INVALID  empty, more than 15 digits, or anything else; out = "".
 *
 * Spaces, dashes, dots and parentheses between digits are ignored. The
 * gateway replies only to PHONE_E164: never to short codes or alphanumeric
 * senders, which is how reply loops with operator services start.
 */
#ifndef KENTONGAN_PHONE_H
#define KENTONGAN_PHONE_H

#include <stddef.h>

enum phone_class { PHONE_E164, PHONE_SHORT, PHONE_ALNUM, PHONE_INVALID };

/* Longest E.164 number with its '+' and NUL. */
#define PHONE_MAX	17

/* Classify raw and write its normal form to out (cap bytes, NUL-terminated;
 * PHONE_MAX holds any number). A number that does not fit cap is
 * PHONE_INVALID. */
enum phone_class phone_normalize(const char *raw, char *out, size_t cap);

#endif
