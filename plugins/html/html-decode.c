/* html-decode.c - the page's bytes as UTF-8.
 *
 * The encoding is, in this order (the HTML5 "encoding sniffing" order,
 * with the user's word first): --input-encoding; a byte order mark; the
 * XML declaration (XHTML); <meta charset> or <meta http-equiv=
 * "Content-Type" content="...; charset=..."> in the first 64 KiB; else
 * UTF-8.  When the bytes are not valid in the declared (or assumed)
 * encoding, they are read as Windows-1252, which every byte sequence is,
 * and the fallback is logged; only an encoding the user forced is an error.
 * As HTML5 says, the labels ISO-8859-1 and US-ASCII mean Windows-1252.
 *
 * The result has none of the characters XML 1.0 cannot hold (NUL, C0 and
 * C1 controls, U+FFFE/U+FFFF) and, when it had to be converted, LF line
 * ends; clean UTF-8 (most pages) is parsed in place, CRs and all.  The
 * parser is told it is UTF-8 and to ignore the page's own declarations.
 */
#include <config.h>
#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <emuconv/text.h>
#include "html.h"

struct obuf {
  char *p;
  size_t len, cap;
  int cr;          /* the previous character was CR (CRLF -> LF) */
  size_t dropped;  /* characters XML cannot hold */
};

static int ob_grow(struct obuf *b, size_t extra)
{
  if (b->len + extra + 1 <= b->cap)
    return 0;
  size_t cap = b->cap ? b->cap : 4096;
  while (cap < b->len + extra + 1) {
    if (cap > SIZE_MAX / 2)
      return -1;
    cap *= 2;
  }
  char *p = realloc(b->p, cap);
  if (!p)
    return -1;
  b->p = p;
  b->cap = cap;
  return 0;
}

/* Appends code point CP, normalising line ends and dropping what XML
 * cannot carry. */
static int ob_cp(struct obuf *b, unsigned cp)
{
  if (b->cr) {
    b->cr = 0;
    if (cp == '\n')
      return 0;
  }
  if (cp == '\r') {
    b->cr = 1;
    cp = '\n';
  } else if (cp == '\f')
    cp = ' '; /* white space in HTML, not a character XML allows */
  else if ((cp < 0x20 && cp != '\t' && cp != '\n') || (cp >= 0x7F && cp <= 0x9F) ||
           cp == 0xFFFE || cp == 0xFFFF || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
    b->dropped++;
    return 0;
  }
  if (ob_grow(b, 4))
    return -1;
  b->len += emc_utf8_encode(cp, b->p + b->len); /* a scalar value: checked above */
  return 0;
}

static int decode_utf8(struct obuf *b, const unsigned char *d, size_t n)
{
  size_t i = 0;
  while (i < n) {
    /* Runs of printable ASCII go in one copy. */
    size_t j = i;
    while (j < n && d[j] >= 0x20 && d[j] < 0x7F)
      j++;
    if (j > i) {
      if (ob_grow(b, j - i))
        return -1;
      memcpy(b->p + b->len, d + i, j - i);
      b->len += j - i;
      b->cr = 0;
      i = j;
      continue;
    }
    uint32_t cp;
    size_t l = emc_utf8_decode(d + i, n - i, &cp);
    if (!l) { /* cannot happen after emc_utf8_invalid_at(); be safe */
      cp = 0xFFFD;
      l = 1;
    }
    if (ob_cp(b, cp))
      return -1;
    i += l;
  }
  return 0;
}

/* Windows-1252 0x80-0x9F; the five undefined bytes map to the C1 controls
 * of the same value (as the WHATWG Encoding Standard says), which are then
 * dropped. */
static const unsigned short cp1252_high[32] = {
  0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
  0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
  0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
  0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178
};

unsigned html_cp1252(unsigned char c)
{
  return c >= 0x80 && c < 0xA0 ? cp1252_high[c - 0x80] : c;
}

static int decode_1252(struct obuf *b, const unsigned char *d, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (ob_cp(b, html_cp1252(d[i])))
      return -1;
  return 0;
}

/* UTF-16 without its BOM.  Returns 0, -1 (memory) or the 1-based offset of
 * a bad code unit. */
static long decode_utf16(struct obuf *b, const unsigned char *d, size_t n, int le)
{
  if (n % 2)
    return (long)n;
  for (size_t i = 0; i < n; i += 2) {
    unsigned u = le ? (unsigned)(d[i] | d[i + 1] << 8) : (unsigned)(d[i] << 8 | d[i + 1]);
    if (u >= 0xD800 && u <= 0xDBFF) {
      unsigned v = 0;
      if (i + 3 < n)
        v = le ? (unsigned)(d[i + 2] | d[i + 3] << 8) : (unsigned)(d[i + 2] << 8 | d[i + 3]);
      if (v < 0xDC00 || v > 0xDFFF)
        return (long)i + 1;
      u = 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00);
      i += 2;
    } else if (u >= 0xDC00 && u <= 0xDFFF)
      return (long)i + 1;
    if (ob_cp(b, u))
      return -1;
  }
  return 0;
}

/* Any other encoding, through iconv.  Returns 0, -1 (memory) or -2 (the
 * bytes are not valid in ENC). */
static int decode_iconv(struct obuf *b, const char *enc, const unsigned char *d, size_t n)
{
  iconv_t cd = iconv_open("UTF-8", enc);
  if (cd == (iconv_t)-1)
    return -2;
  struct obuf tmp = { 0 };
  int rc = 0;
  char *in = (char *)(uintptr_t)d;
  size_t inleft = n;
  while (inleft) {
    if (ob_grow(&tmp, inleft * 2 + 16)) {
      rc = -1;
      break;
    }
    char *o = tmp.p + tmp.len;
    size_t oleft = tmp.cap - tmp.len - 1;
    size_t r = iconv(cd, &in, &inleft, &o, &oleft);
    tmp.len = (size_t)(o - tmp.p);
    if (r == (size_t)-1 && errno != E2BIG) {
      rc = -2;
      break;
    }
  }
  iconv_close(cd);
  if (rc == 0 && emc_utf8_invalid_at((unsigned char *)tmp.p, tmp.len) != tmp.len)
    rc = -2;
  if (rc == 0 && decode_utf8(b, (unsigned char *)tmp.p, tmp.len))
    rc = -1;
  free(tmp.p);
  return rc;
}

/* ------------------------------------------------------------ labels */

enum enc_kind { ENC_NONE, ENC_UTF8, ENC_1252, ENC_UTF16LE, ENC_UTF16BE, ENC_OTHER };

struct enc {
  int kind;
  char name[48]; /* for ENC_OTHER: the iconv name; else a display name */
};

/* Maps an encoding label (as in the WHATWG Encoding Standard, roughly) to
 * an encoding; 0 when unknown. */
static int enc_from_label(const char *label, size_t len, struct enc *e)
{
  while (len && (*label == ' ' || *label == '\t' || *label == '\n' || *label == '"' ||
                 *label == '\''))
    label++, len--;
  while (len && (label[len - 1] == ' ' || label[len - 1] == '\t' || label[len - 1] == '\n' ||
                 label[len - 1] == '"' || label[len - 1] == '\''))
    len--;
  if (len == 0 || len >= sizeof e->name)
    return 0;
  char l[48];
  for (size_t i = 0; i < len; i++) {
    char c = label[i];
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
          c == '-' || c == '_' || c == '.' || c == ':'))
      return 0;
    l[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
  }
  l[len] = '\0';
  static const char *const utf8[] = { "utf-8", "utf8", "unicode-1-1-utf-8", NULL };
  static const char *const w1252[] = {
    "windows-1252", "cp1252", "x-cp1252", "iso-8859-1", "iso8859-1", "iso_8859-1",
    "iso88591", "latin1", "l1", "ascii", "us-ascii", "ansi_x3.4-1968", "cp819",
    "ibm819", "iso-ir-100", "iso_8859-1:1987", "csisolatin1", "x-user-defined", NULL
  };
  for (const char *const *p = utf8; *p; p++)
    if (strcmp(l, *p) == 0) {
      e->kind = ENC_UTF8;
      strcpy(e->name, "UTF-8");
      return 1;
    }
  for (const char *const *p = w1252; *p; p++)
    if (strcmp(l, *p) == 0) {
      e->kind = ENC_1252;
      strcpy(e->name, "Windows-1252");
      return 1;
    }
  if (strcmp(l, "utf-16le") == 0 || strcmp(l, "utf-16") == 0 || strcmp(l, "unicode") == 0) {
    e->kind = ENC_UTF16LE;
    strcpy(e->name, "UTF-16LE");
    return 1;
  }
  if (strcmp(l, "utf-16be") == 0) {
    e->kind = ENC_UTF16BE;
    strcpy(e->name, "UTF-16BE");
    return 1;
  }
  iconv_t cd = iconv_open("UTF-8", l);
  if (cd == (iconv_t)-1)
    return 0;
  iconv_close(cd);
  e->kind = ENC_OTHER;
  memcpy(e->name, l, len + 1);
  return 1;
}

static int ci_prefix(const unsigned char *s, const unsigned char *end, const char *word)
{
  size_t n = strlen(word);
  return (size_t)(end - s) >= n && strncasecmp((const char *)s, word, n) == 0;
}

static int is_space(unsigned char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* The encoding="..." of an XML declaration at the very start. */
static int xml_decl_encoding(const unsigned char *d, size_t n, struct enc *e)
{
  if (n < 6 || memcmp(d, "<?xml", 5) != 0 || !is_space(d[5]))
    return 0;
  const unsigned char *end = d + (n < 256 ? n : 256);
  const unsigned char *q = d + 5;
  for (; q + 1 < end && !(q[0] == '?' && q[1] == '>'); q++)
    if (ci_prefix(q, end, "encoding")) {
      const unsigned char *v = q + 8;
      while (v < end && is_space(*v))
        v++;
      if (v >= end || *v != '=')
        return 0;
      v++;
      while (v < end && is_space(*v))
        v++;
      if (v >= end || (*v != '"' && *v != '\''))
        return 0;
      unsigned char quote = *v++;
      const unsigned char *s = v;
      while (v < end && *v != quote)
        v++;
      return v < end && enc_from_label((const char *)s, (size_t)(v - s), e);
    }
  return 0;
}

/* The charset=... inside a Content-Type value. */
static int charset_in_content(const unsigned char *s, size_t len, struct enc *e)
{
  const unsigned char *end = s + len;
  for (const unsigned char *p = s; p < end; p++)
    if (ci_prefix(p, end, "charset")) {
      const unsigned char *v = p + 7;
      while (v < end && is_space(*v))
        v++;
      if (v >= end || *v != '=')
        continue;
      v++;
      while (v < end && is_space(*v))
        v++;
      const unsigned char *st = v;
      if (v < end && (*v == '"' || *v == '\'')) {
        unsigned char q = *v++;
        st = v;
        while (v < end && *v != q)
          v++;
      } else
        while (v < end && !is_space(*v) && *v != ';')
          v++;
      return enc_from_label((const char *)st, (size_t)(v - st), e);
    }
  return 0;
}

/* One attribute at *P of a tag (the HTML5 prescan's "get an attribute"):
 * name and value spans; 0 at the tag's end. */
static int next_attr(const unsigned char **p, const unsigned char *end,
                     const unsigned char **name, size_t *nlen,
                     const unsigned char **val, size_t *vlen)
{
  const unsigned char *q = *p;
  while (q < end && (is_space(*q) || *q == '/'))
    q++;
  if (q >= end || *q == '>')
    return 0;
  *name = q;
  while (q < end && !is_space(*q) && *q != '=' && *q != '>' && *q != '/')
    q++;
  *nlen = (size_t)(q - *name);
  while (q < end && is_space(*q))
    q++;
  *val = q;
  *vlen = 0;
  if (q < end && *q == '=') {
    q++;
    while (q < end && is_space(*q))
      q++;
    if (q < end && (*q == '"' || *q == '\'')) {
      unsigned char quote = *q++;
      *val = q;
      while (q < end && *q != quote)
        q++;
      *vlen = (size_t)(q - *val);
      if (q < end)
        q++;
    } else {
      *val = q;
      while (q < end && !is_space(*q) && *q != '>')
        q++;
      *vlen = (size_t)(q - *val);
    }
  }
  *p = q;
  return 1;
}

/* The HTML5 prescan, over the first 64 KiB: <meta charset> or
 * <meta http-equiv=content-type content=...charset=...>; comments skipped;
 * stops at <body>. */
static int meta_prescan(const unsigned char *d, size_t n, struct enc *e)
{
  const unsigned char *end = d + (n < 65536 ? n : 65536);
  const unsigned char *p = d;
  while (p < end) {
    p = memchr(p, '<', (size_t)(end - p));
    if (!p)
      return 0;
    if (ci_prefix(p, end, "<!--")) {
      const unsigned char *q = p + 4;
      while (q + 2 < end && !(q[0] == '-' && q[1] == '-' && q[2] == '>'))
        q++;
      p = q + 3;
      continue;
    }
    if (ci_prefix(p, end, "<body"))
      return 0;
    if (ci_prefix(p, end, "<meta") && p + 5 < end && (is_space(p[5]) || p[5] == '/')) {
      const unsigned char *q = p + 5, *name, *val;
      size_t nl, vl;
      int http_ct = 0;
      struct enc from_content = { 0 }, from_charset = { 0 };
      int have_content = 0, have_charset = 0;
      while (next_attr(&q, end, &name, &nl, &val, &vl)) {
        if (nl == 7 && strncasecmp((const char *)name, "charset", 7) == 0)
          have_charset = enc_from_label((const char *)val, vl, &from_charset);
        else if (nl == 10 && strncasecmp((const char *)name, "http-equiv", 10) == 0)
          http_ct = vl == 12 && strncasecmp((const char *)val, "content-type", 12) == 0;
        else if (nl == 7 && strncasecmp((const char *)name, "content", 7) == 0)
          have_content = charset_in_content(val, vl, &from_content);
      }
      if (have_charset) {
        *e = from_charset;
        return 1;
      }
      if (http_ct && have_content) {
        *e = from_content;
        return 1;
      }
      p = q;
      continue;
    }
    p++;
  }
  return 0;
}

/* True when D holds valid UTF-8 with nothing XML cannot carry (CR aside,
 * which the reader treats as white space): it can be parsed in place. */
static int utf8_clean(const unsigned char *d, size_t n)
{
  size_t i = 0;
  while (i < n) {
    unsigned char c = d[i];
    if (c >= 0x20 && c < 0x7F) {
      i++;
      continue;
    }
    if (c == '\t' || c == '\n' || c == '\r') {
      i++;
      continue;
    }
    /* U+0800..U+CFFF (Devanagari, most scripts of Asia) inline: E0 A0..BF
     * xx or E1..EC xx xx, no overlong, surrogate or noncharacter among them */
    if (c >= 0xE0 && c <= 0xEC && i + 2 < n && (d[i + 1] & 0xC0) == 0x80 &&
        (d[i + 2] & 0xC0) == 0x80 && (c != 0xE0 || d[i + 1] >= 0xA0)) {
      i += 3;
      continue;
    }
    uint32_t cp;
    size_t l = c >= 0x80 ? emc_utf8_decode(d + i, n - i, &cp) : 0;
    if (!l || (cp >= 0x80 && cp <= 0x9F) || cp == 0xFFFE || cp == 0xFFFF)
      return 0;
    i += l;
  }
  return 1;
}

/* ------------------------------------------------------------ entry */

int html_decode(emc_ctx *ctx, const emc_input *in, const char **text, size_t *outlen,
                char **owned, emc_error *err)
{
  *owned = NULL;
  const unsigned char *d = in->data;
  size_t n = in->size;
  struct enc e = { ENC_NONE, "" }, bom = { ENC_NONE, "" };
  size_t skip = 0;
  const char *why = "assumed";

  if (n >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF) {
    bom.kind = ENC_UTF8;
    strcpy(bom.name, "UTF-8");
    skip = 3;
  } else if (n >= 2 && d[0] == 0xFF && d[1] == 0xFE) {
    bom.kind = ENC_UTF16LE;
    strcpy(bom.name, "UTF-16LE");
    skip = 2;
  } else if (n >= 2 && d[0] == 0xFE && d[1] == 0xFF) {
    bom.kind = ENC_UTF16BE;
    strcpy(bom.name, "UTF-16BE");
    skip = 2;
  }

  const char *forced = emc_ctx_option(ctx, "input-encoding");
  if (forced) {
    if (!enc_from_label(forced, strlen(forced), &e))
      return emc_error_set(err, EMC_EINVAL, "--input-encoding: unknown encoding '%s'", forced);
    if (bom.kind != e.kind)
      skip = 0;
    why = "--input-encoding";
  } else if (bom.kind != ENC_NONE) {
    e = bom;
    why = "byte order mark";
  } else if (xml_decl_encoding(d, n, &e))
    why = "XML declaration";
  else if (meta_prescan(d, n, &e))
    why = "<meta>";
  if (!forced && (e.kind == ENC_UTF16LE || e.kind == ENC_UTF16BE) && bom.kind == ENC_NONE) {
    /* a UTF-16 label in a page that the prescan could read is wrong */
    e.kind = ENC_UTF8;
    strcpy(e.name, "UTF-8");
  }
  d += skip;
  n -= skip;

  if ((e.kind == ENC_NONE || e.kind == ENC_UTF8) && utf8_clean(d, n)) {
    /* the common case: parsed in place, no copy */
    emc_ctx_log(ctx, EMC_LOG_DEBUG, "%s: encoding UTF-8 (%s)", in->name, why);
    *text = (const char *)d;
    *outlen = n;
    return EMC_OK;
  }
  struct obuf b = { 0 };
  if (ob_grow(&b, n + n / 16 + 16)) {
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  }
  int rc = 0, fallback = 0;
  size_t bad = 0;
  switch (e.kind) {
  case ENC_NONE:
  case ENC_UTF8:
    bad = emc_utf8_invalid_at(d, n);
    if (bad == n)
      rc = decode_utf8(&b, d, n);
    else
      fallback = 1;
    break;
  case ENC_1252:
    rc = decode_1252(&b, d, n);
    break;
  case ENC_UTF16LE:
  case ENC_UTF16BE: {
    long r = decode_utf16(&b, d, n, e.kind == ENC_UTF16LE);
    if (r > 0) {
      free(b.p);
      return emc_error_set(err, EMC_EENCODING, "invalid %s at byte %ld", e.name,
                           r - 1 + (long)skip);
    }
    rc = (int)r;
    break;
  }
  default: {
    rc = decode_iconv(&b, e.name, d, n);
    if (rc == -2) {
      rc = 0;
      fallback = 1;
      b.len = 0;
    }
  }
  }
  if (rc == 0 && fallback) {
    if (forced) {
      free(b.p);
      return emc_error_set(err, EMC_EENCODING, "the input is not valid %s (--input-encoding)",
                           e.name);
    }
    if (bom.kind == ENC_UTF8) {
      free(b.p);
      return emc_error_set(err, EMC_EENCODING,
                           "invalid UTF-8 at byte %zu despite the UTF-8 byte order mark",
                           bad + skip);
    }
    if (e.kind == ENC_NONE)
      emc_ctx_log(ctx, EMC_LOG_INFO, "%s: no encoding declared and not UTF-8 (byte 0x%02X at "
                  "offset %zu): read as Windows-1252", in->name, d[bad], bad + skip);
    else
      emc_ctx_log(ctx, EMC_LOG_WARN, "%s: declared %s (%s) but the bytes are not; read as "
                  "Windows-1252", in->name, e.name, why);
    b.len = 0;
    b.cr = 0;
    rc = decode_1252(&b, d, n);
  } else if (rc == 0)
    emc_ctx_log(ctx, EMC_LOG_DEBUG, "%s: encoding %s (%s)", in->name,
                e.kind == ENC_NONE ? "UTF-8" : e.name, why);
  if (rc) {
    free(b.p);
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  }
  if (b.dropped)
    emc_ctx_log(ctx, EMC_LOG_INFO, "%s: dropped %zu control character%s", in->name, b.dropped,
                b.dropped == 1 ? "" : "s");
  if (ob_grow(&b, 0)) {
    free(b.p);
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  }
  b.p[b.len] = '\0';
  *text = b.p;
  *owned = b.p;
  *outlen = b.len;
  return EMC_OK;
}
