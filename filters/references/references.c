/* SPDX-License-Identifier: MIT */
/* references.c - marks up legal-document numbers and dates in running
 * text as <ref type="docnum" value="733/QD-TTg"> and <ref type="date"
 * value="2019-06-14">, wrapping the exact original text: no character is
 * changed, added or removed.
 *
 * Document numbers (the Vietnamese system):
 *   NUMBER/TYPE-AGENCY        733/QD-TTg, 409/QĐ-UBDT, 1234/UBND-KT
 *   NUMBER/YEAR/TYPE-AGENCY   15/2019/NĐ-CP, 01/2020/TT-BTC
 *   NUMBER/YEAR/AGENCY        88/2019/QH14 (an agency with a digit or two
 *                             capitals)
 *   NUMBER-TYPE/AGENCY        36-NQ/TW (the Party's form)
 * A prefix directly before the number ("No.", "No", "Nos.", "Nomor",
 * "Nr.", "Số", "số", "संख्या", "सं.") is part of the marked text, as in the
 * IR's own example (<ref ...>No. 733/QD-TTg</ref>); the value is the
 * number alone, exactly as written (QĐ keeps its Đ).
 *
 * Dates (value: ISO 8601 YYYY-MM-DD; impossible days are not marked):
 *   en  June 14, 2019 · June 14 2019 · 14 June 2019 · 14th of June, 2019
 *       (full and three-letter month names, "Sept.", any case)
 *   id  21 Juni 2024 · 14 Agustus 2019 (and Jan, Feb, Mar, Agt, Okt, Des...)
 *   vi  ngày 14 tháng 6 năm 2019 · ngày 14/6/2019 · ngày 14-6-2019
 *       ("ngày" is part of the marked text; numeric forms only after it)
 *   hi  14 जून 2019 · 14 जून, 2019 (ASCII or Devanagari digits)
 *   ISO 2019-06-14
 * Not marked: text inside <code>, <pre>, an existing <ref> or a link <a>,
 * the metadata, and an entity split over several text nodes ("June
 * <em>14</em>, 2019"). */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include "../common/filterutil.h"

#define RF "references"

struct match {
  size_t start, end;   /* byte offsets in the text node */
  char value[64];
  const char *type;    /* "docnum" or "date" */
  const char *rule;
};

/* -------------------------------------------------------------- scanning */

/* At least one white space character (returns its end), else 0. */
static size_t need_ws(const char *s, size_t len, size_t i)
{
  size_t e = fu_skip_space(s, len, i);
  return e > i ? e : 0;
}

/* Up to MAX digits (ASCII or Devanagari, not mixed into other digits) at
 * S[I]: their value in *V, the end returned; 0 if none or too many. */
static size_t number(const char *s, size_t len, size_t i, int max, long *v)
{
  int n = 0;
  *v = 0;
  while (i < len) {
    size_t at = i;
    uint32_t c = fu_utf8_next(s, len, &i);
    if (!fu_is_digit(c)) {
      i = at;
      break;
    }
    if (++n > max)
      return 0;
    *v = *v * 10 + fu_digit_value(c);
  }
  return n ? i : 0;
}

static char lower_byte(char b)
{
  return b >= 'A' && b <= 'Z' ? (char)(b - 'A' + 'a') : b;
}

/* Case-insensitive literal match (PAT lower case) at S[I]; end or 0. */
static size_t lit(const char *s, size_t len, size_t i, const char *pat)
{
  size_t plen = strlen(pat), k = 0;
  while (k < plen) {
    if (i >= len)
      return 0;
    unsigned char p = (unsigned char)pat[k], b = (unsigned char)s[i];
    if (p < 0x80 && b < 0x80) { /* both ASCII: what fu_lower would say, inline */
      if ((unsigned char)lower_byte((char)b) != p)
        return 0;
      i++, k++;
      continue;
    }
    uint32_t want = fu_utf8_next(pat, plen, &k);
    uint32_t c = fu_utf8_next(s, len, &i);
    if (fu_lower(c) != want)
      return 0;
  }
  return i;
}

/* ------------------------------------------------------------ doc numbers */

/* An upper-case letter of a document code (A-Z, Đ). */
static int code_upper(uint32_t c)
{
  return (c >= 'A' && c <= 'Z') || c == 0x110;
}

static int code_letter(uint32_t c)
{
  return code_upper(c) || (c >= 'a' && c <= 'z') || c == 0x111;
}

/* A code segment: an upper-case letter, then letters (and digits when
 * DIGITS) up to 12 characters.  Sets *UPPERS and *HAS_DIGIT. */
static size_t segment(const char *s, size_t len, size_t i, int digits, int *uppers,
                      int *has_digit)
{
  size_t at = i;
  int n = 0;
  *uppers = 0;
  *has_digit = 0;
  if (i >= len)
    return 0;
  uint32_t c = fu_utf8_next(s, len, &i);
  if (!code_upper(c))
    return 0;
  (*uppers)++;
  n = 1;
  while (i < len) {
    at = i;
    c = fu_utf8_next(s, len, &i);
    if (code_letter(c) || (digits && c >= '0' && c <= '9')) {
      *uppers += code_upper(c);
      *has_digit |= c >= '0' && c <= '9';
      if (++n > 12)
        return 0;
      continue;
    }
    i = at;
    break;
  }
  return i;
}

/* TYPE-AGENCY(-AGENCY...) at S[I]; end or 0. */
static size_t type_agency(const char *s, size_t len, size_t i)
{
  int up, dig;
  size_t e = segment(s, len, i, 0, &up, &dig);
  if (!e || e >= len || s[e] != '-')
    return 0;
  size_t end = 0;
  while (e < len && s[e] == '-') {
    size_t a = segment(s, len, e + 1, 1, &up, &dig);
    if (!a)
      break;
    end = e = a;
  }
  return end;
}

/* The words that may stand before a document number, as part of it. */
static const char *const docnum_prefixes[] = { "nos.", "no.", "no", "nomor", "nr.", "số",
                                               "संख्या", "सं.", NULL };

static int docnum_at(const char *s, size_t len, size_t i, struct match *m)
{
  size_t num_at = i;
  const char *rule = NULL;
  const char b0 = lower_byte(s[i]); /* no prefix starts with a letter that has case
                                       outside ASCII: the first byte must be its own */
  for (const char *const *pre = docnum_prefixes; *pre; pre++) {
    if (b0 != (*pre)[0])
      continue;
    size_t p = lit(s, len, i, *pre);
    int dot = (*pre)[strlen(*pre) - 1] == '.';
    if (!p || (!dot && !fu_word_end(s, len, p)))
      continue;
    size_t q = fu_skip_space(s, len, p);
    if (q == p && !dot)
      continue;
    num_at = q; /* the prefix must be followed by a document number */
    break;
  }
  long v;
  size_t e = number(s, len, num_at, 5, &v), end = 0;
  if (!e || e >= len)
    return 0;
  if (s[e] == '/') {
    long year;
    size_t y = number(s, len, e + 1, 4, &year);
    if (y && y - (e + 1) == 4 && y < len && s[y] == '/' && year >= 1945 && year <= 2199) {
      int up, dig;
      if ((end = type_agency(s, len, y + 1)))
        rule = "NUMBER/YEAR/TYPE-AGENCY";
      else if ((end = segment(s, len, y + 1, 1, &up, &dig)) && (dig || up >= 2))
        rule = "NUMBER/YEAR/AGENCY";
      else
        end = 0;
    } else if ((end = type_agency(s, len, e + 1)))
      rule = "NUMBER/TYPE-AGENCY";
  } else if (s[e] == '-') {
    int up, dig;
    size_t t = segment(s, len, e + 1, 0, &up, &dig);
    if (t && t < len && s[t] == '/' && up >= 2) {
      size_t a = segment(s, len, t + 1, 1, &up, &dig);
      if (a && up >= 2) {
        end = a;
        rule = "NUMBER-TYPE/AGENCY (Party)";
      }
    }
  }
  if (!end || !fu_word_end(s, len, end))
    return 0;
  if (end - num_at >= sizeof m->value)
    return 0;
  m->start = i;
  m->end = end;
  memcpy(m->value, s + num_at, end - num_at);
  m->value[end - num_at] = '\0';
  m->type = "docnum";
  m->rule = rule;
  return 1;
}

/* ------------------------------------------------------------------ dates */

struct month_name {
  const char *name;
  int month;
};

static const struct month_name en_months[] = {
  { "january", 1 }, { "february", 2 }, { "march", 3 }, { "april", 4 }, { "may", 5 },
  { "june", 6 }, { "july", 7 }, { "august", 8 }, { "september", 9 }, { "october", 10 },
  { "november", 11 }, { "december", 12 }, { "sept.", 9 }, { "sept", 9 },
  { "jan.", 1 }, { "feb.", 2 }, { "mar.", 3 }, { "apr.", 4 }, { "jun.", 6 }, { "jul.", 7 },
  { "aug.", 8 }, { "sep.", 9 }, { "oct.", 10 }, { "nov.", 11 }, { "dec.", 12 },
  { "jan", 1 }, { "feb", 2 }, { "mar", 3 }, { "apr", 4 }, { "jun", 6 }, { "jul", 7 },
  { "aug", 8 }, { "sep", 9 }, { "oct", 10 }, { "nov", 11 }, { "dec", 12 },
  { NULL, 0 }
};

static const struct month_name id_months[] = {
  { "januari", 1 }, { "februari", 2 }, { "pebruari", 2 }, { "maret", 3 }, { "april", 4 },
  { "mei", 5 }, { "juni", 6 }, { "juli", 7 }, { "agustus", 8 }, { "september", 9 },
  { "oktober", 10 }, { "november", 11 }, { "nopember", 11 }, { "desember", 12 },
  { "agt", 8 }, { "agu", 8 }, { "okt", 10 }, { "des", 12 }, { "peb", 2 },
  { NULL, 0 }
};

static const struct month_name hi_months[] = {
  { "जनवरी", 1 }, { "फ़रवरी", 2 }, { "फ़रवरी", 2 }, { "फरवरी", 2 }, { "मार्च", 3 },
  { "अप्रैल", 4 }, { "अप्रेल", 4 }, { "मई", 5 }, { "जून", 6 }, { "जुलाई", 7 },
  { "अगस्त", 8 }, { "सितंबर", 9 }, { "सितम्बर", 9 }, { "अक्टूबर", 10 },
  { "अक्तूबर", 10 }, { "नवंबर", 11 }, { "नवम्बर", 11 }, { "दिसंबर", 12 },
  { "दिसम्बर", 12 },
  { NULL, 0 }
};

/* The longest month name of TABLE at S[I] ending a word: month, end in *E. */
static int month(const struct month_name *table, const char *s, size_t len, size_t i,
                 size_t *e)
{
  int found = 0;
  size_t best = 0;
  *e = 0;
  if (i + 1 >= len)
    return 0;
  /* the cheap test first, most words being no month: the first two
   * bytes (every name has two; no name starts with a non-ASCII letter
   * that has case).  Read once: the loop's stores could alias S. */
  const char b0 = lower_byte(s[i]), b1 = lower_byte(s[i + 1]);
  for (const struct month_name *m = table; m->name; m++) {
    if (b0 != m->name[0] || b1 != m->name[1])
      continue;
    size_t x = lit(s, len, i, m->name);
    if (x > best && (x == len || m->name[strlen(m->name) - 1] == '.' ||
                     fu_word_end(s, len, x))) {
      /* a Devanagari name must not run on into more letters or signs */
      best = x;
      found = m->month;
    }
  }
  *e = best;
  return found;
}

static int valid_date(long y, long m, long d)
{
  static const int days[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  if (y < 1800 || y > 2199 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
    return 0;
  if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
    return 0;
  return 1;
}

/* A four-digit year at S[I], ending a word; end or 0. */
static size_t year_at(const char *s, size_t len, size_t i, long *y)
{
  size_t e = number(s, len, i, 4, y);
  if (!e || emc_utf8_count(s + i, e - i) != 4 || !fu_word_end(s, len, e))
    return 0;
  return e;
}

/* ", " or " " between the day or month and the year. */
static size_t before_year(const char *s, size_t len, size_t i)
{
  size_t e = fu_skip_space(s, len, i);
  if (e < len && s[e] == ',')
    e = fu_skip_space(s, len, e + 1);
  return e > i ? e : 0;
}

static size_t ordinal(const char *s, size_t len, size_t i)
{
  static const char *const suf[] = { "st", "nd", "rd", "th", NULL };
  for (const char *const *x = suf; *x; x++) {
    size_t e = lit(s, len, i, *x);
    if (e && fu_word_end(s, len, e))
      return e;
  }
  return i;
}

static int set_date(struct match *m, size_t start, size_t end, long y, long mo, long d,
                    const char *rule)
{
  if (!valid_date(y, mo, d))
    return 0;
  m->start = start;
  m->end = end;
  snprintf(m->value, sizeof m->value, "%04ld-%02ld-%02ld", y, mo, d);
  m->type = "date";
  m->rule = rule;
  return 1;
}

/* DAY [ws] MONTH-NAME [,] ws YEAR, for the id, hi and en tables. */
static int day_month_year(const char *s, size_t len, size_t i, struct match *m)
{
  static const struct {
    const struct month_name *table;
    const char *rule;
  } langs[] = {
    { id_months, "DAY MONTH YEAR, Indonesian month" }, { hi_months, "DAY MONTH YEAR, Hindi month" },
    { en_months, "DAY MONTH YEAR, English month" },
  };
  long d, y;
  size_t e = number(s, len, i, 2, &d);
  if (!e)
    return 0;
  size_t after_day = ordinal(s, len, e);
  for (size_t k = 0; k < sizeof langs / sizeof langs[0]; k++) {
    size_t x = after_day;
    if (langs[k].table != en_months && x != e)
      continue; /* ordinals are English */
    if (!(x = need_ws(s, len, x)))
      return 0;
    if (langs[k].table == en_months) {
      size_t of = lit(s, len, x, "of");
      if (of && need_ws(s, len, of))
        x = need_ws(s, len, of);
    }
    size_t me;
    int mo = month(langs[k].table, s, len, x, &me);
    if (!mo)
      continue;
    size_t ye = before_year(s, len, me);
    if (!ye || !(ye = year_at(s, len, ye, &y)))
      continue;
    return set_date(m, i, ye, y, mo, d, langs[k].rule);
  }
  return 0;
}

/* en: MONTH DAY[st] [,] YEAR. */
static int month_day_year(const char *s, size_t len, size_t i, struct match *m)
{
  size_t me, x;
  long d, y;
  int mo = month(en_months, s, len, i, &me);
  if (!mo || !(x = need_ws(s, len, me)) || !(x = number(s, len, x, 2, &d)))
    return 0;
  x = ordinal(s, len, x);
  if (!fu_word_end(s, len, x) || !(x = before_year(s, len, x)) ||
      !(x = year_at(s, len, x, &y)))
    return 0;
  return set_date(m, i, x, y, mo, d, "MONTH DAY, YEAR, English month");
}

/* The word that starts a Vietnamese date, as part of it. */
static const char vi_date_word[] = "ngày";

/* vi: ngày D tháng M năm Y, ngày D/M/Y, ngày D-M-Y, ngày D.M.Y. */
static int vi_date(const char *s, size_t len, size_t i, struct match *m)
{
  size_t x = lit(s, len, i, vi_date_word);
  long d, mo, y;
  if (!x || !(x = need_ws(s, len, x)) || !(x = number(s, len, x, 2, &d)))
    return 0;
  if (x < len && (s[x] == '/' || s[x] == '-' || s[x] == '.')) {
    char sep = s[x];
    size_t e = number(s, len, x + 1, 2, &mo);
    if (!e || e >= len || s[e] != sep || !(e = year_at(s, len, e + 1, &y)))
      return 0;
    return set_date(m, i, e, y, mo, d, "vi: ngày D/M/YYYY");
  }
  if (!(x = need_ws(s, len, x)) || !(x = lit(s, len, x, "tháng")) ||
      !(x = need_ws(s, len, x)) || !(x = number(s, len, x, 2, &mo)))
    return 0;
  size_t e = fu_skip_space(s, len, x);
  if (e < len && s[e] == ',')
    e = fu_skip_space(s, len, e + 1);
  if (!(e = lit(s, len, e, "năm")) || !(e = need_ws(s, len, e)) ||
      !(e = year_at(s, len, e, &y)))
    return 0;
  return set_date(m, i, e, y, mo, d, "vi: ngày D tháng M năm YYYY");
}

static int iso_date(const char *s, size_t len, size_t i, struct match *m)
{
  long y, mo, d;
  size_t e = number(s, len, i, 4, &y);
  if (!e || e - i != 4 || e >= len || s[e] != '-')
    return 0;
  size_t f = number(s, len, e + 1, 2, &mo);
  if (!f || f - e != 3 || f >= len || s[f] != '-')
    return 0;
  size_t g = number(s, len, f + 1, 2, &d);
  if (!g || g - f != 3 || !fu_word_end(s, len, g))
    return 0;
  if (g < len && s[g] == '-')
    return 0;
  return set_date(m, i, g, y, mo, d, "ISO YYYY-MM-DD");
}

/* Which matchers can start with the character C (lower-cased): the
 * cheap test that keeps the scan linear in practice.  Every matcher's
 * first character is listed here; a matcher left out here never fires. */
enum { AT_DIGIT = 1, AT_VI = 2, AT_DOCPREFIX = 4, AT_EN_MONTH = 8 };

static unsigned starters(uint32_t c)
{
  if (fu_is_digit(c))
    return AT_DIGIT;
  /* ASCII letters fold without fu_lower (most words start with one) */
  switch (c < 0x80 ? (c | 0x20) : fu_lower(c)) {
  case 'n': /* ngày; no., nos., nomor, nr.; november, nov */
    return AT_VI | AT_DOCPREFIX | AT_EN_MONTH;
  case 's': /* số; september, sept, sep */
    return AT_DOCPREFIX | AT_EN_MONTH;
  case 0x938: /* संख्या, सं. */
    return AT_DOCPREFIX;
  case 'j': case 'f': case 'm': case 'a': case 'o': case 'd':
    return AT_EN_MONTH;
  default:
    return 0;
  }
}

/* The offset of the first digit (ASCII, or Devanagari U+0966..U+096F,
 * UTF-8 E0 A5 A6..AF) at or after S[FROM], or LEN.  S ends with a NUL at
 * S[LEN], so strcspn() (vectorised in glibc) finds the candidates; it
 * stops at a Devanagari digit's second byte, A5, which only U+0940..
 * U+097F have (every Devanagari character starts with E0; about one in
 * five has A5). */
static size_t next_digit(const char *s, size_t len, size_t from)
{
  const unsigned char *u = (const unsigned char *)s;
  for (size_t i = from; i < len; i++) {
    i += strcspn(s + i, "0123456789\xA5");
    if (i >= len)
      return len;
    if (u[i] != 0xA5)
      return i;
    if (i > from && u[i - 1] == 0xE0 && u[i + 1] >= 0xA6 && u[i + 1] <= 0xAF)
      return i - 1;
  }
  return len;
}

/* How far before the first digit of an entity its start can be, in
 * bytes, not counting the white space just before that digit.  An entity
 * starts either at a digit or with one word that holds no digit and no
 * white space, then white space, then its first digit: "No. 733/QD-TTg",
 * "ngày 14 tháng 6", "June 14, 2019".  That word is a document number's
 * prefix, "ngày" or an English month name; lit() matches it a character
 * for a character, and a character takes at most 4 bytes. */
static size_t word_before_digit_bytes(void)
{
  size_t most = emc_utf8_count(vi_date_word, sizeof vi_date_word - 1);
  for (const char *const *p = docnum_prefixes; *p; p++) {
    size_t n = emc_utf8_count(*p, strlen(*p));
    most = n > most ? n : most;
  }
  for (const struct month_name *m = en_months; m->name; m++) {
    size_t n = emc_utf8_count(m->name, strlen(m->name));
    most = n > most ? n : most;
  }
  return 4 * most;
}

/* The earliest offset at or after FROM where an entity whose first digit
 * is S[DIGIT] can start (see word_before_digit_bytes: LOOKBACK), on a
 * character boundary. */
static size_t earliest_start(const char *s, size_t from, size_t digit, size_t lookback)
{
  size_t w = digit; /* back over the white space before the digit */
  while (w > from) {
    size_t p = w - 1;
    while (p > from && ((unsigned char)s[p] & 0xC0) == 0x80)
      p--;
    size_t q = p;
    if (!fu_is_space(fu_utf8_next(s, w, &q)))
      break;
    w = p;
  }
  if (w - from <= lookback)
    return from;
  w -= lookback;
  while (((unsigned char)s[w] & 0xC0) == 0x80) /* w > from: FROM is a boundary */
    w--;
  return w;
}

/* The first entity at or after S[FROM].  The matchers run, in this
 * order, only at word starts whose first character can begin them.
 * Every entity holds a digit at or after its start (a date its year, a
 * document number its number), and starts at most one word and white
 * space before that digit; so the scan skips to just before the next
 * digit, and ends where the last digit is behind it: most of the text of
 * a long paragraph, and all of one without digits, is never decoded.
 * LOOKBACK: word_before_digit_bytes(). */
static int find(const char *s, size_t len, size_t from, size_t lookback, struct match *m)
{
  size_t digit = next_digit(s, len, from);
  if (digit == len)
    return 0;
  size_t i = earliest_start(s, from, digit, lookback);
  int word_before = i > 0 && !fu_word_start(s, i);
  while (i < len) {
    size_t at = i;
    if (at > digit) {
      digit = next_digit(s, len, at);
      if (digit == len)
        return 0;
      size_t skip = earliest_start(s, at, digit, lookback);
      if (skip > at) {
        at = i = skip;
        word_before = !fu_word_start(s, at);
      }
    }
    uint32_t c = fu_utf8_next(s, len, &i);
    int word = fu_is_letter(c) || fu_is_digit(c);
    if (word && !word_before) {
      unsigned can = starters(c);
      if (can && (((can & AT_VI) && vi_date(s, len, at, m)) ||
                  ((can & (AT_DIGIT | AT_DOCPREFIX)) && docnum_at(s, len, at, m)) ||
                  ((can & AT_DIGIT) && iso_date(s, len, at, m)) ||
                  ((can & AT_DIGIT) && day_month_year(s, len, at, m)) ||
                  ((can & AT_EN_MONTH) && month_day_year(s, len, at, m))))
        return 1;
    }
    word_before = word;
  }
  return 0;
}

/* ---------------------------------------------------------------- marking */

struct counts {
  size_t docnums, dates;
  int explaining; /* --explain: fill EXPLAIN (formatting costs, so only then) */
  emc_buf explain; /* the current block's marks, for --explain */
  int explain_oom; /* an append to EXPLAIN failed */
  size_t lookback; /* word_before_digit_bytes() */
};

/* Links N (new, unlinked) just before T.  By hand: xmlAddPrevSibling()
 * merges a text node into its text neighbour, which would lose it here. */
static void link_before(xmlNodePtr t, xmlNodePtr n)
{
  n->parent = t->parent;
  n->prev = t->prev;
  n->next = t;
  if (t->prev)
    t->prev->next = n;
  else
    t->parent->children = n;
  t->prev = n;
}

/* Splits the text node T around its entities (T keeps the text after the
 * last one, or goes when none is left).  Returns EMC_OK or EMC_ENOMEM. */
static int mark_text(xmlNodePtr t, struct counts *c)
{
  char *s = strdup((const char *)t->content); /* T's own text changes below */
  if (!s)
    return EMC_ENOMEM;
  size_t len = strlen(s), pos = 0;
  struct match m;
  xmlNsPtr ns = t->parent->ns;
  int rc = EMC_OK, changed = 0;
  while (pos < len && find(s, len, pos, c->lookback, &m)) {
    xmlNodePtr before = m.start > pos ? xmlNewDocTextLen(t->doc, BAD_CAST(s + pos),
                                                         (int)(m.start - pos))
                                      : NULL;
    xmlNodePtr ref = xmlNewDocNode(t->doc, ns, BAD_CAST "ref", NULL);
    xmlNodePtr inner = xmlNewDocTextLen(t->doc, BAD_CAST(s + m.start), (int)(m.end - m.start));
    if ((m.start > pos && !before) || !ref || !inner ||
        !xmlSetProp(ref, BAD_CAST "type", BAD_CAST m.type) ||
        !xmlSetProp(ref, BAD_CAST "value", BAD_CAST m.value)) {
      xmlFreeNode(before);
      xmlFreeNode(ref);
      xmlFreeNode(inner);
      rc = EMC_ENOMEM;
      break;
    }
    xmlAddChild(ref, inner);
    if (before)
      link_before(t, before);
    link_before(t, ref);
    if (c->explaining &&
        emc_buf_printf(&c->explain, "%s%s \"%.*s\" = %s (rule: %s)", c->explain.len ? "; " : "",
                       m.type, (int)(m.end - m.start), s + m.start, m.value, m.rule))
      c->explain_oom = 1;
    if (strcmp(m.type, "date") == 0)
      c->dates++;
    else
      c->docnums++;
    pos = m.end;
    changed = 1;
  }
  if (changed) {
    /* the rest stays in T: a new value, never an edit in place (the
     * parser's dictionary may own the old one) */
    if (pos < len)
      xmlNodeSetContent(t, BAD_CAST(s + pos));
    else {
      xmlUnlinkNode(t);
      xmlFreeNode(t);
    }
  }
  free(s);
  return rc;
}

/* No marking inside these. */
static int opaque(const xmlNode *n)
{
  return fu_is(n, "code") || fu_is(n, "pre") || fu_is(n, "ref") ||
         fu_is(n, "a") || fu_is(n, "note") || fu_is(n, "image");
}

static int mark_block(xmlNodePtr block, struct counts *c)
{
  /* collect the text nodes first: marking adds siblings */
  xmlNodePtr *texts = NULL;
  size_t n = 0, cap = 0;
  int rc = EMC_OK;
  for (xmlNodePtr x = block->children; x;) {
    if (x->type == XML_TEXT_NODE && x->content && *x->content) {
      if (n == cap) {
        cap = cap ? cap * 2 : 16;
        xmlNodePtr *g = realloc(texts, cap * sizeof *g);
        if (!g) {
          free(texts);
          return EMC_ENOMEM;
        }
        texts = g;
      }
      texts[n++] = x;
    }
    x = emc_ir_next(x, block, x->type == XML_ELEMENT_NODE && !opaque(x));
  }
  for (size_t i = 0; i < n && rc == EMC_OK; i++)
    rc = mark_text(texts[i], c);
  free(texts);
  return rc;
}

static int rf_filter(emc_ctx *ctx, emc_doc *doc, emc_error *err)
{
  xmlNodePtr body = emc_doc_body(doc);
  struct counts c = { 0, 0, fu_explaining(ctx), EMC_BUF_INIT, 0, word_before_digit_bytes() };
  size_t blocks = 0;
  int rc = EMC_OK;
  /* text blocks anywhere (notes' paragraphs too), not inside pre/code */
  for (xmlNodePtr x = body; x && rc == EMC_OK;) {
    int block = fu_is_text_block(x);
    xmlNodePtr next = emc_ir_next(x, body, x->type == XML_ELEMENT_NODE && !fu_is(x, "pre"));
    if (block) {
      blocks++;
      /* the notes inside are blocks of their own, met later: mark_block
       * does not enter them, the walk does */
      rc = mark_block(x, &c);
      if (c.explain.len || c.explain_oom) {
        char *what = c.explain_oom ? NULL : emc_buf_steal(&c.explain, NULL);
        char *text = fu_block_text(x);
        emc_buf_clear(&c.explain);
        c.explain_oom = 0;
        char *ex = text ? fu_excerpt(text, 48) : NULL;
        fu_explain(ctx, RF, "block %zu (%s) \"%s\": %s", blocks, (const char *)x->name,
                   ex ? ex : "", what ? what : "(out of memory)");
        free(what);
        free(text);
        free(ex);
      }
      next = emc_ir_next(x, body, 1);
    }
    x = next;
  }
  emc_buf_release(&c.explain);
  if (rc)
    return emc_error_set(err, rc, "references: out of memory");
  emc_ctx_log(ctx, EMC_LOG_INFO, "references: marked %zu document number%s and %zu date%s",
              c.docnums, c.docnums == 1 ? "" : "s", c.dates, c.dates == 1 ? "" : "s");
  if (!c.docnums && !c.dates)
    fu_explain(ctx, RF, "no document number or date found in %zu blocks", blocks);
  return EMC_OK;
}

EMC_PLUGIN_DEFINE(references, "references", PACKAGE_VERSION,
                  "mark document numbers (733/QD-TTg) and dates (en, id, vi, hi) as <ref>",
                  .filter = rf_filter, .options = fu_explain_options)
