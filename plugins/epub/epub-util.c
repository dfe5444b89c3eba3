/* SPDX-License-Identifier: MIT */
/* epub-util.c - small helpers of the EPUB writer: SHA-1 and name-based
 * UUIDs for dc:identifier, BCP 47 and W3CDTF syntax checks (what epubcheck
 * checks), image types, URL checks. */
#include <config.h>
#include <stdint.h>
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "epub.h"
#include "../common/imgcheck.h"

/* ------------------------------------------------------------- SHA-1 */
/* FIPS 180-4, written from the specification. */

static uint32_t rol(uint32_t x, int n)
{
  return (x << n) | (x >> (32 - n));
}

static void sha1_block(epub_sha1 *s, const unsigned char *p)
{
  uint32_t w[80];
  for (int i = 0; i < 16; i++)
    w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
           (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
  for (int i = 16; i < 80; i++)
    w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
  uint32_t a = s->h[0], b = s->h[1], c = s->h[2], d = s->h[3], e = s->h[4];
  for (int i = 0; i < 80; i++) {
    uint32_t f, k;
    if (i < 20) {
      f = (b & c) | (~b & d);
      k = 0x5A827999u;
    } else if (i < 40) {
      f = b ^ c ^ d;
      k = 0x6ED9EBA1u;
    } else if (i < 60) {
      f = (b & c) | (b & d) | (c & d);
      k = 0x8F1BBCDCu;
    } else {
      f = b ^ c ^ d;
      k = 0xCA62C1D6u;
    }
    uint32_t t = rol(a, 5) + f + e + k + w[i];
    e = d;
    d = c;
    c = rol(b, 30);
    b = a;
    a = t;
  }
  s->h[0] += a;
  s->h[1] += b;
  s->h[2] += c;
  s->h[3] += d;
  s->h[4] += e;
}

void epub_sha1_init(epub_sha1 *s)
{
  static const uint32_t h0[5] = { 0x67452301u, 0xEFCDAB89u, 0x98BADCFEu,
                                  0x10325476u, 0xC3D2E1F0u };
  memcpy(s->h, h0, sizeof h0);
  s->len = 0;
  s->used = 0;
}

void epub_sha1_update(epub_sha1 *s, const void *data, size_t len)
{
  const unsigned char *p = data;
  s->len += len;
  if (s->used) {
    size_t n = 64 - s->used < len ? 64 - s->used : len;
    memcpy(s->buf + s->used, p, n);
    s->used += n;
    p += n;
    len -= n;
    if (s->used < 64)
      return;
    sha1_block(s, s->buf);
    s->used = 0;
  }
  for (; len >= 64; p += 64, len -= 64)
    sha1_block(s, p);
  memcpy(s->buf, p, len);
  s->used = len;
}

void epub_sha1_final(epub_sha1 *s, unsigned char digest[20])
{
  uint64_t bits = s->len * 8;
  unsigned char pad[72] = { 0x80 };
  size_t n = (s->used < 56 ? 56 : 120) - s->used;
  for (int i = 0; i < 8; i++)
    pad[n + (size_t)i] = (unsigned char)(bits >> (56 - 8 * i));
  epub_sha1_update(s, pad, n + 8);
  for (int i = 0; i < 5; i++) {
    digest[4 * i] = (unsigned char)(s->h[i] >> 24);
    digest[4 * i + 1] = (unsigned char)(s->h[i] >> 16);
    digest[4 * i + 2] = (unsigned char)(s->h[i] >> 8);
    digest[4 * i + 3] = (unsigned char)s->h[i];
  }
}

/* -------------------------------------------------------------- UUIDs */

/* 6ba7b811-9dad-11d1-80b4-00c04fd430c8 (RFC 4122, appendix C) */
const unsigned char epub_uuid_ns_url[16] = {
  0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
  0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8
};

/* 54ec5a6a-858a-5c97-8352-32ef026a0787 = uuid5(NameSpace_URL,
 * "urn:emuconv:ir:1#content"), fixed forever: the namespace of
 * identifiers derived from a document's text. */
const unsigned char epub_uuid_ns_content[16] = {
  0x54, 0xec, 0x5a, 0x6a, 0x85, 0x8a, 0x5c, 0x97,
  0x83, 0x52, 0x32, 0xef, 0x02, 0x6a, 0x07, 0x87
};

void epub_uuid5_begin(epub_sha1 *s, const unsigned char ns[16])
{
  epub_sha1_init(s);
  epub_sha1_update(s, ns, 16);
}

void epub_uuid5_bytes(epub_sha1 *s, unsigned char out[16])
{
  unsigned char d[20];
  epub_sha1_final(s, d);
  d[6] = (unsigned char)((d[6] & 0x0F) | 0x50); /* version 5 */
  d[8] = (unsigned char)((d[8] & 0x3F) | 0x80); /* RFC 4122 variant */
  memcpy(out, d, 16);
}

void epub_uuid5_end(epub_sha1 *s, char out[46])
{
  unsigned char d[16];
  epub_uuid5_bytes(s, d);
  static const char hex[] = "0123456789abcdef";
  char *o = out + sizeof "urn:uuid:" - 1;
  memcpy(out, "urn:uuid:", sizeof "urn:uuid:" - 1);
  for (int i = 0; i < 16; i++) {
    if (i == 4 || i == 6 || i == 8 || i == 10)
      *o++ = '-';
    *o++ = hex[d[i] >> 4];
    *o++ = hex[d[i] & 15];
  }
  *o = '\0';
}

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
int epub_lang_ok(const char *tag)
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

int epub_lang_rtl(const char *tag)
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

/* ----------------------------------------------------------- W3CDTF */

static int digits(const char *s, int n)
{
  for (int i = 0; i < n; i++)
    if (!is_digit((unsigned char)s[i]))
      return 0;
  return 1;
}

static int num(const char *s, int n)
{
  int v = 0;
  for (int i = 0; i < n; i++)
    v = v * 10 + (s[i] - '0');
  return v;
}

int epub_date_ok(const char *s)
{
  if (!digits(s, 4))
    return 0;
  s += 4;
  if (!*s)
    return 1;
  if (s[0] != '-' || !digits(s + 1, 2) || num(s + 1, 2) < 1 || num(s + 1, 2) > 12)
    return 0;
  s += 3;
  if (!*s)
    return 1;
  if (s[0] != '-' || !digits(s + 1, 2) || num(s + 1, 2) < 1 || num(s + 1, 2) > 31)
    return 0;
  s += 3;
  if (!*s)
    return 1;
  /* Thh:mm[:ss[.s+]]TZD */
  if (s[0] != 'T' || !digits(s + 1, 2) || s[3] != ':' || !digits(s + 4, 2) ||
      num(s + 1, 2) > 23 || num(s + 4, 2) > 59)
    return 0;
  s += 6;
  if (s[0] == ':') {
    if (!digits(s + 1, 2) || num(s + 1, 2) > 60)
      return 0;
    s += 3;
    if (s[0] == '.') {
      s++;
      if (!is_digit((unsigned char)*s))
        return 0;
      while (is_digit((unsigned char)*s))
        s++;
    }
  }
  if (s[0] == 'Z')
    return s[1] == '\0';
  if ((s[0] == '+' || s[0] == '-') && digits(s + 1, 2) && s[3] == ':' &&
      digits(s + 4, 2))
    return s[6] == '\0';
  return 0;
}

/* ----------------------------------------------------------- images */

const char *epub_image_type(const unsigned char *d, size_t n)
{
  img_facts f;
  if (img_check(d, n, &f) != IMG_SOUND || strcmp(f.media_type, "image/bmp") == 0)
    return NULL;
  return f.media_type;
}

const char *epub_image_ext(const char *media_type)
{
  if (strcmp(media_type, "image/png") == 0)
    return "png";
  if (strcmp(media_type, "image/jpeg") == 0)
    return "jpg";
  if (strcmp(media_type, "image/gif") == 0)
    return "gif";
  return "svg";
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

int epub_url_ok(const char *href)
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

char *epub_url_escape(const char *href)
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
