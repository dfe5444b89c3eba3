/* SPDX-License-Identifier: MIT */
/* datetime.h - whether a string is a date and time every output format
 * takes as it is (header-only, no ownership: it reads its argument).
 *
 * A tracked change's date (IR <ins>/<del> date=) comes from the source as
 * it is; the writers put it in TEI @when, ODF dc:date (xsd:dateTime) and
 * HTML's datetime attribute, whose grammars differ: HTML wants a four
 * digit year and at most three fraction digits, xsd:dateTime takes signed
 * and longer years.  This accepts their common subset,
 * YYYY-MM-DDThh:mm:ss[.f{1,3}][Z|(+|-)hh:mm], with a real calendar day;
 * anything else is left out by the writers rather than made invalid. */
#ifndef EMUCONV_PLUGINS_DATETIME_H
#define EMUCONV_PLUGINS_DATETIME_H
#include <stddef.h>

/* The number made of the N digits at S, or -1 when one is not a digit. */
static inline int emc_dt_digits(const char *s, int n)
{
  int v = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9')
      return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

static inline int emc_is_portable_datetime(const char *s)
{
  static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  if (!s)
    return 0;
  int y = emc_dt_digits(s, 4), mo = -1, d = -1, h = -1, mi = -1, se = -1;
  if (y < 1 || s[4] != '-' || (mo = emc_dt_digits(s + 5, 2)) < 1 || mo > 12 || s[7] != '-' ||
      (d = emc_dt_digits(s + 8, 2)) < 1 || d > mdays[mo - 1] || s[10] != 'T' ||
      (h = emc_dt_digits(s + 11, 2)) < 0 || h > 23 || s[13] != ':' ||
      (mi = emc_dt_digits(s + 14, 2)) < 0 || mi > 59 || s[16] != ':' ||
      (se = emc_dt_digits(s + 17, 2)) < 0 || se > 59)
    return 0;
  if (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)))
    return 0;
  s += 19;
  if (*s == '.') {
    int n = 0;
    while (n < 3 && s[1 + n] >= '0' && s[1 + n] <= '9')
      n++;
    if (n == 0)
      return 0;
    s += 1 + n;
  }
  if (*s == 'Z')
    s++;
  else if (*s == '+' || *s == '-') {
    /* (each digit is read only once those before it were digits) */
    int th = emc_dt_digits(s + 1, 2), tm = th < 0 || s[3] != ':' ? -1 : emc_dt_digits(s + 4, 2);
    if (th < 0 || th > 14 || tm < 0 || tm > 59 || (th == 14 && tm))
      return 0;
    s += 6;
  }
  return *s == '\0';
}
#endif
