/* text.c - UTF-8 helpers for readers; see emuconv/text.h. */
#include <config.h>
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
