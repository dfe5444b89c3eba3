/* SPDX-License-Identifier: MIT */
/* language.c - identifies the language of the document and of each of its
 * text blocks (p, heading, caption, term; notes' paragraphs too), sets
 * <meta><language> and the root's xml:lang to the document's, and
 * xml:lang on each block whose language differs from what it inherits.
 *
 * The guesser is libexttextcat (the n-gram "TextCat" LibreOffice uses),
 * restricted to the candidate languages of --languages (default
 * DEFAULT_LANGUAGES below): only their fingerprints are loaded, once per
 * run (about 0.1 ms each), and a block is compared with them alone, which
 * is both faster and more accurate than the 160 languages of fpdb.conf.
 *
 * Per block, in order (each decision is logged with --explain):
 *  1. declared: a block that already has xml:lang keeps it;
 *  2. script: more than half of the letters in one script decide it:
 *     Devanagari -> hi, or, when several Devanagari languages are
 *     candidates (hi, mr, ne by default), the one textcat finds closest;
 *     Thai th, Lao lo, Khmer km, Hangul ko, kana ja, Han zh;
 *  3. short: fewer than 5 words or 20 letters (a byline, a number, "Yes")
 *     -> undetermined;
 *  4. textcat: the candidate whose fingerprint is nearest the block's
 *     (its first TC_SAMPLE bytes) among the candidates not written in
 *     Devanagari; undetermined when more than 5 of them are within 3% of
 *     the best (textcat's own "UNKNOWN" rule);
 *  5. Indonesian and Malay are one language to the eye of a trigram
 *     model: ms is only found when it is a candidate (it is not by
 *     default: in this corpus Malay-looking text is Indonesian), and a
 *     block found to be one of them in a document declared the other
 *     (by the reader or -M language=) takes the document's.
 * An undetermined block between two blocks of the same parent that agree
 * takes their language; otherwise it inherits (no attribute).
 * The document's language: the one in <meta> if the reader or -M
 * language= set it (the core applies -M before the filters; the blocks
 * are then compared with it, and those found in another language get
 * xml:lang), else the language of most letters among the determined
 * blocks; none when nothing was determined. */
#include <config.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <textcat.h>
#include <fingerprint.h>
#include "../common/filterutil.h"

#define LG "language"
#define MIN_WORDS 5
#define MIN_LETTERS 20
#define DEFAULT_LANGUAGES "en,id,vi,hi,mr,ne"
#define TC_NGRAMS 400   /* n-grams in a fingerprint (textcat's MAXNGRAMS) */
#ifndef TC_SAMPLE
#define TC_SAMPLE 300   /* characters of a block compared (enough, says textcat) */
#endif
#define TC_CLOSE 1.03   /* within 3% of the best: a close candidate */
#define TC_MAX_CLOSE 5  /* more close ones than this: textcat's UNKNOWN */
#define TC_MAX_LANGS 64
/* The fast path: a block whose stop words clearly say a language textcat
 * has already found in this document is taken without asking textcat
 * again (textcat costs ~0.2 ms a block, the stop words ~5 us); not for id
 * when ms is a candidate too (no stop words tell them apart). Clearly:
 * at least FAST_HITS stop words, FAST_SHARE of the words, FAST_RATIO times
 * those of any other profile. */
#define FAST_HITS 3
#define FAST_SHARE 0.10
#define FAST_RATIO 3

/* -------------------------------------------------------------- textcat */

struct tc_lang {
  char code[16];
  void *fp;       /* the fingerprint, read from DATADIR/CODE.lm when first
                     needed (NULL until then) */
  int devanagari; /* written in Devanagari (compared only with such text) */
};

/* The fingerprints are read per group (those written in Devanagari, the
 * others) when a block first needs textcat for that group: a document in
 * Latin script alone never reads hi, mr and ne (fp_Read costs about as
 * much as comparing a dozen blocks).  guesser_load only checks that each
 * file can be opened. */
struct guesser {
  struct tc_lang v[TC_MAX_LANGS];
  size_t n;
  int loaded[2];  /* [devanagari]: that group's fingerprints were read */
  int bad;        /* index of a fingerprint fp_Read refused, or -1 */
};

static const char *const devanagari_langs[] = { "hi", "mr", "ne", "sa", "mai", "bho", NULL };

static void guesser_free(struct guesser *g)
{
  for (size_t i = 0; i < g->n; i++)
    if (g->v[i].fp)
      fp_Done(g->v[i].fp);
  g->n = 0;
}

static int lm_path(char *path, size_t size, const char *code)
{
  return (size_t)snprintf(path, size, "%s/%s.lm", EMUCONV_TEXTCAT_DATADIR, code) < size;
}

/* Reads the fingerprints of the group DEVANAGARI.  Returns 0, -1 when out
 * of memory, -2 when fp_Read refused one (its index in G->bad). */
static int guesser_read(struct guesser *g, int devanagari)
{
  g->loaded[devanagari] = 1;
  for (size_t i = 0; i < g->n; i++) {
    struct tc_lang *l = &g->v[i];
    if (l->devanagari != devanagari || l->fp)
      continue;
    char path[4096];
    lm_path(path, sizeof path, l->code); /* its length was checked by guesser_load */
    void *fp = fp_Init(l->code);
    if (!fp)
      return -1;
    fp_SetProperty(fp, TCPROP_UTF8AWARE, TC_TRUE);
    if (!fp_Read(fp, path, TC_NGRAMS)) {
      fp_Done(fp);
      g->bad = (int)i;
      return -2;
    }
    l->fp = fp;
  }
  return 0;
}

/* Loads the fingerprints of the languages of LIST ("en,id, vi"). */
static int guesser_load(struct guesser *g, const char *list, emc_error *err)
{
  const char *dir = EMUCONV_TEXTCAT_DATADIR;
  g->n = 0;
  g->loaded[0] = g->loaded[1] = 0;
  g->bad = -1;
  for (const char *p = list; *p;) {
    size_t len = strcspn(p, ", ");
    if (!len) {
      p++;
      continue;
    }
    char code[16];
    int ok = len < sizeof code;
    for (size_t i = 0; ok && i < len; i++)
      ok = (p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z') ||
           (p[i] >= '0' && p[i] <= '9') || (p[i] == '-' && i);
    if (!ok) {
      guesser_free(g);
      return emc_error_set(err, EMC_EINVAL, "language: --languages: '%.*s' is not a language code",
                           (int)len, p);
    }
    memcpy(code, p, len);
    code[len] = '\0';
    p += len;
    int dup = 0;
    for (size_t i = 0; i < g->n && !dup; i++)
      dup = strcmp(g->v[i].code, code) == 0;
    if (dup)
      continue;
    if (g->n == TC_MAX_LANGS) {
      guesser_free(g);
      return emc_error_set(err, EMC_EINVAL, "language: --languages: more than %d languages",
                           TC_MAX_LANGS);
    }
    char path[4096];
    if (!lm_path(path, sizeof path, code)) {
      guesser_free(g);
      return emc_error_set(err, EMC_EINVAL, "language: %s: path too long", dir);
    }
    FILE *f = fopen(path, "r"); /* textcat would print its own complaint */
    if (!f) {
      int e = errno;
      guesser_free(g);
      return emc_error_set(err, EMC_EINVAL, "language: --languages: no fingerprint for '%s' (%s: %s)",
                           code, path, strerror(e));
    }
    fclose(f);
    struct tc_lang *l = &g->v[g->n++];
    memcpy(l->code, code, len + 1);
    l->fp = NULL;
    l->devanagari = 0;
    for (const char *const *d = devanagari_langs; *d && !l->devanagari; d++)
      l->devanagari = strcmp(*d, code) == 0;
  }
  if (!g->n)
    return emc_error_set(err, EMC_EINVAL, "language: --languages: no language given");
  return EMC_OK;
}

struct tc_score {
  int lang; /* index in the guesser */
  int score;
};

static int cmp_score(const void *a, const void *b)
{
  int x = ((const struct tc_score *)a)->score, y = ((const struct tc_score *)b)->score;
  return (x > y) - (x < y);
}

/* Compares S with the candidates written in Devanagari (or with the
 * others); fills SC (ascending: the best first) and returns how many, 0
 * when S gives no fingerprint, -1 when out of memory, -2 when a
 * fingerprint could not be read (see guesser_read). */
static int tc_rank(struct guesser *g, const char *s, int devanagari, struct tc_score *sc)
{
  if (!g->loaded[devanagari]) {
    int rc = guesser_read(g, devanagari);
    if (rc)
      return rc;
  }
  size_t len = 0;
  for (size_t chars = 0; s[len] && chars < TC_SAMPLE; chars++) /* TC_SAMPLE characters */
    while (s[++len] && ((unsigned char)s[len] & 0xC0) == 0x80)
      ;
  void *unknown = fp_Init(NULL);
  if (!unknown)
    return -1;
  fp_SetProperty(unknown, TCPROP_UTF8AWARE, TC_TRUE);
  int n = 0;
  if (fp_Create(unknown, s, (uint4)len, TC_NGRAMS)) {
    for (size_t i = 0; i < g->n; i++)
      if (g->v[i].devanagari == devanagari)
        sc[n++] = (struct tc_score){ (int)i, fp_Compare(g->v[i].fp, unknown, INT_MAX) };
    qsort(sc, (size_t)n, sizeof *sc, cmp_score);
  }
  fp_Done(unknown);
  return n;
}

/* ------------------------------------------------------------- profiles */

enum { L_EN, L_ID, L_VI, L_HI, L_MR, L_NE, N_PROFILES };
static const char *const profile_code[N_PROFILES] = { "en", "id", "vi", "hi", "mr", "ne" };

static const char *const en_words[] = {
  "the", "of", "and", "to", "in", "a", "is", "that", "for", "it", "as", "was", "with", "be",
  "by", "on", "not", "he", "this", "are", "or", "his", "from", "at", "which", "but", "have",
  "an", "they", "has", "had", "were", "their", "been", "its", "who", "will", "would",
  "there", "can", "all", "also", "more", "these", "than", "into", "such", "we", "our",
  "should", "other", "some", "when", "while", "been", "many", "each", "well", NULL
};
static const char *const id_words[] = {
  "yang", "dan", "di", "dengan", "untuk", "dari", "dalam", "ini", "itu", "pada", "ke",
  "tidak", "akan", "oleh", "adalah", "telah", "juga", "sebagai", "atau", "tersebut",
  "bahwa", "para", "serta", "karena", "mereka", "dapat", "ada", "kami", "kita", "sudah",
  "saat", "secara", "lebih", "bagi", "antara", "hingga", "seluruh", "setiap", "pun",
  "agar", "sangat", "namun", "tetapi", "harus", "belum", "kepada", "sebuah", "seperti",
  "yaitu", "maka", "terus", "banyak", "melalui", "tentang", "sesuai", "semua", NULL
};
static const char *const vi_words[] = {
  "và", "của", "các", "có", "là", "được", "trong", "cho", "với", "những", "một", "này",
  "đã", "không", "người", "theo", "về", "để", "từ", "tại", "năm", "đến", "khi", "như",
  "cũng", "nhiều", "đó", "ra", "sẽ", "vào", "thì", "bị", "do", "phải", "trên", "còn",
  "nhưng", "hơn", "nhất", "cùng", "việc", "đang", "lại", "sự", "nhằm", "tỉnh", "đồng",
  "thời", "công", "tác", "hiện", NULL
};
static const char *const hi_words[] = {
  "है", "के", "की", "में", "और", "का", "को", "से", "हैं", "ने", "पर", "एक", "यह", "लिए",
  "किया", "गया", "भी", "था", "तक", "कि", "गई", "किए", "रहा", "हुए", "द्वारा", NULL
};
static const char *const mr_words[] = {
  "आहे", "आणि", "या", "हे", "व", "केले", "आहेत", "त्या", "करण्यात", "मध्ये", "हा", "ही",
  "असे", "होते", "त्यांनी", "तसेच", "आली", "आला", NULL
};
static const char *const ne_words[] = {
  "छ", "र", "मा", "ले", "गरेको", "भएको", "छन्", "पनि", "गर्न", "हो", "थियो", "गरेका",
  "भने", "गर्ने", "लागि", "हुने", NULL
};
static const char *const *const profile_words[N_PROFILES] = {
  en_words, id_words, vi_words, hi_words, mr_words, ne_words
};

struct stopword {
  const char *word;
  unsigned mask; /* 1 << profile */
  size_t len;    /* strlen(word) */
};

/* judge()'s current word: at most WORD_MAX - 1 bytes; longer, WL is
 * WORD_MAX and the word is no stop word. */
#define WORD_MAX 64

#define LX_SLOTS 1024 /* a power of two, over twice the stop words */

struct lexicon {
  struct stopword *v;
  size_t n;
  size_t maxlen;                 /* bytes of the longest word */
  unsigned short slot[LX_SLOTS]; /* open addressing: 1 + index in V, 0 free */
};

/* FNV-1a over the LEN bytes of WORD. */
static uint32_t lx_hash(const char *word, size_t len)
{
  uint32_t h = 2166136261u;
  for (size_t i = 0; i < len; i++)
    h = (h ^ (unsigned char)word[i]) * 16777619u;
  return h;
}

static int cmp_stop(const void *a, const void *b)
{
  return strcmp(((const struct stopword *)a)->word, ((const struct stopword *)b)->word);
}

static int lexicon_init(struct lexicon *lx)
{
  size_t n = 0;
  for (int p = 0; p < N_PROFILES; p++)
    for (const char *const *w = profile_words[p]; *w; w++)
      n++;
  lx->v = malloc(n * sizeof *lx->v);
  if (!lx->v)
    return EMC_ENOMEM;
  lx->n = 0;
  for (int p = 0; p < N_PROFILES; p++)
    for (const char *const *w = profile_words[p]; *w; w++)
      lx->v[lx->n++] = (struct stopword){ *w, 1u << p, strlen(*w) };
  qsort(lx->v, lx->n, sizeof *lx->v, cmp_stop);
  size_t out = 0; /* merge duplicates (a word of two profiles) */
  for (size_t i = 0; i < lx->n; i++) {
    if (out && strcmp(lx->v[out - 1].word, lx->v[i].word) == 0)
      lx->v[out - 1].mask |= lx->v[i].mask;
    else
      lx->v[out++] = lx->v[i];
  }
  lx->n = out;
  lx->maxlen = 0;
  memset(lx->slot, 0, sizeof lx->slot);
  for (size_t i = 0; i < lx->n; i++) {
    size_t len = lx->v[i].len;
    if (len >= WORD_MAX)
      continue; /* no word judge() makes is that long */
    if (len > lx->maxlen)
      lx->maxlen = len;
    uint32_t h = lx_hash(lx->v[i].word, len) & (LX_SLOTS - 1);
    while (lx->slot[h])
      h = (h + 1) & (LX_SLOTS - 1);
    lx->slot[h] = (unsigned short)(i + 1);
  }
  return EMC_OK;
}

/* The profiles the word WORD (LEN bytes) is a stop word of. */
static unsigned lexicon_find(const struct lexicon *lx, const char *word, size_t len)
{
  if (len > lx->maxlen)
    return 0;
  for (uint32_t h = lx_hash(word, len) & (LX_SLOTS - 1); lx->slot[h]; h = (h + 1) & (LX_SLOTS - 1)) {
    const struct stopword *w = &lx->v[lx->slot[h] - 1];
    if (w->len == len && memcmp(w->word, word, len) == 0)
      return w->mask;
  }
  return 0;
}

/* ---------------------------------------------------------------- scripts */

enum script { S_LATIN, S_DEVANAGARI, S_THAI, S_LAO, S_KHMER, S_HANGUL, S_KANA, S_HAN,
              S_OTHER, N_SCRIPTS };
static const char *const script_name[N_SCRIPTS] = {
  "Latin", "Devanagari", "Thai", "Lao", "Khmer", "Hangul", "kana", "Han", "other"
};
static const char *const script_lang[N_SCRIPTS] = {
  NULL, "hi", "th", "lo", "km", "ko", "ja", "zh", NULL
};

static int script_of(uint32_t c)
{
  if (c < 0x250 || (c >= 0x1E00 && c <= 0x1EFF) || (c >= 0x300 && c <= 0x36F))
    return S_LATIN;
  if (c >= 0x900 && c <= 0x97F)
    return S_DEVANAGARI;
  if (c >= 0xE00 && c <= 0xE7F)
    return S_THAI;
  if (c >= 0xE80 && c <= 0xEFF)
    return S_LAO;
  if (c >= 0x1780 && c <= 0x17FF)
    return S_KHMER;
  if ((c >= 0xAC00 && c <= 0xD7AF) || (c >= 0x1100 && c <= 0x11FF))
    return S_HANGUL;
  if (c >= 0x3040 && c <= 0x30FF)
    return S_KANA;
  if ((c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) ||
      (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x20000 && c <= 0x2FFFF))
    return S_HAN;
  return S_OTHER;
}

/* ----------------------------------------------------------- one block */

/* Blanks out the words that are web or mail addresses (they are in no
 * language: "Sumber: https://..." is a label and a URL, not English). */
static void blank_addresses(char *s)
{
  if (!strchr(s, '@') && !strstr(s, "www.") && !strstr(s, "://"))
    return; /* no word to blank (most blocks): not worth a walk word by word */
  for (char *w = s; *w;) {
    size_t n = strcspn(w, " \t\n\r");
    if (n && (memchr(w, '@', n) || (n > 4 && memcmp(w, "www.", 4) == 0))) {
      memset(w, ' ', n);
    } else {
      for (size_t i = 0; i + 2 < n; i++)
        if (memcmp(w + i, "://", 3) == 0) {
          memset(w, ' ', n);
          break;
        }
    }
    w += n;
    w += strspn(w, " \t\n\r");
  }
}

struct verdict {
  const char *lang;      /* NULL: undetermined */
  const char *rule;      /* short name of the deciding rule */
  char detail[160];      /* the numbers behind it */
  size_t letters;
  int smoothed;
  int textcat;           /* textcat decided it */
  int idms[2];           /* textcat's scores for id and ms, when both are
                            candidates and the block is found in one */
};

/* "id 812, ms 840, en 1903": the scores of the first candidates. */
static void score_detail(char *d, size_t size, const struct guesser *g,
                         const struct tc_score *sc, int n)
{
  size_t at = 0;
  *d = '\0';
  for (int k = 0; k < n && k < 4 && at < size; k++) {
    int w = snprintf(d + at, size - at, "%s%s %d", k ? ", " : "", g->v[sc[k].lang].code,
                     sc[k].score);
    if (w < 0)
      break;
    at += (size_t)w;
  }
}

/* Returns EMC_OK, or EMC_ENOMEM. */
/* The stop-word profile whose words clearly dominate, or -1. */
static int stop_words_say(const size_t *hits, size_t words, int devanagari)
{
  int lo = devanagari ? L_HI : L_EN, hi = devanagari ? L_NE : L_VI;
  int best = lo;
  size_t second = 0;
  for (int p = lo + 1; p <= hi; p++)
    if (hits[p] > hits[best])
      best = p;
  for (int p = lo; p <= hi; p++)
    if (p != best && hits[p] > second)
      second = hits[p];
  return hits[best] >= FAST_HITS && (double)hits[best] >= FAST_SHARE * (double)words &&
                 hits[best] >= FAST_RATIO * second
             ? best
             : -1;
}

static inline void word_add(char *word, size_t *wl, const char *s, size_t len)
{
  if (*wl + 5 < WORD_MAX) {
    memcpy(word + *wl, s, len);
    *wl += len;
  } else
    *wl = WORD_MAX;
}

/* V->detail is written only when EXPLAIN is set: --explain alone shows it,
 * and formatting it for every block cost 4 M instructions on a 2 MB page. */
static int judge(struct guesser *g, const struct lexicon *lx, const char *s,
                 unsigned confirmed, int explain, struct verdict *v)
{
  size_t len = strlen(s), letters = 0, words = 0, wl = 0;
  size_t per_script[N_SCRIPTS] = { 0 }, hits[N_PROFILES] = { 0 };
  struct tc_score sc[TC_MAX_LANGS];
  char word[WORD_MAX];
  memset(v, 0, sizeof *v);
  for (size_t i = 0; i <= len;) {
    unsigned char b = (unsigned char)s[i]; /* S[LEN] is the NUL */
    if ((unsigned char)((b | 0x20) - 'a') < 26) { /* a run of ASCII letters: inline */
      size_t from = i;
      do {
        if (wl + 5 < WORD_MAX) { /* word_add()'s bound */
          word[wl++] = (char)(b | 0x20);
        } else
          wl = WORD_MAX;
        b = (unsigned char)s[++i];
      } while ((unsigned char)((b | 0x20) - 'a') < 26);
      letters += i - from;
      per_script[S_LATIN] += i - from;
      continue;
    }
    if (b < 0x80) { /* nor any other ASCII byte: the word ends */
      i++;
      goto word_end;
    }
    /* a Devanagari letter (E0 A4 xx, E0 A5 xx): inline too, and it has
     * no case, so its bytes go into the word as they are */
    if (b == 0xE0 && i + 2 < len && ((unsigned char)s[i + 1] | 1) == 0xA5 &&
        ((unsigned char)s[i + 2] & 0xC0) == 0x80) {
      uint32_t d = 0x900 + (((unsigned char)s[i + 1] & 1u) << 6) + ((unsigned char)s[i + 2] & 0x3Fu);
      if (fu_is_devanagari(d)) {
        letters++;
        per_script[S_DEVANAGARI]++;
        word_add(word, &wl, s + i, 3);
        i += 3;
        continue;
      }
    }
    uint32_t c = i < len ? fu_utf8_next(s, len, &i) : (i++, 0);
    if (c && fu_is_letter(c)) {
      letters++;
      per_script[script_of(c)]++;
      char lower[4];
      word_add(word, &wl, lower, emc_utf8_encode(fu_lower(c), lower));
      continue;
    }
  word_end:
    if (wl) {
      words++;
      if (confirmed && wl < sizeof word)
        for (unsigned mask = lexicon_find(lx, word, wl), p = 0; mask; mask >>= 1, p++)
          hits[p] += mask & 1u;
    }
    wl = 0;
  }
  v->letters = letters;
  if (!letters) {
    v->rule = "no letters";
    return EMC_OK;
  }
  int top = 0;
  for (int k = 1; k < N_SCRIPTS; k++)
    if (per_script[k] > per_script[top])
      top = k;
  if (top != S_LATIN && top != S_OTHER && per_script[top] * 2 > letters) {
    if (top == S_HAN && per_script[S_KANA]) /* Japanese writes kanji and kana */
      top = S_KANA;
    v->lang = script_lang[top];
    v->rule = "script";
    if (explain)
      snprintf(v->detail, sizeof v->detail, "%s letters: %zu of %zu", script_name[top],
               per_script[top], letters);
    if (top == S_DEVANAGARI) {
      int n = 0;
      for (size_t i = 0; i < g->n; i++)
        n += g->v[i].devanagari;
      int sw = confirmed ? stop_words_say(hits, words, 1) : -1;
      if (n > 1 && sw >= 0 && (confirmed >> sw & 1u)) {
        v->lang = profile_code[sw];
        v->rule = "script, and stop words say a language textcat found here";
        if (explain)
          snprintf(v->detail, sizeof v->detail, "Devanagari; %s %zu of %zu words", v->lang,
                   hits[sw], words);
      } else if (n > 1 && words >= MIN_WORDS) { /* hi, mr, ne...: ask textcat which */
        n = tc_rank(g, s, 1, sc);
        if (n < 0)
          return n == -1 ? EMC_ENOMEM : EMC_EINVAL;
        if (n > 0) {
          v->lang = g->v[sc[0].lang].code;
          v->rule = "script and textcat";
          v->textcat = 1;
          if (explain) {
            size_t at = (size_t)snprintf(v->detail, sizeof v->detail,
                                         "Devanagari letters: %zu of %zu; ", per_script[top],
                                         letters);
            if (at < sizeof v->detail)
              score_detail(v->detail + at, sizeof v->detail - at, g, sc, n);
          }
        }
      }
    }
    return EMC_OK;
  }
  if (words < MIN_WORDS || letters < MIN_LETTERS) {
    v->rule = "short";
    if (explain)
      snprintf(v->detail, sizeof v->detail, "%zu words, %zu letters", words, letters);
    return EMC_OK;
  }
  int sw = confirmed ? stop_words_say(hits, words, 0) : -1;
  if (sw >= 0 && (confirmed >> sw & 1u)) {
    v->lang = profile_code[sw];
    v->rule = "stop words say a language textcat found here";
    if (explain)
      snprintf(v->detail, sizeof v->detail, "%s %zu of %zu words", v->lang, hits[sw], words);
    return EMC_OK;
  }
  int n = tc_rank(g, s, 0, sc);
  if (n < 0)
    return n == -1 ? EMC_ENOMEM : EMC_EINVAL;
  if (n == 0) {
    v->rule = "textcat: no fingerprint";
    return EMC_OK;
  }
  if (explain)
    score_detail(v->detail, sizeof v->detail, g, sc, n);
  int close = 0;
  for (int k = 0; k < n; k++)
    close += (double)sc[k].score <= TC_CLOSE * (double)sc[0].score;
  if (close > TC_MAX_CLOSE) {
    v->rule = "textcat: unknown (too many close candidates)";
    return EMC_OK;
  }
  v->lang = g->v[sc[0].lang].code;
  v->rule = "textcat";
  v->textcat = 1;
  if (strcmp(v->lang, "id") == 0 || strcmp(v->lang, "ms") == 0) {
    for (int k = 0; k < n; k++) {
      const char *c = g->v[sc[k].lang].code;
      if (strcmp(c, "id") == 0)
        v->idms[0] = sc[k].score;
      else if (strcmp(c, "ms") == 0)
        v->idms[1] = sc[k].score;
    }
    if (!v->idms[0] || !v->idms[1])
      v->idms[0] = v->idms[1] = 0;
  }
  return EMC_OK;
}

/* ------------------------------------------------------------------ filter */

struct lg_block {
  xmlNodePtr node;
  struct verdict v;
  xmlChar *declared; /* its own xml:lang */
  char *excerpt;
};

/* The same language, ignoring region and script subtags and case: a block
 * found to be "id" in a document declared "id-ID" is not different. */
static int same_language(const char *a, const char *b)
{
  for (; *a && *a != '-' && *b && *b != '-'; a++, b++)
    if ((*a | 0x20) != (*b | 0x20))
      return 0;
  return (!*a || *a == '-') && (!*b || *b == '-');
}

/* The language NODE inherits: the nearest ancestor's xml:lang. */
static xmlChar *inherited(const xmlNode *node)
{
  return node->parent ? xmlNodeGetLang(node->parent) : NULL;
}

static void free_blocks(struct lg_block *b, size_t n)
{
  for (size_t i = 0; i < n; i++) {
    xmlFree(b[i].declared);
    free(b[i].excerpt);
  }
  free(b);
}

/* One run of the filter: what its phases share. */
struct lg_run {
  emc_ctx *ctx;
  emc_doc *doc;
  emc_error *err;
  struct guesser *g;
  struct lexicon lx;
  struct lg_block *b; /* the text blocks, in document order */
  size_t n, cap;
  char *doc_lang;     /* the document's language, once known */
  const char *doc_rule;
  const char *sibling, *sibling_of; /* id read as ms in an ms document, or the reverse */
  unsigned confirmed; /* the stop-word profiles textcat found in this document */
  int idms_both;      /* id and ms are both candidates */
  int explaining;
};

static int lg_oom(struct lg_run *st)
{
  return emc_error_set(st->err, EMC_ENOMEM, "language: out of memory");
}

/* Phase 1: the document's language, when the reader or -M language=
 * declared it; and then which of Indonesian and Malay a block found in
 * the other one takes (see the top of the file). */
static int lg_declared(struct lg_run *st)
{
  st->doc_lang = emc_doc_meta_get(st->doc, "language");
  if (!st->doc_lang) {
    xmlChar *root = xmlGetNsProp(xmlDocGetRootElement(emc_doc_tree(st->doc)), BAD_CAST "lang",
                                 XML_XML_NAMESPACE);
    if (root) {
      st->doc_lang = strdup((const char *)root);
      st->doc_rule = "declared on the document";
      xmlFree(root);
      if (!st->doc_lang)
        return lg_oom(st);
    }
  }
  if (st->doc_lang && same_language(st->doc_lang, "ms"))
    st->sibling = "id", st->sibling_of = "ms";
  else if (st->doc_lang && same_language(st->doc_lang, "id"))
    st->sibling = "ms", st->sibling_of = "id";
  return EMC_OK;
}

/* Phase 2, one text block X: its verdict, appended to ST->b. */
static int lg_judge_block(struct lg_run *st, xmlNodePtr x)
{
  char *text = fu_block_text(x);
  if (!text)
    return lg_oom(st);
  if (st->n == st->cap) {
    size_t cap = st->cap ? st->cap * 2 : 32;
    struct lg_block *grown = realloc(st->b, cap * sizeof *grown);
    if (!grown) {
      free(text);
      return lg_oom(st);
    }
    st->b = grown;
    st->cap = cap;
  }
  struct lg_block *k = &st->b[st->n++];
  memset(k, 0, sizeof *k);
  k->node = x;
  k->declared = xmlGetNsProp(x, BAD_CAST "lang", XML_XML_NAMESPACE);
  k->excerpt = st->explaining ? fu_excerpt(text, 48) : NULL;
  blank_addresses(text);
  struct guesser *g = st->g;
  int rc = judge(g, &st->lx, text, st->confirmed, st->explaining, &k->v);
  free(text);
  if (rc) {
    if (rc != EMC_EINVAL)
      return lg_oom(st);
    char path[4096];
    lm_path(path, sizeof path, g->v[g->bad].code);
    return emc_error_set(st->err, EMC_EINVAL, "language: --languages: no fingerprint for '%s' (%s)",
                         g->v[g->bad].code, path);
  }
  if (k->v.textcat)
    for (int p = 0; p < N_PROFILES; p++) /* id: not when ms is a candidate */
      if (strcmp(profile_code[p], k->v.lang) == 0 && !(p == L_ID && st->idms_both))
        st->confirmed |= 1u << p;
  if (st->sibling && k->v.lang && strcmp(k->v.lang, st->sibling) == 0) {
    k->v.lang = st->sibling_of;
    k->v.rule = st->sibling_of[0] == 'm' ? "textcat, id read as ms (the document is ms)"
                                         : "textcat, ms read as id (the document is id)";
  }
  return EMC_OK;
}

/* Phase 2: every text block of the body, in document order (not inside
 * <pre>). */
static int lg_judge_blocks(struct lg_run *st)
{
  xmlNodePtr body = emc_doc_body(st->doc);
  for (xmlNodePtr x = body; x;) {
    int rc;
    if (fu_is_text_block(x) && (rc = lg_judge_block(st, x)))
      return rc;
    x = emc_ir_next(x, body, x->type == XML_ELEMENT_NODE && !fu_is(x, "pre"));
  }
  return EMC_OK;
}

/* Phase 3: Indonesian or Malay, when both are candidates and the document
 * was not declared either: decided once for the whole document, by the
 * sum of their scores over the blocks found in one of them (paragraph by
 * paragraph textcat tells them apart no better than a coin). */
static void lg_decide_idms(struct lg_run *st)
{
  struct lg_block *b = st->b;
  double sum[2] = { 0, 0 };
  size_t pooled = 0;
  for (size_t i = 0; i < st->n; i++)
    if (b[i].v.idms[0]) {
      sum[0] += b[i].v.idms[0];
      sum[1] += b[i].v.idms[1];
      pooled++;
    }
  const char *winner = sum[1] < sum[0] ? "ms" : "id";
  for (size_t i = 0; pooled && i < st->n; i++)
    if (b[i].v.idms[0]) {
      b[i].v.lang = winner;
      b[i].v.rule = "textcat, id or ms decided for the whole document";
    }
  if (pooled)
    fu_explain(st->ctx, LG, "id or ms: %s, for %zu block%s (textcat's summed scores: id %.0f, ms %.0f)",
               winner, pooled, pooled == 1 ? "" : "s", sum[0], sum[1]);
}

/* Phase 4: undetermined blocks between two agreeing siblings take their
 * language (the nearest determined block on each side, found in two
 * passes). */
static int lg_smooth(struct lg_run *st)
{
  struct lg_block *b = st->b;
  size_t n = st->n;
  if (!n)
    return EMC_OK;
  size_t *next_det = malloc(n * sizeof *next_det);
  if (!next_det)
    return lg_oom(st);
  for (size_t i = n, nd = n; i-- > 0;) {
    next_det[i] = nd;
    if (b[i].v.lang)
      nd = i;
  }
  for (size_t i = 0, pd = n; i < n; i++) {
    if (b[i].v.lang) {
      pd = i;
      continue;
    }
    if (b[i].declared || pd == n || next_det[i] == n)
      continue;
    const struct lg_block *prev = &b[pd], *next = &b[next_det[i]];
    if (prev->node->parent == b[i].node->parent && next->node->parent == b[i].node->parent &&
        strcmp(prev->v.lang, next->v.lang) == 0) {
      b[i].v.lang = prev->v.lang;
      b[i].v.smoothed = 1;
    }
  }
  free(next_det);
  return EMC_OK;
}

/* Phase 5, when the document's language was not declared: that of most
 * letters.  WHY: the counts, for --explain. */
static int lg_most_letters(struct lg_run *st, emc_buf *why)
{
  const char *langs[16];
  size_t letters[16] = { 0 }, blocks[16] = { 0 }, nl = 0;
  for (size_t i = 0; i < st->n; i++) {
    const struct lg_block *bl = &st->b[i];
    const char *l = bl->declared ? (const char *)bl->declared : bl->v.lang;
    if (!l || bl->v.smoothed)
      continue;
    size_t k = 0;
    while (k < nl && strcmp(langs[k], l) != 0)
      k++;
    if (k == nl) {
      if (nl == 16)
        continue;
      langs[nl++] = l;
    }
    letters[k] += bl->v.letters;
    blocks[k]++;
  }
  size_t best = 0;
  for (size_t k = 1; k < nl; k++)
    if (letters[k] > letters[best])
      best = k;
  for (size_t k = 0; k < nl; k++)
    if (emc_buf_printf(why, "%s%s %zu letters in %zu block%s", k ? ", " : "", langs[k],
                       letters[k], blocks[k], blocks[k] == 1 ? "" : "s"))
      return lg_oom(st);
  st->doc_rule = "the language of most letters";
  if (nl && !(st->doc_lang = strdup(langs[best])))
    return lg_oom(st);
  if (st->doc_lang && emc_doc_meta_set(st->doc, "language", st->doc_lang))
    return lg_oom(st);
  return EMC_OK;
}

/* Phase 5: the document's language, on its root element too. */
static int lg_document(struct lg_run *st)
{
  emc_buf why = EMC_BUF_INIT;
  int rc = st->doc_lang ? EMC_OK : lg_most_letters(st, &why);
  if (rc) {
    emc_buf_release(&why);
    return rc;
  }
  if (st->doc_lang) {
    xmlNodePtr root = xmlDocGetRootElement(emc_doc_tree(st->doc));
    if (!xmlHasNsProp(root, BAD_CAST "lang", XML_XML_NAMESPACE))
      xmlNodeSetLang(root, BAD_CAST st->doc_lang); /* <meta> said it, the root did not */
    emc_ctx_log(st->ctx, EMC_LOG_INFO, "language: document %s (%s)", st->doc_lang, st->doc_rule);
    fu_explain(st->ctx, LG, "document: %s (rule: %s%s%s)", st->doc_lang, st->doc_rule,
               why.len ? ": " : "", why.data ? why.data : "");
  } else
    fu_explain(st->ctx, LG, "document: undetermined (rule: no block long enough to tell)");
  emc_buf_release(&why);
  return EMC_OK;
}

/* Phase 6: xml:lang on the blocks that differ from what they inherit. */
static void lg_mark(struct lg_run *st)
{
  emc_ctx *ctx = st->ctx;
  int explaining = st->explaining;
  size_t marked = 0;
  for (size_t i = 0; i < st->n; i++) {
    struct lg_block *k = &st->b[i];
    /* (only --explain names the block, and only a block found in a
     * language looks up what it inherits: the nodes are cold by now) */
    const char *kind = !explaining            ? ""
                       : fu_is(k->node, "p") ? "p"
                                             : (const char *)k->node->name;
    if (k->declared) {
      fu_explain(ctx, LG, "block %zu (%s) \"%s\": %s (rule: declared by the reader; kept)",
                 i + 1, kind, k->excerpt ? k->excerpt : "", (const char *)k->declared);
      continue;
    }
    xmlChar *inh = k->v.lang || explaining ? inherited(k->node) : NULL;
    const char *from = inh ? (const char *)inh : st->doc_lang;
    int differs = k->v.lang && (!from || !same_language(k->v.lang, from));
    if (differs) {
      xmlNodeSetLang(k->node, BAD_CAST k->v.lang);
      marked++;
    }
    if (explaining) {
      if (k->v.lang)
        fu_explain(ctx, LG, "block %zu (%s) \"%s\": %s (rule: %s%s%s%s)%s", i + 1, kind,
                   k->excerpt ? k->excerpt : "", k->v.lang,
                   k->v.smoothed ? "between two blocks in " : k->v.rule,
                   k->v.smoothed ? k->v.lang : "", k->v.smoothed ? "" : ": ",
                   k->v.smoothed ? "" : k->v.detail,
                   differs ? "; differs from its surroundings: xml:lang set" : "");
      else
        fu_explain(ctx, LG, "block %zu (%s) \"%s\": undetermined, inherits %s (rule: %s%s%s)",
                   i + 1, kind, k->excerpt ? k->excerpt : "", from ? from : "nothing",
                   k->v.rule, *k->v.detail ? ": " : "", k->v.detail);
    }
    xmlFree(inh);
  }
  if (marked)
    emc_ctx_log(ctx, EMC_LOG_INFO, "language: %zu block%s in another language marked", marked,
                marked == 1 ? "" : "s");
}

static int lg_filter(emc_ctx *ctx, emc_doc *doc, emc_error *err)
{
  struct lg_run st = { .ctx = ctx, .doc = doc, .err = err,
                       .doc_rule = "declared in the metadata" };
  st.g = malloc(sizeof *st.g);
  if (!st.g || lexicon_init(&st.lx)) {
    free(st.g);
    return lg_oom(&st);
  }
  const char *list = emc_ctx_option(ctx, "languages");
  int rc = guesser_load(st.g, list ? list : DEFAULT_LANGUAGES, err);
  if (rc) {
    free(st.lx.v);
    free(st.g);
    return rc;
  }
  for (size_t i = 0, seen = 0; i < st.g->n; i++)
    if (!strcmp(st.g->v[i].code, "id") || !strcmp(st.g->v[i].code, "ms"))
      st.idms_both = ++seen == 2;
  st.explaining = fu_explaining(ctx);

  if (!(rc = lg_declared(&st)) && !(rc = lg_judge_blocks(&st))) {
    if (!st.sibling)
      lg_decide_idms(&st);
    if (!(rc = lg_smooth(&st)) && !(rc = lg_document(&st)))
      lg_mark(&st);
  }
  free(st.doc_lang);
  free_blocks(st.b, st.n);
  guesser_free(st.g);
  free(st.g);
  free(st.lx.v);
  return rc;
}

static const emc_option_spec lg_options[] = {
  FU_EXPLAIN_OPTION,
  { "languages", 1, "LIST",
    "language filter: the languages it may find (libexttextcat codes; default " DEFAULT_LANGUAGES
    ")" },
  { NULL, 0, NULL, NULL }
};

EMC_PLUGIN_DEFINE(language, "language", PACKAGE_VERSION,
                  "identify the document's and each block's language (xml:lang)",
                  .filter = lg_filter, .options = lg_options)
