/* SPDX-License-Identifier: MIT */
/* html-meta.c - the page's metadata into the IR's <meta>.
 *
 *   title     the article's heading; else og:title, twitter:title; else
 *             <title> without the site name (" | Son La Portal")
 *   author    <meta name=author>, article:author (unless a URL),
 *             dc.creator; else itemprop=author, rel=author or a byline
 *             ("By ...", "Oleh ...") in the article
 *   date      article:published_time and the usual <meta> names,
 *             itemprop=datePublished; else the article's first <time>
 *   language  <html lang>; else Content-Language; else og:locale
 *   source    <link rel=canonical>; else og:url; else --base-url
 *   publisher og:site_name, <meta name=publisher>
 *   fields    description, keywords, section, tag, og:type, og:image
 *
 * Also decides the base URL for links: <base href>, resolved against
 * --base-url when relative.
 */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <libxml/uri.h>
#include "html.h"

/* ------------------------------------------------------------ text */

/* Text being folded: at most MAX bytes. */
struct folded {
  emc_buf buf;
  size_t max;
  int space; /* white space is pending */
  int oom;   /* an append failed: the text is incomplete */
};

/* Appends S with white space folded; returns -1 when full or on ENOMEM
 * (B->oom set). */
static int sb_fold(struct folded *b, const xmlChar *s)
{
  for (; *s; s++) {
    if (b->buf.len >= b->max)
      return -1;
    if (html_is_ws(*s)) {
      b->space = 1;
      continue;
    }
    if ((b->space && b->buf.len && emc_buf_append_byte(&b->buf, ' ')) ||
        emc_buf_append_byte(&b->buf, *s)) {
      b->oom = 1;
      return -1;
    }
    b->space = 0;
  }
  return 0;
}

/* B's text, or NULL when it is empty or incomplete (out of memory). */
static char *sb_finish(struct folded *b)
{
  if (!b->buf.len || b->oom) {
    emc_buf_release(&b->buf);
    return NULL;
  }
  return b->buf.data;
}

/* A footnote reference: <sup> around an in-page link. */
static int is_sup_ref(const xmlNode *n)
{
  if (htag(n) != T_sup)
    return 0;
  for (const xmlNode *c = n->children; c; c = c->next)
    if (htag(c) == T_a) {
      const xmlChar *h = html_attr(c, "href");
      if (h && h[0] == '#')
        return 1;
    }
  return 0;
}

char *html_text_of(const xmlNode *top, size_t max)
{
  struct folded b = { EMC_BUF_INIT, max, 0, 0 };
  for (const xmlNode *n = top; n;) {
    int descend = 0;
    if (n->type == XML_TEXT_NODE) {
      if (sb_fold(&b, n->content))
        break;
    } else if (n->type == XML_ELEMENT_NODE) {
      if (n != top && n->_private && ((hi(n)->flags & HF_DROP) || is_sup_ref(n)))
        descend = 0;
      else {
        descend = n->children != NULL;
        if (htag(n) == T_br || (n != top && (hi(n)->flags & HF_BLOCK)))
          b.space = 1;
      }
    }
    n = emc_ir_next((xmlNodePtr)n, top, descend);
  }
  emc_buf *t = &b.buf;
  if (t->data && t->len >= max) { /* cut at a character boundary */
    size_t l = t->len;
    while (l && ((unsigned char)t->data[l] & 0xC0) == 0x80)
      l--;
    t->data[l] = '\0';
    t->len = l;
  }
  while (t->len && t->data[t->len - 1] == ' ')
    t->data[--t->len] = '\0';
  return sb_finish(&b);
}

char *html_fold_text(const xmlChar *s, size_t max)
{
  if (!s)
    return NULL;
  struct folded b = { EMC_BUF_INIT, max, 0, 0 };
  sb_fold(&b, s);
  return sb_finish(&b);
}

static char *fold(const xmlChar *s, size_t max)
{
  return html_fold_text(s, max);
}

/* ------------------------------------------------------------ language */

char *html_lang_norm(const xmlChar *s)
{
  if (!s)
    return NULL;
  while (html_is_ws(*s))
    s++;
  size_t n = strlen((const char *)s);
  while (n && html_is_ws(s[n - 1]))
    n--;
  if (!n || n > 64)
    return NULL;
  char *r = malloc(n + 1);
  if (!r)
    return NULL;
  size_t sub = 0, i;
  int first = 1;
  for (i = 0; i < n; i++) {
    char c = (char)s[i];
    if (c == '_')
      c = '-';
    if (c == '-') {
      if (!sub)
        break;
      sub = 0;
      first = 0;
    } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
               (!first && c >= '0' && c <= '9')) {
      if (++sub > 8)
        break;
    } else
      break;
    r[i] = c;
  }
  if (i < n || !sub) {
    free(r);
    return NULL;
  }
  r[n] = '\0';
  return r;
}

const xmlChar *html_lang_of(const xmlNode *n)
{
  for (; n && n->type == XML_ELEMENT_NODE; n = n->parent) {
    const xmlChar *l = html_attr(n, "lang");
    if (!l || !*l)
      l = html_attr(n, "xml:lang");
    if (l && *l)
      return l;
  }
  return NULL;
}

/* ------------------------------------------------------------ collecting */

struct found {
  const xmlNode *title_el;
  const xmlChar *og_title, *tw_title, *og_desc, *desc, *og_site, *og_url, *og_locale;
  const xmlChar *og_image, *og_type, *keywords, *publisher, *content_lang, *section;
  const xmlChar *date, *canonical, *base_href, *dc_title, *parsely_title;
  /* <meta> authors of the best kind seen (AUTHOR_*, lowest wins) */
  const xmlNode *authors[8];
  size_t n_authors;
  int author_rank;
  html_jsonld ld;
  const xmlNode *tags[16];
  size_t n_tags;
  /* what <meta name=...> says, kept apart: <meta property> (RDFa, Open
   * Graph's own form) wins over it, wherever each stands */
  struct found *by_name;
};

/* Fills what <meta property> left unset with what <meta name> said. */
static void merge_names(struct found *f)
{
  const struct found *n = f->by_name;
  const xmlChar **mine[] = { &f->og_title, &f->tw_title, &f->og_desc, &f->desc, &f->og_site,
                             &f->og_url, &f->og_locale, &f->og_image, &f->og_type, &f->keywords,
                             &f->publisher, &f->content_lang, &f->section, &f->date,
                             &f->dc_title, &f->parsely_title };
  const xmlChar *const theirs[] = { n->og_title, n->tw_title, n->og_desc, n->desc, n->og_site,
                                    n->og_url, n->og_locale, n->og_image, n->og_type,
                                    n->keywords, n->publisher, n->content_lang, n->section,
                                    n->date, n->dc_title, n->parsely_title };
  for (size_t i = 0; i < sizeof theirs / sizeof theirs[0]; i++)
    if (!*mine[i])
      *mine[i] = theirs[i];
  if (n->n_authors && (!f->n_authors || n->author_rank < f->author_rank)) {
    memcpy(f->authors, n->authors, sizeof f->authors);
    f->n_authors = n->n_authors;
    f->author_rank = n->author_rank;
  }
  for (size_t i = 0; i < n->n_tags && f->n_tags < sizeof f->tags / sizeof f->tags[0]; i++)
    f->tags[f->n_tags++] = n->tags[i];
}

static int name_is(const xmlChar *v, const char *const *names)
{
  if (!v)
    return 0;
  for (; *names; names++)
    if (strcasecmp((const char *)v, *names) == 0)
      return 1;
  return 0;
}

static void take(const xmlChar **slot, const xmlChar *v)
{
  if (!*slot && v && *v)
    *slot = v;
}

/* The kinds of <meta> author, most trusted first: Dublin Core is what
 * archives and publishers' systems fill in, "author" is often the site's
 * or the template's, parsely-author a tracker's copy. */
enum { AUTHOR_DC = 1, AUTHOR_META, AUTHOR_PARSELY, AUTHOR_NONE };

static void add_author(struct found *f, const xmlNode *n, int rank)
{
  const xmlChar *c = html_attr(n, "content");
  while (c && html_is_ws(*c))
    c++;
  if (!c || !*c || strncasecmp((const char *)c, "http://", 7) == 0 ||
      strncasecmp((const char *)c, "https://", 8) == 0)
    return; /* a profile's URL (article:author) names no one */
  if (f->author_rank && rank > f->author_rank)
    return;
  if (rank < f->author_rank || !f->author_rank) {
    f->n_authors = 0;
    f->author_rank = rank;
  }
  if (f->n_authors < sizeof f->authors / sizeof f->authors[0])
    f->authors[f->n_authors++] = n;
}

static void meta_key(struct found *f, const xmlNode *n, const xmlChar *key, const xmlChar *c);

/* <meta>: property may list several keys ("dc:title og:title"). */
static void meta_tag(struct found *f, const xmlNode *n)
{
  const xmlChar *name = html_attr(n, "name"), *prop = html_attr(n, "property");
  const xmlChar *item = html_attr(n, "itemprop"), *equiv = html_attr(n, "http-equiv");
  const xmlChar *c = html_attr(n, "content");
  if (!c || !*c)
    return;
  if (prop && *prop) {
    for (const xmlChar *p = prop; *p;) {
      while (*p && html_is_ws(*p))
        p++;
      const xmlChar *t = p;
      while (*p && !html_is_ws(*p))
        p++;
      xmlChar key[64];
      size_t l = (size_t)(p - t);
      if (!l || l >= sizeof key)
        continue;
      memcpy(key, t, l);
      key[l] = '\0';
      meta_key(f, n, key, c);
    }
    return;
  }
  if (!name && !item) {
    if (equiv && strcasecmp((const char *)equiv, "content-language") == 0)
      take(&f->content_lang, c);
    return;
  }
  meta_key(f->by_name ? f->by_name : f, n, name ? name : item, c);
}

/* KEY equals WORD, case aside and with ':' and '.' alike (dc:creator,
 * DC.creator). */
static int key_is(const xmlChar *key, const char *word)
{
  for (; *key && *word; key++, word++) {
    unsigned char a = (unsigned char)*key, b = (unsigned char)*word;
    if (a == ':')
      a = '.';
    if (b == ':')
      b = '.';
    if (a >= 'A' && a <= 'Z')
      a = (unsigned char)(a + 32);
    if (a != b)
      return 0;
  }
  return !*key && !*word;
}

static void meta_key(struct found *f, const xmlNode *n, const xmlChar *key, const xmlChar *c)
{
  static const char *const date_names[] = {
    "article:published_time", "og:article:published_time", "date", "dc.date",
    "dc.date.issued", "dcterms.date", "dcterms.created", "dcterms.issued", "pubdate",
    "publishdate", "publish-date", "publish_date", "publication_date",
    "citation_publication_date", "sailthru.date", "datepublished", NULL
  };
  static const char *const author_names[] = {
    "author", "article:author", "og:article:author", "article:author_name", "citation_author",
    "sailthru.author", "byl", NULL
  };
  if (key_is(key, "dc.title") || key_is(key, "dcterms.title") || key_is(key, "dcterm.title"))
    take(&f->dc_title, c);
  else if (key_is(key, "parsely-title"))
    take(&f->parsely_title, c);
  else if (key_is(key, "dc.creator") || key_is(key, "dcterms.creator") ||
           key_is(key, "dcterm.creator"))
    add_author(f, n, AUTHOR_DC);
  else if (key_is(key, "parsely-author"))
    add_author(f, n, AUTHOR_PARSELY);
  else if (strcasecmp((const char *)key, "og:title") == 0)
    take(&f->og_title, c);
  else if (strcasecmp((const char *)key, "twitter:title") == 0)
    take(&f->tw_title, c);
  else if (strcasecmp((const char *)key, "og:description") == 0)
    take(&f->og_desc, c);
  else if (strcasecmp((const char *)key, "description") == 0)
    take(&f->desc, c);
  else if (strcasecmp((const char *)key, "og:site_name") == 0)
    take(&f->og_site, c);
  else if (strcasecmp((const char *)key, "og:url") == 0)
    take(&f->og_url, c);
  else if (strcasecmp((const char *)key, "og:locale") == 0)
    take(&f->og_locale, c);
  else if (strcasecmp((const char *)key, "og:image") == 0)
    take(&f->og_image, c);
  else if (strcasecmp((const char *)key, "og:type") == 0)
    take(&f->og_type, c);
  else if (strcasecmp((const char *)key, "keywords") == 0 ||
           strcasecmp((const char *)key, "news_keywords") == 0)
    take(&f->keywords, c);
  else if (strcasecmp((const char *)key, "publisher") == 0 ||
           strcasecmp((const char *)key, "dc.publisher") == 0)
    take(&f->publisher, c);
  else if (strcasecmp((const char *)key, "language") == 0 ||
           strcasecmp((const char *)key, "dc.language") == 0)
    take(&f->content_lang, c);
  else if (strcasecmp((const char *)key, "article:section") == 0)
    take(&f->section, c);
  else if (strcasecmp((const char *)key, "article:tag") == 0) {
    if (f->n_tags < sizeof f->tags / sizeof f->tags[0])
      f->tags[f->n_tags++] = n;
  } else if (name_is(key, date_names))
    take(&f->date, c);
  else if (name_is(key, author_names))
    add_author(f, n, AUTHOR_META);
}

/* <script type="application/ld+json">: into F->ld. */
static void ld_script(struct found *f, const xmlNode *n)
{
  const xmlChar *type = html_attr(n, "type");
  if (!type || strcasecmp((const char *)type, "application/ld+json") != 0)
    return;
  xmlChar *text = xmlNodeGetContent(n);
  if (text)
    html_jsonld_add(&f->ld, (const char *)text, strlen((const char *)text));
  xmlFree(text);
}

static void collect(struct found *f, xmlNodePtr root)
{
  for (xmlNodePtr n = root; n;) {
    int enter = 0;
    if (n->type == XML_ELEMENT_NODE && n->_private) {
      switch (hi(n)->tag) {
      case T_meta:
        meta_tag(f, n);
        break;
      case T_title:
        if (!f->title_el)
          f->title_el = n;
        break;
      case T_link:
        if (html_attr_has_word(n, "rel", "canonical"))
          take(&f->canonical, html_attr(n, "href"));
        break;
      case T_base:
        take(&f->base_href, html_attr(n, "href"));
        break;
      case T_script:
        ld_script(f, n);
        break;
      default:
        break;
      }
      enter = hi(n)->tag != T_script && hi(n)->tag != T_style;
    }
    n = emc_ir_next(n, root, enter);
  }
}

/* In the article (the heading, the prefix and the roots): the first
 * element for which PRED holds. */
static const xmlNode *in_article(const html_page *pg, int (*pred)(const xmlNode *))
{
  for (size_t part = 0; part < 2; part++) {
    xmlNodePtr *v = part ? pg->roots : pg->prefix;
    size_t nv = part ? pg->n_roots : pg->n_prefix;
    for (size_t i = 0; i < nv; i++) {
      xmlNodePtr top = v[i];
      for (xmlNodePtr n = top; n;) {
        int enter = 0;
        if (n->type == XML_ELEMENT_NODE && n->_private && !(hi(n)->flags & HF_DROP)) {
          if (pred(n))
            return n;
          enter = !((hi(n)->flags & HF_CHROME_STRONG) && n != top);
        }
        n = emc_ir_next(n, top, enter);
      }
    }
  }
  return NULL;
}

/* In the subtree TOP, outside comments and the like: the first element
 * for which PRED holds. */
static const xmlNode *in_tree(xmlNodePtr top, int (*pred)(const xmlNode *))
{
  xmlNodePtr one[1] = { top };
  html_page sub;
  memset(&sub, 0, sizeof sub);
  sub.roots = one;
  sub.n_roots = 1;
  return in_article(&sub, pred);
}

static int is_time(const xmlNode *n)
{
  return htag(n) == T_time && (html_attr(n, "datetime") || hi(n)->text);
}

static int is_date_published(const xmlNode *n)
{
  const xmlChar *ip = html_attr(n, "itemprop");
  return ip && strcasecmp((const char *)ip, "datePublished") == 0;
}

static int is_itemprop_name(const xmlNode *n)
{
  const xmlChar *ip = html_attr(n, "itemprop");
  return ip && strcasecmp((const char *)ip, "name") == 0 && hi(n)->text;
}

/* True when attribute ATTR of N holds WORD inside a word ("pb-byline",
 * "author-name"), case aside. */
static int attr_contains(const xmlNode *n, const char *attr, const char *word)
{
  const xmlChar *v = html_attr(n, attr);
  size_t wl = strlen(word);
  for (const char *p = (const char *)v; p && *p; p++)
    if (strncasecmp(p, word, wl) == 0)
      return 1;
  return 0;
}

/* A byline: itemprop=author, rel=author, or a short element whose class
 * or id names the author or byline (the text limit keeps author bios and
 * "more by this author" boxes out). */
static int is_author_el(const xmlNode *n)
{
  const xmlChar *ip = html_attr(n, "itemprop");
  if (ip && strcasecmp((const char *)ip, "author") == 0)
    return hi(n)->text || html_attr(n, "content");
  if (htag(n) == T_a && html_attr_has_word(n, "rel", "author"))
    return hi(n)->text && hi(n)->text < 100;
  if (!hi(n)->text || hi(n)->text >= 100 || (hi(n)->flags & HF_CHROME_STRONG))
    return 0;
  static const char *const words[] = { "byline", "author", "writtenby", "tac-gia", "penulis",
                                       NULL };
  for (const char *const *w = words; *w; w++)
    if (attr_contains(n, "class", *w) || attr_contains(n, "id", *w))
      return !attr_contains(n, "class", "bio") && !attr_contains(n, "class", "avatar") &&
             !attr_contains(n, "class", "image");
  return 0;
}

/* "By Le Hong" -> "Le Hong". */
static char *strip_by(char *s)
{
  static const char *const prefixes[] = {
    "by ", "oleh ", "oleh: ", "penulis: ", "penulis ", "author: ", "posted by ",
    "written by ", "reporter: ", "लेखक: ", NULL
  };
  if (!s)
    return NULL;
  for (const char *const *p = prefixes; *p; p++) {
    size_t l = strlen(*p);
    if (strncasecmp(s, *p, l) == 0 && s[l]) {
      memmove(s, s + l, strlen(s + l) + 1);
      break;
    }
  }
  return s;
}

int html_is_url_text(const char *s)
{
  return strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0;
}

/* "Joshua Sokol May 20, 2019" -> "Joshua Sokol": a byline's date is
 * the date's, not a part of the name. */
static char *cut_date(char *s)
{
  if (!s)
    return NULL;
  for (char *p = strchr(s, ' '); p; p = strchr(p + 1, ' ')) {
    char *iso = html_date_iso(p + 1);
    if (iso) {
      free(iso);
      while (p > s && (p[-1] == ' ' || p[-1] == ',' || p[-1] == '|' || p[-1] == '-'))
        p--;
      *p = '\0';
      break;
    }
  }
  return s;
}

static int looks_like_url(const char *s)
{
  return html_is_url_text(s);
}

static size_t count_words(const char *s, size_t n)
{
  size_t w = 0;
  int in = 0;
  for (size_t i = 0; i < n; i++) {
    int sp = s[i] == ' ';
    if (!sp && !in)
      w++;
    in = !sp;
  }
  return w;
}

/* T starts with HEADING, and then ends or goes on with a separator
 * (" | Site", " - Site"). */
static int heading_opens(const char *t, const char *heading)
{
  size_t l = strlen(heading);
  if (!l || strncmp(t, heading, l) != 0)
    return 0;
  const unsigned char *r = (const unsigned char *)t + l;
  if (strlen((const char *)r) > l) /* "Site | A longer article title" */
    return 0;
  return !*r || (r[0] == ' ' && (r[1] == '|' || r[1] == '-' || r[1] == ':' || r[1] == '/' ||
                                 r[1] == '>' || r[1] >= 0x80));
}

/* At least half of the words of T occur in H (case aside): the heading
 * and <title> name the same article. */
static int shares_words(const char *t, const char *h)
{
  size_t words = 0, found = 0;
  for (const char *p = t; *p;) {
    while (*p == ' ')
      p++;
    const char *w = p;
    while (*p && *p != ' ')
      p++;
    size_t l = (size_t)(p - w);
    if (!l)
      continue;
    words++;
    for (const char *q = h; *q; q++)
      if (strncasecmp(q, w, l) == 0) {
        found++;
        break;
      }
  }
  return words && found * 2 >= words;
}

/* <title> without the site's name: "Article | Site" -> "Article".  The
 * last separator splits the site's name off when the part after it is
 * og:site_name, or the part before it is the page's heading or long
 * enough to be a title of its own (3 words and more: "Mozilla -
 * Wikipedia" stays whole unless "Mozilla" is the heading).  "Site |
 * Article" loses its first part when that is the site's name. */
static char *title_without_site(char *t, const char *site, const char *heading)
{
  static const char *const seps[] = { " | ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ",
                                      " :: ", " \xC2\xB7 ", " \xC2\xBB ", " / ", " > ", NULL };
  if (!t)
    return t;
  char *last = NULL, *first = NULL;
  size_t last_l = 0, first_l = 0;
  for (const char *const *s = seps; *s; s++) {
    size_t l = strlen(*s);
    for (char *q = t; (q = strstr(q, *s)) != NULL; q++) {
      if (q == t)
        continue;
      if (!last || q > last)
        last = q, last_l = l;
      if (!first || q < first)
        first = q, first_l = l;
    }
  }
  if (!last)
    return t;
  size_t before = (size_t)(last - t);
  const char *after = last + last_l;
  int is_colons = last_l == 4 && last[1] == ':';
  if ((site && strcasecmp(after, site) == 0) ||
      (heading && strlen(heading) == before && strncasecmp(t, heading, before) == 0) ||
      (!is_colons && count_words(t, before) >= 3)) {
    *last = '\0';
    return t;
  }
  size_t fl = (size_t)(first - t);
  if (site && strlen(site) == fl && strncasecmp(t, site, fl) == 0 && first[first_l])
    memmove(t, first + first_l, strlen(first + first_l) + 1);
  return t;
}

static int set_meta(emc_doc *doc, const char *key, const char *v, int add, emc_error *err)
{
  if (!v || !*v)
    return EMC_OK;
  int rc = add ? emc_doc_meta_add(doc, key, v) : emc_doc_meta_set(doc, key, v);
  return rc ? emc_error_set(err, rc, "out of memory") : EMC_OK;
}

int html_meta(html_page *pg, emc_ctx *ctx, emc_doc *doc, emc_error *err)
{
  struct found f, by_name;
  memset(&f, 0, sizeof f);
  memset(&by_name, 0, sizeof by_name);
  f.by_name = &by_name;
  if (pg->root)
    collect(&f, pg->root);
  merge_names(&f);
  int rc = EMC_OK;

  /* the base URL */
  const char *base_opt = emc_ctx_option(ctx, "base-url");
  if (base_opt && !html_url_has_scheme(base_opt)) {
    html_jsonld_clear(&f.ld);
    return emc_error_set(err, EMC_EINVAL, "--base-url: '%s' is not an absolute URL", base_opt);
  }
  if (f.base_href && *f.base_href) {
    pg->base = html_url_resolve(base_opt, f.base_href);
  } else if (base_opt)
    pg->base = html_url_resolve(NULL, BAD_CAST base_opt);

  /* language */
  const xmlChar *lang = pg->root ? html_attr(pg->root, "lang") : NULL;
  if (!lang || !*lang)
    lang = pg->root ? html_attr(pg->root, "xml:lang") : NULL;
  pg->lang = html_lang_norm(lang);
  if (!pg->lang && f.content_lang) {
    char *first = fold(f.content_lang, 64);
    if (first) {
      char *comma = strchr(first, ',');
      if (comma)
        *comma = '\0';
      pg->lang = html_lang_norm(BAD_CAST first);
      free(first);
    }
  }
  if (!pg->lang && f.og_locale)
    pg->lang = html_lang_norm(f.og_locale);
  if (!pg->lang && f.ld.lang)
    pg->lang = html_lang_norm(BAD_CAST f.ld.lang);
  if (lang && *lang && !pg->lang)
    emc_ctx_log(ctx, EMC_LOG_INFO, "html: ignoring lang=\"%s\": not a language tag",
                (const char *)lang);
  if (pg->lang && (rc = set_meta(doc, "language", pg->lang, 0, err))) {
    html_jsonld_clear(&f.ld);
    return rc;
  }

  /* title: what the page states as the article's title (JSON-LD,
   * Dublin Core, Open Graph, Twitter, Parse.ly) before <title>, which
   * carries the site's name, before the heading, which is sometimes a
   * section label or a kicker */
  char *heading = pg->heading ? html_text_of(pg->heading, 2000) : NULL;
  char *title = NULL;
  {
    /* headline and name: some sites put a standfirst in the headline;
     * then the name, which the <title> opens with, is the title */
    char *page_title = f.title_el ? html_text_of(f.title_el, 2000) : NULL;
    const char *h = f.ld.headline, *nm = f.ld.name;
    if (h && nm && strcmp(h, nm) != 0 && page_title && !strstr(page_title, h) &&
        strncmp(page_title, nm, strlen(nm)) == 0)
      h = nm;
    if (!h)
      h = nm;
    title = h ? strdup(h) : NULL;
    free(page_title);
  }
  const xmlChar *stated[] = { f.dc_title, f.og_title, f.tw_title, f.parsely_title };
  char *page_title = f.title_el ? html_text_of(f.title_el, 2000) : NULL;
  if (!title && heading && page_title && heading_opens(page_title, heading)) {
    title = heading; /* <title> says the heading, then the site's name */
    heading = NULL;
  }
  for (size_t i = 0; !title && i < sizeof stated / sizeof stated[0]; i++)
    title = fold(stated[i], 2000);
  if (!title && page_title) {
    char *site = fold(f.og_site, 500);
    title = title_without_site(page_title, site, heading);
    page_title = NULL;
    free(site);
    if (heading && shares_words(title, heading)) {
      free(title); /* the heading says the same, in full */
      title = heading;
      heading = NULL;
    }
  }
  free(page_title);
  if (!title) {
    title = heading;
    heading = NULL;
  }
  free(heading);
  rc = set_meta(doc, "title", title, 0, err);
  free(title);

  /* authors: JSON-LD's, else the best kind of <meta>, else the article's
   * byline */
  size_t authors = 0;
  for (char *a = f.ld.author; !rc && a && *a;) {
    char *nl = strchr(a, '\n');
    if (nl)
      *nl = '\0';
    rc = set_meta(doc, "author", a, 1, err);
    authors++;
    a = nl ? nl + 1 : NULL;
  }
  for (size_t i = 0; !rc && !f.ld.author && i < f.n_authors; i++) {
    char *a = strip_by(fold(html_attr(f.authors[i], "content"), 500));
    int dup = 0;
    for (size_t k = 0; a && k < i; k++) {
      const xmlChar *o = html_attr(f.authors[k], "content");
      char *b = fold(o, 500);
      dup |= b && strcmp(a, b) == 0;
      free(b);
    }
    if (a && !dup && !looks_like_url(a)) {
      rc = set_meta(doc, "author", a, 1, err);
      authors++;
    }
    free(a);
  }
  if (!rc && !authors) {
    const xmlNode *el = in_article(pg, is_author_el);
    if (!el && pg->body)
      el = in_tree(pg->body, is_author_el);
    if (el) {
      char *a = NULL;
      const xmlChar *c = html_attr(el, "content");
      const xmlNode *name = c ? NULL : in_tree((xmlNodePtr)el, is_itemprop_name);
      if (c)
        a = fold(c, 500);
      else
        a = cut_date(strip_by(html_text_of(name ? name : el, 500)));
      if (a && !looks_like_url(a))
        rc = set_meta(doc, "author", a, 1, err);
      free(a);
    }
  }

  /* date */
  if (!rc) {
    char *d = f.ld.date ? strdup(f.ld.date) : fold(f.date, 100);
    if (!d) {
      const xmlNode *el = in_article(pg, is_date_published);
      if (!el)
        el = in_article(pg, is_time);
      if (el) {
        const xmlChar *v = html_attr(el, "datetime");
        if (!v)
          v = html_attr(el, "content");
        d = v ? fold(v, 100) : html_text_of(el, 100);
      }
    }
    char *iso = html_date_iso(d);
    if (iso) {
      free(d);
      d = iso;
    }
    rc = set_meta(doc, "date", d, 0, err);
    free(d);
  }

  /* source */
  if (!rc) {
    char *src = NULL;
    if (f.canonical)
      src = html_url_resolve(pg->base, f.canonical);
    if (!src && f.og_url)
      src = html_url_resolve(pg->base, f.og_url);
    if (!src && base_opt)
      src = html_url_resolve(NULL, BAD_CAST base_opt);
    rc = set_meta(doc, "source", src, 0, err);
    free(src);
  }

  /* publisher and the rest */
  char *v;
  if (!rc) {
    v = f.og_site ? fold(f.og_site, 500)
        : f.ld.publisher ? strdup(f.ld.publisher) : fold(f.publisher, 500);
    rc = set_meta(doc, "publisher", v, 0, err);
    free(v);
  }
  if (!rc) {
    v = f.desc || f.og_desc ? fold(f.desc ? f.desc : f.og_desc, 4000)
        : f.ld.description ? strdup(f.ld.description) : NULL;
    rc = set_meta(doc, "description", v, 0, err);
    free(v);
  }
  if (!rc) {
    v = fold(f.keywords, 2000);
    rc = set_meta(doc, "keywords", v, 0, err);
    free(v);
  }
  if (!rc) {
    v = fold(f.section, 500);
    rc = set_meta(doc, "section", v, 0, err);
    free(v);
  }
  for (size_t i = 0; !rc && i < f.n_tags; i++) {
    v = fold(html_attr(f.tags[i], "content"), 500);
    rc = set_meta(doc, "tag", v, 1, err);
    free(v);
  }
  if (!rc) {
    v = fold(f.og_type, 100);
    rc = set_meta(doc, "og:type", v, 0, err);
    free(v);
  }
  if (!rc && f.og_image) {
    v = html_url_resolve(pg->base, f.og_image);
    rc = set_meta(doc, "og:image", v, 0, err);
    free(v);
  }
  html_jsonld_clear(&f.ld);
  return rc;
}
