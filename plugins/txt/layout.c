/* SPDX-License-Identifier: MIT */
/* layout.c - reading a plain text by the layout of its kind of official
 * document (layout.h, doc/layout.md).
 *
 * Two passes over the lines:
 *  1. units: every non-blank line is a unit, classified by the layout's
 *     levels (first match in table order); a line with no marker that
 *     continues a sentence (it starts in lower case, or the text is
 *     hard-wrapped) is joined to the unit before it;
 *  2. building: the header block (the units before the first heading,
 *     item or preamble line) gives the metadata and stays as paragraphs;
 *     heading units open nested sections (type and n from the level and
 *     its label; a marker alone on its line takes the next line as title);
 *     item units open nested lists whose items keep their label exactly
 *     (n, label); other units are paragraphs, inside the open clause when
 *     there is one; the last lines give the signer.
 * Detection scores every layout on the same lines: heading markers 3,
 * item markers 1, header fields and preamble lines 5; a layout needs two
 * keyword headings ("Điều 1.", "BAB I") and one field or preamble line. */
#include <config.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <emuconv/buf.h>
#include <emuconv/text.h>
#include "../../filters/common/filterutil.h"
#include "layout.h"

#define HEADER_MAX_UNITS 30
#define TITLE_MAX_BYTES 300
#define MAX_LISTS 8
/* Detection reads this many non-blank lines: a law shows its layout in
 * its first chapter, and scoring every layout on a whole code would cost
 * more than reading it. */
#define SCORE_MAX_LINES 2000

/* ------------------------------------------------------------ patterns */

static size_t skip_blanks(const char *s, size_t len, size_t i)
{
  while (i < len && (s[i] == ' ' || s[i] == '\t'))
    i++;
  return i;
}

static int roman_char(char c)
{
  return c && strchr("IVXLCDMivxlcdm", c) != NULL;
}

/* One label of ALPHABET (space-separated) at S[I]: its byte length, 0 if
 * none (the longest label that matches). */
static size_t alphabet_label(const char *alphabet, const char *s, size_t len, size_t i)
{
  size_t best = 0;
  if (!alphabet)
    return 0;
  for (const char *a = alphabet; *a;) {
    const char *e = strchr(a, ' ');
    size_t n = e ? (size_t)(e - a) : strlen(a);
    if (n > best && i + n <= len && memcmp(s + i, a, n) == 0)
      best = n;
    a += n;
    while (*a == ' ')
      a++;
  }
  return best;
}

struct matcher {
  const char *alphabet;
  const char *s;
  size_t len;
  lay_capture *cap;
  int ncap;
  int open[4];
  int nopen;
};

static int match_here(struct matcher *m, const char *p, size_t i, size_t *end);

static int match_digits(const char *s, size_t len, size_t *i)
{
  size_t k = *i, n = 0;
  while (k < len && n < 4) {
    size_t at = k;
    uint32_t c = fu_utf8_next(s, len, &k);
    if (!fu_is_digit(c)) {
      k = at;
      break;
    }
    n++;
  }
  if (!n)
    return 0;
  *i = k;
  return 1;
}

static int match_here(struct matcher *m, const char *p, size_t i, size_t *end)
{
  const char *s = m->s;
  size_t len = m->len;
  while (*p) {
    switch (*p) {
    case ' ':
      if (i >= len || (s[i] != ' ' && s[i] != '\t'))
        return 0;
      i = skip_blanks(s, len, i);
      p++;
      continue;
    case '$':
      if (skip_blanks(s, len, i) != len)
        return 0;
      i = len;
      p++;
      continue;
    case '{':
      if (m->ncap == 4)
        return 0;
      m->cap[m->ncap].s = s + i;
      m->open[m->nopen++] = m->ncap++;
      p++;
      continue;
    case '}':
      if (m->nopen) {
        int k = m->open[--m->nopen];
        m->cap[k].len = (size_t)(s + i - m->cap[k].s);
      }
      p++;
      continue;
    case '*': {
      /* the shortest run (at least one character) after which the rest
       * matches */
      size_t k = i;
      if (k >= len)
        return 0;
      struct matcher save = *m;
      while (k < len) {
        fu_utf8_next(s, len, &k);
        *m = save;
        if (match_here(m, p + 1, k, end))
          return 1;
      }
      return 0;
    }
    case '%':
      switch (p[1]) {
      case 'd':
        if (!match_digits(s, len, &i))
          return 0;
        break;
      case 'n':
        if (!match_digits(s, len, &i))
          return 0;
        while (i + 1 < len && s[i] == '.' && s[i + 1] >= '0' && s[i + 1] <= '9') {
          i++;
          match_digits(s, len, &i);
        }
        break;
      case 'R': {
        size_t k = i;
        while (k < len && roman_char(s[k]))
          k++;
        if (k == i || k - i > 8)
          return 0;
        i = k;
        break;
      }
      case 'A':
        if (i >= len || s[i] < 'A' || s[i] > 'Z')
          return 0;
        i++;
        break;
      case 'a': {
        size_t n = alphabet_label(m->alphabet, s, len, i);
        if (!n)
          return 0;
        i += n;
        break;
      }
      case 'w': {
        size_t k = i, n = 0;
        while (k < len) {
          size_t at = k;
          if (!fu_is_letter(fu_utf8_next(s, len, &k))) {
            k = at;
            break;
          }
          n++;
        }
        if (!n)
          return 0;
        i = k;
        break;
      }
      default:
        return 0;
      }
      p += 2;
      continue;
    default: {
      if (i >= len)
        return 0;
      size_t pl = strlen(p), pi = 0;
      uint32_t want = fu_utf8_next(p, pl, &pi);
      uint32_t c = fu_utf8_next(s, len, &i);
      if (c != want && fu_lower(c) != want)
        return 0;
      p += pi;
      continue;
    }
    }
  }
  /* a marker ends at the end, at white space or at punctuation */
  if (i < len) {
    size_t k = i;
    uint32_t c = fu_utf8_next(s, len, &k);
    if (fu_is_letter(c) || fu_is_digit(c))
      return 0;
  }
  *end = i;
  return 1;
}

int lay_match(const char *pattern, const char *alphabet, const char *s, size_t len,
              size_t *end, lay_capture cap[4], int *ncap)
{
  struct matcher m = { alphabet, s, len, cap, 0, { 0 }, 0 };
  /* cheap first test: a literal first character that cannot match */
  unsigned char p0 = (unsigned char)pattern[0];
  if (p0 >= 'a' && p0 <= 'z' && len && ((unsigned char)s[0] | 0x20) != p0)
    return 0;
  if (!match_here(&m, pattern, 0, end))
    return 0;
  *ncap = m.ncap;
  return 1;
}

static int match_any(const char *const *patterns, const char *s, size_t len)
{
  size_t end;
  lay_capture cap[4];
  int n;
  for (const char *const *p = patterns; p && *p; p++)
    if (lay_match(*p, NULL, s, len, &end, cap, &n))
      return 1;
  return 0;
}

/* ------------------------------------------------------------ text tests */

static int ends_sentence(const char *s, size_t len)
{
  while (len && (s[len - 1] == '"' || s[len - 1] == ')' || s[len - 1] == '\''))
    len--;
  if (!len)
    return 0;
  char c = s[len - 1];
  if (c == '.' || c == '!' || c == '?' || c == ':' || c == ';')
    return 1;
  if (len >= 3 && (memcmp(s + len - 3, "\xE2\x80\x9D", 3) == 0 || /* ” */
                   memcmp(s + len - 3, "\xE0\xA5\xA4", 3) == 0 || /* । */
                   memcmp(s + len - 3, "\xE2\x80\xA6", 3) == 0))
    return 1;
  return 0;
}

/* Letters, none of them lower case: "CHỦ TỊCH QUỐC HỘI". */
static int upper_line(const char *s, size_t len)
{
  int letters = 0;
  for (size_t i = 0; i < len;) {
    uint32_t c = fu_utf8_next(s, len, &i);
    if (fu_is_letter(c)) {
      if (fu_lower(c) == c && fu_is_upper(c) == 0 && c < 0x300) /* lower case */
        return 0;
      letters++;
    }
  }
  return letters >= 2;
}

static int starts_lower(const char *s, size_t len)
{
  size_t i = 0;
  uint32_t c = fu_utf8_next(s, len, &i);
  return fu_is_letter(c) && !fu_is_upper(c) && fu_lower(c) == c && c < 0x900;
}

/* A person's name: 2-6 words, each capitalised, no digits, no final
 * punctuation. */
static int name_line(const char *s, size_t len)
{
  if (!len || len > 80 || ends_sentence(s, len) || upper_line(s, len))
    return 0;
  int words = 0, at_start = 1;
  for (size_t i = 0; i < len;) {
    uint32_t c = fu_utf8_next(s, len, &i);
    if (c == ' ') {
      at_start = 1;
      continue;
    }
    if (fu_is_digit(c))
      return 0;
    if (at_start) {
      if (!fu_is_upper(c))
        return 0;
      words++;
      at_start = 0;
    }
  }
  return words >= 2 && words <= 6;
}

/* ------------------------------------------------------------ units */

enum role { U_TEXT = -1 };

typedef struct unit {
  const char *s;
  size_t len;
  int blank_before;
  int level;          /* index into the layout's levels, or U_TEXT */
  size_t mend;        /* end of the marker in s */
  size_t lab_off, lab_len; /* the label in s, when the marker has one */
  int has_label;
  int keyword;        /* the marker starts with a word ("Điều"), not a number */
  int joined;         /* s points into the joined buffer at offset joff */
  size_t joff;
  int alt_level;      /* a deeper list level the marker also fits ("(i)":
                         a letter or a roman numeral), or U_TEXT */
  size_t alt_lab_off, alt_lab_len;
} unit;

typedef struct units {
  unit *u;
  size_t n, cap;
  emc_buf joined;     /* texts of units made of several lines */
} units;

/* The value of the roman numeral S (LEN bytes), 0 if it is none. */
static int roman_value(const char *s, size_t len)
{
  static const char digits[] = "ivxlcdm";
  static const int values[] = { 1, 5, 10, 50, 100, 500, 1000 };
  int total = 0, prev = 0;
  for (size_t i = len; i-- > 0;) {
    const char *d = strchr(digits, s[i] | 0x20);
    if (!d || !*d)
      return 0;
    int v = values[d - digits];
    total += v < prev ? -v : v;
    if (v > prev)
      prev = v;
  }
  return total;
}

/* A label's place in ALPHABET (space-separated), -1 if it is not one. */
static int alphabet_index(const char *alphabet, const char *s, size_t len)
{
  int k = 0;
  for (const char *a = alphabet; a && *a; k++) {
    const char *e = strchr(a, ' ');
    size_t n = e ? (size_t)(e - a) : strlen(a);
    if (n == len && memcmp(a, s, n) == 0)
      return k;
    a += n;
    while (*a == ' ')
      a++;
  }
  return -1;
}

static int classify(const lay_layout *L, unit *u)
{
  u->level = U_TEXT;
  u->alt_level = U_TEXT;
  u->has_label = 0;
  lay_capture cap[4];
  int ncap;
  size_t end;
  for (size_t k = 0; k < L->nlevels; k++)
    for (const char *const *p = L->levels[k].patterns; *p; p++)
      if (lay_match(*p, L->levels[k].alphabet, u->s, u->len, &end, cap, &ncap)) {
        if (u->level != U_TEXT) { /* a second reading of a list marker */
          if (ncap && end == u->mend) {
            u->alt_level = (int)k;
            u->alt_lab_off = (size_t)(cap[0].s - u->s);
            u->alt_lab_len = cap[0].len;
          }
          return 1;
        }
        u->level = (int)k;
        u->mend = end;
        u->keyword = (*p)[0] != '{';
        if (ncap) {
          u->lab_off = (size_t)(cap[0].s - u->s);
          u->lab_len = cap[0].len;
          u->has_label = 1;
        }
        if (L->levels[k].kind != LAY_ITEM || !L->levels[k].alphabet || !ncap)
          return 1;
        break; /* look for a deeper level that reads the marker too */
      }
  return u->level != U_TEXT;
}

static int is_field(const lay_layout *L, const char *s, size_t len)
{
  size_t end;
  lay_capture cap[4];
  int n;
  for (const lay_field *f = L->fields; f && f->pattern; f++)
    if (lay_match(f->pattern, NULL, s, len, &end, cap, &n))
      return 1;
  return 0;
}

static int push_unit(units *us, const unit *u)
{
  if (us->n == us->cap) {
    size_t cap = us->cap ? us->cap * 2 : 256;
    unit *nu = realloc(us->u, cap * sizeof *nu);
    if (!nu)
      return EMC_ENOMEM;
    us->u = nu;
    us->cap = cap;
  }
  us->u[us->n++] = *u;
  return EMC_OK;
}

/* Appends line S to the last unit (joined text lives in us->joined; the
 * units' pointers into it are fixed once the buffer stops growing). */
static int join_line(units *us, const char *s, size_t len)
{
  unit *last = &us->u[us->n - 1];
  const char *had = last->joined ? us->joined.data + last->joff : last->s;
  int hyphen = last->len && had[last->len - 1] == '-';
  if (!last->joined) {
    last->joff = us->joined.len;
    if (emc_buf_append(&us->joined, last->s, last->len))
      return EMC_ENOMEM;
    last->joined = 1;
  }
  if (!hyphen && emc_buf_append_byte(&us->joined, ' '))
    return EMC_ENOMEM;
  if (emc_buf_append(&us->joined, s, len))
    return EMC_ENOMEM;
  last->len = us->joined.len - last->joff;
  last->s = NULL; /* fixed up after the pass */
  return EMC_OK;
}

/* The first SPLIT in S (LEN bytes), NULL if none. */
static const char *find_split(const char *s, size_t len, const char *split)
{
  size_t n = strlen(split);
  for (size_t i = 0; i + n <= len; i++)
    if (memcmp(s + i, split, n) == 0)
      return s + i;
  return NULL;
}

/* ------------------------------------------------------------ pages */

/* A printed page's number on a line of its own: "- 2 -", "Page 3",
 * "[Page 4]", "12". */
static const char *const page_number_patterns[] = {
  "- %d -$", "-%d-$", "page %d$", "[page %d]$", "%d$", "halaman %d$", "trang %d$",
  "* [page %d]$", NULL
};

struct near_entry {
  uint64_t hash; /* of the line's text */
  size_t page;   /* the page-number line it is next to */
  size_t line;
};

static int near_entry_cmp(const void *a, const void *b)
{
  const struct near_entry *x = a, *y = b;
  if (x->hash != y->hash)
    return x->hash < y->hash ? -1 : 1;
  return x->page < y->page ? -1 : x->page > y->page;
}

typedef struct line_span {
  size_t off, len; /* trimmed */
} line_span;

/* Marks in DROP[] the page furniture of LINES: page-number lines, and the
 * lines next to them (up to 3 non-blank lines either side) that recur next
 * to another page number: running headers and footers ("PRESIDEN REPUBLIK
 * INDONESIA" over "- 2 -").  Blank lines inside such a block go too. */
static void mark_page_furniture(const char *text, const line_span *lines, size_t n,
                                unsigned char *drop)
{
  size_t end;
  lay_capture cap[4];
  int ncap;
  size_t pages = 0;
  unsigned char *num = calloc(n ? n : 1, 1);
  if (!num)
    return;
  for (size_t i = 0; i < n; i++)
    if (lines[i].len && lines[i].len <= 100 &&
        (i == 0 || !lines[i - 1].len) && (i + 1 == n || !lines[i + 1].len || lines[i].len > 4)) {
      for (const char *const *p = page_number_patterns; *p; p++)
        if (lay_match(*p, NULL, text + lines[i].off, lines[i].len, &end, cap, &ncap)) {
          num[i] = 1;
          pages++;
          break;
        }
    }
  if (pages < 2) {
    free(num);
    return;
  }
  /* each page number's non-blank neighbours, up to 3 either side */
  size_t *near = malloc(n * 6 * sizeof *near);
  if (!near) {
    free(num);
    return;
  }
  for (size_t i = 0; i < n; i++) {
    for (int k = 0; k < 6; k++)
      near[i * 6 + k] = (size_t)-1;
    if (!num[i])
      continue;
    for (int dir = -1; dir <= 1; dir += 2) {
      size_t j = i;
      for (int seen = 0; seen < 3;) {
        if ((dir < 0 && j == 0) || (dir > 0 && j + 1 >= n))
          break;
        j = dir < 0 ? j - 1 : j + 1;
        if (num[j])
          break;
        if (!lines[j].len)
          continue;
        near[i * 6 + (dir < 0 ? 0 : 3) + seen++] = j;
      }
    }
  }
  /* a neighbour is furniture when the same line is a neighbour of another
   * page number too (entries sorted by the line's hash find the others);
   * nearest first, a side stops at the first that is not */
  size_t nent = 0;
  struct near_entry *ent = malloc(pages * 6 * sizeof *ent);
  if (!ent) {
    free(near);
    free(num);
    return;
  }
  for (size_t i = 0; i < n; i++)
    for (int q = 0; num[i] && q < 6; q++) {
      size_t j = near[i * 6 + q];
      if (j == (size_t)-1)
        continue;
      uint64_t h = 1469598103934665603ull; /* FNV-1a */
      for (size_t c = 0; c < lines[j].len; c++)
        h = (h ^ (unsigned char)text[lines[j].off + c]) * 1099511628211ull;
      ent[nent].hash = h;
      ent[nent].page = i;
      ent[nent].line = j;
      nent++;
    }
  qsort(ent, nent, sizeof *ent, near_entry_cmp);
  unsigned char *recurs = calloc(n, 1); /* lines next to two page numbers */
  for (size_t e = 0; recurs && e < nent;) {
    size_t f = e;
    while (f < nent && ent[f].hash == ent[e].hash)
      f++;
    for (size_t x = e; x < f; x++)
      for (size_t y = e; y < f; y++)
        if (ent[x].page != ent[y].page && lines[ent[x].line].len == lines[ent[y].line].len &&
            memcmp(text + lines[ent[x].line].off, text + lines[ent[y].line].off,
                   lines[ent[x].line].len) == 0) {
          recurs[ent[x].line] = 1;
          break;
        }
    e = f;
  }
  for (size_t i = 0; recurs && i < n; i++) {
    if (!num[i])
      continue;
    drop[i] = 1;
    for (int side = 0; side < 6; side += 3)
      for (int seen = 0; seen < 3; seen++) {
        size_t j = near[i * 6 + side + seen];
        if (j == (size_t)-1 || !recurs[j])
          break;
        drop[j] = 1;
      }
  }
  free(recurs);
  free(ent);
  free(near);
  free(num);
}

int lay_strip_page_furniture(const char *text, size_t len, emc_buf *out, int *changed)
{
  *changed = 0;
  size_t lines = 1;
  for (size_t i = 0; i < len; i++)
    lines += text[i] == '\n';
  line_span *spans = calloc(lines, sizeof *spans);
  unsigned char *drop = calloc(lines, 1);
  if (!spans || !drop) {
    free(spans);
    free(drop);
    return EMC_ENOMEM;
  }
  size_t n = 0;
  size_t *starts = NULL;
  for (size_t p = 0; p < len && n < lines;) {
    const char *s = text + p;
    const char *nl = memchr(s, '\n', len - p);
    size_t k = nl ? (size_t)(nl - s) : len - p;
    size_t b = skip_blanks(s, k, 0), e = k;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r'))
      e--;
    spans[n].off = p + b;
    spans[n].len = e - b;
    n++;
    p += k + (nl ? 1 : 0);
  }
  mark_page_furniture(text, spans, n, drop);
  int any = 0;
  for (size_t i = 0; i < n && !any; i++)
    any = drop[i];
  int rc = EMC_OK;
  if (any) {
    starts = malloc((n + 1) * sizeof *starts);
    if (!starts)
      rc = EMC_ENOMEM;
    size_t p = 0;
    for (size_t i = 0; i < n && starts; i++) { /* each line's first byte */
      starts[i] = p;
      const char *nl = memchr(text + p, '\n', len - p);
      p = nl ? (size_t)(nl - text) + 1 : len;
    }
    if (starts)
      starts[n] = len;
    size_t last_kept = (size_t)-1;
    for (size_t i = 0; i < n && rc == EMC_OK;) {
      if (!drop[i]) {
        if (emc_buf_append(out, text + starts[i], starts[i + 1] - starts[i]))
          rc = EMC_ENOMEM;
        if (spans[i].len)
          last_kept = i;
        i++;
        continue;
      }
      /* a block of furniture and the blank lines around it: nothing when
       * it splits a paragraph (the line before ends no sentence and the
       * one after starts in lower case), else one blank line */
      while (out->len >= 2 && out->data[out->len - 1] == '\n' && out->data[out->len - 2] == '\n')
        out->len--;
      size_t j = i;
      while (j < n && (drop[j] || !spans[j].len))
        j++;
      int joins = last_kept != (size_t)-1 && j < n &&
                  !ends_sentence(text + spans[last_kept].off, spans[last_kept].len) &&
                  starts_lower(text + spans[j].off, spans[j].len);
      if (!joins && out->len && emc_buf_append_byte(out, '\n'))
        rc = EMC_ENOMEM;
      i = j;
    }
    *changed = rc == EMC_OK;
  }
  free(starts);
  free(spans);
  free(drop);
  return rc;
}

/* The lines of TEXT as units under layout L. */
static int make_units(const lay_layout *L, const char *text, size_t len, units *us)
{
  size_t pos = 0, lines = 0, blanks = 0;
  /* hard-wrapped text: blank lines separate paragraphs */
  for (size_t i = 0; i < len; i++)
    if (text[i] == '\n') {
      lines++;
      if (i + 1 < len && (text[i + 1] == '\n'))
        blanks++;
    }
  int wrapped = blanks * 4 > lines;
  int blank = 1;
  size_t last_line_len = 0;
  /* the page furniture to leave out */
  line_span *spans = calloc(lines + 1, sizeof *spans);
  unsigned char *drop = calloc(lines + 1, 1);
  size_t nspans = 0;
  if (!spans || !drop) {
    free(spans);
    free(drop);
    return EMC_ENOMEM;
  }
  for (size_t p = 0; p < len && nspans <= lines;) {
    const char *s = text + p;
    const char *nl = memchr(s, '\n', len - p);
    size_t n = nl ? (size_t)(nl - s) : len - p;
    size_t b = skip_blanks(s, n, 0), e = n;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r'))
      e--;
    spans[nspans].off = p + b;
    spans[nspans].len = e - b;
    nspans++;
    p += n + (nl ? 1 : 0);
  }
  mark_page_furniture(text, spans, nspans, drop);
  free(spans);
  size_t lineno = 0;
  int in_page_break = 0;
  while (pos < len) {
    const char *s = text + pos;
    const char *nl = memchr(s, '\n', len - pos);
    size_t n = nl ? (size_t)(nl - s) : len - pos;
    pos += n + (nl ? 1 : 0);
    if (lineno <= lines && drop[lineno++]) {
      in_page_break = 1;
      continue;
    }
    if (in_page_break) {
      /* a paragraph a page break split goes on after it */
      size_t t = skip_blanks(s, n, 0);
      if (t == n || (t < n && s[t] == '\r'))
        continue;
      in_page_break = 0;
      if (us->n) {
        const unit *prev = &us->u[us->n - 1];
        const char *ps = prev->joined ? us->joined.data + prev->joff : prev->s;
        blank = ends_sentence(ps, prev->len);
      }
    }
    size_t b = skip_blanks(s, n, 0);
    while (b + 1 < n && (unsigned char)s[b] == 0xC2 && (unsigned char)s[b + 1] == 0xA0)
      b = skip_blanks(s, n, b + 2);
    size_t e = n;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r'))
      e--;
    if (e == b) {
      blank = 1;
      continue;
    }
    unit u = { s + b, e - b, blank, U_TEXT, 0, 0, 0, 0, 0, 0, 0, U_TEXT, 0, 0 };
    classify(L, &u);
    const char *split = u.level != U_TEXT ? L->levels[u.level].title_split : NULL;
    const char *at = split ? find_split(u.s + u.mend, u.len - u.mend, split) : NULL;
    if (at) {
      /* "1. Short title.—(1) This Act…": the heading ends with its
       * marginal title's full stop; the text is a unit of its own */
      size_t hlen = (size_t)(at - u.s) + 1;
      size_t rest = hlen + strlen(split) - 1;
      rest = skip_blanks(u.s, u.len, rest);
      if (rest < u.len) {
        unit h = u;
        h.len = hlen;
        if (push_unit(us, &h))
          goto oom;
        unit t = { u.s + rest, u.len - rest, 0, U_TEXT, 0, 0, 0, 0, 0, 0, 0, U_TEXT, 0, 0 };
        classify(L, &t);
        u = t;
        blank = 0;
      }
    }
    if (u.level == U_TEXT && us->n && !blank) {
      unit *prev = &us->u[us->n - 1];
      const char *ps = prev->joined ? us->joined.data + prev->joff : prev->s;
      int prev_heading = prev->level != U_TEXT && L->levels[prev->level].kind == LAY_HEADING;
      if (!prev_heading && !ends_sentence(ps, prev->len) && !is_field(L, u.s, u.len) &&
          (starts_lower(u.s, u.len) ||
           (wrapped && last_line_len >= 50 && !upper_line(u.s, u.len)))) {
        if (join_line(us, u.s, u.len))
          goto oom;
        last_line_len = u.len;
        blank = 0;
        continue;
      }
    }
    if (push_unit(us, &u))
      goto oom;
    last_line_len = u.len;
    blank = 0;
  }
  free(drop);
  for (size_t i = 0; i < us->n; i++)
    if (us->u[i].joined)
      us->u[i].s = us->joined.data + us->u[i].joff;
  return EMC_OK;
oom:
  free(drop);
  return EMC_ENOMEM;
}

/* ------------------------------------------------------------ detection */

struct score {
  int total, headings, keyword_headings, items, fields, preamble;
};

static void score_layout(const lay_layout *L, const char *text, size_t len, struct score *sc)
{
  memset(sc, 0, sizeof *sc);
  size_t pos = 0, lineno = 0;
  while (pos < len) {
    const char *s = text + pos;
    const char *nl = memchr(s, '\n', len - pos);
    size_t n = nl ? (size_t)(nl - s) : len - pos;
    pos += n + (nl ? 1 : 0);
    size_t b = skip_blanks(s, n, 0), e = n;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t' || s[e - 1] == '\r'))
      e--;
    if (e == b)
      continue;
    if (++lineno > SCORE_MAX_LINES)
      break;
    unit u = { s + b, e - b, 0, U_TEXT, 0, 0, 0, 0, 0, 0, 0, U_TEXT, 0, 0 };
    if (classify(L, &u)) {
      const lay_level *lv = &L->levels[u.level];
      if (lv->kind == LAY_HEADING) {
        sc->headings++;
        sc->keyword_headings += u.keyword;
      } else
        sc->items++;
    } else if (lineno <= HEADER_MAX_UNITS && is_field(L, u.s, u.len))
      sc->fields++;
    else if (match_any(L->preamble, u.s, u.len))
      sc->preamble++;
  }
  sc->total = sc->headings * 3 + sc->items + (sc->fields + (sc->preamble ? 1 : 0)) * 5;
}

static int qualifies(const struct score *sc)
{
  return sc->keyword_headings >= 2 && sc->fields + sc->preamble >= 1 && sc->total >= 12;
}

/* ------------------------------------------------------------ building */

struct lb {
  emc_ctx *ctx;
  emc_doc *doc;
  emc_error *err;
  const lay_layout *L;
  xmlNodePtr cur;                 /* body or the open section */
  int section_level[16];          /* IR level of each heading level */
  xmlNodePtr lists[MAX_LISTS];
  int list_level[MAX_LISTS];
  const char *last_n[MAX_LISTS];  /* the label of each open list's last item */
  size_t last_n_len[MAX_LISTS];
  int depth;
  size_t nodes, max_nodes;
  int headings, items;
};

static int lb_count(struct lb *b)
{
  if (++b->nodes > b->max_nodes && b->max_nodes)
    return emc_error_set(b->err, EMC_ELIMIT, "more than %zu paragraphs (limit on IR nodes)",
                         b->max_nodes);
  return EMC_OK;
}

static int lb_para(struct lb *b, xmlNodePtr parent, const char *name, const char *s, size_t len,
                   xmlNodePtr *out)
{
  int rc = lb_count(b);
  if (rc)
    return rc;
  xmlNodePtr p = emc_ir_add(parent, name, NULL);
  if (!p || emc_ir_add_text(p, s, len))
    return emc_error_set(b->err, EMC_ENOMEM, "out of memory");
  if (out)
    *out = p;
  return EMC_OK;
}

static int set_attr_n(xmlNodePtr node, const char *name, const char *s, size_t len)
{
  xmlChar *v = xmlStrndup(BAD_CAST s, (int)len);
  if (!v)
    return EMC_ENOMEM;
  xmlAttrPtr a = xmlSetProp(node, BAD_CAST name, v);
  xmlFree(v);
  return a ? EMC_OK : EMC_ENOMEM;
}

static int lb_heading(struct lb *b, const unit *u, const unit *title)
{
  b->depth = 0;
  const lay_level *lv = &b->L->levels[u->level];
  xmlNodePtr sec = emc_ir_open_section(b->cur, b->section_level[u->level]);
  if (!sec || xmlSetProp(sec, BAD_CAST "type", BAD_CAST lv->type) == NULL)
    return emc_error_set(b->err, EMC_ENOMEM, "out of memory");
  if (u->has_label && set_attr_n(sec, "n", u->s + u->lab_off, u->lab_len))
    return emc_error_set(b->err, EMC_ENOMEM, "out of memory");
  b->cur = sec;
  b->headings++;
  xmlNodePtr h;
  int rc = lb_para(b, sec, "heading", u->s, u->len, &h);
  if (rc == EMC_OK && title &&
      (emc_ir_add_text(h, " ", 1) || emc_ir_add_text(h, title->s, title->len)))
    rc = emc_error_set(b->err, EMC_ENOMEM, "out of memory");
  return rc;
}

/* Which reading of an ambiguous marker ("(i)": the ninth letter or the
 * first roman numeral): the letter when it follows the open list's last
 * letter, the deeper level otherwise. */
static void pick_reading(const struct lb *b, unit *u)
{
  if (u->alt_level == U_TEXT)
    return;
  const char *alphabet = b->L->levels[u->level].alphabet;
  int k = alphabet_index(alphabet, u->s + u->lab_off, u->lab_len);
  for (int d = b->depth - 1; d >= 0; d--)
    if (b->list_level[d] == u->level) {
      int prev = alphabet_index(alphabet, b->last_n[d], b->last_n_len[d]);
      if (k > 0 && prev == k - 1)
        return; /* the next letter */
      break;
    }
  int v = roman_value(u->s + u->alt_lab_off, u->alt_lab_len);
  int next_numeral = v == 1 && b->depth > 0;
  for (int d = b->depth - 1; d >= 0 && !next_numeral; d--)
    if (b->list_level[d] == u->alt_level) {
      next_numeral = roman_value(b->last_n[d], b->last_n_len[d]) == v - 1;
      break;
    }
  if (!next_numeral)
    return;
  u->level = u->alt_level;
  u->lab_off = u->alt_lab_off;
  u->lab_len = u->alt_lab_len;
}

static int lb_item(struct lb *b, unit *u)
{
  pick_reading(b, u);
  int level = u->level;
  const lay_level *lv = &b->L->levels[level];
  while (b->depth > 0 && b->list_level[b->depth - 1] > level)
    b->depth--;
  if (b->depth == 0 || b->list_level[b->depth - 1] < level) {
    if (b->depth == MAX_LISTS)
      b->depth--;
    xmlNodePtr parent = b->depth ? xmlGetLastChild(b->lists[b->depth - 1]) : b->cur;
    int rc = lb_count(b);
    if (rc)
      return rc;
    xmlNodePtr list = emc_ir_add(parent, "list", NULL);
    if (!list)
      return emc_error_set(b->err, EMC_ENOMEM, "out of memory");
    if (strcmp(lv->style, "disc") != 0)
      xmlSetProp(list, BAD_CAST "ordered", BAD_CAST "true");
    xmlSetProp(list, BAD_CAST "style", BAD_CAST lv->style);
    b->lists[b->depth] = list;
    b->list_level[b->depth] = level;
    b->depth++;
  }
  int rc = lb_count(b);
  if (rc)
    return rc;
  xmlNodePtr item = emc_ir_add(b->lists[b->depth - 1], "item", NULL);
  if (!item)
    return emc_error_set(b->err, EMC_ENOMEM, "out of memory");
  if (u->has_label) {
    size_t mlen = u->mend;
    while (mlen && (u->s[mlen - 1] == ' ' || u->s[mlen - 1] == '\t'))
      mlen--;
    b->last_n[b->depth - 1] = u->s + u->lab_off;
    b->last_n_len[b->depth - 1] = u->lab_len;
    if (set_attr_n(item, "n", u->s + u->lab_off, u->lab_len) ||
        set_attr_n(item, "label", u->s, mlen))
      return emc_error_set(b->err, EMC_ENOMEM, "out of memory");
  }
  b->items++;
  size_t at = skip_blanks(u->s, u->len, u->mend);
  return lb_para(b, item, "p", u->s + at, u->len - at, NULL);
}

/* Metadata from the header field F matched on S. */
static int set_field(struct lb *b, const lay_field *f, const lay_capture *cap, int ncap,
                     int *have_date)
{
  char keys[64];
  snprintf(keys, sizeof keys, "%s", f->keys);
  long day = 0, month = 0, year = 0;
  int k = 0;
  for (char *key = strtok(keys, ","); key && k < ncap; key = strtok(NULL, ","), k++) {
    char *v = strndup(cap[k].s, cap[k].len);
    if (!v)
      return EMC_ENOMEM;
    if (!strcmp(key, "day"))
      day = strtol(v, NULL, 10);
    else if (!strcmp(key, "month"))
      month = strtol(v, NULL, 10);
    else if (!strcmp(key, "year"))
      year = strtol(v, NULL, 10);
    else if (!strcmp(key, "identifier")) {
      char *had = emc_doc_meta_get(b->doc, "identifier");
      if (!had) {
        emc_doc_meta_add(b->doc, "identifier", v);
        for (xmlNodePtr m = emc_doc_meta(b->doc)->children; m; m = m->next)
          if (emc_ir_is(m, "identifier") && b->L->identifier_scheme)
            xmlSetProp(m, BAD_CAST "scheme", BAD_CAST b->L->identifier_scheme);
      }
      free(had);
    } else
      emc_doc_meta_set(b->doc, key, v);
    free(v);
  }
  if (year > 0 && month >= 1 && month <= 12 && day >= 1 && day <= 31 && !*have_date) {
    char iso[48];
    snprintf(iso, sizeof iso, "%04ld-%02ld-%02ld", year, month, day);
    *have_date = 1;
    if (emc_doc_meta_set(b->doc, "date", iso))
      return EMC_ENOMEM;
  }
  return EMC_OK;
}

static char *strip_rule(const char *s, size_t len)
{
  /* "QUỐC HỘI -------": the issuing body without its rule */
  while (len && (s[len - 1] == '-' || s[len - 1] == ' ' || s[len - 1] == '_'))
    len--;
  return strndup(s, len);
}

/* The header block: units [0, END). */
static int lb_header(struct lb *b, const unit *us, size_t end)
{
  const lay_layout *L = b->L;
  int have_date = 0, rc = EMC_OK;
  size_t last_field = 0;
  int any_field = 0;
  for (size_t i = 0; i < end; i++) {
    lay_capture cap[4];
    int ncap;
    size_t mend;
    for (const lay_field *f = L->fields; f && f->pattern; f++)
      if (lay_match(f->pattern, NULL, us[i].s, us[i].len, &mend, cap, &ncap)) {
        if (set_field(b, f, cap, ncap, &have_date))
          return emc_error_set(b->err, EMC_ENOMEM, "out of memory");
        last_field = i;
        any_field = 1;
        break;
      }
  }
  /* the issuing body or the type: the first line */
  char *type = NULL;
  if (end && upper_line(us[0].s, us[0].len) && !match_any(L->front, us[0].s, us[0].len) &&
      !(any_field && last_field == 0)) {
    char *v = strip_rule(us[0].s, us[0].len);
    if (!v)
      return emc_error_set(b->err, EMC_ENOMEM, "out of memory");
    if (L->first_line == LAY_FIRST_PUBLISHER)
      emc_doc_meta_set(b->doc, "publisher", v);
    else if (L->first_line == LAY_FIRST_TYPE)
      type = strdup(v);
    free(v);
  }
  /* the title: the capitalised lines after the last field (the type,
   * then the name) */
  emc_buf title = EMC_BUF_INIT;
  size_t from = any_field ? last_field + 1 : 1;
  if (type && emc_buf_append(&title, type, strlen(type)))
    rc = EMC_ENOMEM;
  int title_lines = 0;
  for (size_t i = from; i < end && rc == EMC_OK; i++) {
    if (!upper_line(us[i].s, us[i].len) || match_any(L->front, us[i].s, us[i].len) ||
        title.len + us[i].len > TITLE_MAX_BYTES)
      break;
    if (!title_lines && !type) {
      char *t = strndup(us[i].s, us[i].len);
      if (!t || emc_doc_meta_set(b->doc, "type", t))
        rc = EMC_ENOMEM;
      free(t);
    }
    if ((title.len && emc_buf_append_byte(&title, ' ')) ||
        emc_buf_append(&title, us[i].s, us[i].len))
      rc = EMC_ENOMEM;
    title_lines++;
  }
  if (rc == EMC_OK && type && emc_doc_meta_set(b->doc, "type", type))
    rc = EMC_ENOMEM;
  if (rc == EMC_OK && title_lines) {
    if (emc_buf_append_byte(&title, 0) || emc_doc_meta_set(b->doc, "title", title.data))
      rc = EMC_ENOMEM;
  }
  emc_buf_release(&title);
  free(type);
  if (rc)
    return emc_error_set(b->err, EMC_ENOMEM, "out of memory");
  /* the lines themselves stay, as the front matter */
  for (size_t i = 0; i < end && rc == EMC_OK; i++)
    rc = lb_para(b, b->cur, "p", us[i].s, us[i].len, NULL);
  return rc;
}

/* A marker alone on its line (nothing after it). */
static int marker_only(const unit *u)
{
  return skip_blanks(u->s, u->len, u->mend) == u->len;
}

static int title_candidate(const lay_layout *L, const unit *u)
{
  (void)L;
  return u->level == U_TEXT && u->len <= TITLE_MAX_BYTES &&
         (upper_line(u->s, u->len) || !ends_sentence(u->s, u->len));
}

static int build(struct lb *b, units *us)
{
  const lay_layout *L = b->L;
  unit *u = us->u;
  size_t n = us->n;
  /* IR levels: the heading levels that occur, in table order */
  int present[16] = { 0 };
  for (size_t i = 0; i < n; i++)
    if (u[i].level != U_TEXT && L->levels[u[i].level].kind == LAY_HEADING && u[i].level < 16)
      present[u[i].level] = 1;
  int lv = 0;
  for (size_t k = 0; k < L->nlevels && k < 16; k++) {
    if (present[k] && lv < 6)
      lv++;
    b->section_level[k] = lv ? lv : 1;
  }
  /* the header block */
  size_t hend = 0;
  while (hend < n && hend < HEADER_MAX_UNITS && u[hend].level == U_TEXT &&
         !match_any(L->preamble, u[hend].s, u[hend].len))
    hend++;
  if (hend == HEADER_MAX_UNITS)
    hend = 0;
  int rc = lb_header(b, u, hend);
  /* the signer: a name after a capitalised role at the very end */
  if (rc == EMC_OK && n >= 2 && u[n - 1].level == U_TEXT && name_line(u[n - 1].s, u[n - 1].len) &&
      upper_line(u[n - 2].s, u[n - 2].len) && u[n - 2].level == U_TEXT) {
    char *v = strndup(u[n - 1].s, u[n - 1].len);
    char *r = strndup(u[n - 2].s, u[n - 2].len);
    if (!v || !r || emc_doc_meta_set(b->doc, "signer", v) ||
        emc_doc_meta_set(b->doc, "signer-role", r))
      rc = emc_error_set(b->err, EMC_ENOMEM, "out of memory");
    free(v);
    free(r);
  }
  for (size_t i = hend; i < n && rc == EMC_OK; i++) {
    if (u[i].level != U_TEXT && L->levels[u[i].level].kind == LAY_HEADING) {
      const unit *title = NULL;
      if (L->levels[u[i].level].title == LAY_TITLE_NEXT && marker_only(&u[i]) && i + 1 < n &&
          title_candidate(L, &u[i + 1]))
        title = &u[++i];
      rc = lb_heading(b, &u[i - (title ? 1 : 0)], title);
      continue;
    }
    if (u[i].level != U_TEXT) {
      rc = lb_item(b, &u[i]);
      continue;
    }
    if (match_any(L->closing, u[i].s, u[i].len))
      b->depth = 0;
    if (b->depth) /* more text of the open clause */
      rc = lb_para(b, xmlGetLastChild(b->lists[0]), "p", u[i].s, u[i].len, NULL);
    else
      rc = lb_para(b, b->cur, "p", u[i].s, u[i].len, NULL);
  }
  return rc;
}

/* ------------------------------------------------------------ entry */

static int explaining(const emc_ctx *ctx)
{
  const char *v = emc_ctx_option(ctx, "explain");
  return v && *v && strcmp(v, "0") != 0;
}

int lay_read(emc_ctx *ctx, emc_doc *doc, const char *text, size_t len, size_t max_nodes,
             int *used, emc_error *err)
{
  *used = 0;
  const char *want = emc_ctx_option(ctx, "layout");
  int level = explaining(ctx) ? EMC_LOG_WARN : EMC_LOG_INFO;
  if (want && !strcmp(want, "none"))
    return EMC_OK;
  const lay_layout *best = NULL;
  struct score best_sc = { 0 };
  if (want) {
    for (const lay_layout *const *L = lay_layouts; *L; L++)
      if (!strcmp((*L)->name, want))
        best = *L;
    if (!best) {
      emc_buf names = EMC_BUF_INIT;
      for (const lay_layout *const *L = lay_layouts; *L; L++) {
        emc_buf_append(&names, " ", 1);
        emc_buf_append(&names, (*L)->name, strlen((*L)->name));
      }
      emc_buf_append_byte(&names, 0);
      int rc = emc_error_set(err, EMC_EINVAL, "--layout=%s: no such layout (known: none%s)",
                             want, names.data ? names.data : "");
      emc_buf_release(&names);
      return rc;
    }
    score_layout(best, text, len, &best_sc);
    emc_ctx_log(ctx, level, "explain: layout: %s (--layout; score %d)", best->name, best_sc.total);
  } else {
    for (const lay_layout *const *L = lay_layouts; *L; L++) {
      struct score sc;
      score_layout(*L, text, len, &sc);
      emc_ctx_log(ctx, level,
                  "explain: layout: %s scores %d (%d headings, %d with a keyword, %d items, "
                  "%d header fields, %d preamble lines)%s",
                  (*L)->name, sc.total, sc.headings, sc.keyword_headings, sc.items, sc.fields,
                  sc.preamble, qualifies(&sc) ? "" : ": not enough");
      if (qualifies(&sc) && (!best || sc.total > best_sc.total)) {
        best = *L;
        best_sc = sc;
      }
    }
    if (!best) {
      emc_ctx_log(ctx, level, "explain: layout: none applies");
      return EMC_OK;
    }
    emc_ctx_log(ctx, level, "explain: layout: %s won (%s)", best->name, best->description);
  }
  units us = { NULL, 0, 0, EMC_BUF_INIT };
  int rc = make_units(best, text, len, &us);
  if (rc) {
    free(us.u);
    emc_buf_release(&us.joined);
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  }
  struct lb b = { 0 };
  b.ctx = ctx;
  b.doc = doc;
  b.err = err;
  b.L = best;
  b.cur = emc_doc_body(doc);
  b.max_nodes = max_nodes;
  rc = build(&b, &us);
  if (rc == EMC_ENOMEM && !err->message)
    rc = emc_error_set(err, EMC_ENOMEM, "out of memory");
  free(us.u);
  emc_buf_release(&us.joined);
  if (rc == EMC_OK) {
    emc_ctx_log(ctx, level, "explain: layout: %s: %d headings, %d list items", best->name,
                b.headings, b.items);
    *used = 1;
  }
  return rc;
}
