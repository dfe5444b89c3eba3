/* SPDX-License-Identifier: MIT */
/* govtext.c - the structure of a web news article in the IR: the byline
 * and the source line at its end go into the metadata (author, source),
 * web-page residue ("Comment (0)", "Share", "Print", "Back to top" and
 * their Indonesian, Vietnamese and Hindi forms) leaves the body, and a
 * document without a title gets one derived from its first sentence
 * (<title derived="true">).
 *
 * Rules, in order (each decision is logged with --explain):
 *  1. boilerplate: a paragraph made only of web-page controls and counters
 *     ("Comment (0)", "Share | Print", "Komentar (0)", "Bình luận (0)",
 *     "टिप्पणी (0)") is removed, anywhere in the body (not in tables or
 *     notes), at most 80 characters long;
 *  2. source: among the last paragraphs of the article (after the last
 *     heading, boilerplate skipped), "LABEL: URL" where LABEL is Source,
 *     Sumber, स्रोत, Nguồn... becomes <source> (unless the metadata
 *     already holds another source: then the line stays);
 *  3. byline: the paragraph just before or after that source line, when it
 *     is a short name line ("Le Hong", "ले होंग"), or the last or first
 *     paragraph when it has an explicit form ("By …", "Oleh …", "Theo …"
 *     (last only), "… द्वारा", "Author: …") becomes <author> (several names
 *     joined by ",", "-", "and", "dan", "và", "और" give several authors);
 *  4. title: without a <title>, the first sentence of the first remaining
 *     block, cut at a word boundary to at most 80 characters ("…" marks the
 *     cut), without an unbalanced quotation mark.
 * The text of the other blocks is never changed. */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include "../common/filterutil.h"

#define GT "govtext"
#define TITLE_MAX 80     /* characters, the ellipsis included */
#define TITLE_SLACK 10   /* more for a whole clause, uncut: "about 80" */
#define RESIDUE_MAX 80   /* a longer paragraph is never boilerplate */
#define NAME_MAX_CHARS 48
#define NAME_MAX_WORDS 5

enum gt_class { GT_TEXT, GT_BOILERPLATE, GT_BYLINE, GT_SOURCE };

struct gt_block {
  xmlNodePtr node;
  char *text;          /* folded white space, notes left out */
  int top;             /* a child of body or section */
  int cls;             /* enum gt_class */
  const char *rule;    /* why (static) */
  char *value;         /* byline: the names ('\n'-separated); source: the URL */
};

/* ----------------------------------------------------- matching helpers */

/* Case-insensitive match of PHRASE (lower case UTF-8; a space matches any
 * run of white space) at S[POS]; returns the end offset, or 0. */
static size_t match_ci(const char *s, size_t len, size_t pos, const char *phrase)
{
  size_t plen = strlen(phrase), i = pos, k = 0;
  while (k < plen) {
    if (i >= len)
      return 0;
    uint32_t want = fu_utf8_next(phrase, plen, &k);
    if (want == ' ') {
      size_t i0 = i;
      uint32_t c = fu_utf8_next(s, len, &i);
      if (!fu_is_space(c))
        return 0;
      while (i < len) {
        i0 = i;
        if (!fu_is_space(fu_utf8_next(s, len, &i))) {
          i = i0;
          break;
        }
      }
      continue;
    }
    uint32_t c = fu_utf8_next(s, len, &i);
    if (fu_lower(c) != want)
      return 0;
  }
  return i;
}

/* ------------------------------------------------------------ boilerplate */

/* Labels of counters: "Comment (0)", "Komentar: 3", "0 comments". */
static const char *const counter_labels[] = {
  "comments", "comment", "views", "likes", "shares",
  "komentar", "dilihat", "tanggapan",
  "bình luận", "ý kiến", "lượt xem", "lượt thích",
  "टिप्पणियाँ", "टिप्पणियां", "टिप्पणी", "व्यूज़",
  NULL
};

/* Controls standing alone (matched longest first, whole words). */
static const char *const controls[] = {
  /* en */
  "back to top", "print this page", "print this article", "print article",
  "share this article", "share this", "share on facebook", "share on twitter",
  "share on linkedin", "send to a friend", "email this", "copy link", "print",
  "share", "email", "e-mail", "tweet", "like", "comments", "comment", "top",
  "facebook", "twitter", "linkedin", "whatsapp", "zalo", "telegram",
  /* id */
  "kembali ke atas", "ke atas", "bagikan artikel ini", "bagikan", "cetak halaman",
  "cetak", "salin tautan", "kirim", "komentar", "suka",
  /* vi */
  "về đầu trang", "lên đầu trang", "lên đầu", "chia sẻ bài viết", "chia sẻ",
  "in bài viết", "in bài", "in trang", "in", "gửi bình luận", "gửi ý kiến",
  "bình luận", "ý kiến", "sao chép liên kết", "sao chép link", "thích",
  /* hi */
  "शीर्ष पर जाएं", "शीर्ष पर जाएँ", "ऊपर जाएं", "ऊपर जाएँ", "वापस ऊपर",
  "शेयर करें", "साझा करें", "प्रिंट करें", "शेयर", "प्रिंट", "ईमेल",
  "टिप्पणियाँ", "टिप्पणियां", "टिप्पणी", "पसंद",
  NULL
};

static int residue_separator(uint32_t c)
{
  return fu_is_space(c) || c == '|' || c == '/' || c == '-' || c == ',' || c == ';' ||
         c == ':' || c == 0xB7 || c == 0x2022 || c == 0x2013 || c == 0x2014 || c == 0x25CF;
}

static size_t skip_digits(const char *s, size_t len, size_t i, int *n)
{
  *n = 0;
  while (i < len) {
    size_t at = i;
    uint32_t c = fu_utf8_next(s, len, &i);
    if (!fu_is_digit(c) && !(*n && (c == '.' || c == ',') && i < len)) {
      i = at;
      break;
    }
    *n += fu_is_digit(c);
  }
  return i;
}

/* A counter at S[I]: LABEL [ws] ( "(" N ")" | "[" N "]" | ":" N | N ), or
 * N LABEL.  Returns its end, or 0. */
static size_t match_counter(const char *s, size_t len, size_t i)
{
  int n;
  for (const char *const *l = counter_labels; *l; l++) {
    size_t e = match_ci(s, len, i, *l);
    if (!e || !fu_word_end(s, len, e))
      continue;
    e = fu_skip_space(s, len, e);
    if (e < len && (s[e] == '(' || s[e] == '[')) {
      char close = s[e] == '(' ? ')' : ']';
      size_t d = skip_digits(s, len, fu_skip_space(s, len, e + 1), &n);
      d = fu_skip_space(s, len, d);
      if (n && d < len && s[d] == close)
        return d + 1;
    } else if (e < len && s[e] == ':') {
      size_t d = skip_digits(s, len, fu_skip_space(s, len, e + 1), &n);
      if (n && fu_word_end(s, len, d))
        return d;
    } else {
      size_t d = skip_digits(s, len, e, &n);
      if (n && fu_word_end(s, len, d))
        return d;
    }
  }
  size_t d = skip_digits(s, len, i, &n);
  if (n) {
    d = fu_skip_space(s, len, d);
    for (const char *const *l = counter_labels; *l; l++) {
      size_t e = match_ci(s, len, d, *l);
      if (e && fu_word_end(s, len, e))
        return e;
    }
  }
  return 0;
}

/* The rule when TEXT is nothing but web-page controls and counters. */
static const char *residue_rule(const char *s)
{
  size_t len = strlen(s), i = 0;
  int parts = 0, counters = 0;
  /* a UTF-8 character takes at most 4 bytes: the length decides most */
  if (!len || len / 4 > RESIDUE_MAX || emc_utf8_count(s, len) > RESIDUE_MAX)
    return NULL;
  for (;;) {
    while (i < len) {
      size_t at = i;
      if (!residue_separator(fu_utf8_next(s, len, &i))) {
        i = at;
        break;
      }
    }
    if (i >= len)
      break;
    size_t e = match_counter(s, len, i);
    if (e) {
      counters++;
    } else {
      for (const char *const *c = controls; *c; c++) {
        size_t m = match_ci(s, len, i, *c);
        if (m > e && fu_word_end(s, len, m))
          e = m;
      }
      if (!e)
        return NULL;
    }
    parts++;
    i = e;
  }
  if (!parts)
    return NULL;
  return counters ? "comment/view counter of the web page"
                  : "web-page control (share, print, back to top...)";
}

/* ----------------------------------------------------------------- source */

static const char *const source_labels[] = {
  "source url", "sources", "source", "original article", "original", "read more at",
  "sumber berita", "sumber", "nguồn tin", "nguồn bài viết", "nguồn", "link gốc",
  "bài gốc", "स्रोत", "साभार", NULL
};

/* "LABEL: URL" (optionally in parentheses).  Returns the URL (malloc'ed)
 * and the label's end in *LABEL_END, or NULL. */
static char *source_url(const char *s, size_t *label_end)
{
  size_t len = strlen(s), i = 0, e = 0;
  if (len && s[0] == '(')
    i = fu_skip_space(s, len, 1);
  for (const char *const *l = source_labels; *l && !e; l++)
    e = match_ci(s, len, i, *l);
  if (!e || !fu_word_end(s, len, e))
    return NULL;
  *label_end = e;
  e = fu_skip_space(s, len, e);
  if (e < len && s[e] == ':')
    e++;
  else if (e + 2 < len && memcmp(s + e, "\xEF\xBC\x9A", 3) == 0) /* fullwidth colon */
    e += 3;
  else
    return NULL;
  e = fu_skip_space(s, len, e);
  if (e < len && s[e] == '<')
    e++;
  if (!(strncmp(s + e, "http://", 7) == 0 || strncmp(s + e, "https://", 8) == 0 ||
        strncmp(s + e, "www.", 4) == 0))
    return NULL;
  size_t u = e;
  while (u < len && s[u] != ' ') /* the text's white space is folded */
    u++;
  size_t rest = fu_skip_space(s, len, u);
  if (rest != len)
    return NULL; /* more text after the URL: not a source line */
  while (u > e && strchr(".,;>)", s[u - 1]))
    u--;
  if (u - e < 8)
    return NULL;
  char *url = malloc(u - e + 1);
  if (url) {
    memcpy(url, s + e, u - e);
    url[u - e] = '\0';
  }
  return url;
}

/* ----------------------------------------------------------------- byline */

static int name_particle(const char *w, size_t n)
{
  static const char *const particles[] = { "van", "de", "der", "den", "bin", "binti",
                                           "al", "la", "le", "da", "dos", "von", NULL };
  for (const char *const *p = particles; *p; p++)
    if (strlen(*p) == n && memcmp(*p, w, n) == 0)
      return 1;
  return 0;
}

/* One person's name: 1-5 words, each capitalised (Latin) or Devanagari,
 * letters with inner . ' - only, no digits. */
static int name_like(const char *s, size_t len)
{
  size_t i = 0, words = 0;
  if (!len || len / 4 > NAME_MAX_CHARS || emc_utf8_count(s, len) > NAME_MAX_CHARS)
    return 0;
  if (s[len - 1] == ')') { /* "Le Hong (TTXVN)": an agency or role after it */
    size_t open = len - 1;
    while (open > 0 && s[open] != '(')
      open--;
    if (open < 2 || s[open - 1] != ' ')
      return 0;
    for (size_t k = open + 1; k < len - 1;) {
      uint32_t c = fu_utf8_next(s, len - 1, &k);
      if (!(fu_is_letter(c) || fu_is_space(c) || c == '.' || c == '-' || c == ','))
        return 0;
    }
    len = open - 1;
  }
  while (i < len) {
    i = fu_skip_space(s, len, i);
    if (i >= len)
      break;
    size_t w0 = i, w1;
    uint32_t first = fu_utf8_next(s, len, &i);
    if (!fu_is_letter(first))
      return 0;
    int deva = fu_is_devanagari(first);
    for (w1 = i; w1 < len;) {
      size_t at = w1;
      uint32_t c = fu_utf8_next(s, len, &w1);
      if (fu_is_space(c)) {
        w1 = at;
        break;
      }
      if (fu_is_devanagari(c))
        deva = 1;
      else if (!(fu_is_letter(c) || c == '.' || c == '\'' || c == 0x2019 || c == '-'))
        return 0;
    }
    if (!deva && !fu_is_upper(first) && !name_particle(s + w0, w1 - w0))
      return 0;
    words++;
    i = w1;
  }
  return words >= 1 && words <= NAME_MAX_WORDS;
}

/* Splits NAMES (LEN bytes) on "," ";" "&" "/" " - " " – " " and " " dan "
 * " và " " और " into name-like parts, appended '\n'-separated to OUT.
 * Returns the number of names, 0 if a part is not a name, -1 when out of
 * memory (then no byline is taken: the text stays where it is). */
static int split_names(const char *s, size_t len, emc_buf *out)
{
  static const char *const seps[] = { " and ", " dan ", " và ", " và ", " और ",
                                      " - ", " – ", " — ", ", ", "; ", " & ",
                                      " / ", NULL };
  size_t start = 0, i = 0;
  int count = 0;
  while (i <= len) {
    size_t e = 0;
    if (i < len)
      for (const char *const *p = seps; *p && !e; p++)
        e = match_ci(s, len, i, *p);
    if (i == len || e) {
      size_t a = fu_skip_space(s, len, start), b = i;
      while (b > a && (s[b - 1] == ' ' || s[b - 1] == ','))
        b--;
      if (!name_like(s + a, b - a))
        return 0;
      if ((count && emc_buf_append_byte(out, '\n')) || emc_buf_append(out, s + a, b - a))
        return -1;
      count++;
      if (i == len)
        break;
      start = i = e;
      continue;
    }
    fu_utf8_next(s, len, &i);
  }
  return count;
}

static const char *const byline_prefixes[] = {
  "written by ", "posted by ", "by ", "oleh: ", "oleh ", "penulis: ", "author: ",
  "authors: ", "reporter: ", "wartawan: ", "tác giả: ", "phóng viên: ", "लेखक: ",
  "theo ", NULL
};

/* An explicit byline: returns the names ('\n'-separated) and sets *RULE;
 * THEO_OK: "Theo …" is accepted (only at the end: at the start it is the
 * Vietnamese "according to"). */
static char *explicit_byline(const char *s, int theo_ok, const char **rule)
{
  size_t len = strlen(s);
  emc_buf names = EMC_BUF_INIT;
  for (const char *const *p = byline_prefixes; *p; p++) {
    size_t e = match_ci(s, len, 0, *p);
    if (!e || (!theo_ok && strcmp(*p, "theo ") == 0))
      continue;
    if (split_names(s + e, len - e, &names) > 0) {
      *rule = "explicit byline form (By/Oleh/Theo/Author: NAME)";
      return emc_buf_steal(&names, NULL);
    }
    emc_buf_release(&names);
    return NULL;
  }
  static const char dvara[] = " द्वारा";
  size_t dl = strlen(dvara);
  if (len > dl && memcmp(s + len - dl, dvara, dl) == 0 &&
      split_names(s, len - dl, &names) > 0) {
    *rule = "explicit byline form (NAME द्वारा)";
    return emc_buf_steal(&names, NULL);
  }
  emc_buf_release(&names);
  return NULL;
}

static char *bare_byline(const char *s)
{
  emc_buf names = EMC_BUF_INIT;
  size_t len = strlen(s);
  if (len && split_names(s, len, &names) > 0)
    return emc_buf_steal(&names, NULL);
  emc_buf_release(&names);
  return NULL;
}

/* ------------------------------------------------------------------ title */

static int abbreviation(const char *s, size_t start, size_t dot)
{
  static const char *const abbr[] = { "no", "nos", "mr", "mrs", "ms", "dr", "st", "vs",
                                      "prof", "gov", "dept", "art", "e.g", "i.e", "tp",
                                      "ir", "drs", "bpk", "hj", "jl", "sdr", "nr", NULL };
  size_t w = dot;
  while (w > start) {
    size_t prev;
    uint32_t c = fu_utf8_prev(s, w, &prev);
    if (!fu_is_letter(c) && c != '.')
      break;
    w = prev;
  }
  size_t n = dot - w;
  if (n == 0)
    return 0;
  if (emc_utf8_count(s + w, n) == 1)
    return 1; /* an initial */
  for (const char *const *a = abbr; *a; a++)
    if (strlen(*a) == n && match_ci(s, dot, w, *a) == dot)
      return 1;
  return 0;
}

/* The length in bytes of the first sentence of S. */
static size_t first_sentence(const char *s, size_t len)
{
  for (size_t i = 0; i < len;) {
    size_t at = i;
    uint32_t c = fu_utf8_next(s, len, &i);
    if (!(c == '.' || c == '!' || c == '?' || c == 0x964 || c == 0x2026))
      continue;
    size_t end = i;
    while (end < len && strchr(".!?", s[end]))
      end++;
    while (end < len) { /* closing quotes and brackets go with it */
      size_t e2 = end;
      uint32_t q = fu_utf8_next(s, len, &e2);
      if (q != '"' && q != '\'' && q != 0x201D && q != 0x2019 && q != ')')
        break;
      end = e2;
    }
    if (end < len && s[end] != ' ') /* the text's white space is folded */
      continue;
    size_t next = fu_skip_space(s, len, end);
    if (next >= len)
      return len;
    size_t n2 = next;
    uint32_t nc = fu_utf8_next(s, len, &n2);
    if (c == '.' && end == i && (abbreviation(s, 0, at) || fu_is_digit(nc) ||
                                 (fu_is_letter(nc) && !fu_is_upper(nc) && nc < 0x900)))
      continue;
    return end;
  }
  return len;
}

static int trailing_junk(uint32_t c)
{
  return fu_is_space(c) || c == ',' || c == ';' || c == ':' || c == '-' || c == 0x2013 ||
         c == 0x2014 || c == '(' || c == 0x201C || c == 0x2018 || c == '"' || c == '\'';
}

static size_t trim_end(const char *s, size_t len)
{
  while (len) {
    size_t prev;
    uint32_t c = fu_utf8_prev(s, len, &prev);
    if (!trailing_junk(c))
      break;
    len = prev;
  }
  return len;
}

/* Words that open an adverbial phrase set off by a comma before a
 * sentence's main clause ("In the period of 2021 - 2025, emulation
 * movements ...", "Menanggapi ..., seluruh provinsi ...", "Sáng ngày ...,
 * Ủy ban ..."); besides, an English first word in -ing ("Responding"). */
static int opens_adverbial(const char *s, size_t n)
{
  static const char *const intro[] = {
    "in", "on", "at", "during", "after", "before", "following", "since", "under", "with",
    "as", "to", "for", "by", "through", "upon", "within", "from", "according", "amid",
    "dalam", "pada", "untuk", "sejak", "setelah", "sebelum", "melalui", "berdasarkan",
    "menanggapi", "menurut", "selama", "dengan", "guna", "demi",
    "trong", "theo", "sau", "với", "để", "hưởng", "thực", "sáng", "chiều", "ngày", "nhằm",
    NULL
  };
  size_t w = 0;
  while (w < n && s[w] != ' ' && s[w] != ',')
    w++;
  if (w >= 4 && s[w - 3] == 'i' && s[w - 2] == 'n' && s[w - 1] == 'g' && (s[0] & 0x80) == 0)
    return 1;
  for (const char *const *k = intro; *k; k++)
    if (strlen(*k) == w && match_ci(s, w, 0, *k) == w)
      return 1;
  return 0;
}

/* The main clause of the sentence S (N bytes) when it opens with an
 * adverbial phrase: from after the first comma outside quotation marks to
 * the next one or the sentence's end.  Returns its start and sets *END;
 * 0 when there is none. */
static size_t main_clause(const char *s, size_t n, size_t *end)
{
  if (!opens_adverbial(s, n))
    return 0;
  int quoted = 0;
  size_t start = 0;
  for (size_t i = 0; i < n;) {
    size_t at = i;
    uint32_t c = fu_utf8_next(s, n, &i);
    if (c == '"')
      quoted = !quoted;
    else if (c == 0x201C)
      quoted = 1;
    else if (c == 0x201D)
      quoted = 0;
    else if (c == ',' && !quoted) {
      if (start) {
        *end = at;
        return start;
      }
      start = fu_skip_space(s, n, i);
    }
  }
  *end = n;
  return start < n ? start : 0;
}

static char *derive_from_sentence(const char *text);

/* Derives a title from TEXT: its first sentence, or that sentence's main
 * clause when an adverbial phrase opens it (a title says what happened,
 * not when or in answer to what), its first letter made upper case.
 * Returns: (transfer full), NULL if none. */
static char *derive_title(const char *text)
{
  size_t n = first_sentence(text, strlen(text)), end = 0;
  size_t start = emc_utf8_count(text, n) > TITLE_MAX ? main_clause(text, n, &end) : 0;
  if (start && end > start && text[end - 1] == '.')
    end--;
  size_t chars = start ? emc_utf8_count(text + start, end - start) : 0;
  if (chars >= 20) {
    emc_buf clause = EMC_BUF_INIT;
    if (emc_buf_append(&clause, text + start, end - start)) {
      emc_buf_release(&clause);
      return NULL;
    }
    if (clause.data[0] >= 'a' && clause.data[0] <= 'z')
      clause.data[0] = (char)(clause.data[0] - 'a' + 'A');
    /* a whole clause of about TITLE_MAX characters reads better than one
     * cut to fit with an ellipsis */
    if (chars <= TITLE_MAX + TITLE_SLACK)
      return emc_buf_steal(&clause, NULL);
    char *t = derive_from_sentence(clause.data);
    emc_buf_release(&clause);
    return t;
  }
  return derive_from_sentence(text);
}

/* Derives a title from TEXT's first sentence.  Returns: (transfer full),
 * NULL if none. */
static char *derive_from_sentence(const char *text)
{
  size_t len = strlen(text);
  size_t n = first_sentence(text, len), cut = n;
  int cut_short = 0;
  if (emc_utf8_count(text, n) > TITLE_MAX) {
    /* the last word boundary that leaves room for the ellipsis */
    size_t i = 0, chars = 0, last_space = 0;
    while (i < n && chars < TITLE_MAX) {
      size_t at = i;
      uint32_t c = fu_utf8_next(text, n, &i);
      if (fu_is_space(c))
        last_space = at;
      chars++;
    }
    cut = last_space ? last_space : i;
    cut_short = 1;
  }
  /* an opening quotation mark left unclosed by the cut */
  size_t open = (size_t)-1;
  int ascii_open = 0;
  for (size_t i = 0; i < cut;) {
    size_t at = i;
    uint32_t c = fu_utf8_next(text, cut, &i);
    if (c == '"') {
      ascii_open = !ascii_open;
      open = ascii_open ? at : (size_t)-1;
    } else if (c == 0x201C)
      open = at;
    else if (c == 0x201D)
      open = (size_t)-1;
  }
  size_t start = 0;
  if (open != (size_t)-1) {
    if (emc_utf8_count(text, open) >= 30) {
      cut = open;
      cut_short = 1;
    } else if (open == 0) {
      fu_utf8_next(text, cut, &start);
      start = fu_skip_space(text, cut, start);
    }
  }
  if (cut_short)
    cut = trim_end(text, cut);
  else if (cut > start && text[cut - 1] == '.' && !(cut > 1 && text[cut - 2] == '.'))
    cut--; /* a title has no full stop */
  if (cut <= start)
    return NULL;
  emc_buf t = EMC_BUF_INIT;
  if (emc_buf_append(&t, text + start, cut - start) ||
      (cut_short && emc_buf_append_str(&t, "\xE2\x80\xA6"))) {
    emc_buf_release(&t);
    return NULL; /* out of memory: no title derived */
  }
  return emc_buf_steal(&t, NULL);
}

/* ------------------------------------------------------------------ filter */

static const char *block_kind(const xmlNode *n)
{
  if (fu_is(n, "heading"))
    return "heading";
  if (fu_is(n, "p") && n->parent && fu_is(n->parent, "item"))
    return "list item";
  if (fu_is(n, "p"))
    return "paragraph";
  return (const char *)n->name;
}

static int collect(xmlNodePtr body, struct gt_block **out, size_t *count)
{
  struct gt_block *v = NULL;
  size_t n = 0, cap = 0;
  for (xmlNodePtr x = body; x;) {
    int skip = fu_is(x, "table") || fu_is(x, "note") || fu_is(x, "pre") ||
               fu_is(x, "figure");
    int take = fu_is(x, "p") || fu_is(x, "heading");
    if (take) {
      if (n == cap) {
        cap = cap ? cap * 2 : 32;
        struct gt_block *g = realloc(v, cap * sizeof *g);
        if (!g)
          goto oom;
        v = g;
      }
      struct gt_block *b = &v[n];
      memset(b, 0, sizeof *b);
      b->node = x;
      b->top = x->parent && (fu_is(x->parent, "body") || fu_is(x->parent, "section"));
      if (!(b->text = fu_block_text(x)))
        goto oom;
      n++;
    }
    x = emc_ir_next(x, body, x->type == XML_ELEMENT_NODE && !skip && !take);
  }
  *out = v;
  *count = n;
  return EMC_OK;
oom:
  for (size_t i = 0; i < n; i++)
    free(v[i].text);
  free(v);
  return EMC_ENOMEM;
}

static int has_value(const emc_doc *doc, const char *key, const char *value)
{
  for (xmlNodePtr m = emc_doc_meta(doc)->children; m; m = m->next) {
    if (!fu_is(m, key))
      continue;
    xmlChar *v = xmlNodeGetContent(m);
    int same = v && strcmp((const char *)v, value) == 0;
    xmlFree(v);
    if (same)
      return 1;
  }
  return 0;
}

/* True when every name of NAMES ('\n'-separated) is an <author> already. */
static int known_authors(const emc_doc *doc, const char *names)
{
  int all = 1;
  char *copy = strdup(names);
  if (!copy)
    return 0;
  for (char *name = copy, *nl; name && all; name = nl ? nl + 1 : NULL) {
    if ((nl = strchr(name, '\n')))
      *nl = '\0';
    all = has_value(doc, "author", name);
  }
  free(copy);
  return all;
}

static void explain_block(emc_ctx *ctx, size_t i, const struct gt_block *b)
{
  if (!fu_explaining(ctx))
    return;
  char *ex = fu_excerpt(b->text, 48);
  const char *kind = block_kind(b->node);
  switch (b->cls) {
  case GT_BOILERPLATE:
    fu_explain(ctx, GT, "block %zu (%s) \"%s\": boilerplate, removed (rule: %s)", i + 1,
               kind, ex ? ex : "", b->rule);
    break;
  case GT_SOURCE:
    fu_explain(ctx, GT, "block %zu (%s) \"%s\": source -> <source>%s</source> (rule: %s)",
               i + 1, kind, ex ? ex : "", b->value, b->rule);
    break;
  case GT_BYLINE:
    fu_explain(ctx, GT, "block %zu (%s) \"%s\": byline -> <author> (rule: %s)", i + 1, kind,
               ex ? ex : "", b->rule);
    break;
  default:
    fu_explain(ctx, GT, "block %zu (%s) \"%s\": %s, kept (rule: %s)", i + 1, kind,
               ex ? ex : "", kind,
               b->rule ? b->rule : "the reader's block; no govtext rule matched");
  }
  free(ex);
}

/* One run of the filter: what its phases share. */
struct gt_run {
  emc_ctx *ctx;
  emc_doc *doc;
  xmlNodePtr body, meta;
  struct gt_block *b; /* the text blocks, in document order */
  size_t n;
  size_t tail[3]; /* the article's last top-level paragraphs, last first */
  int nt;
  int src;        /* the source line's index in TAIL, -1: none */
};

/* Phase 1: web-page residue ("Print", "Share"...). */
static void gt_boilerplate(struct gt_run *st)
{
  for (size_t i = 0; i < st->n; i++)
    if (fu_is(st->b[i].node, "p") && (st->b[i].rule = residue_rule(st->b[i].text)))
      st->b[i].cls = GT_BOILERPLATE;
}

/* Phase 2: the tail of the article (the last top-level paragraphs after
 * the last heading, boilerplate skipped) and a source line among its last
 * two. */
static void gt_source(struct gt_run *st)
{
  struct gt_block *b = st->b;
  st->nt = 0;
  for (size_t i = st->n; i-- > 0 && st->nt < 3;) {
    if (!b[i].top || b[i].cls == GT_BOILERPLATE || !*b[i].text)
      continue;
    if (!fu_is(b[i].node, "p"))
      break;
    st->tail[st->nt++] = i;
  }
  char *existing_source = emc_doc_meta_get(st->doc, "source");
  st->src = -1;
  for (int k = 0; k < st->nt && k < 2 && st->src < 0; k++) {
    struct gt_block *x = &b[st->tail[k]];
    size_t label_end;
    char *url = source_url(x->text, &label_end);
    if (!url)
      continue;
    if (k == 1) { /* not last: only a byline may follow it */
      const char *rule;
      char *names = explicit_byline(b[st->tail[0]].text, 1, &rule);
      if (!names)
        names = bare_byline(b[st->tail[0]].text);
      int byline_after = names != NULL;
      free(names);
      if (!byline_after) {
        free(url);
        break;
      }
    }
    if (existing_source && strcmp(existing_source, url) != 0) {
      x->rule = "a source line, kept: the metadata already names another source";
      free(url);
      break;
    }
    x->cls = GT_SOURCE;
    x->value = url;
    x->rule = "\"LABEL: URL\" (Source/Sumber/Nguồn/स्रोत...) at the end of the article";
    st->src = k;
  }
  free(existing_source);
}

/* A byline in X, explicit ("By ..."; LAST: X is the article's last
 * paragraph, where "Theo" counts too), or bare when the metadata already
 * names its authors (then KNOWN is the rule): X becomes GT_BYLINE. */
static void gt_byline_known(struct gt_run *st, struct gt_block *x, int last, const char *known)
{
  const char *rule = NULL;
  char *names = explicit_byline(x->text, last, &rule);
  if (!names && (names = bare_byline(x->text)) && known_authors(st->doc, names))
    rule = known;
  else if (!rule) {
    free(names);
    names = NULL;
  }
  if (names) {
    x->cls = GT_BYLINE;
    x->value = names;
    x->rule = rule;
  }
}

/* Phase 3: bylines: next to the source line (bare or explicit), or the
 * last paragraph (explicit), or the first one (explicit, not "Theo"). */
static void gt_bylines(struct gt_run *st)
{
  struct gt_block *b = st->b;
  if (st->src >= 0) {
    /* before the source line, else just after it */
    int cand[2] = { st->src + 1, st->src - 1 };
    for (int c = 0; c < 2; c++) {
      if (cand[c] < 0 || cand[c] >= st->nt)
        continue;
      struct gt_block *x = &b[st->tail[cand[c]]];
      const char *rule = NULL;
      char *names = explicit_byline(x->text, 1, &rule);
      if (!names && (names = bare_byline(x->text)))
        rule = c == 0 ? "a short name line just before the source line"
                      : "a short name line just after the source line";
      if (names) {
        x->cls = GT_BYLINE;
        x->value = names;
        x->rule = rule;
        break;
      }
    }
  } else if (st->nt > 0)
    gt_byline_known(st, &b[st->tail[0]], 1,
                    "the last paragraph names the author the metadata already has");
  /* the first paragraph of the article (after a heading, if any) */
  for (size_t i = 0, seen = 0; i < st->n && seen < 2; i++) {
    if (!b[i].top || !*b[i].text)
      continue;
    seen++;
    if (b[i].cls != GT_TEXT || !fu_is(b[i].node, "p"))
      continue;
    gt_byline_known(st, &b[i], 0, "the first paragraph names the author the metadata already has");
    break;
  }
}

/* Phase 4: the metadata the verdicts give (source, authors), with
 * --explain's account of every block. */
static int gt_apply(struct gt_run *st)
{
  int rc = EMC_OK;
  for (size_t i = 0; i < st->n && rc == EMC_OK; i++) {
    struct gt_block *x = &st->b[i];
    explain_block(st->ctx, i, x);
    if (x->cls == GT_SOURCE) {
      rc = emc_doc_meta_set(st->doc, "source", x->value);
      emc_ctx_log(st->ctx, EMC_LOG_INFO, "govtext: source %s (from the line \"%s\")", x->value,
                  x->text);
    } else if (x->cls == GT_BYLINE) {
      for (char *name = x->value, *nl; name && rc == EMC_OK; name = nl ? nl + 1 : NULL) {
        if ((nl = strchr(name, '\n')))
          *nl = '\0';
        if (!has_value(st->doc, "author", name)) {
          rc = emc_doc_meta_add(st->doc, "author", name);
          emc_ctx_log(st->ctx, EMC_LOG_INFO, "govtext: author \"%s\" (from the byline \"%s\")",
                      name, x->text);
        }
        if (nl)
          *nl = '\n';
      }
    } else if (x->cls == GT_BOILERPLATE)
      emc_ctx_log(st->ctx, EMC_LOG_INFO, "govtext: removed web-page residue \"%s\"", x->text);
  }
  return rc;
}

/* Phase 5: the title: the document's own, else one derived from the first
 * sentence of the first text block left (outside notes). */
static int gt_title(struct gt_run *st)
{
  xmlNodePtr title = NULL;
  for (xmlNodePtr m = st->meta->children; m; m = m->next)
    if (fu_is(m, "title"))
      title = m;
  if (title) {
    xmlChar *t = xmlNodeGetContent(title);
    fu_explain(st->ctx, GT, "title \"%s\": kept (rule: the document has a title)",
               t ? (const char *)t : "");
    xmlFree(t);
    return EMC_OK;
  }
  char *derived = NULL;
  size_t from = 0;
  for (size_t i = 0; i < st->n && !derived; i++)
    if (st->b[i].cls == GT_TEXT && *st->b[i].text && !fu_within(st->b[i].node, "note", st->body)) {
      derived = derive_title(st->b[i].text);
      from = i;
    }
  /* A document of one short block would get that block again as its
   * title, and a reader that shows the title as the headline would then
   * show the text once and treat it as the headline: the body would look
   * empty.  Such a block is the text, not a title. */
  size_t text_blocks = 0;
  for (size_t i = 0; i < st->n; i++)
    text_blocks += st->b[i].cls == GT_TEXT && *st->b[i].text;
  if (derived && text_blocks == 1 && strcmp(derived, st->b[from].text) == 0) {
    free(derived);
    fu_explain(st->ctx, GT, "no title derived (rule: the document's only block is all its "
                            "text, not a title)");
    return EMC_OK;
  }
  if (!derived) {
    fu_explain(st->ctx, GT, "no title derived (rule: no text block to take it from)");
    return EMC_OK;
  }
  int rc = EMC_OK;
  xmlNodePtr t = emc_ir_add(st->meta, "title", derived);
  if (!t || !xmlSetProp(t, BAD_CAST "derived", BAD_CAST "true"))
    rc = EMC_ENOMEM;
  /* the program shows this one line even without -v (core/emuconv.c),
   * prefixed with the input's name: the user should know the book's title
   * was made up, and how to give one */
  emc_ctx_note(st->ctx, "derived-title", "no title; using \"%s\" (-M title= to set one)",
               derived);
  fu_explain(st->ctx, GT, "title \"%s\": derived from block %zu (rule: its first sentence, "
                          "cut at a word boundary to at most %d characters)",
             derived, from + 1, TITLE_MAX);
  free(derived);
  return rc;
}

/* Classifies the body's text blocks (phases 1-3), writes what they say
 * into the metadata (4, 5), then removes all but the text (6). */
static int gt_filter(emc_ctx *ctx, emc_doc *doc, emc_error *err)
{
  struct gt_run st = { .ctx = ctx, .doc = doc, .body = emc_doc_body(doc),
                       .meta = emc_doc_meta(doc) };
  int rc = collect(st.body, &st.b, &st.n);
  if (rc)
    return emc_error_set(err, rc, "govtext: out of memory");
  gt_boilerplate(&st);
  gt_source(&st);
  gt_bylines(&st);
  rc = gt_apply(&st);
  if (rc == EMC_OK)
    rc = gt_title(&st);
  for (size_t i = 0; i < st.n; i++) {
    if (rc == EMC_OK && st.b[i].cls != GT_TEXT)
      fu_remove_block(st.b[i].node, st.body);
    free(st.b[i].text);
    free(st.b[i].value);
  }
  free(st.b);
  if (rc)
    return emc_error_set(err, rc, "govtext: out of memory");
  return EMC_OK;
}

EMC_PLUGIN_DEFINE(govtext, "govtext", PACKAGE_VERSION,
                  "byline and source line to metadata, web-page residue out, derived title",
                  .filter = gt_filter, .options = fu_explain_options)
