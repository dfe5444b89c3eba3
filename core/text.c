/* SPDX-License-Identifier: MIT */
/* text.c - text decoding for readers and filters; see emuconv/text.h. */
#include <config.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <string.h>
#include <emuconv/text.h>

size_t emc_utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
  uint32_t c = s[0];
  if (c < 0x80) {
    *cp = c;
    return 1;
  }
  size_t len;
  uint32_t min;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
    min = 0x80;
    c &= 0x1F;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    min = 0x800;
    c &= 0x0F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    min = 0x10000;
    c &= 0x07;
  } else
    return 0;
  if (len > n)
    return 0;
  for (size_t i = 1; i < len; i++) {
    if ((s[i] & 0xC0) != 0x80)
      return 0;
    c = (c << 6) | (s[i] & 0x3F);
  }
  if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
    return 0;
  *cp = c;
  return len;
}

size_t emc_utf8_invalid_at(const unsigned char *s, size_t n)
{
  size_t i = 0;
  while (i < n) {
    /* Eight ASCII bytes at a time: most of most texts is ASCII. */
    while (n - i >= 8) {
      uint64_t w;
      memcpy(&w, s + i, 8);
      if (w & 0x8080808080808080ULL)
        break;
      i += 8;
    }
    if (i == n)
      break;
    unsigned char b = s[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    /* The common two- and three-byte forms inline (Latin accents,
     * Devanagari...); E0 and ED have narrower second bytes (overlong
     * forms, surrogates): those take the full check. */
    if (b >= 0xC2 && b <= 0xDF && n - i >= 2 && (s[i + 1] & 0xC0) == 0x80) {
      i += 2;
      continue;
    }
    if (b >= 0xE1 && b <= 0xEF && b != 0xED && n - i >= 3 && (s[i + 1] & 0xC0) == 0x80 &&
        (s[i + 2] & 0xC0) == 0x80) {
      i += 3;
      continue;
    }
    uint32_t cp;
    size_t l = emc_utf8_decode(s + i, n - i, &cp);
    if (!l)
      return i;
    i += l;
  }
  return n;
}

size_t emc_utf8_encode(uint32_t cp, char *out)
{
  unsigned char *u = (unsigned char *)out;
  if (cp < 0x80) {
    u[0] = (unsigned char)cp;
    return 1;
  }
  if (cp < 0x800) {
    u[0] = (unsigned char)(0xC0 | (cp >> 6));
    u[1] = (unsigned char)(0x80 | (cp & 0x3F));
    return 2;
  }
  if (cp >= 0xD800 && cp <= 0xDFFF)
    return 0;
  if (cp < 0x10000) {
    u[0] = (unsigned char)(0xE0 | (cp >> 12));
    u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    u[2] = (unsigned char)(0x80 | (cp & 0x3F));
    return 3;
  }
  if (cp > 0x10FFFF)
    return 0;
  u[0] = (unsigned char)(0xF0 | (cp >> 18));
  u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
  u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
  u[3] = (unsigned char)(0x80 | (cp & 0x3F));
  return 4;
}

size_t emc_utf8_count(const char *s, size_t n)
{
  if (!n)
    return 0; /* S may be NULL then (an empty emc_buf) */
  size_t cont = 0;
  for (size_t i = 0; i < n; i++)
    cont += ((unsigned char)s[i] & 0xC0) == 0x80;
  return n - cont;
}

/* ------------------------------------------------------------ Windows-1252 */

/* 0x80-0x9F; the rest of the bytes are their own code points. */
static const uint16_t cp1252_high[32] = {
  0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
  0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178
};

uint32_t emc_cp1252_decode(unsigned char b)
{
  return b >= 0x80 && b < 0xA0 ? cp1252_high[b - 0x80] : b;
}

/* ------------------------------------------------------------ labels */

int emc_text_encoding_lookup(const char *label, size_t len, char *name)
{
  if (len == 0 || len >= EMC_TEXT_ENC_NAME_MAX)
    return EMC_TEXT_ENC_UNKNOWN;
  char l[EMC_TEXT_ENC_NAME_MAX];
  for (size_t i = 0; i < len; i++) {
    char c = label[i];
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
          c == '-' || c == '_' || c == '.' || c == ':'))
      return EMC_TEXT_ENC_UNKNOWN;
    l[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
  }
  l[len] = '\0';
  static const char *const utf8[] = { "utf-8", "utf8", "unicode-1-1-utf-8", NULL };
  static const char *const cp1252[] = {
    "windows-1252", "cp1252", "x-cp1252", "iso-8859-1", "iso8859-1", "iso_8859-1",
    "iso88591", "latin1", "l1", "ascii", "us-ascii", "ansi_x3.4-1968", "cp819",
    "ibm819", "iso-ir-100", "iso_8859-1:1987", "csisolatin1", "x-user-defined", NULL
  };
  for (const char *const *p = utf8; *p; p++)
    if (strcmp(l, *p) == 0) {
      strcpy(name, "UTF-8");
      return EMC_TEXT_ENC_UTF8;
    }
  for (const char *const *p = cp1252; *p; p++)
    if (strcmp(l, *p) == 0) {
      strcpy(name, "Windows-1252");
      return EMC_TEXT_ENC_CP1252;
    }
  if (strcmp(l, "utf-16le") == 0 || strcmp(l, "utf-16") == 0 || strcmp(l, "unicode") == 0) {
    strcpy(name, "UTF-16LE");
    return EMC_TEXT_ENC_UTF16LE;
  }
  if (strcmp(l, "utf-16be") == 0) {
    strcpy(name, "UTF-16BE");
    return EMC_TEXT_ENC_UTF16BE;
  }
  iconv_t cd = iconv_open("UTF-8", l);
  if (cd == (iconv_t)-1)
    return EMC_TEXT_ENC_UNKNOWN;
  iconv_close(cd);
  memcpy(name, l, len + 1);
  return EMC_TEXT_ENC_ICONV;
}

/* ------------------------------------------------------------ decoders */

static int put_cp(emc_buf *out, uint32_t cp)
{
  char u[4];
  return emc_buf_append(out, u, emc_utf8_encode(cp, u));
}

static int decode_cp1252(const unsigned char *d, size_t n, emc_buf *out)
{
  /* At most 3 bytes a byte (U+20AC...); ASCII runs are copied. */
  int rc = emc_buf_reserve(out, n + n / 8);
  for (size_t i = 0; i < n && rc == EMC_OK;) {
    size_t j = i;
    while (j < n && d[j] < 0x80)
      j++;
    if (j > i) {
      rc = emc_buf_append(out, d + i, j - i);
      i = j;
    } else
      rc = put_cp(out, emc_cp1252_decode(d[i++]));
  }
  return rc;
}

/* Returns EMC_OK, EMC_ENOMEM, or EMC_EENCODING with *BAD the offset of
 * the bad code unit. */
static int decode_utf16(const unsigned char *d, size_t n, int le, emc_buf *out, size_t *bad)
{
  if (n % 2) {
    *bad = n - 1;
    return EMC_EENCODING;
  }
  int rc = emc_buf_reserve(out, n / 2 + n / 8);
  for (size_t i = 0; i < n && rc == EMC_OK; i += 2) {
    uint32_t u = le ? (uint32_t)(d[i] | d[i + 1] << 8) : (uint32_t)(d[i] << 8 | d[i + 1]);
    if (u >= 0xD800 && u <= 0xDBFF) {
      uint32_t v = 0;
      if (i + 3 < n)
        v = le ? (uint32_t)(d[i + 2] | d[i + 3] << 8) : (uint32_t)(d[i + 2] << 8 | d[i + 3]);
      if (v < 0xDC00 || v > 0xDFFF) {
        *bad = i;
        return EMC_EENCODING;
      }
      u = 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00);
      i += 2;
    } else if (u >= 0xDC00 && u <= 0xDFFF) {
      *bad = i;
      return EMC_EENCODING;
    }
    rc = put_cp(out, u);
  }
  return rc;
}

/* Returns EMC_OK, EMC_ENOMEM, or EMC_EENCODING with *BAD the offset of
 * the first byte iconv could not convert. */
static int decode_iconv(const char *enc, const unsigned char *d, size_t n, emc_buf *out,
                        size_t *bad)
{
  iconv_t cd = iconv_open("UTF-8", enc);
  if (cd == (iconv_t)-1) {
    *bad = 0;
    return EMC_EENCODING;
  }
  size_t start = out->len;
  int rc = EMC_OK;
  char *in = (char *)(uintptr_t)d;
  size_t inleft = n;
  while (inleft && rc == EMC_OK) {
    if ((rc = emc_buf_reserve(out, inleft * 2 + 16)) != EMC_OK)
      break;
    char *o = out->data + out->len;
    size_t oleft = out->cap - out->len - 1;
    size_t r = iconv(cd, &in, &inleft, &o, &oleft);
    out->len = (size_t)(o - out->data);
    out->data[out->len] = '\0';
    if (r == (size_t)-1 && errno != E2BIG) {
      *bad = n - inleft;
      rc = EMC_EENCODING;
    }
  }
  iconv_close(cd);
  /* glibc's converters write valid UTF-8; a check costs little. */
  if (rc == EMC_OK && emc_utf8_invalid_at((const unsigned char *)out->data + start,
                                          out->len - start) != out->len - start) {
    *bad = 0;
    rc = EMC_EENCODING;
  }
  return rc;
}

int emc_text_decode(const unsigned char *in, size_t n, const char *encoding, emc_buf *out,
                    unsigned *flags, emc_error *err)
{
  unsigned fl = 0;
  int kind = EMC_TEXT_ENC_UNKNOWN, bom = EMC_TEXT_ENC_UNKNOWN;
  char name[EMC_TEXT_ENC_NAME_MAX];
  size_t skip = 0, bad = 0;

  if (n >= 3 && in[0] == 0xEF && in[1] == 0xBB && in[2] == 0xBF) {
    bom = EMC_TEXT_ENC_UTF8;
    skip = 3;
  } else if (n >= 2 && in[0] == 0xFF && in[1] == 0xFE) {
    bom = EMC_TEXT_ENC_UTF16LE;
    skip = 2;
  } else if (n >= 2 && in[0] == 0xFE && in[1] == 0xFF) {
    bom = EMC_TEXT_ENC_UTF16BE;
    skip = 2;
  }
  if (encoding) {
    kind = emc_text_encoding_lookup(encoding, strlen(encoding), name);
    if (kind == EMC_TEXT_ENC_UNKNOWN)
      return emc_error_set(err, EMC_EINVAL, "unknown encoding '%s'", encoding);
    if (kind != bom)
      skip = 0;
  } else if (bom != EMC_TEXT_ENC_UNKNOWN)
    kind = bom;
  if (skip)
    fl |= bom == EMC_TEXT_ENC_UTF8 ? EMC_TEXT_BOM_UTF8
        : bom == EMC_TEXT_ENC_UTF16LE ? EMC_TEXT_BOM_UTF16LE : EMC_TEXT_BOM_UTF16BE;
  in += skip;
  n -= skip;

  int rc;
  switch (kind) {
  case EMC_TEXT_ENC_UNKNOWN:
  case EMC_TEXT_ENC_UTF8:
    bad = emc_utf8_invalid_at(in, n);
    if (bad == n)
      rc = emc_buf_append(out, in, n);
    else if (kind == EMC_TEXT_ENC_UNKNOWN) {
      fl |= EMC_TEXT_FELL_BACK_CP1252;
      rc = decode_cp1252(in, n, out);
    } else if (encoding)
      return emc_error_set(err, EMC_EENCODING, "invalid UTF-8 at byte %zu", bad + skip);
    else
      return emc_error_set(err, EMC_EENCODING,
                           "invalid UTF-8 at byte %zu despite the UTF-8 byte order mark",
                           bad + skip);
    break;
  case EMC_TEXT_ENC_CP1252:
    rc = decode_cp1252(in, n, out);
    break;
  case EMC_TEXT_ENC_UTF16LE:
  case EMC_TEXT_ENC_UTF16BE:
    rc = decode_utf16(in, n, kind == EMC_TEXT_ENC_UTF16LE, out, &bad);
    if (rc == EMC_EENCODING && n % 2)
      return emc_error_set(err, rc, "truncated UTF-16%s: odd number of bytes (%zu)",
                           kind == EMC_TEXT_ENC_UTF16LE ? "LE" : "BE", n + skip);
    if (rc == EMC_EENCODING)
      return emc_error_set(err, rc, "invalid UTF-16%s: unpaired surrogate at byte %zu",
                           kind == EMC_TEXT_ENC_UTF16LE ? "LE" : "BE", bad + skip);
    break;
  default:
    rc = decode_iconv(name, in, n, out, &bad);
    if (rc == EMC_EENCODING)
      return emc_error_set(err, rc, "the input is not valid %s (byte %zu)", name, bad);
  }
  if (rc != EMC_OK)
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  if (flags)
    *flags = fl;
  return EMC_OK;
}
