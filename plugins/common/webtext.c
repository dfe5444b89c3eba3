/* SPDX-License-Identifier: MIT */
/* webtext.c - the rules of web formats that the writers of EPUB and HTML
 * share (moved here from the epub writer when the html writer came):
 * BCP 47 language tags, right-to-left languages, and the URLs that
 * checkers (epubcheck, the Nu HTML Checker) accept. */
#include <config.h>
#include <arpa/inet.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "webtext.h"

/* ------------------------------------------------------------ BCP 47 */

static int is_alpha(int c)
{
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_digit(int c)
{
  return c >= '0' && c <= '9';
}

static int all(const char *s, size_t n, int (*pred)(int))
{
  for (size_t i = 0; i < n; i++)
    if (!pred((unsigned char)s[i]))
      return 0;
  return 1;
}

static int is_alnum(int c)
{
  return is_alpha(c) || is_digit(c);
}

/* RFC 5646 section 2.1, langtag and privateuse (grandfathered tags are
 * not accepted: nothing should produce them any more). */
int webtext_lang_ok(const char *tag)
{
  const char *sub[64];
  size_t len[64], n = 0;
  for (const char *p = tag;;) {
    size_t l = strcspn(p, "-");
    if (l == 0 || l > 8 || n == 64 || !all(p, l, is_alnum))
      return 0;
    sub[n] = p;
    len[n++] = l;
    if (!p[l])
      break;
    p += l + 1;
  }
  size_t i = 0;
  if (len[0] == 1 && (sub[0][0] == 'x' || sub[0][0] == 'X'))
    goto privateuse;
  /* language: 2*3ALPHA ["-" extlang] / 4ALPHA / 5*8ALPHA */
  if (len[0] < 2 || !all(sub[0], len[0], is_alpha))
    return 0;
  i = 1;
  if (len[0] <= 3) /* extlang: up to three 3ALPHA */
    for (int k = 0; k < 3 && i < n && len[i] == 3 && all(sub[i], 3, is_alpha); k++)
      i++;
  if (i < n && len[i] == 4 && all(sub[i], 4, is_alpha)) /* script */
    i++;
  if (i < n && ((len[i] == 2 && all(sub[i], 2, is_alpha)) ||
                (len[i] == 3 && all(sub[i], 3, is_digit)))) /* region */
    i++;
  /* variants: 5*8alphanum / DIGIT 3alphanum */
  while (i < n && (len[i] >= 5 || (len[i] == 4 && is_digit((unsigned char)sub[i][0]))))
    i++;
  /* extensions: singleton 1*("-" 2*8alphanum) */
  while (i < n && len[i] == 1 && sub[i][0] != 'x' && sub[i][0] != 'X') {
    i++;
    size_t k = 0;
    while (i < n && len[i] >= 2) {
      i++;
      k++;
    }
    if (!k)
      return 0;
  }
  if (i == n)
    return 1;
  if (len[i] != 1 || (sub[i][0] != 'x' && sub[i][0] != 'X'))
    return 0;
privateuse:
  return i + 1 < n; /* "x" 1*("-" 1*8alphanum) */
}

int webtext_lang_rtl(const char *tag)
{
  static const char *const rtl[] = { "ar", "arc", "ckb", "dv", "fa", "he", "iw", "ks",
                                     "ku-arab", "pnb", "ps", "sd", "ug", "ur", "yi", NULL };
  size_t n = strcspn(tag, "-");
  for (const char *const *r = rtl; *r; r++)
    if ((strlen(*r) == n && strncasecmp(tag, *r, n) == 0) ||
        (strchr(*r, '-') && strncasecmp(tag, *r, strlen(*r)) == 0))
      return 1;
  /* a script subtag says so for any language: az-Arab, pa-Arab, yi-Hebr */
  for (const char *p = strchr(tag, '-'); p; p = strchr(p + 1, '-'))
    if ((strncasecmp(p, "-arab", 5) == 0 || strncasecmp(p, "-hebr", 5) == 0 ||
         strncasecmp(p, "-thaa", 5) == 0 || strncasecmp(p, "-syrc", 5) == 0) &&
        (p[5] == '\0' || p[5] == '-'))
      return 1;
  return 0;
}

/* -------------------------------------------------------------- URLs */

/* One number of a WHATWG IPv4 address ("0x1F", "017", "255"): 0 when S
 * (N bytes) is not one, else 1 with its value in *V (saturated). */
static int ipv4_number(const char *s, size_t n, unsigned long long *v)
{
  int base = 10;
  if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s += 2;
    n -= 2;
  } else if (n >= 2 && s[0] == '0') {
    base = 8;
    s++;
    n--;
  }
  *v = 0;
  for (size_t i = 0; i < n; i++) {
    int d = isdigit((unsigned char)s[i]) ? s[i] - '0'
            : isxdigit((unsigned char)s[i]) ? (tolower((unsigned char)s[i]) - 'a' + 10)
            : 99;
    if (d >= base)
      return 0;
    if (*v < (1ull << 40))
      *v = *v * (unsigned)base + (unsigned)d;
  }
  return 1; /* "0x" alone is 0, as in the standard */
}

/* Whether the host HOST (N bytes, not empty) parses as the URL Standard's
 * host parser would for http(s) and ftp, with no error: an IPv6 literal,
 * an IPv4 address when its last label is a number, otherwise a domain.
 * Stricter than the standard where it would take us into IDNA: a domain
 * is ASCII letters, digits, '-' and '_' in labels of 1 to 63 bytes (a
 * name written in another script, or percent-encoded, is not linked). */
static int url_host_ok(const char *host, size_t n)
{
  if (host[0] == '[') {
    char v6[64];
    unsigned char bin[16];
    if (n < 3 || host[n - 1] != ']' || n - 2 >= sizeof v6)
      return 0;
    memcpy(v6, host + 1, n - 2);
    v6[n - 2] = '\0';
    return inet_pton(AF_INET6, v6, bin) == 1;
  }
  if (host[n - 1] == '.') /* one trailing dot is the root */
    n--;
  if (n == 0 || n > 253)
    return 0;
  /* the last label: a number makes the whole host an IPv4 address */
  size_t last = n;
  while (last > 0 && host[last - 1] != '.')
    last--;
  unsigned long long v;
  if (ipv4_number(host + last, n - last, &v) && n > last) {
    unsigned long long part[4];
    size_t parts = 0;
    for (size_t i = 0; i <= n;) {
      size_t j = i;
      while (j < n && host[j] != '.')
        j++;
      if (parts == 4 || !ipv4_number(host + i, j - i, &part[parts]) || j == i)
        return 0;
      parts++;
      i = j + 1;
    }
    for (size_t k = 0; k + 1 < parts; k++)
      if (part[k] > 255)
        return 0;
    return part[parts - 1] < (1ull << (8 * (5 - parts)));
  }
  size_t label = 0;
  for (size_t i = 0; i < n; i++) {
    unsigned char c = (unsigned char)host[i];
    if (c == '.') {
      if (label == 0)
        return 0;
      label = 0;
    } else if (isalnum(c) || c == '-' || c == '_') {
      if (++label > 63)
        return 0;
    } else
      return 0;
  }
  return label > 0;
}

int webtext_url_ok(const char *href)
{
  static const char *const schemes[] = { "mailto:", "tel:", NULL };
  static const char *const with_host[] = { "http://", "https://", "ftp://", NULL };
  for (const char *const *s = schemes; *s; s++) {
    size_t l = strlen(*s);
    if (strncasecmp(href, *s, l) == 0)
      return href[l] != '\0';
  }
  for (const char *const *s = with_host; *s; s++) {
    size_t l = strlen(*s);
    if (strncasecmp(href, *s, l) != 0)
      continue;
    /* the authority: up to the path, query or fragment (a backslash
     * counts as a slash in these schemes) */
    const char *auth = href + l;
    size_t n = strcspn(auth, "/?#\\");
    const char *at = NULL;
    for (size_t i = 0; i < n; i++)
      if (auth[i] == '@')
        at = auth + i;
    const char *host = at ? at + 1 : auth;
    size_t hn = (size_t)(auth + n - host);
    /* the port: the digits after the last ':' outside an IPv6 literal */
    const char *colon = NULL;
    for (size_t i = hn; i-- > 0 && host[i] != ']';)
      if (host[i] == ':') {
        colon = host + i;
        break;
      }
    if (colon) {
      size_t pn = hn - (size_t)(colon - host) - 1;
      unsigned long port = 0;
      for (size_t i = 1; i <= pn; i++) {
        if (!isdigit((unsigned char)colon[i]))
          return 0;
        if (port <= 65535)
          port = port * 10 + (unsigned long)(colon[i] - '0');
      }
      if (port > 65535)
        return 0;
      hn = (size_t)(colon - host);
    }
    return hn > 0 && url_host_ok(host, hn);
  }
  return 0;
}

char *webtext_url_escape(const char *href)
{
  static const char hex[] = "0123456789ABCDEF";
  size_t n = strlen(href);
  char *out = malloc(3 * n + 1), *o = out;
  if (!out)
    return NULL;
  for (const unsigned char *p = (const unsigned char *)href; *p; p++) {
    int bad = *p <= 0x20 || *p == 0x7F || strchr("\"<>\\^`{|}", *p) ||
              (*p == '%' && !(isxdigit(p[1]) && isxdigit(p[2])));
    if (bad) {
      *o++ = '%';
      *o++ = hex[*p >> 4];
      *o++ = hex[*p & 15];
    } else
      *o++ = (char)*p;
  }
  *o = '\0';
  return out;
}
