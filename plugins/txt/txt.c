/* SPDX-License-Identifier: MIT */
/* txt.c - plain text reader.
 *
 * Decoding (emuconv/text.h): --input-encoding, else UTF-8 (BOM optional)
 * or UTF-16 with a BOM; bytes that are not valid UTF-8 are read as
 * Windows-1252, with a warning.  Line ends CRLF/CR/LF; what XML cannot
 * carry (emc_xml_char_ok) is dropped.
 *
 * Structure, decided per document:
 *  - paragraphs are one per line (news text, like the seeds) or blocks of
 *    hard-wrapped lines separated by blank lines.  Block mode is chosen only
 *    when most lines inside multi-line blocks end mid-sentence, i.e. they
 *    were wrapped: never from line lengths alone, which fools headline +
 *    first-paragraph news items;
 *  - headings: "Chapter 3", "I.", "1.", "1.2" numbered lines, and short
 *    title-like lines standing between blank lines with text after them;
 *  - lists: "- ", "* ", "• ", "1. ", "1) ", "a) " items, nested by indent;
 *  - the title: a title-like first line.
 * The language is never guessed from the locale: it stays unknown.
 */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <emuconv/plugin.h>
#include <emuconv/buf.h>
#include <emuconv/text.h>
#include "layout.h"

/* ------------------------------------------------------------ decoding */

struct cleaner {
  emc_buf *out;
  size_t dropped;   /* characters XML cannot carry (emc_xml_char_ok) */
  int pending_cr;
};

/* Appends code point CP to the decoded text, normalising line ends and
 * dropping what XML cannot carry. */
static int clean_put(struct cleaner *c, uint32_t cp)
{
  if (c->pending_cr) {
    c->pending_cr = 0;
    if (cp == '\n')
      return EMC_OK; /* CRLF: the LF was already emitted for the CR */
  }
  if (cp == '\r') {
    c->pending_cr = 1;
    return emc_buf_append_byte(c->out, '\n');
  }
  if (cp == '\f') /* page break: a paragraph break */
    return emc_buf_append(c->out, "\n\n", 2);
  if (!emc_xml_char_ok(cp)) {
    c->dropped++;
    return EMC_OK;
  }
  char u[4];
  return emc_buf_append(c->out, u, emc_utf8_encode(cp, u));
}

static int is_text_bom16(const unsigned char *d, size_t n)
{
  return n >= 2 && ((d[0] == 0xFF && d[1] == 0xFE) || (d[0] == 0xFE && d[1] == 0xFF));
}

/* Whether the character at D[J] (valid UTF-8, not printable ASCII) may
 * need clean_put(): ASCII controls and DEL, the C1 controls (C2 80-9F),
 * the noncharacters U+FDD0-FDEF (EF B7 90-AF), U+FFFE/F (EF BF BE-BF) and
 * U+xFFFE/F of the other planes (F0-F4 x[F]BF BE-BF).  A superset of what
 * emc_xml_char_ok() rejects, decided on the bytes.  Lead bytes never occur
 * as continuation bytes, and valid UTF-8 has the bytes after them. */
static inline int may_need_cleaning(const unsigned char *d, size_t j)
{
  unsigned char b = d[j];
  if (b < 0x80)
    return 1;
  if (b == 0xC2)
    return d[j + 1] <= 0x9F;
  if (b == 0xEF)
    return (d[j + 1] == 0xBF && d[j + 2] >= 0xBE) ||
           (d[j + 1] == 0xB7 && d[j + 2] >= 0x90 && d[j + 2] <= 0xAF);
  if (b >= 0xF0)
    return (d[j + 1] & 0x0F) == 0x0F && d[j + 2] == 0xBF && d[j + 3] >= 0xBE;
  return 0;
}

/* Whether D (N bytes of valid UTF-8) is already what txt_decode() makes of
 * it: no CR, form feed or other control but tab and LF, nothing
 * emc_xml_char_ok() rejects.  Most files are: they are then used as they
 * are, not copied (50 MB less to allocate and touch for a 50 MB text). */
static int clean_as_is(const unsigned char *d, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    unsigned char b = d[i];
    if (b >= 0x20 && b < 0x7F)
      continue;
    if (b < 0x80) {
      if (b != '\n' && b != '\t')
        return 0;
      continue;
    }
    /* continuation bytes, and the lead bytes that start nothing to clean */
    if (b < 0xC2 || (b > 0xC2 && b < 0xEF))
      continue;
    if (may_need_cleaning(d, i))
      return 0;
  }
  return 1;
}

/* Appends D (N bytes of valid UTF-8) to C's buffer, cleaned. */
static int clean_utf8(struct cleaner *c, const unsigned char *d, size_t n)
{
  int rc = emc_buf_reserve(c->out, n);
  for (size_t i = 0; i < n && rc == EMC_OK;) {
    /* Runs of characters XML carries as they are are copied as bytes;
     * the rest goes through clean_put() one by one. */
    size_t j = i;
    while (j < n) {
      unsigned char b = d[j];
      if (b >= 0x20 && b < 0x7F) {
        j++;
        continue;
      }
      if (may_need_cleaning(d, j))
        break;
      j += b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    }
    if (j > i) {
      c->pending_cr = 0;
      rc = emc_buf_append(c->out, d + i, j - i);
      i = j;
      continue;
    }
    uint32_t cp;
    size_t l = emc_utf8_decode(d + i, n - i, &cp); /* valid: checked by the caller */
    rc = clean_put(c, cp);
    i += l;
  }
  return rc;
}

/* The iconv name of encoding NAME: the Vietnamese font encoding TCVN3
 * ("ABC", TCVN 5712:1993 VN3) is the upper half of iconv's TCVN5712-1
 * (VN1), whose low bytes only add the capitals VN3 leaves to the font;
 * any other name goes to iconv as it is. */
static const char *iconv_name(const char *name)
{
  static const char *const tcvn3[] = { "tcvn3", "tcvn-3", "abc", "vn3", NULL };
  for (size_t i = 0; name && tcvn3[i]; i++)
    if (strcasecmp(name, tcvn3[i]) == 0)
      return "TCVN5712-1";
  return name;
}

/* Decodes IN (UTF-8, LF line ends, XML-safe): into OUT, or, when the
 * input needs no change, *VIEW and *VIEW_LEN point into IN's data and
 * OUT stays empty.  The encoding: --input-encoding, else a byte order
 * mark, else UTF-8, else (not valid UTF-8) Windows-1252, with a warning. */
static int txt_decode(emc_ctx *ctx, const emc_input *in, emc_buf *out,
                      const char **view, size_t *view_len, emc_error *err)
{
  const unsigned char *d = in->data;
  size_t n = in->size;
  struct cleaner c = { out, 0, 0 };
  const char *forced = emc_ctx_option(ctx, "input-encoding");
  *view = NULL;
  *view_len = 0;

  if (!forced && n >= 4 && ((d[0] == 0xFF && d[1] == 0xFE && d[2] == 0 && d[3] == 0) ||
                            (d[0] == 0 && d[1] == 0 && d[2] == 0xFE && d[3] == 0xFF)))
    return emc_error_set(err, EMC_EENCODING, "UTF-32 text is not supported");

  size_t bad = 0;
  if (!forced && !is_text_bom16(d, n)) {
    /* UTF-8, the common case, without a copy when it is clean */
    size_t start = n >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF ? 3 : 0;
    const void *nul = memchr(d, 0, n);
    if (nul)
      return emc_error_set(err, EMC_EENCODING,
                           "binary data, not text: NUL byte at offset %zu",
                           (size_t)((const unsigned char *)nul - d));
    bad = emc_utf8_invalid_at(d + start, n - start) + start;
    if (bad == n) {
      if (clean_as_is(d + start, n - start)) {
        *view = (const char *)d + start;
        *view_len = n - start;
        return EMC_OK;
      }
      if (clean_utf8(&c, d + start, n - start))
        return emc_error_set(err, EMC_ENOMEM, "out of memory");
      goto done;
    }
  }

  emc_buf raw = EMC_BUF_INIT;
  unsigned flags = 0;
  int rc = emc_text_decode(d, n, iconv_name(forced), &raw, &flags, err);
  if (rc) {
    emc_buf_release(&raw);
    if (forced) { /* say where the encoding came from */
      char *why = err->message;
      err->message = NULL;
      emc_error_set(err, rc, "--input-encoding=%s: %s", forced, why ? why : "");
      free(why);
    }
    return rc;
  }
  if (flags & EMC_TEXT_FELL_BACK_CP1252)
    emc_ctx_warn(ctx, "encoding-fallback",
                "%s: not valid UTF-8 (byte 0x%02X at offset %zu); read as Windows-1252",
                in->name, d[bad], bad);
  else if (flags & (EMC_TEXT_BOM_UTF16LE | EMC_TEXT_BOM_UTF16BE))
    emc_ctx_log(ctx, EMC_LOG_INFO, "%s: decoded as UTF-16%s", in->name,
                flags & EMC_TEXT_BOM_UTF16LE ? "LE" : "BE");
  else if (forced)
    emc_ctx_log(ctx, EMC_LOG_INFO, "%s: decoded as %s (--input-encoding)", in->name, forced);
  const char *nul = raw.len ? memchr(raw.data, 0, raw.len) : NULL;
  if (nul) {
    size_t at = emc_utf8_count(raw.data, (size_t)(nul - raw.data));
    emc_buf_release(&raw);
    return emc_error_set(err, EMC_EENCODING, "binary data: NUL character at character %zu", at);
  }
  rc = clean_utf8(&c, (const unsigned char *)raw.data, raw.len);
  emc_buf_release(&raw);
  if (rc)
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
done:
  if (c.dropped)
    emc_ctx_log(ctx, EMC_LOG_INFO, "%s: dropped %zu control character%s", in->name,
                c.dropped, c.dropped == 1 ? "" : "s");
  return EMC_OK;
}

/* ------------------------------------------------------------ analysis */

typedef struct line {
  const char *s;   /* start, without the indentation */
  size_t len;      /* without indentation and trailing white space */
  int indent;      /* columns of leading white space (tab = 4) */
  int blank;
} line;

/* The line starting at *POS in TEXT (LEN bytes); advances *POS. */
static int next_line(const char *text, size_t len, size_t *pos, line *l)
{
  if (*pos >= len)
    return 0;
  const char *s = text + *pos;
  const char *nl = memchr(s, '\n', len - *pos);
  size_t n = nl ? (size_t)(nl - s) : len - *pos;
  *pos += n + (nl ? 1 : 0);
  int indent = 0;
  size_t i = 0;
  for (; i < n && (s[i] == ' ' || s[i] == '\t'); i++)
    indent += s[i] == '\t' ? 4 : 1;
  /* U+00A0 and U+3000 as leading indentation too */
  while (i + 1 < n && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xA0) {
    i += 2;
    indent++;
  }
  size_t e = n;
  while (e > i && (s[e - 1] == ' ' || s[e - 1] == '\t'))
    e--;
  l->s = s + i;
  l->len = e - i;
  l->indent = indent;
  l->blank = l->len == 0;
  return 1;
}

/* Ends with sentence-final punctuation (possibly followed by quotes or a
 * closing bracket): . ! ? … : ; and the Devanagari danda । ॥. */
static int ends_sentence(const char *s, size_t len)
{
  while (len) {
    unsigned char c = (unsigned char)s[len - 1];
    if (c == '"' || c == '\'' || c == ')' || c == ']')
      len--;
    else if (len >= 3 && (unsigned char)s[len - 3] == 0xE2 && (unsigned char)s[len - 2] == 0x80 &&
             ((unsigned char)s[len - 1] == 0x9D || (unsigned char)s[len - 1] == 0x99))
      len -= 3; /* ” ’ */
    else
      break;
  }
  if (!len)
    return 0;
  char c = s[len - 1];
  if (c == '.' || c == '!' || c == '?' || c == ':' || c == ';')
    return 1;
  if (len >= 3 && memcmp(s + len - 3, "\xE2\x80\xA6", 3) == 0) /* … */
    return 1;
  if (len >= 3 && (memcmp(s + len - 3, "\xE0\xA5\xA4", 3) == 0 || /* । */
                   memcmp(s + len - 3, "\xE0\xA5\xA5", 3) == 0))  /* ॥ */
    return 1;
  return 0;
}

enum list_kind { LIST_NONE, LIST_BULLET, LIST_DECIMAL, LIST_LALPHA, LIST_UALPHA };
static int list_marker(const char *s, size_t len, size_t *mlen, long *num);

/* Paragraphs are blank-line separated blocks of wrapped lines when most
 * lines that continue a block end mid-sentence. */
static int detect_block_mode(const char *text, size_t len, const char **last_content)
{
  size_t pos = 0, inner = 0, mid = 0;
  line prev = { 0 }, cur;
  int have_prev = 0;
  *last_content = NULL;
  while (next_line(text, len, &pos, &cur)) {
    if (!cur.blank)
      *last_content = cur.s;
    size_t mlen;
    long num;
    /* List item lines say nothing about wrapping: skip pairs with one. */
    if (have_prev && !prev.blank && !cur.blank &&
        list_marker(prev.s, prev.len, &mlen, &num) == LIST_NONE &&
        list_marker(cur.s, cur.len, &mlen, &num) == LIST_NONE) {
      inner++;
      if (!ends_sentence(prev.s, prev.len))
        mid++;
    }
    prev = cur;
    have_prev = 1;
  }
  return inner >= 2 && mid * 2 > inner;
}

static int has_letter(const char *s, size_t len)
{
  for (size_t i = 0; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c >= 0xC0)
      return 1;
  }
  return 0;
}

/* "://" or "www." starting at least four bytes before the end. */
static int url_like(const char *s, size_t len)
{
  const char *end = s + len;
  for (const char *p = s; end - p >= 4 && (p = memchr(p, ':', (size_t)(end - p) - 3)); p++)
    if (p[1] == '/' && p[2] == '/')
      return 1;
  for (const char *p = s; end - p >= 4 && (p = memchr(p, 'w', (size_t)(end - p) - 3)); p++)
    if (memcmp(p, "www.", 4) == 0)
      return 1;
  return 0;
}

/* Short, not a sentence, not starting lower-case, not a URL.  This runs on
 * every line of the input, so the cheapest tests come first. */
/* Capitals and no lower-case ASCII letter: "SCHOOL OF THE SOLDIER." */
static int upper_case_line(const char *s, size_t len)
{
  size_t capitals = 0;
  for (size_t i = 0; i < len; i++) {
    if (s[i] >= 'a' && s[i] <= 'z')
      return 0;
    capitals += s[i] >= 'A' && s[i] <= 'Z';
  }
  return capitals >= 3;
}

static int title_like(const char *s, size_t len)
{
  /* Over 400 bytes is over 100 characters in any script (at most 4 bytes
   * each): no need to count them. */
  if (!len || len > 400)
    return 0;
  /* a transcriber's note, "[Illustration: Fig. 1 …]", "[Footnote 3: …]",
   * is never a title */
  if (s[0] == '[')
    return 0;
  char last = s[len - 1];
  if (last == ',' || last == ';' || last == ':')
    return 0;
  /* old upper-case titles end with a full stop: "INTRODUCTION." */
  if (last == '.' && (len < 2 || s[len - 2] == '.' || !upper_case_line(s, len)))
    return 0;
  if (len >= 3 && memcmp(s + len - 3, "\xE0\xA5\xA4", 3) == 0) /* । */
    return 0;
  if (s[0] >= 'a' && s[0] <= 'z')
    return 0;
  if (emc_utf8_count(s, len) > 100 || !has_letter(s, len))
    return 0;
  size_t words = 1;
  for (size_t i = 0; i < len; i++)
    if (s[i] == ' ' && ++words > 14)
      return 0;
  return !url_like(s, len);
}

static int prefix_ci(const char *s, size_t len, const char *word)
{
  size_t n = strlen(word);
  if (len <= n || strncasecmp(s, word, n) != 0)
    return 0;
  return s[n] == ' ';
}

/* Chapter-like headings: level 1 whatever else the document has. */
static int chapter_heading(const char *s, size_t len)
{
  static const char *const words[] = {
    "chapter", "part", "bab", "bagian", "chương", "phần", "अध्याय", "भाग", NULL
  };
  for (const char *const *w = words; *w; w++)
    if (prefix_ci(s, len, *w))
      return 1;
  /* Roman numeral then ". " : "IV. Results" */
  size_t i = 0;
  while (i < len && strchr("IVXLC", s[i]))
    i++;
  return i > 0 && i + 2 < len && s[i] == '.' && s[i + 1] == ' ';
}

/* "1. ", "2.3 ", "2.3. " numbered heading: returns the depth (1, 2, ...),
 * setting *SKIP to the marker's length; 0 if none. */
static int numbered_depth(const char *s, size_t len)
{
  size_t i = 0;
  int depth = 0;
  /* an appendix's letter is its first number: "Appendix A.", "Appendix
   * B.2.", and, without the word, "A.1." (not "A. Smith") */
  int appendix = prefix_ci(s, len, "appendix");
  if (appendix)
    i = 9;
  if (i < len && s[i] >= 'A' && s[i] <= 'Z' &&
      ((appendix && (i + 1 == len || s[i + 1] == '.' || s[i + 1] == ' ')) ||
       (i + 2 < len && s[i + 1] == '.' && s[i + 2] >= '0' && s[i + 2] <= '9'))) {
    depth = 1;
    i++;
    if (i + 1 < len && s[i] == '.' && s[i + 1] >= '0' && s[i + 1] <= '9')
      i++;
    else {
      if (i < len && s[i] == '.')
        i++;
      return i == len || s[i] == ' ' ? 1 : 0;
    }
  } else if (appendix)
    return 0;
  for (;;) {
    size_t d = 0;
    while (i < len && s[i] >= '0' && s[i] <= '9' && d < 3) {
      i++;
      d++;
    }
    if (!d)
      return 0;
    depth++;
    if (i < len && s[i] == '.' && i + 1 < len && s[i + 1] >= '0' && s[i + 1] <= '9') {
      i++;
      continue;
    }
    if (i < len && s[i] == '.')
      i++;
    break;
  }
  if (depth == 1 && (i == 0 || s[i - 1] != '.'))
    return 0; /* "2024 Budget" is not numbered */
  if (i == len && depth > 1)
    return depth; /* "A.1." alone */
  return i < len && s[i] == ' ' ? depth : 0;
}


/* A list item marker at the start of S: returns its kind, the marker's
 * byte length in *MLEN (marker and the spaces after it) and the number in
 * *NUM for ordered ones. */
static int list_marker(const char *s, size_t len, size_t *mlen, long *num)
{
  size_t i = 0;
  int kind = LIST_NONE;
  if (len >= 2 && (s[0] == '-' || s[0] == '*' || s[0] == '+') && s[1] == ' ') {
    i = 1;
    kind = LIST_BULLET;
  } else if (len >= 4 && memcmp(s, "\xE2\x80\xA2", 3) == 0 && s[3] == ' ') { /* • */
    i = 3;
    kind = LIST_BULLET;
  } else if (len >= 3 && s[0] >= '0' && s[0] <= '9') {
    long v = 0;
    while (i < len && i < 3 && s[i] >= '0' && s[i] <= '9')
      v = v * 10 + (s[i++] - '0');
    if (i < len && (s[i] == '.' || s[i] == ')')) {
      i++;
      kind = LIST_DECIMAL;
      *num = v;
    }
  } else if (len >= 4 && ((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')) &&
             s[1] == ')') {
    kind = s[0] >= 'a' ? LIST_LALPHA : LIST_UALPHA;
    *num = (s[0] | 0x20) - 'a' + 1;
    i = 2;
  }
  if (kind == LIST_NONE || i >= len || s[i] != ' ')
    return LIST_NONE;
  while (i < len && s[i] == ' ')
    i++;
  if (i >= len)
    return LIST_NONE;
  *mlen = i;
  return kind;
}

/* ------------------------------------------------------------ building */

struct builder {
  emc_ctx *ctx;
  emc_doc *doc;
  xmlNodePtr cur;          /* body or the open section */
  xmlNodePtr lists[16];    /* open nested lists */
  int list_indent[16];
  int list_kind[16];
  int depth;               /* open lists */
  size_t nodes, max_nodes;
  int title_done;
  int after_credit;        /* the first unit was a production credit: the
                              next may still be the title */
  int chapters;            /* chapter headings exist: others go deeper */
  emc_error *err;
};

static int count_node(struct builder *b)
{
  if (++b->nodes > b->max_nodes)
    return emc_error_set(b->err, EMC_ELIMIT,
                         "more than %zu paragraphs (limit on IR nodes)", b->max_nodes);
  return EMC_OK;
}

static int add_para(struct builder *b, xmlNodePtr parent, const char *name,
                    const char *s, size_t len)
{
  int rc = count_node(b);
  if (rc)
    return rc;
  xmlNodePtr p = emc_ir_add(parent, name, NULL);
  if (!p || emc_ir_add_text(p, s, len))
    return emc_error_set(b->err, EMC_ENOMEM, "out of memory");
  return EMC_OK;
}

static void close_lists(struct builder *b)
{
  b->depth = 0;
}

static int add_heading(struct builder *b, int level, const char *s, size_t len)
{
  close_lists(b);
  xmlNodePtr sec = emc_ir_open_section(b->cur, level);
  if (!sec)
    return emc_error_set(b->err, EMC_ENOMEM, "out of memory");
  b->cur = sec;
  return add_para(b, sec, "heading", s, len);
}

static const char *const list_styles[] = { "", "disc", "decimal", "lower-alpha", "upper-alpha" };

static int add_item(struct builder *b, int indent, int kind, long num,
                    const char *s, size_t len)
{
  /* Close deeper lists; a kind change at the same depth starts a new list. */
  while (b->depth > 0 && b->list_indent[b->depth - 1] > indent)
    b->depth--;
  if (b->depth > 0 && b->list_indent[b->depth - 1] == indent &&
      b->list_kind[b->depth - 1] != kind)
    b->depth--;
  if (b->depth == 0 || b->list_indent[b->depth - 1] < indent) {
    if (b->depth == (int)(sizeof b->lists / sizeof b->lists[0]))
      return emc_error_set(b->err, EMC_ELIMIT, "lists nested deeper than 16 levels");
    xmlNodePtr parent = b->cur;
    if (b->depth > 0) /* nest in the last item of the enclosing list */
      parent = xmlGetLastChild(b->lists[b->depth - 1]);
    xmlNodePtr list = emc_ir_add(parent, "list", NULL);
    if (!list)
      return emc_error_set(b->err, EMC_ENOMEM, "out of memory");
    if (kind != LIST_BULLET) {
      char start[24];
      snprintf(start, sizeof start, "%ld", num);
      xmlSetProp(list, BAD_CAST "ordered", BAD_CAST "true");
      if (num != 1)
        xmlSetProp(list, BAD_CAST "start", BAD_CAST start);
    }
    xmlSetProp(list, BAD_CAST "style", BAD_CAST list_styles[kind]);
    b->lists[b->depth] = list;
    b->list_indent[b->depth] = indent;
    b->list_kind[b->depth] = kind;
    b->depth++;
  }
  int rc = count_node(b);
  if (rc)
    return rc;
  xmlNodePtr item = emc_ir_add(b->lists[b->depth - 1], "item", NULL);
  if (!item)
    return emc_error_set(b->err, EMC_ENOMEM, "out of memory");
  return add_para(b, item, "p", s, len);
}

/* A unit: one paragraph-to-be (a line, or a joined block). */
struct unit {
  const char *s;
  size_t len;
  int indent;
  int standalone;   /* blank line (or document edge) before and after */
  int first, last;  /* first / last content of the document */
};

/* A production credit ("Produced by …", "E-text prepared by …"): the
 * people who made the electronic text, never its title. */
static int credit_line(const char *s, size_t len)
{
  static const char *const starts[] = { "produced by", "e-text prepared by",
                                        "etext prepared by", "transcribed by",
                                        "this ebook was produced", "this etext was produced",
                                        "prepared by", NULL };
  for (const char *const *w = starts; *w; w++) {
    size_t n = strlen(*w);
    if (len >= n && strncasecmp(s, *w, n) == 0)
      return 1;
  }
  return 0;
}

static int emit_unit(struct builder *b, const struct unit *u)
{
  size_t mlen;
  long num = 0;
  int kind = list_marker(u->s, u->len, &mlen, &num);
  int depth = numbered_depth(u->s, u->len);
  int titleish = title_like(u->s, u->len);

  if (!b->title_done && u->first && credit_line(u->s, u->len)) {
    b->after_credit = 1;
    return add_para(b, b->cur, "p", u->s, u->len);
  }
  if (!b->title_done && (u->first || b->after_credit) && titleish && !u->last &&
      kind == LIST_NONE && !depth && !chapter_heading(u->s, u->len)) {
    b->title_done = 1;
    xmlNodePtr t = emc_ir_add(emc_doc_meta(b->doc), "title", NULL);
    if (!t || emc_ir_add_text(t, u->s, u->len))
      return emc_error_set(b->err, EMC_ENOMEM, "out of memory");
    return EMC_OK;
  }
  b->title_done = 1;
  if (u->standalone && !u->last && titleish) {
    if (chapter_heading(u->s, u->len))
      return add_heading(b, 1, u->s, u->len);
    if (depth)
      return add_heading(b, b->chapters + depth, u->s, u->len);
    if (kind == LIST_NONE)
      return add_heading(b, b->chapters + 1, u->s, u->len);
  }
  if (kind != LIST_NONE)
    return add_item(b, u->indent, kind, num, u->s + mlen, u->len - mlen);
  /* An indented paragraph right after a list item continues that item. */
  if (b->depth > 0 && u->indent > b->list_indent[b->depth - 1])
    return add_para(b, xmlGetLastChild(b->lists[b->depth - 1]), "p", u->s, u->len);
  close_lists(b);
  return add_para(b, b->cur, "p", u->s, u->len);
}

/* Pre-pass: are there chapter-like headings (then numbered and plain
 * headings sit one level below them)? */
static int has_chapters(const char *text, size_t len)
{
  size_t pos = 0;
  line l;
  int prev_blank = 1;
  while (next_line(text, len, &pos, &l)) {
    if (!l.blank && prev_blank && title_like(l.s, l.len) && chapter_heading(l.s, l.len))
      return 1;
    prev_blank = l.blank;
  }
  return 0;
}

static int build(struct builder *b, const char *text, size_t len)
{
  const char *last_content;
  int block_mode = detect_block_mode(text, len, &last_content);
  b->chapters = has_chapters(text, len);
  emc_ctx_log(b->ctx, EMC_LOG_DEBUG, "txt: %s",
              block_mode ? "blank-line separated paragraphs" : "one paragraph per line");
  size_t pos = 0;
  line l, next;
  int have = next_line(text, len, &pos, &l);
  int prev_blank = 1, first = 1, rc = EMC_OK;
  emc_buf joined = EMC_BUF_INIT;

  while (have && rc == EMC_OK) {
    if (l.blank) {
      prev_blank = 1;
      have = next_line(text, len, &pos, &l);
      continue;
    }
    struct unit u = { l.s, l.len, l.indent, 0, first, 0 };
    int have_next = next_line(text, len, &pos, &next);
    if (block_mode) {
      /* Join the block's continuation lines; a list marker starts a new
       * unit. */
      size_t mlen;
      long num;
      emc_buf_clear(&joined);
      int multi = 0;
      while (have_next && !next.blank && list_marker(next.s, next.len, &mlen, &num) == LIST_NONE) {
        if (!multi) {
          if (emc_buf_append(&joined, l.s, l.len)) {
            rc = emc_error_set(b->err, EMC_ENOMEM, "out of memory");
            break;
          }
          multi = 1;
        }
        /* "socio-\neconomic": keep the hyphen, no space */
        int hyphen = joined.len && joined.data[joined.len - 1] == '-';
        if ((!hyphen && emc_buf_append_byte(&joined, ' ')) ||
            emc_buf_append(&joined, next.s, next.len)) {
          rc = emc_error_set(b->err, EMC_ENOMEM, "out of memory");
          break;
        }
        l = next;
        have_next = next_line(text, len, &pos, &next);
      }
      if (rc)
        break;
      if (multi) {
        u.s = joined.data;
        u.len = joined.len;
      }
    }
    u.standalone = prev_blank && (!have_next || next.blank);
    u.last = l.s == last_content;
    rc = emit_unit(b, &u);
    first = 0;
    prev_blank = 0;
    l = next;
    have = have_next;
  }
  emc_buf_release(&joined);
  return rc;
}

/* ------------------------------------------------------------ plugin */

static int txt_probe(const unsigned char *head, size_t len)
{
  if (is_text_bom16(head, len))
    return 40;
  if (len >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF)
    return 40;
  if (memchr(head, 0, len))
    return 0;
  size_t controls = 0;
  for (size_t i = 0; i < len; i++)
    if (head[i] < 0x20 && head[i] != '\n' && head[i] != '\r' && head[i] != '\t' &&
        head[i] != '\f')
      controls++;
  if (controls * 20 > len + 1)
    return 0; /* binary */
  size_t i = 0;
  while (i < len && (head[i] == ' ' || head[i] == '\n' || head[i] == '\r' || head[i] == '\t'))
    i++;
  return i < len && head[i] == '<' ? 5 : 10; /* markup: let XML/HTML readers win */
}

static int txt_read(emc_ctx *ctx, const emc_input *in, emc_doc **out,
                    emc_error *err)
{
  emc_buf text = EMC_BUF_INIT;
  const char *view;
  size_t view_len;
  int rc = txt_decode(ctx, in, &text, &view, &view_len, err);
  if (rc) {
    emc_buf_release(&text);
    return rc;
  }
  emc_doc *doc = emc_doc_new();
  if (!doc) {
    emc_buf_release(&text);
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  }
  struct builder b = { 0 };
  b.ctx = ctx;
  b.doc = doc;
  b.cur = emc_doc_body(doc);
  b.err = err;
  b.max_nodes = emc_ctx_limits(ctx)->max_nodes;
  const char *body = view ? view : text.data ? text.data : "";
  size_t body_len = view ? view_len : text.len;
  int laid_out = 0, stripped = 0;
  emc_buf plain = EMC_BUF_INIT; /* the text less its page furniture */
  if (lay_strip_page_furniture(body, body_len, &plain, &stripped)) {
    emc_buf_release(&plain);
    emc_buf_release(&text);
    emc_doc_free(doc);
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  }
  if (stripped) {
    emc_ctx_log(ctx, EMC_LOG_INFO, "%s: page headers, footers and numbers left out", in->name);
    body = plain.data ? plain.data : "";
    body_len = plain.len;
  }
  rc = lay_read(ctx, doc, body, body_len, b.max_nodes, &laid_out, err);
  if (rc == EMC_OK && !laid_out)
    rc = build(&b, body, body_len);
  emc_buf_release(&plain);
  emc_buf_release(&text);
  if (rc) {
    emc_doc_free(doc);
    return rc;
  }
  *out = doc;
  return EMC_OK;
}

static const emc_option_spec txt_options[] = {
  { "input-encoding", 1, "ENC",
    "read the input as ENC, whatever its byte order mark says: any name iconv knows "
    "(iso-8859-2, windows-1258, viscii), or tcvn3 (the Vietnamese ABC font encoding)" },
  { "layout", 1, "NAME",
    "read the text as an official document of layout NAME (vn-legal, id-legal, in-legal, "
    "hi-legal), or none; default: the layout that fits best, if any" },
  { "explain", 0, NULL, "filters: log (as warnings) what each block was "
                        "classified as and which rule decided" },
  { NULL, 0, NULL, NULL }
};

static const char *const txt_extensions[] = { "txt", "text", NULL };
static const char *const txt_mime_types[] = { "text/plain", NULL };

EMC_PLUGIN_DEFINE(txt, "txt", PACKAGE_VERSION, "plain text (UTF-8, UTF-16, Windows-1252) reader",
                  .extensions = txt_extensions, .mime_types = txt_mime_types, .probe = txt_probe,
                  .read = txt_read, .options = txt_options)
