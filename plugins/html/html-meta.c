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

struct sbuf {
  char *p;
  size_t len, cap, max;
  int space;
};

static int sb_put(struct sbuf *b, const char *s, size_t n)
{
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap * 2 : 128;
    while (cap < b->len + n + 1)
      cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p)
      return -1;
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = '\0';
  return 0;
}

/* Appends S with white space folded; returns -1 when full or on ENOMEM. */
static int sb_fold(struct sbuf *b, const xmlChar *s)
{
  for (; *s; s++) {
    if (b->len >= b->max)
      return -1;
    if (html_is_ws(*s)) {
      b->space = 1;
      continue;
    }
    if (b->space && b->len && sb_put(b, " ", 1))
      return -1;
    b->space = 0;
    if (sb_put(b, (const char *)s, 1))
      return -1;
  }
  return 0;
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
  struct sbuf b = { NULL, 0, 0, max, 0 };
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
  if (b.p && b.len >= max) { /* cut at a character boundary */
    size_t l = b.len;
    while (l && ((unsigned char)b.p[l] & 0xC0) == 0x80)
      l--;
    b.p[l] = '\0';
    b.len = l;
  }
  while (b.len && b.p[b.len - 1] == ' ')
    b.p[--b.len] = '\0';
  if (!b.len) {
    free(b.p);
    return NULL;
  }
  return b.p;
}

static char *fold(const xmlChar *s, size_t max)
{
  if (!s)
    return NULL;
  struct sbuf b = { NULL, 0, 0, max, 0 };
  sb_fold(&b, s);
  if (!b.len) {
    free(b.p);
    return NULL;
  }
  return b.p;
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
  const xmlChar *date, *canonical, *base_href;
  const xmlNode *authors[8];
  size_t n_authors;
  const xmlNode *tags[16];
  size_t n_tags;
};

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

static void meta_tag(struct found *f, const xmlNode *n)
{
  const xmlChar *name = html_attr(n, "name"), *prop = html_attr(n, "property");
  const xmlChar *item = html_attr(n, "itemprop"), *equiv = html_attr(n, "http-equiv");
  const xmlChar *c = html_attr(n, "content");
  if (!c || !*c)
    return;
  static const char *const date_names[] = {
    "article:published_time", "og:article:published_time", "date", "dc.date",
    "dc.date.issued", "dcterms.date", "dcterms.created", "dcterms.issued", "pubdate",
    "publishdate", "publish-date", "publish_date", "publication_date",
    "citation_publication_date", "sailthru.date", "datepublished", NULL
  };
  static const char *const author_names[] = {
    "author", "article:author", "dc.creator", "dcterms.creator", "citation_author", NULL
  };
  const xmlChar *key = prop ? prop : name ? name : item;
  if (!key) {
    if (equiv && strcasecmp((const char *)equiv, "content-language") == 0)
      take(&f->content_lang, c);
    return;
  }
  if (strcasecmp((const char *)key, "og:title") == 0)
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
  else if (name_is(key, author_names)) {
    if (f->n_authors < sizeof f->authors / sizeof f->authors[0])
      f->authors[f->n_authors++] = n;
  }
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

static int is_time(const xmlNode *n)
{
  return htag(n) == T_time && (html_attr(n, "datetime") || hi(n)->text);
}

static int is_date_published(const xmlNode *n)
{
  const xmlChar *ip = html_attr(n, "itemprop");
  return ip && strcasecmp((const char *)ip, "datePublished") == 0;
}

static int is_author_el(const xmlNode *n)
{
  const xmlChar *ip = html_attr(n, "itemprop");
  if (ip && strcasecmp((const char *)ip, "author") == 0)
    return 1;
  if (htag(n) == T_a && html_attr_has_word(n, "rel", "author"))
    return 1;
  return (html_class_has(n, "byline") || html_class_has(n, "author") ||
          html_class_has(n, "author-name") || html_class_has(n, "tac-gia") ||
          html_class_has(n, "penulis")) && hi(n)->text && hi(n)->text < 120;
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

static int looks_like_url(const char *s)
{
  return strncasecmp(s, "http://", 7) == 0 || strncasecmp(s, "https://", 8) == 0;
}

/* <title> without the site's name: "Article | Site" -> "Article". */
static char *title_without_site(char *t, const char *site)
{
  static const char *const seps[] = { " | ", " - ", " \xE2\x80\x93 ", " \xE2\x80\x94 ",
                                      " :: ", " \xC2\xB7 ", " \xC2\xBB ", NULL };
  if (!t || !site)
    return t;
  size_t sl = strlen(site);
  for (const char *const *s = seps; *s; s++) {
    size_t l = strlen(*s);
    char *p = strstr(t, *s);
    if (!p)
      continue;
    char *last = p;
    for (char *q = p; (q = strstr(q + 1, *s)) != NULL;)
      last = q;
    if (strlen(last + l) == sl && strncasecmp(last + l, site, sl) == 0 && last != t) {
      *last = '\0';
      return t;
    }
    if ((size_t)(p - t) == sl && strncasecmp(t, site, sl) == 0 && p[l]) {
      memmove(t, p + l, strlen(p + l) + 1);
      return t;
    }
  }
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
  struct found f;
  memset(&f, 0, sizeof f);
  if (pg->root)
    collect(&f, pg->root);
  int rc = EMC_OK;

  /* the base URL */
  const char *base_opt = emc_ctx_option(ctx, "base-url");
  if (base_opt && !html_url_has_scheme(base_opt))
    return emc_error_set(err, EMC_EINVAL, "--base-url: '%s' is not an absolute URL", base_opt);
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
  if (lang && *lang && !pg->lang)
    emc_ctx_log(ctx, EMC_LOG_INFO, "html: ignoring lang=\"%s\": not a language tag",
                (const char *)lang);
  if (pg->lang && (rc = set_meta(doc, "language", pg->lang, 0, err)))
    return rc;

  /* title */
  char *title = NULL;
  if (pg->heading)
    title = html_text_of(pg->heading, 2000);
  if (!title)
    title = fold(f.og_title, 2000);
  if (!title)
    title = fold(f.tw_title, 2000);
  if (!title && f.title_el) {
    char *site = fold(f.og_site, 500);
    title = title_without_site(html_text_of(f.title_el, 2000), site);
    free(site);
  }
  rc = set_meta(doc, "title", title, 0, err);
  free(title);

  /* authors */
  size_t authors = 0;
  for (size_t i = 0; !rc && i < f.n_authors; i++) {
    char *a = fold(html_attr(f.authors[i], "content"), 500);
    if (a && !looks_like_url(a)) {
      rc = set_meta(doc, "author", a, 1, err);
      authors++;
    }
    free(a);
  }
  if (!rc && !authors) {
    const xmlNode *el = in_article(pg, is_author_el);
    if (el) {
      char *a = NULL;
      const xmlChar *c = html_attr(el, "content");
      if (c)
        a = fold(c, 500);
      else
        a = strip_by(html_text_of(el, 500));
      if (a && !looks_like_url(a))
        rc = set_meta(doc, "author", a, 1, err);
      free(a);
    }
  }

  /* date */
  if (!rc) {
    char *d = fold(f.date, 100);
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
    v = fold(f.og_site ? f.og_site : f.publisher, 500);
    rc = set_meta(doc, "publisher", v, 0, err);
    free(v);
  }
  if (!rc) {
    v = fold(f.desc ? f.desc : f.og_desc, 4000);
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
  return rc;
}
