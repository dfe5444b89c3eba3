/* SPDX-License-Identifier: MIT */
/* url.c - the link target allow-list (emuconv/url.h). */
#include <config.h>
#include <stddef.h>
#include <strings.h>
#include "emuconv/url.h"

/* The WHATWG URL parser drops these anywhere in the input. */
static int ignored(unsigned char c)
{
  return c == '\t' || c == '\n' || c == '\r';
}

static int alpha(unsigned char c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

int emc_url_is_safe(const char *url)
{
  static const char *const allowed[] = { "http", "https", "ftp", "mailto", NULL };
  if (!url)
    return 0;
  const unsigned char *s = (const unsigned char *)url;
  while (*s && *s <= ' ') /* leading C0 controls and spaces */
    s++;
  /* The scheme: a letter, then letters, digits, '+', '-', '.', up to
   * ':'.  Anything else first (a '/', '?', '#', or the end) makes a
   * reference without a scheme. */
  char scheme[16];
  size_t n = 0;
  for (; *s; s++) {
    if (ignored(*s))
      continue;
    if (*s == ':')
      break;
    if (!(alpha(*s) || (n && ((*s >= '0' && *s <= '9') || *s == '+' || *s == '-' || *s == '.'))))
      return 1;
    if (n < sizeof scheme)
      scheme[n] = (char)*s;
    n++;
  }
  if (!*s || !n)
    return 1; /* no scheme */
  if (n >= sizeof scheme)
    return 0; /* longer than any allowed one */
  scheme[n] = '\0';
  for (const char *const *a = allowed; *a; a++)
    if (strcasecmp(scheme, *a) == 0)
      return 1;
  return 0;
}
