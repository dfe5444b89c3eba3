/* SPDX-License-Identifier: MIT */
/* html.h - internals of the html reader (not installed).
 *
 * The reader runs in stages, one file each:
 *   html-decode.c   bytes -> UTF-8 (BOM, --input-encoding, XML declaration,
 *                   <meta charset>, Windows-1252 fallback)
 *   html.c          the descriptor, the probe, the reader callback
 *   html-page.c     a page decoded, parsed (libxml2's HTML parser),
 *                   analysed: shared with the epub reader
 *   html-analyse.c  per-element facts (text length, links, chrome), the
 *                   choice of the article and its heading
 *   html-meta.c     <title>, <meta>, og:, canonical URL, lang -> IR <meta>
 *   html-jsonld.c   schema.org JSON-LD (json-c), for html-meta.c
 *   html-date.c     dates as ISO 8601, for html-meta.c
 *   html-build.c    the chosen elements -> IR blocks and inlines
 *   html-url.c      URL resolution and escaping, local images
 */
#ifndef EMC_HTML_H
#define EMC_HTML_H

#include <stddef.h>
#include <stdint.h>
#include <libxml/HTMLparser.h>
#include <emuconv/buf.h>
#include <emuconv/plugin.h>

/* ---- elements ---- */

/* Every HTML element the reader knows, sorted by name (html-analyse.c
 * looks names up by binary search). */
#define HTML_TAGS(X) \
  X(a) X(abbr) X(acronym) X(address) X(applet) X(area) X(article) X(aside) \
  X(audio) X(b) X(base) X(bdi) X(bdo) X(big) X(blink) X(blockquote) X(body) \
  X(br) X(button) X(canvas) X(caption) X(center) X(cite) X(code) X(col) \
  X(colgroup) X(data) X(datalist) X(dd) X(del) X(details) X(dfn) X(dialog) \
  X(dir) X(div) X(dl) X(dt) X(em) X(embed) X(fieldset) X(figcaption) \
  X(figure) X(font) X(footer) X(form) X(frame) X(frameset) X(h1) X(h2) \
  X(h3) X(h4) X(h5) X(h6) X(head) X(header) X(hgroup) X(hr) X(html) X(i) \
  X(iframe) X(img) X(input) X(ins) X(kbd) X(label) X(legend) X(li) X(link) \
  X(listing) X(main) X(map) X(mark) X(marquee) X(math) X(menu) X(meta) \
  X(meter) X(nav) X(nobr) X(noembed) X(noframes) X(noscript) X(object) \
  X(ol) X(optgroup) X(option) X(output) X(p) X(param) X(picture) \
  X(plaintext) X(pre) X(progress) X(q) X(rp) X(rt) X(ruby) X(s) X(samp) \
  X(script) X(search) X(section) X(select) X(small) X(source) X(span) \
  X(strike) X(strong) X(style) X(sub) X(summary) X(sup) X(svg) X(table) \
  X(tbody) X(td) X(template) X(textarea) X(tfoot) X(th) X(thead) X(time) \
  X(title) X(tr) X(track) X(tt) X(u) X(ul) X(var) X(video) X(wbr) X(xmp)

#define HTML_TAG_ENUM(t) T_##t,
enum html_tag { T_UNKNOWN = 0, HTML_TAGS(HTML_TAG_ENUM) T_COUNT };
#undef HTML_TAG_ENUM

/* What the reader learnt about one element; hung on xmlNode._private. */
typedef struct hinfo {
  unsigned flags;      /* HF_* */
  unsigned short tag;  /* enum html_tag */
  /* 32 bits: inputs are far below 4 GiB (the core's input limit) */
  uint32_t order;      /* position in document order */
  uint32_t text;       /* visible characters in the subtree, spaces aside */
  uint32_t link_text;  /* ... of which inside a[href] */
  uint32_t links;      /* a[href] in the subtree */
  uint32_t para;       /* characters of scored paragraphs in the subtree */
  uint32_t consumed;   /* characters moved into notes */
  float score;         /* content score (readability-style) */
} hinfo;

enum {
  HF_DROP = 1u << 0,          /* never rendered: script, style, hidden... */
  HF_BLOCK = 1u << 1,         /* a block-level element */
  HF_HAS_BLOCK = 1u << 2,     /* has block-level descendants */
  HF_CHROME = 1u << 3,        /* page furniture (nav, menus, sidebars...) */
  HF_CHROME_STRONG = 1u << 4, /* comments, share buttons, ads: always out */
  HF_CHROME_TAG = 1u << 5,    /* furniture by tag or ARIA role */
  HF_IN_CHROME = 1u << 6,     /* it or an ancestor is HF_CHROME */
  HF_IN_CHROME_TAG = 1u << 7, /* it or an ancestor is HF_CHROME_TAG */
  HF_IN_ARTICLE = 1u << 8,    /* inside an <article> */
  HF_SCORED = 1u << 9,        /* has a content score */
  HF_CONTENT_UP = 1u << 10,   /* an ancestor of (or) a content root */
  HF_HEADING_UP = 1u << 11,   /* an ancestor of (or) the article heading */
  HF_NOTE_USED = 1u << 12,    /* a footnote moved to its reference */
  HF_ROOT = 1u << 13,         /* a content root */
  HF_POSITIVE = 1u << 14,     /* class/id says article, content, entry... */
  HF_HEADERISH = 1u << 15,    /* header, role=banner, class header */
  HF_FREED = 1u << 16         /* emitted and freed (html-build.c) */
};

static inline hinfo *hi(const xmlNode *n)
{
  return (hinfo *)n->_private;
}

static inline int htag(const xmlNode *n)
{
  return n && n->type == XML_ELEMENT_NODE && n->_private ? hi(n)->tag : T_UNKNOWN;
}

static inline int html_heading_level(const xmlNode *n)
{
  int t = htag(n);
  return t >= T_h1 && t <= T_h6 ? t - T_h1 + 1 : 0;
}

/* HTML's ASCII white space (space, tab, LF, CR, FF), what the parser and
 * the browser collapse; not VT, and nothing outside ASCII. */
static inline int html_is_ws(unsigned char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

/* The value of attribute NAME of element N (borrowed), or NULL. */
const xmlChar *html_attr(const xmlNode *n, const char *name);

/* ---- the page ---- */

typedef struct html_id {
  const xmlChar *id;  /* a copy in html_page.id_pool */
  xmlNodePtr node;
  hinfo *info;        /* the node's, readable after it was freed */
} html_id;

typedef struct html_page {
  xmlDocPtr tree;
  xmlNodePtr root, head, body;
  hinfo *info;
  size_t n_info;
  int keep_chrome;
  /* the article: content roots in document order, the heading, the
   * elements between the heading and the content (byline, date, lead) */
  xmlNodePtr *roots;
  size_t n_roots;
  xmlNodePtr heading;
  xmlNodePtr *prefix;
  size_t n_prefix;
  size_t content_text;       /* visible characters of the content */
  int close_race;            /* blocks scoring nearly as well as the best */
  int level_shift;           /* subtracted from heading levels */
  /* ids and a[name] anchors, sorted, for footnote references */
  html_id *ids;
  size_t n_ids;
  xmlChar *id_pool;
  char *base;                /* base URL for links, or NULL */
  char *lang;                /* the page's language (valid BCP 47) or NULL */
  /* Where images come from instead of files beside the input (the epub
   * reader: its package), or NULL.  Called with an <img>'s SRC (not a
   * data: URI); returns EMC_OK with *DATA (transfer full, free()) of
   * *LEN bytes and *KEY (transfer full, free(): the image's canonical
   * name, so that one image used twice is added once), EMC_ENOTSUP when
   * it is not there, or a fatal error with ERR set. */
  int (*fetch_image)(void *user, const char *src, unsigned char **data, size_t *len,
                     char **key, emc_error *err);
  void *fetch_user;
  int keep_anchors;          /* links to "#ID" kept (the epub reader: the
                                book's ids are its sections'), not dropped */
  xmlNodePtr *flow_box;      /* where blocks go, kept from page to page
                                (the epub reader: a section opened in one
                                document goes on in the next), or NULL:
                                the body */
  struct html_images **images; /* with fetch_image: the images already
                                  added, kept across pages (or NULL) */
} html_page;

/* html-page.c: reads IN into PG (zeroed by the caller, keep_chrome set as
 * wanted): decoded, parsed, analysed, its content chosen.  An empty input
 * leaves pg->root NULL (with a warning).  On failure PG is freed.
 * html_page_free() frees what PG holds (not PG). */
int html_page_load(html_page *pg, emc_ctx *ctx, const emc_input *in, emc_error *err);
void html_page_free(html_page *pg);

/* html-decode.c: IN's bytes as UTF-8 without characters XML cannot hold,
 * NUL-terminated: *TEXT, *LEN bytes.  Either IN's own bytes (*OWNED NULL)
 * or a malloc'ed copy (*OWNED, to free). */
int html_decode(emc_ctx *ctx, const emc_input *in, const char **text, size_t *len,
                char **owned, emc_error *err);

/* html-analyse.c */
int html_analyse(html_page *pg, emc_ctx *ctx, emc_error *err);
void html_select(html_page *pg, emc_ctx *ctx);
/* html-score.c: after a scoring that ignored only furniture by tag (para
 * set), clears the furniture flags of boxes flagged by class/id words that
 * hold much of the page's paragraph text, and works out the inherited
 * flags again.  Returns how many boxes it took back. */
int html_rescue_content(html_page *pg);
/* html-score.c: marks the <article>s nested in the content (next and
 * older posts) as furniture, unless they are most of it.  Returns how
 * many. */
int html_cut_nested_posts(html_page *pg);
/* The element with id (or a[name]) ID, unless already freed; NULL if none. */
xmlNodePtr html_find_id(const html_page *pg, const xmlChar *id);
int html_class_has(const xmlNode *n, const char *word);
/* True when N's attribute ATTR, a list of words separated by white space
 * (class, rel), holds WORD, ignoring ASCII case. */
int html_attr_has_word(const xmlNode *n, const char *attr, const char *word);
/* Sets HF_IN_CHROME / HF_IN_CHROME_TAG on every element of PG from its own
 * HF_CHROME / HF_CHROME_TAG and its parent's, top down: again after a
 * rule changed which boxes are chrome. */
void html_inherit_chrome(html_page *pg);
/* Characters of S (LEN bytes) other than white space. */
size_t html_text_len(const xmlChar *s, size_t len);

/* html-meta.c: fills DOC's <meta>; sets pg->lang and pg->base. */
int html_meta(html_page *pg, emc_ctx *ctx, emc_doc *doc, emc_error *err);
/* A language tag normalised to BCP 47 shape ("en_US" -> "en-US"), or NULL
 * when it is not one.  Returns: (transfer full) free(). */
char *html_lang_norm(const xmlChar *s);
/* The language of element N: its or an ancestor's lang, or NULL. */
const xmlChar *html_lang_of(const xmlNode *n);
/* Text of N's subtree with white space folded and trimmed, at most MAX
 * bytes.  Returns: (transfer full) free(); NULL when empty (or out of
 * memory: never a truncated text). */
char *html_text_of(const xmlNode *n, size_t max);

/* Text S with white space folded and trimmed, at most MAX bytes.
 * Returns: (transfer full) free(); NULL when empty. */
char *html_fold_text(const xmlChar *s, size_t max);
/* True when S starts with http:// or https://. */
int html_is_url_text(const char *s);

/* html-jsonld.c: the article's schema.org JSON-LD.  Members are owned,
 * folded, NULL when absent; html_jsonld_clear() frees them.  AUTHOR holds
 * one name a line. */
typedef struct html_jsonld {
  char *headline, *name, *author, *date, *publisher, *lang, *description;
  int found;  /* an article object was seen */
} html_jsonld;
/* Parses one script's TEXT (LEN bytes) and fills what is still unset. */
void html_jsonld_add(html_jsonld *j, const char *text, size_t len);
void html_jsonld_clear(html_jsonld *j);

/* html-date.c: date S as ISO 8601 ("April 28, 2019" -> "2019-04-28",
 * "2015-09-17T16:57:43+0100" -> "2015-09-17T16:57:43+01:00").
 * Returns: (transfer full) free(); NULL when S is not a date it knows. */
char *html_date_iso(const char *s);

/* html-build.c */
int html_build(html_page *pg, emc_ctx *ctx, const emc_input *in,
               emc_doc *doc, emc_error *err);

/* html-url.c */
/* HREF (trimmed) resolved against BASE (may be NULL) and escaped into a
 * valid URI reference.  Returns: (transfer full) free(); NULL if unusable. */
char *html_url_resolve(const char *base, const xmlChar *href);
/* True when S starts with a URI scheme ("http:"). */
int html_url_has_scheme(const char *s);
/* Percent-escapes what a URI may not hold.  Returns: (transfer full). */
char *html_url_escape(const char *s);

typedef struct html_images html_images;
/* Reads a local image SRC relative to directory DIR (NULL: none) or decodes
 * a data: URI, and adds it to DOC.  Returns EMC_OK with *NAME set to the
 * resource name (borrowed from the cache), EMC_ENOTSUP when SRC is not a
 * usable local image (the caller falls back), or a fatal error. */
int html_image_local(html_images **cache, emc_ctx *ctx, emc_doc *doc,
                     const char *dir, const xmlChar *src, const char **name,
                     emc_error *err);
void html_images_free(html_images *cache);
/* Adds image DATA (LEN bytes, borrowed) named KEY to DOC once: a KEY seen
 * before gives the same resource.  EMC_ENOTSUP when it is not an image
 * the reader takes (PNG, JPEG, GIF, WebP). */
int html_image_add(html_images **cache, emc_doc *doc, const char *key,
                   const unsigned char *data, size_t len, const char **name,
                   emc_error *err);

#endif
