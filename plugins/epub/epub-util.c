/* SPDX-License-Identifier: MIT */
/* epub-util.c - small helpers of the EPUB writer: SHA-1 and name-based
 * UUIDs for dc:identifier, the W3CDTF syntax check (what epubcheck
 * checks), image types; BCP 47 and URL checks are in common/webtext.c. */
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

/* ----------------------------------------------------------- W3CDTF */

static int digits(const char *s, int n)
{
  for (int i = 0; i < n; i++)
    if (!(s[i] >= '0' && s[i] <= '9'))
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
      if (!isdigit((unsigned char)*s))
        return 0;
      while (isdigit((unsigned char)*s))
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
