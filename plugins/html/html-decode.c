/* SPDX-License-Identifier: MIT */
/* html-decode.c - the page's bytes as UTF-8.
 *
 * The encoding is, in this order (the HTML5 "encoding sniffing" order,
 * with the user's word first): --input-encoding; a byte order mark; the
 * XML declaration (XHTML); <meta charset> or <meta http-equiv=
 * "Content-Type" content="...; charset=..."> in the first 64 KiB; else
 * UTF-8.  When the bytes are not valid in the declared (or assumed)
 * encoding, they are read as Windows-1252, which every byte sequence is,
 * and the fallback is logged; only an encoding the user forced is an error.
 * Bytes that are valid UTF-8 with some non-ASCII in them are read as UTF-8
 * whatever the page declares (not when --input-encoding says otherwise).
 * As HTML5 says, the labels ISO-8859-1 and US-ASCII mean Windows-1252.
 *
 * The result has none of the characters XML 1.0 cannot hold (NUL, C0 and
 * C1 controls, U+FFFE/U+FFFF) and, when it had to be converted, LF line
 * ends; clean UTF-8 (most pages) is parsed in place, CRs and all.  The
 * parser is told it is UTF-8 and to ignore the page's own declarations.
 */
#include <config.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <emuconv/buf.h>
#include <emuconv/text.h>
#include "html.h"

/* The decoded page, cleaned as it is appended. */
struct obuf {
  emc_buf buf;
  int cr;          /* the previous character was CR (CRLF -> LF) */
  size_t dropped;  /* characters XML cannot hold */
};

/* Appends code point CP, normalising line ends and dropping what XML
 * cannot carry (emc_xml_char_ok). */
static int ob_cp(struct obuf *b, uint32_t cp)
{
  if (b->cr) {
    b->cr = 0;
    if (cp == '\n')
      return EMC_OK;
  }
  if (cp == '\r') {
    b->cr = 1;
    cp = '\n';
  } else if (cp == '\f')
    cp = ' '; /* white space in HTML, not a character XML allows */
  else if (!emc_xml_char_ok(cp)) {
    b->dropped++;
    return EMC_OK;
  }
  char u[4];
  return emc_buf_append(&b->buf, u, emc_utf8_encode(cp, u));
}

/* Appends D (N bytes of valid UTF-8: emc_text_decode's output), cleaned. */
static int decode_utf8(struct obuf *b, const unsigned char *d, size_t n)
{
  size_t i = 0;
  while (i < n) {
    /* Runs of printable ASCII go in one copy. */
    size_t j = i;
    while (j < n && d[j] >= 0x20 && d[j] < 0x7F)
      j++;
    if (j > i) {
      if (emc_buf_append(&b->buf, d + i, j - i))
        return EMC_ENOMEM;
      b->cr = 0;
      i = j;
      continue;
    }
    uint32_t cp;
    size_t l = emc_utf8_decode(d + i, n - i, &cp);
    if (!l) { /* cannot happen after emc_text_decode(); be safe */
      cp = 0xFFFD;
      l = 1;
    }
    if (ob_cp(b, cp))
      return EMC_ENOMEM;
    i += l;
  }
  return EMC_OK;
}

/* ------------------------------------------------------------ labels */

struct enc {
  int kind;                          /* enum emc_text_encoding */
  char name[EMC_TEXT_ENC_NAME_MAX];  /* emc_text_encoding_lookup()'s name */
};

/* Maps an encoding label, maybe quoted or spaced, to an encoding; 0 when
 * unknown. */
static int enc_from_label(const char *label, size_t len, struct enc *e)
{
  while (len && (*label == ' ' || *label == '\t' || *label == '\n' || *label == '"' ||
                 *label == '\''))
    label++, len--;
  while (len && (label[len - 1] == ' ' || label[len - 1] == '\t' || label[len - 1] == '\n' ||
                 label[len - 1] == '"' || label[len - 1] == '\''))
    len--;
  int kind = emc_text_encoding_lookup(label, len, e->name);
  if (kind == EMC_TEXT_ENC_UNKNOWN)
    return 0;
  e->kind = kind;
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
    if (!l || !emc_xml_char_ok(cp))
      return 0;
    i += l;
  }
  return 1;
}

/* ------------------------------------------------------------ entry */

/* True when D holds a byte outside ASCII (7-bit encodings such as
 * ISO-2022-JP are valid UTF-8 too, so they must not count). */
static int has_high_byte(const unsigned char *d, size_t n)
{
  for (size_t i = 0; i < n; i++)
    if (d[i] >= 0x80)
      return 1;
  return 0;
}

int html_decode(emc_ctx *ctx, const emc_input *in, const char **text, size_t *outlen,
                char **owned, emc_error *err)
{
  *owned = NULL;
  const unsigned char *d = in->data;
  size_t n = in->size;
  struct enc e = { EMC_TEXT_ENC_UNKNOWN, "" }, bom = { EMC_TEXT_ENC_UNKNOWN, "" };
  size_t skip = 0;
  const char *why = "assumed";

  if (n >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF) {
    bom.kind = EMC_TEXT_ENC_UTF8;
    strcpy(bom.name, "UTF-8");
    skip = 3;
  } else if (n >= 2 && d[0] == 0xFF && d[1] == 0xFE) {
    bom.kind = EMC_TEXT_ENC_UTF16LE;
    strcpy(bom.name, "UTF-16LE");
    skip = 2;
  } else if (n >= 2 && d[0] == 0xFE && d[1] == 0xFF) {
    bom.kind = EMC_TEXT_ENC_UTF16BE;
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
  } else if (bom.kind != EMC_TEXT_ENC_UNKNOWN) {
    e = bom;
    why = "byte order mark";
  } else if (xml_decl_encoding(d, n, &e))
    why = "XML declaration";
  else if (meta_prescan(d, n, &e))
    why = "<meta>";
  if (!forced && (e.kind == EMC_TEXT_ENC_UTF16LE || e.kind == EMC_TEXT_ENC_UTF16BE) && bom.kind == EMC_TEXT_ENC_UNKNOWN) {
    /* a UTF-16 label in a page that the prescan could read is wrong */
    e.kind = EMC_TEXT_ENC_UTF8;
    strcpy(e.name, "UTF-8");
  }
  d += skip;
  n -= skip;
  if (!forced && bom.kind == EMC_TEXT_ENC_UNKNOWN && e.kind != EMC_TEXT_ENC_UNKNOWN &&
      e.kind != EMC_TEXT_ENC_UTF8 && has_high_byte(d, n) && emc_utf8_invalid_at(d, n) == n) {
    /* Valid UTF-8 with non-ASCII bytes wins over a declaration it
     * contradicts: legacy text almost never forms valid multi-byte
     * sequences by chance, while templates often keep a stale <meta>. */
    emc_ctx_log(ctx, EMC_LOG_INFO, "%s: declared %s (%s) but the bytes are valid UTF-8: "
                "read as UTF-8", in->name, e.name, why);
    e.kind = EMC_TEXT_ENC_UTF8;
    strcpy(e.name, "UTF-8");
    why = "valid UTF-8 over the declaration";
  }

  if ((e.kind == EMC_TEXT_ENC_UNKNOWN || e.kind == EMC_TEXT_ENC_UTF8) && utf8_clean(d, n)) {
    /* the common case: parsed in place, no copy */
    emc_ctx_log(ctx, EMC_LOG_DEBUG, "%s: encoding UTF-8 (%s)", in->name, why);
    *text = (const char *)d;
    *outlen = n;
    return EMC_OK;
  }
  /* Decoded from the start: emc_text_decode() skips a byte order mark
   * of the encoding and counts offsets from the first byte. */
  struct obuf b = { EMC_BUF_INIT, 0, 0 };
  emc_buf raw = EMC_BUF_INIT;
  emc_error derr = EMC_ERROR_INIT;
  unsigned flags = 0;
  int rc;
  const unsigned char *utf8 = (const unsigned char *)raw.data;
  size_t utf8_len;
  if ((e.kind == EMC_TEXT_ENC_UNKNOWN || e.kind == EMC_TEXT_ENC_UTF8) &&
      emc_utf8_invalid_at(d, n) == n) {
    /* valid UTF-8 that needs cleaning: no copy before the clean one */
    rc = EMC_OK;
    utf8 = d;
    utf8_len = n;
  } else {
    rc = emc_text_decode(in->data, in->size, e.kind == EMC_TEXT_ENC_UNKNOWN ? NULL : e.name,
                         &raw, &flags, &derr);
    if (rc == EMC_EENCODING && !forced && bom.kind == EMC_TEXT_ENC_UNKNOWN) {
      /* declared, but the bytes are not in that encoding */
      emc_ctx_warn(ctx, "encoding-fallback", "%s: declared %s (%s) but the bytes are not; read as "
                  "Windows-1252", in->name, e.name, why);
      emc_buf_clear(&raw);
      rc = emc_text_decode(d, n, "windows-1252", &raw, &flags, &derr);
    }
    utf8 = (const unsigned char *)raw.data;
    utf8_len = raw.len;
  }
  if (rc == EMC_EENCODING && forced) {
    emc_error_set(err, rc, "the input is not valid %s (--input-encoding)", e.name);
    goto fail;
  } else if (rc == EMC_OK && (flags & EMC_TEXT_FELL_BACK_CP1252)) {
    size_t bad = emc_utf8_invalid_at(d, n);
    emc_ctx_log(ctx, EMC_LOG_INFO, "%s: no encoding declared and not UTF-8 (byte 0x%02X at "
                "offset %zu): read as Windows-1252", in->name, d[bad], bad + skip);
  } else if (rc == EMC_OK)
    emc_ctx_log(ctx, EMC_LOG_DEBUG, "%s: encoding %s (%s)", in->name,
                e.kind == EMC_TEXT_ENC_UNKNOWN ? "UTF-8" : e.name, why);
  if (rc) { /* a BOM's encoding the bytes break, or memory */
    emc_error_set(err, rc, "%s", derr.message ? derr.message : emc_strerror(rc));
    goto fail;
  }
  if (decode_utf8(&b, utf8, utf8_len)) {
    emc_error_set(err, EMC_ENOMEM, "out of memory");
    goto fail;
  }
  emc_buf_release(&raw);
  emc_error_release(&derr);
  if (b.dropped)
    emc_ctx_log(ctx, EMC_LOG_INFO, "%s: dropped %zu control character%s", in->name, b.dropped,
                b.dropped == 1 ? "" : "s");
  char *owned_text = emc_buf_steal(&b.buf, outlen);
  if (!owned_text)
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  *text = owned_text;
  *owned = owned_text;
  return EMC_OK;

fail:
  emc_buf_release(&raw);
  emc_buf_release(&b.buf);
  emc_error_release(&derr);
  return err->code;
}
