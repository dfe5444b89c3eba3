/* SPDX-License-Identifier: MIT */
/* html-date.c - a page's date as ISO 8601.
 *
 * Pages write dates every way: "2018-04-05T06:00", "2015-09-17T16:57:43
 * +0100", "2019/04/28", "20190428", "April 28, 2019", "Tue, 28 Apr 2019",
 * "28. April 2019".  The IR's date is ISO 8601: YYYY-MM-DD, with the time
 * (hh:mm[:ss[.fff]]) and zone (Z, +hh:mm) when the page gave them.
 */
#include <config.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "html.h"

static int digits(const char *s, int n, int *v)
{
  int r = 0;
  for (int i = 0; i < n; i++) {
    if (!isdigit((unsigned char)s[i]))
      return 0;
    r = r * 10 + (s[i] - '0');
  }
  *v = r;
  return 1;
}

static int valid_ymd(int y, int m, int d)
{
  return y >= 1000 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/* English month name (or its 3-letter start) at S: 1..12, or 0; *LEN set. */
static int month_at(const char *s, size_t *len)
{
  static const char *const names[] = { "january", "february", "march", "april", "may", "june",
                                       "july", "august", "september", "october", "november",
                                       "december" };
  size_t l = 0;
  while (isalpha((unsigned char)s[l]))
    l++;
  if (l < 3)
    return 0;
  for (int m = 0; m < 12; m++) {
    size_t nl = strlen(names[m]);
    if ((l == nl || l == 3 || (l == 4 && m == 8)) && l <= nl && strncasecmp(s, names[m], l) == 0) {
      *len = l;
      return m + 1;
    }
  }
  return 0;
}

/* The time and zone after a date: "T06:00", " 16:57:43 +0100", appended
 * to OUT as "T06:00:00+01:00".  Nothing when there is no time. */
static void time_part(const char *p, char *out, size_t cap)
{
  int h, mi, s = -1;
  if (*p != 'T' && *p != 't' && *p != ' ')
    return;
  p++;
  if (!digits(p, 2, &h) || p[2] != ':' || !digits(p + 3, 2, &mi) || h > 23 || mi > 59)
    return;
  p += 5;
  char frac[8] = "";
  if (*p == ':' && digits(p + 1, 2, &s) && s <= 60) {
    p += 3;
    if (*p == '.' || *p == ',') {
      size_t k = 0;
      p++;
      while (isdigit((unsigned char)*p) && k < 3)
        frac[k++] = *p++;
      frac[k] = '\0';
      while (isdigit((unsigned char)*p))
        p++;
    }
  } else
    s = -1;
  size_t l = strlen(out);
  if (s < 0)
    snprintf(out + l, cap - l, "T%02d:%02d", h, mi);
  else
    snprintf(out + l, cap - l, "T%02d:%02d:%02d%s%s", h, mi, s, *frac ? "." : "", frac);
  while (*p == ' ')
    p++;
  l = strlen(out);
  int zh, zm = 0;
  if (*p == 'Z' || *p == 'z' || strncmp(p, "GMT", 3) == 0 || strncmp(p, "UTC", 3) == 0)
    snprintf(out + l, cap - l, "Z");
  else if ((*p == '+' || *p == '-') && digits(p + 1, 2, &zh) && zh <= 14 &&
           (p[3] == ':' ? digits(p + 4, 2, &zm) : (digits(p + 3, 2, &zm) || (zm = 0, 1))))
    snprintf(out + l, cap - l, "%c%02d:%02d", *p, zh, zm);
}

char *html_date_iso(const char *s)
{
  if (!s)
    return NULL;
  while (*s == ' ')
    s++;
  int y = 0, m = 0, d = 0;
  const char *rest = NULL;
  char out[64];
  if (digits(s, 4, &y) && (s[4] == '-' || s[4] == '/' || s[4] == '.') && digits(s + 5, 2, &m) &&
      s[7] == s[4] && digits(s + 8, 2, &d))
    rest = s + 10;
  else if (digits(s, 8, &y) && !isdigit((unsigned char)s[8])) {
    d = y % 100;
    m = y / 100 % 100;
    y /= 10000;
    rest = s + 8;
  } else if (digits(s, 4, &y) && s[4] == '-' && digits(s + 5, 2, &m) && !isdigit((unsigned char)s[7])) {
    if (!valid_ymd(y, m, 1))
      return NULL;
    snprintf(out, sizeof out, "%04d-%02d", y, m);
    return strdup(out);
  } else {
    /* words: skip a weekday, then "April 28, 2019" or "28 April 2019" */
    const char *p = s;
    size_t ml = 0;
    for (int pass = 0; pass < 2 && !m; pass++) {
      while (*p == ' ' || *p == ',')
        p++;
      if (isdigit((unsigned char)*p)) {
        char *e;
        long dv = strtol(p, &e, 10);
        p = e;
        if (*p == '.')
          p++;
        while (*p == ' ')
          p++;
        if ((m = month_at(p, &ml)) != 0) {
          d = (int)dv;
          p += ml;
          if (*p == '.')
            p++;
          while (*p == ' ' || *p == ',')
            p++;
          if (!digits(p, 4, &y))
            return NULL;
          rest = p + 4;
        }
      } else if ((m = month_at(p, &ml)) != 0) {
        p += ml;
        if (*p == '.')
          p++;
        while (*p == ' ')
          p++;
        char *e;
        d = (int)strtol(p, &e, 10);
        if (e == p)
          return NULL;
        p = e;
        while (isalpha((unsigned char)*p)) /* 1st, 2nd */
          p++;
        while (*p == ' ' || *p == ',')
          p++;
        if (!digits(p, 4, &y))
          return NULL;
        rest = p + 4;
      } else {
        while (isalpha((unsigned char)*p)) /* a weekday */
          p++;
        if (p == s)
          return NULL;
      }
    }
    if (!m)
      return NULL;
  }
  if (!rest || !valid_ymd(y, m, d) || isdigit((unsigned char)*rest))
    return NULL;
  snprintf(out, sizeof out, "%04d-%02d-%02d", y, m, d);
  if (*rest == ',')
    rest++;
  if (rest[0] == ' ' && rest[1] == 'a' && rest[2] == 't')
    rest += 3;
  time_part(rest, out, sizeof out);
  return strdup(out);
}
