/* language.c - identifies the language of the document and of each of its
 * text blocks (p, heading, caption, term; notes' paragraphs too), sets
 * <meta><language> and the root's xml:lang to the document's, and
 * xml:lang on each block whose language differs from what it inherits.
 *
 * Per block, in order (each decision is logged with --explain):
 *  1. declared: a block that already has xml:lang keeps it;
 *  2. script: more than half of the letters in one script decide it:
 *     Devanagari -> hi (mr or ne when their stop words clearly win), Thai
 *     th, Lao lo, Khmer km, Hangul ko, kana ja, Han zh;
 *  3. short: fewer than 5 words or 20 letters (a byline, a number, "Yes")
 *     -> undetermined;
 *  4. Vietnamese letters (ă â đ ê ô ơ ư and the tone-marked vowels) in a
 *     quarter of the words -> vi;
 *  5. stop words: the share of the words that are frequent function words
 *     of en, id or vi; the best wins when it covers at least 8% of the
 *     words, 2 words, and twice the runner-up; else undetermined.
 *     Malay has no profile of its own: for this corpus Malay-looking text
 *     is Indonesian (id).
 * An undetermined block between two blocks of the same parent that agree
 * takes their language; otherwise it inherits (no attribute).
 * The document's language: the one in <meta> if the reader set it (the
 * paragraphs are then compared with it), else the language of most
 * letters among the determined blocks; none when nothing was determined.
 * -M language=X is applied by the core after the filters: it replaces the
 * document's language; blocks marked as differing keep their xml:lang. */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include "../common/filterutil.h"

#define LG "language"
#define MIN_WORDS 5
#define MIN_LETTERS 20
#define MIN_SHARE 0.08
#define VI_SHARE 0.25

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
};

struct lexicon {
  struct stopword *v;
  size_t n;
};

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
      lx->v[lx->n++] = (struct stopword){ *w, 1u << p };
  qsort(lx->v, lx->n, sizeof *lx->v, cmp_stop);
  size_t out = 0; /* merge duplicates (a word of two profiles) */
  for (size_t i = 0; i < lx->n; i++) {
    if (out && strcmp(lx->v[out - 1].word, lx->v[i].word) == 0)
      lx->v[out - 1].mask |= lx->v[i].mask;
    else
      lx->v[out++] = lx->v[i];
  }
  lx->n = out;
  return EMC_OK;
}

static unsigned lexicon_find(const struct lexicon *lx, const char *word)
{
  struct stopword key = { word, 0 };
  const struct stopword *hit = bsearch(&key, lx->v, lx->n, sizeof *lx->v, cmp_stop);
  return hit ? hit->mask : 0;
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

struct verdict {
  const char *lang;      /* NULL: undetermined */
  const char *rule;      /* short name of the deciding rule */
  char detail[160];      /* the numbers behind it */
  size_t letters;
  int smoothed;
};

static void judge(const struct lexicon *lx, const char *s, struct verdict *v)
{
  size_t len = strlen(s), letters = 0, words = 0, vi_words_n = 0;
  size_t per_script[N_SCRIPTS] = { 0 };
  size_t hits[N_PROFILES] = { 0 };
  char word[128];
  size_t wl = 0;
  int word_vi = 0;
  memset(v, 0, sizeof *v);
  for (size_t i = 0; i <= len;) {
    uint32_t c = i < len ? fu_utf8_next(s, len, &i) : (i++, 0);
    if (c && fu_is_letter(c)) {
      letters++;
      per_script[script_of(c)]++;
      word_vi |= fu_is_vietnamese(c);
      if (wl + 5 < sizeof word)
        wl += fu_utf8_put(word + wl, fu_lower(c));
      else
        wl = sizeof word; /* too long for a stop word */
      continue;
    }
    if (wl) {
      words++;
      vi_words_n += word_vi;
      if (wl < sizeof word) {
        word[wl] = '\0';
        unsigned mask = lexicon_find(lx, word);
        for (int p = 0; p < N_PROFILES; p++)
          hits[p] += (mask >> p) & 1u;
      }
    }
    wl = 0;
    word_vi = 0;
  }
  v->letters = letters;
  if (!letters) {
    v->rule = "no letters";
    return;
  }
  int top = 0;
  for (int k = 1; k < N_SCRIPTS; k++)
    if (per_script[k] > per_script[top])
      top = k;
  if (top != S_LATIN && per_script[top] * 2 > letters) {
    if (top == S_HAN && per_script[S_KANA]) /* Japanese writes kanji and kana */
      top = S_KANA;
    v->lang = script_lang[top];
    snprintf(v->detail, sizeof v->detail, "%s letters: %zu of %zu", script_name[top],
             per_script[top], letters);
    v->rule = "script";
    if (top == S_DEVANAGARI) {
      for (int p = L_MR; p <= L_NE; p++)
        if (hits[p] >= 3 && hits[p] > 2 * hits[L_HI]) {
          v->lang = profile_code[p];
          snprintf(v->detail, sizeof v->detail,
                   "Devanagari; stop words %s %zu, hi %zu of %zu words", profile_code[p],
                   hits[p], hits[L_HI], words);
        }
    }
    if (!v->lang)
      v->rule = "script (no language for it)";
    return;
  }
  if (words < MIN_WORDS || letters < MIN_LETTERS) {
    v->rule = "short";
    snprintf(v->detail, sizeof v->detail, "%zu words, %zu letters", words, letters);
    return;
  }
  if ((double)vi_words_n >= VI_SHARE * (double)words) {
    v->lang = "vi";
    v->rule = "Vietnamese letters";
    snprintf(v->detail, sizeof v->detail, "in %zu of %zu words", vi_words_n, words);
    return;
  }
  int best = L_EN, second = L_ID;
  for (int p = L_EN; p <= L_VI; p++) {
    if (hits[p] > hits[best]) {
      second = best;
      best = p;
    } else if (p != best && hits[p] > hits[second])
      second = p;
  }
  if (best == second)
    second = best == L_EN ? L_ID : L_EN;
  snprintf(v->detail, sizeof v->detail, "en %zu, id %zu, vi %zu of %zu words", hits[L_EN],
           hits[L_ID], hits[L_VI], words);
  if (hits[best] >= 2 && (double)hits[best] >= MIN_SHARE * (double)words &&
      hits[best] >= 2 * hits[second]) {
    v->lang = profile_code[best];
    v->rule = "stop words";
  } else
    v->rule = "stop words (no clear winner)";
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

static int lg_filter(emc_ctx *ctx, emc_doc *doc, emc_error *err)
{
  xmlNodePtr body = emc_doc_body(doc);
  struct lexicon lx;
  struct lg_block *b = NULL;
  size_t n = 0, cap = 0;
  char *doc_lang = NULL;
  const char *doc_rule = "declared in the metadata";
  fu_buf why = { 0 };
  if (lexicon_init(&lx))
    return emc_error_set(err, EMC_ENOMEM, "language: out of memory");
  int explaining = fu_explaining(ctx);

  for (xmlNodePtr x = body; x;) {
    if (fu_is_text_block(x)) {
      char *text = fu_block_text(x);
      if (!text)
        goto oom;
      if (n == cap) {
        cap = cap ? cap * 2 : 32;
        struct lg_block *g = realloc(b, cap * sizeof *g);
        if (!g) {
          free(text);
          goto oom;
        }
        b = g;
      }
      struct lg_block *k = &b[n++];
      memset(k, 0, sizeof *k);
      k->node = x;
      k->declared = xmlGetNsProp(x, BAD_CAST "lang", XML_XML_NAMESPACE);
      judge(&lx, text, &k->v);
      k->excerpt = explaining ? fu_excerpt(text, 48) : NULL;
      free(text);
    }
    x = fu_next(x, body, x->type == XML_ELEMENT_NODE && !emc_ir_is(x, "pre"));
  }

  /* undetermined blocks between two agreeing siblings take their language
   * (the nearest determined block on each side, found in two passes) */
  if (n) {
    size_t *next_det = malloc(n * sizeof *next_det);
    if (!next_det)
      goto oom;
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
  }

  /* the document's language */
  doc_lang = emc_doc_meta_get(doc, "language");
  if (!doc_lang) {
    xmlChar *root = xmlGetNsProp(xmlDocGetRootElement(emc_doc_tree(doc)), BAD_CAST "lang",
                                 XML_XML_NAMESPACE);
    if (root) {
      doc_lang = strdup((const char *)root);
      doc_rule = "declared on the document";
      xmlFree(root);
      if (!doc_lang)
        goto oom;
    }
  }
  if (!doc_lang) {
    const char *langs[16];
    size_t letters[16] = { 0 }, blocks[16] = { 0 }, nl = 0;
    for (size_t i = 0; i < n; i++) {
      const char *l = b[i].declared ? (const char *)b[i].declared : b[i].v.lang;
      if (!l || b[i].v.smoothed)
        continue;
      size_t k = 0;
      while (k < nl && strcmp(langs[k], l) != 0)
        k++;
      if (k == nl) {
        if (nl == 16)
          continue;
        langs[nl++] = l;
      }
      letters[k] += b[i].v.letters;
      blocks[k]++;
    }
    size_t best = 0;
    for (size_t k = 1; k < nl; k++)
      if (letters[k] > letters[best])
        best = k;
    for (size_t k = 0; k < nl; k++)
      fu_buf_printf(&why, "%s%s %zu letters in %zu block%s", k ? ", " : "", langs[k],
                    letters[k], blocks[k], blocks[k] == 1 ? "" : "s");
    doc_rule = "the language of most letters";
    if (nl && !(doc_lang = strdup(langs[best])))
      goto oom;
    if (doc_lang && emc_doc_meta_set(doc, "language", doc_lang))
      goto oom;
  }
  if (doc_lang) {
    xmlNodePtr root = xmlDocGetRootElement(emc_doc_tree(doc));
    if (!xmlHasNsProp(root, BAD_CAST "lang", XML_XML_NAMESPACE))
      xmlNodeSetLang(root, BAD_CAST doc_lang); /* <meta> said it, the root did not */
    emc_ctx_log(ctx, EMC_LOG_INFO, "language: document %s (%s)", doc_lang, doc_rule);
    fu_explain(ctx, LG, "document: %s (rule: %s%s%s)", doc_lang, doc_rule,
               why.len ? ": " : "", why.s ? why.s : "");
  } else
    fu_explain(ctx, LG, "document: undetermined (rule: no block long enough to tell)");
  fu_buf_release(&why);

  /* the blocks: xml:lang where they differ from what they inherit */
  size_t marked = 0;
  for (size_t i = 0; i < n; i++) {
    struct lg_block *k = &b[i];
    const char *kind = emc_ir_is(k->node, "p") ? "p" : (const char *)k->node->name;
    if (k->declared) {
      fu_explain(ctx, LG, "block %zu (%s) \"%s\": %s (rule: declared by the reader; kept)",
                 i + 1, kind, k->excerpt ? k->excerpt : "", (const char *)k->declared);
      continue;
    }
    xmlChar *inh = inherited(k->node);
    const char *from = inh ? (const char *)inh : doc_lang;
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
  free(doc_lang);
  free_blocks(b, n);
  free(lx.v);
  return EMC_OK;
oom:
  fu_buf_release(&why);
  free(doc_lang);
  free_blocks(b, n);
  free(lx.v);
  return emc_error_set(err, EMC_ENOMEM, "language: out of memory");
}

static const emc_option_spec lg_options[] = {
  FU_EXPLAIN_OPTION,
  { NULL, 0, NULL, NULL }
};

static const emc_plugin language_plugin = {
  EMC_PLUGIN_ABI,
  .name = "language",
  .version = PACKAGE_VERSION,
  .description = "identify the document's and each block's language (xml:lang)",
  .filter = lg_filter,
  .options = lg_options,
};

EMC_PLUGIN_EXPORT(language, language_plugin)
