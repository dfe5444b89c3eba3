/* SPDX-License-Identifier: MIT */
/* filterutil.c - see filterutil.h. */
#include <config.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <emuconv/text.h>
#include "filterutil.h"

/* ------------------------------------------------------------------ UTF-8 */

uint32_t fu_utf8_next_multi(const char *s, size_t len, size_t *i)
{
  uint32_t cp;
  size_t l = emc_utf8_decode((const unsigned char *)s + *i, len - *i, &cp);
  if (!l) {
    (*i)++;
    return 0xFFFD;
  }
  *i += l;
  return cp;
}

uint32_t fu_utf8_prev(const char *str, size_t i, size_t *start)
{
  const unsigned char *s = (const unsigned char *)str;
  size_t p = i - 1;
  /* back over at most three continuation bytes */
  while (p > 0 && i - p < 4 && (s[p] & 0xC0) == 0x80)
    p--;
  size_t q = p;
  uint32_t c = fu_utf8_next(str, i, &q);
  if (q != i) { /* not a whole sequence: the last byte alone */
    p = i - 1;
    c = 0xFFFD;
  }
  *start = p;
  return c;
}

/* ------------------------------------------------------ character classes */

int fu_is_space_nonascii(uint32_t c)
{
  return c == ' ' || (c >= 0x09 && c <= 0x0D) || c == 0x85 || c == 0xA0 ||
         c == 0x1680 || (c >= 0x2000 && c <= 0x200B) || c == 0x2028 ||
         c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000 || c == 0xFEFF;
}

int fu_digit_value(uint32_t c)
{
  if (c >= '0' && c <= '9')
    return (int)(c - '0');
  if (c >= 0x966 && c <= 0x96F)
    return (int)(c - 0x966);
  return -1;
}

int fu_is_devanagari(uint32_t c)
{
  return c >= 0x900 && c <= 0x97F && c != 0x964 && c != 0x965 &&
         !(c >= 0x966 && c <= 0x970);
}

int fu_is_letter_nonascii(uint32_t c)
{
  if (c < 0x80)
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  if (c == 0xAA || c == 0xB5 || c == 0xBA)
    return 1;
  if (c < 0xC0)
    return 0;
  if (c == 0xD7 || c == 0xF7)
    return 0;
  if (c <= 0x2AF) /* Latin-1, Extended-A and -B, IPA */
    return 1;
  if (c >= 0x300 && c <= 0x36F) /* combining diacritics (decomposed text) */
    return 1;
  if (c >= 0x370 && c <= 0x52F) /* Greek, Cyrillic */
    return c != 0x37E && c != 0x387;
  if (c >= 0x530 && c <= 0x8FF) { /* Armenian, Hebrew, Arabic... */
    return !(c >= 0x660 && c <= 0x669) && !(c >= 0x6F0 && c <= 0x6F9) && c != 0x589 &&
           c != 0x5BE && c != 0x5C0 && c != 0x5C3 && c != 0x60C && c != 0x61B &&
           c != 0x61F && c != 0x6D4;
  }
  if (c >= 0x900 && c <= 0x97F)
    return fu_is_devanagari(c);
  if (c >= 0x980 && c <= 0xDFF) /* other Indic scripts: not their digits */
    return !((c & 0x7F) >= 0x66 && (c & 0x7F) <= 0x6F);
  if (c >= 0xE00 && c <= 0xEFF) /* Thai, Lao */
    return !(c >= 0xE50 && c <= 0xE59) && !(c >= 0xED0 && c <= 0xED9) && c != 0xE3F &&
           c != 0xE4F && c != 0xE5A && c != 0xE5B;
  if (c >= 0x1000 && c <= 0x11FF) /* Myanmar, Georgian, Hangul jamo */
    return !(c >= 0x1040 && c <= 0x1049);
  if (c >= 0x1780 && c <= 0x17FF) /* Khmer */
    return !(c >= 0x17D4 && c <= 0x17DA) && !(c >= 0x17E0 && c <= 0x17E9);
  if (c >= 0x1E00 && c <= 0x1FFF) /* Latin Extended Additional, Greek */
    return 1;
  if (c == 0x200C || c == 0x200D) /* joiners, inside Indic words */
    return 1;
  if ((c >= 0x3040 && c <= 0x30FF) || (c >= 0x3400 && c <= 0x4DBF) ||
      (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xAC00 && c <= 0xD7AF) ||
      (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFF21 && c <= 0xFF3A) ||
      (c >= 0xFF41 && c <= 0xFF5A) || (c >= 0x20000 && c <= 0x2FFFF))
    return 1;
  return 0;
}

int fu_is_upper(uint32_t c)
{
  if (c < 0x80)
    return c >= 'A' && c <= 'Z';
  if (c >= 0xC0 && c <= 0xDE)
    return c != 0xD7;
  if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177))
    return (c & 1) == 0;
  if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
    return (c & 1) == 1;
  if (c == 0x178 || c == 0x1A0 || c == 0x1AF)
    return 1;
  if ((c >= 0x1E00 && c <= 0x1E94) || (c >= 0x1EA0 && c <= 0x1EFF))
    return (c & 1) == 0;
  if (c == 0x1E9E)
    return 1;
  if (c >= 0x391 && c <= 0x3A9)
    return c != 0x3A2;
  if (c >= 0x400 && c <= 0x42F)
    return 1;
  return 0;
}

uint32_t fu_lower(uint32_t c)
{
  if (!fu_is_upper(c))
    return c;
  if (c < 0x80 || (c >= 0xC0 && c <= 0xDE) || (c >= 0x391 && c <= 0x3A9) ||
      (c >= 0x410 && c <= 0x42F))
    return c + 0x20;
  if (c >= 0x400 && c <= 0x40F)
    return c + 0x50;
  if (c == 0x130)
    return 'i';
  if (c == 0x178)
    return 0xFF;
  if (c == 0x1E9E)
    return 0xDF;
  if (c == 0x1AF)
    return 0x1B0;
  return c + 1; /* the even/odd pairs of Latin Extended-A, Ơ, Ext. Additional */
}

int fu_is_vietnamese(uint32_t c)
{
  c = fu_lower(c);
  return c == 0x103 || c == 0xE2 || c == 0x111 || c == 0xEA || c == 0xF4 || c == 0x1A1 ||
         c == 0x1B0 || (c >= 0x1EA0 && c <= 0x1EF9) ||
         c == 0x309 || c == 0x31B || c == 0x323; /* hook, horn, dot below */
}

static int word_char(uint32_t c)
{
  return fu_is_letter(c) || fu_is_digit(c);
}

int fu_word_start(const char *s, size_t i)
{
  size_t st;
  return i == 0 || !word_char(fu_utf8_prev(s, i, &st));
}

int fu_word_end(const char *s, size_t len, size_t i)
{
  return i >= len || !word_char(fu_utf8_next(s, len, &i));
}

char *fu_fold(const char *s, size_t len)
{
  char *out = malloc(len * 2 + 1), *w = out; /* lower case never grows past 2x */
  if (!out)
    return NULL;
  int space = 1;
  for (size_t i = 0; i < len;) {
    uint32_t c = fu_utf8_next(s, len, &i);
    if (fu_is_space(c)) {
      if (!space)
        *w++ = ' ';
      space = 1;
      continue;
    }
    space = 0;
    w += emc_utf8_encode(fu_lower(c), w);
  }
  if (w > out && w[-1] == ' ')
    w--;
  *w = '\0';
  return out;
}

/* -------------------------------------------------------------------- tree */

int fu_is_text_block(const xmlNode *n)
{
  return fu_is(n, "p") || fu_is(n, "heading") || fu_is(n, "caption") ||
         fu_is(n, "term");
}

int fu_within(const xmlNode *n, const char *name, const xmlNode *stop)
{
  for (; n && n != stop; n = n->parent)
    if (fu_is(n, name))
      return 1;
  return 0;
}

/* Calls ADD(S, LEN, ARG) for each piece of a block's running text. */
static void block_pieces(const xmlNode *block, void (*add)(const char *, size_t, void *),
                         void *arg)
{
  xmlNodePtr root = (xmlNodePtr)block;
  for (xmlNodePtr n = root->children; n;) {
    /* (a tracked deletion, --track-changes=all, is not the text) */
    int enter = n->type == XML_ELEMENT_NODE && !fu_is(n, "note") && !fu_is(n, "del");
    if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && n->content)
      add((const char *)n->content, strlen((const char *)n->content), arg);
    else if (n->type == XML_ELEMENT_NODE && fu_is(n, "br"))
      add(" ", 1, arg);
    n = emc_ir_next(n, root, enter);
  }
}

static void add_len(const char *s, size_t len, void *arg)
{
  (void)s;
  *(size_t *)arg += len;
}

static void add_copy(const char *s, size_t len, void *arg)
{
  char **w = arg;
  memcpy(*w, s, len);
  *w += len;
}

/* fu_block_text's fold: 0 a byte copied as it is, FOLD_SPACE ASCII white
 * space, FOLD_LEAD the lead byte of a sequence that may be non-ASCII white
 * space; FOLD_END marks the NUL, which ends a run of copied bytes (it
 * follows the text; were one inside, it would be copied as it is). */
enum { FOLD_SPACE = 1, FOLD_LEAD = 2, FOLD_END = 4 };
static const unsigned char fold_class[256] = {
  [0] = FOLD_END,
  [' '] = FOLD_SPACE, ['\t'] = FOLD_SPACE, ['\n'] = FOLD_SPACE, [0x0B] = FOLD_SPACE,
  ['\f'] = FOLD_SPACE, ['\r'] = FOLD_SPACE,
  [0xC2] = FOLD_LEAD, [0xE1] = FOLD_LEAD, [0xE2] = FOLD_LEAD, [0xE3] = FOLD_LEAD,
  [0xEF] = FOLD_LEAD,
};

/* The text is gathered into one buffer (sized by a first walk) and then
 * folded in place.  The fold decodes only what can start a white-space
 * character (ASCII, and the lead bytes C2, E1, E2, E3, EF of U+0085,
 * U+00A0, U+1680, U+2000..U+205F, U+3000, U+FEFF); every other byte is
 * copied as it is, which is what decoding it and copying its sequence
 * did (a non-space character, or U+FFFD for one invalid byte). */
char *fu_block_text(const xmlNode *block)
{
  size_t len = 0;
  block_pieces(block, add_len, &len);
  char *s = malloc(len + 1), *w = s;
  if (!s)
    return NULL;
  block_pieces(block, add_copy, &w);
  s[len] = '\0';
  w = s;
  int space = 1;
  for (size_t i = 0; i < len;) {
    unsigned char b = (unsigned char)s[i];
    if (!(fold_class[b] & (FOLD_SPACE | FOLD_LEAD))) { /* a run copied as it is */
      size_t j = i + 1;
      for (;;) { /* and on past each single space between two such bytes,
                    which the fold keeps as it is: text is mostly words */
        while (!fold_class[(unsigned char)s[j]]) /* stops at s[len] at the latest */
          j++;
        if (s[j] != ' ' || fold_class[(unsigned char)s[j + 1]])
          break;
        j += 2;
      }
      if (w != s + i) /* nothing folded yet: the run is already in place */
        memmove(w, s + i, j - i);
      w += j - i;
      i = j;
      space = 0;
      continue;
    }
    if (fold_class[b] == FOLD_SPACE) {
      i++;
      if (!space)
        *w++ = ' ';
      space = 1;
      continue;
    }
    size_t at = i; /* a lead byte: decode it */
    if (fu_is_space_nonascii(fu_utf8_next_multi(s, len, &i))) {
      if (!space)
        *w++ = ' ';
      space = 1;
    } else {
      while (at < i) /* W never overtakes the reading position */
        *w++ = s[at++];
      space = 0;
    }
  }
  if (w > s && w[-1] == ' ')
    w--;
  *w = '\0';
  return s;
}

static int element_children(const xmlNode *n)
{
  int count = 0;
  for (const xmlNode *c = n->children; c; c = c->next)
    count += c->type == XML_ELEMENT_NODE;
  return count;
}

int fu_remove_block(xmlNodePtr n, const xmlNode *stop)
{
  xmlNodePtr parent = n->parent;
  int removed = 0;
  xmlUnlinkNode(n);
  xmlFreeNode(n);
  while (parent && parent != stop && parent->type == XML_ELEMENT_NODE) {
    int empty = element_children(parent) == 0;
    if (!(empty && (fu_is(parent, "item") || fu_is(parent, "quote") ||
                    fu_is(parent, "note") || fu_is(parent, "definition") ||
                    fu_is(parent, "list"))))
      break;
    xmlNodePtr up = parent->parent;
    xmlUnlinkNode(parent);
    xmlFreeNode(parent);
    removed++;
    parent = up;
  }
  return removed;
}

/* ----------------------------------------------------------------- logging */

int fu_explaining(const emc_ctx *ctx)
{
  const char *v = emc_ctx_option(ctx, "explain");
  return v && *v && strcmp(v, "0") != 0;
}

char *fu_excerpt(const char *s, size_t max)
{
  size_t len = strlen(s), i = 0, n = 0;
  while (i < len && n + 1 < max) {
    fu_utf8_next(s, len, &i);
    n++;
  }
  if (i >= len || emc_utf8_count(s + i, len - i) <= 1)
    return strdup(s);
  char *out = malloc(i + 4);
  if (!out)
    return NULL;
  memcpy(out, s, i);
  memcpy(out + i, "\xE2\x80\xA6", 4); /* … and the NUL */
  return out;
}

void fu_explain(emc_ctx *ctx, const char *filter, const char *fmt, ...)
{
  if (!fu_explaining(ctx))
    return;
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0)
    return;
  char *msg = malloc((size_t)n + 1);
  if (!msg)
    return;
  va_start(ap, fmt);
  vsnprintf(msg, (size_t)n + 1, fmt, ap);
  va_end(ap);
  emc_ctx_log(ctx, EMC_LOG_WARN, "explain: %s: %s", filter, msg);
  free(msg);
}

const emc_option_spec fu_explain_options[] = {
  FU_EXPLAIN_OPTION,
  { NULL, 0, NULL, NULL }
};

size_t fu_skip_space(const char *s, size_t len, size_t i)
{
  while (i < len) {
    size_t at = i;
    if (!fu_is_space(fu_utf8_next(s, len, &i)))
      return at;
  }
  return i;
}
