/* credit: the balance in an operator's USSD answer. Pure. */
#ifndef KENTONGAN_CREDIT_H
#define KENTONGAN_CREDIT_H

/*
 * The first amount in text, in rupiah: after "Rp" when there is one, else
 * the first number. "." or "," followed by exactly three digits groups
 * thousands ("Rp 12.500" and "Rp12,500.00" are 12500). -1 when none.
 */
long long credit_parse(const char *text);

#endif
