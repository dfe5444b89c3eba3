/* SPDX-License-Identifier: MIT */
/* html-analyse.c - what each element is, and which of them are the article.
 *
 * One iterative pass hangs an hinfo on every element: its tag, whether it
 * is rendered at all, block or inline, page furniture ("chrome": by tag,
 * ARIA role, class and id words), and, bottom up, its visible text, link
 * text and links.
 *
 * html_select() then picks the content, as readability-style extractors
 * do: an <article> or <main>/[role=main] that holds at least half of the
 * page's paragraph text; otherwise the block with the best score, where
 * each paragraph of 25+ characters gives its parent 1 + commas +
 * length/100 (at most 3) points, its grandparent half, and further
 * ancestors less, scaled down by link density; then the best block's
 * siblings that score well join it.  The article's heading is the first
 * <h1> in the content or, failing that, the nearest one before it; what
 * stands between that heading and the content (byline, date, lead) is
 * kept too.
 *
 * Content before names (issue 28): class/id words are a prior, not a
 * verdict.  A first scoring leaves out only furniture by tag or role;
 * boxes that words alone call furniture but that hold much of the page's
 * paragraph text are taken back (html-score.c) before the real scoring.
 * Text runs between <br>s in a box that also holds blocks score like
 * paragraphs; a list of teasers (a news stream) does not score.  When
 * several blocks score nearly as well, their common ancestor is the
 * article; inside a long <main>, a clear winner is.  Posts nested in the
 * article go (html-score.c).  When unsure, one warning.
 *
 * Inside the chosen block, an element the page marks
 * itemprop=articleBody that holds real paragraphs is the article.  Class
 * words do not make furniture of an inline element inside running text
 * (a glossed phrase), nor do "top"/"bottom"/"side" after a CSS property
 * word ("border-top"); screen-reader-only classes, prefixed or not, hide.
 */
#include <config.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "html.h"

/* ------------------------------------------------------------ tags */

#define HTML_TAG_NAME(t) #t,
static const char *const tag_names[] = { HTML_TAGS(HTML_TAG_NAME) };
#undef HTML_TAG_NAME

static int tag_cmp(const void *key, const void *elem)
{
  return strcmp((const char *)key, *(const char *const *)elem);
}

static int tag_of(const xmlChar *name)
{
  const char *const *p = bsearch(name, tag_names, sizeof tag_names / sizeof tag_names[0],
                                 sizeof tag_names[0], tag_cmp);
  return p ? (int)(p - tag_names) + 1 : T_UNKNOWN;
}

/* Never rendered (or rendered as a widget, not text). */
static int tag_dropped(int t)
{
  switch (t) {
  case T_head: case T_script: case T_style: case T_noscript: case T_template:
  case T_title: case T_meta: case T_link: case T_base: case T_iframe: case T_frame:
  case T_frameset: case T_noframes: case T_object: case T_embed: case T_applet:
  case T_param: case T_audio: case T_video: case T_canvas: case T_svg: case T_map:
  case T_area: case T_source: case T_track: case T_input: case T_select:
  case T_option: case T_optgroup: case T_textarea: case T_button: case T_datalist:
  case T_output: case T_progress: case T_meter: case T_dialog: case T_rp: case T_col:
  case T_colgroup: case T_noembed:
    return 1;
  default:
    return 0;
  }
}

static int tag_block(int t)
{
  switch (t) {
  case T_address: case T_article: case T_aside: case T_blockquote: case T_body:
  case T_center: case T_dd: case T_details: case T_dir: case T_div: case T_dl:
  case T_dt: case T_fieldset: case T_figcaption: case T_figure: case T_footer:
  case T_form: case T_h1: case T_h2: case T_h3: case T_h4: case T_h5: case T_h6:
  case T_header: case T_hgroup: case T_hr: case T_html: case T_legend: case T_li:
  case T_main: case T_menu: case T_nav: case T_ol: case T_p: case T_pre:
  case T_section: case T_summary: case T_table: case T_tbody: case T_td:
  case T_tfoot: case T_th: case T_thead: case T_tr: case T_caption: case T_ul:
  case T_xmp: case T_listing: case T_plaintext: case T_search:
    return 1;
  default:
    return 0;
  }
}

const xmlChar *html_attr(const xmlNode *n, const char *name)
{
  for (const xmlAttr *a = n->properties; a; a = a->next)
    if (a->ns == NULL && strcmp((const char *)a->name, name) == 0) {
      if (a->children && a->children->type == XML_TEXT_NODE && !a->children->next)
        return a->children->content ? a->children->content : BAD_CAST "";
      return BAD_CAST "";
    }
  return NULL;
}

/* ------------------------------------------------------------ text */

/* Characters (not bytes) that are not white space: neither UTF-8
 * continuation bytes (10xxxxxx) nor html_is_ws(). */
size_t html_text_len(const xmlChar *s, size_t len)
{
  size_t n = 0;
  for (size_t i = 0; i < len; i++)
    n += !html_is_ws(s[i]) && (s[i] & 0xC0) != 0x80;
  return n;
}

/* ------------------------------------------------------------ words */

/* Class and id words that mark page furniture.  STRONG ones (comments,
 * sharing, ads, cookie banners) go even when they hold much text. */
static const char *const chrome_strong[] = {
  "comment", "comments", "commentlist", "commentbox", "commentform", "disqus",
  "share", "sharing", "sharebox", "sharethis", "addthis", "social", "socials",
  "cookie", "cookies", "gdpr", "popup", "modal", "advert", "advertisement", "ads",
  "ad", "adsense", "sponsor", "sponsored", "newsletter", "subscribe", "subscription",
  "login", "signup", "respond", "reply", "replies", "print", "rating", "vote", NULL
};
static const char *const chrome_prefix[] = { /* words starting with these */
  "nav", "menu", "breadcrumb", "sidebar", "widget", "related", "pagination",
  "footer", "masthead", "toolbar", "topbar", "share", "social", "comment", "recommend",
  "outbrain", "taboola", NULL
};
static const char *const chrome_exact[] = {
  "side", "tags", "tag", "tagcloud", "search", "searchbox", "skip", "pager", "most",
  "popular", "logo", "banner", "links", "weblinks", "partners", "copyright", "bio", "bios",
  "authorbio", "biography", "recirc", "latest", "promo", "promos", "upnext", "readnext",
  "mostread", "trending", "breaking", "ticker", "marquee", "hotline", "header", "top",
  "bottom", "other", "more", "readmore", "next", "prev", "previous", NULL
};
/* Words that keep a box whose other words are ambiguous ("article-header",
 * "news-footer-info" stays out through "footer" only with no such word). */
static const char *const positive[] = {
  "article", "content", "entry", "post", "story", "news", "detail", "details",
  "body", "main", "text", "headline", "title", "byline", "author", "date", "lead",
  "sapo", "summary", "single", "hentry", "itembody", "articlebody", NULL
};
/* Ambiguous furniture words: positive words veto them. */
static const char *const ambiguous[] = {
  "header", "footer", "top", "bottom", "side", "other", "more", "tags", "tag", NULL
};

/* Ambiguous words that are also the side of a CSS property when one of
 * CSS_SIDED comes just before them in the same class token: "border-top",
 * "margin-bottom", "left-side" say where a box is drawn, not what it is. */
static const char *const positional[] = { "top", "bottom", "side", NULL };
static const char *const css_sided[] = {
  "border", "margin", "padding", "pull", "push", "align", "valign", "float", "rounded",
  "left", "right", "inset", "scroll", NULL
};

static int in_list(const char *w, const char *const *list)
{
  for (; *list; list++)
    if (strcmp(w, *list) == 0)
      return 1;
  return 0;
}

static int prefix_list(const char *w, const char *const *list)
{
  for (; *list; list++)
    if (strncmp(w, *list, strlen(*list)) == 0)
      return 1;
  return 0;
}

enum { W_CHROME = 1, W_STRONG = 2, W_POSITIVE = 4, W_HIDDEN = 8, W_AMBIG = 16 };

/* Whether class token T (L bytes) is a screen-reader-only class: text
 * placed off screen for assistive technology ("Media caption", "Image
 * copyright"), which the page's readers never see.  Frameworks prefix the
 * names ("u-visually-hidden", "vjs-offscreen"), so a name may end the
 * token after a '-' or '_'. */
static int screen_reader_only(const char *t, size_t l)
{
  static const char *const names[] = {
    "sr-only", "visually-hidden", "visuallyhidden", "screen-reader-text", "off-screen",
    "offscreen", NULL
  };
  for (const char *const *nm = names; *nm; nm++) {
    size_t nl = strlen(*nm);
    if (l >= nl && strncasecmp(t + l - nl, *nm, nl) == 0 &&
        (l == nl || t[l - nl - 1] == '-' || t[l - nl - 1] == '_'))
      return 1;
  }
  return 0;
}

/* Classifies the words of a class or id value. */
static unsigned classify_words(const xmlChar *v)
{
  unsigned r = 0;
  const char *s = (const char *)v;
  /* whole tokens first: screen-reader-only text and "hidden" */
  for (const char *p = s; *p;) {
    while (*p && html_is_ws((unsigned char)*p))
      p++;
    const char *t = p;
    while (*p && !html_is_ws((unsigned char)*p))
      p++;
    size_t l = (size_t)(p - t);
    if (screen_reader_only(t, l) ||
        (l == 6 && strncasecmp(t, "hidden", 6) == 0) ||
        (l == 9 && strncasecmp(t, "invisible", 9) == 0) ||
        (l == 6 && strncasecmp(t, "d-none", 6) == 0))
      r |= W_HIDDEN;
  }
  /* then words: split at anything but letters and digits */
  char w[32], prev[32] = "";
  for (const char *p = s; *p;) {
    while (*p && !((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
                   (*p >= '0' && *p <= '9'))) {
      if (html_is_ws((unsigned char)*p))
        prev[0] = '\0';
      p++;
    }
    size_t l = 0;
    while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')) {
      if (l + 1 < sizeof w)
        w[l++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
      p++;
    }
    if (!l)
      break;
    w[l] = '\0';
    if (in_list(w, chrome_strong))
      r |= W_STRONG | W_CHROME;
    else if (in_list(w, ambiguous)) {
      if (!in_list(w, positional) || !in_list(prev, css_sided))
        r |= W_AMBIG;
    }
    else if (prefix_list(w, chrome_prefix) || in_list(w, chrome_exact))
      r |= W_CHROME;
    if (in_list(w, positive) || strncmp(w, "article", 7) == 0 || strncmp(w, "content", 7) == 0)
      r |= W_POSITIVE;
    memcpy(prev, w, l + 1);
  }
  if ((r & W_AMBIG) && !(r & W_POSITIVE))
    r |= W_CHROME;
  return r;
}

int html_class_has(const xmlNode *n, const char *word)
{
  return html_attr_has_word(n, "class", word);
}

int html_attr_has_word(const xmlNode *n, const char *attr, const char *word)
{
  const xmlChar *c = html_attr(n, attr);
  if (!c)
    return 0;
  size_t wl = strlen(word);
  for (const char *p = (const char *)c; *p;) {
    while (*p && html_is_ws((unsigned char)*p))
      p++;
    const char *t = p;
    while (*p && !html_is_ws((unsigned char)*p))
      p++;
    if ((size_t)(p - t) == wl && strncasecmp(t, word, wl) == 0)
      return 1;
  }
  return 0;
}

static int attr_ieq(const xmlNode *n, const char *name, const char *value)
{
  const xmlChar *v = html_attr(n, name);
  return v && strcasecmp((const char *)v, value) == 0;
}

/* Not rendered: hidden, aria-hidden, display:none. */
static int hidden(const xmlNode *n)
{
  if (html_attr(n, "hidden") || attr_ieq(n, "aria-hidden", "true"))
    return 1;
  const xmlChar *st = html_attr(n, "style");
  if (st) {
    /* "display : none" and "visibility:hidden", any case and spacing */
    char flat[64];
    size_t k = 0;
    for (const xmlChar *p = st; *p; p++) {
      if (html_is_ws(*p))
        continue;
      flat[k++] = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
      if (k == sizeof flat - 1) {
        flat[k] = '\0';
        if (strstr(flat, "display:none") || strstr(flat, "visibility:hidden"))
          return 1;
        memmove(flat, flat + k - 20, 20);
        k = 20;
      }
    }
    flat[k] = '\0';
    if (strstr(flat, "display:none") || strstr(flat, "visibility:hidden"))
      return 1;
  }
  return 0;
}

/* Whether inline element N (tag T) stands inside running text: a text
 * sibling that is more than spaces and punctuation.  Its class words
 * ("popup" on a glossed phrase, "share" on a quoted name) describe how it
 * behaves, not what it is: the words around it make it part of a sentence. */
static int in_sentence(const xmlNode *n, int t)
{
  if (tag_block(t) || t == T_img)
    return 0;
  for (int dir = 0; dir < 2; dir++)
    for (const xmlNode *s = dir ? n->next : n->prev; s; s = dir ? s->next : s->prev) {
      if (s->type != XML_TEXT_NODE)
        continue;
      for (const xmlChar *c = s->content; c && *c; c++)
        if (*c >= 0x80 || (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') ||
            (*c >= '0' && *c <= '9'))
          return 1;
    }
  return 0;
}

/* Chrome flags of element N with tag T given its ancestors' flags. */
static unsigned chrome_of(const xmlNode *n, int t, unsigned up)
{
  unsigned f = 0;
  switch (t) {
  case T_nav: case T_aside: case T_menu: case T_form: case T_marquee:
    f |= HF_CHROME | HF_CHROME_TAG;
    break;
  case T_header:
    f |= HF_HEADERISH;
    if (!(up & HF_IN_ARTICLE))
      f |= HF_CHROME | HF_CHROME_TAG;
    break;
  case T_footer:
    if (!(up & HF_IN_ARTICLE))
      f |= HF_CHROME | HF_CHROME_TAG;
    break;
  default:
    break;
  }
  const xmlChar *role = html_attr(n, "role");
  if (role) {
    static const char *const roles[] = {
      "navigation", "contentinfo", "complementary", "search", "menu", "menubar",
      "toolbar", "dialog", "alertdialog", "tablist", "banner", NULL
    };
    for (const char *const *r = roles; *r; r++)
      if (strcasecmp((const char *)role, *r) == 0) {
        if (strcmp(*r, "banner") == 0) {
          f |= HF_HEADERISH;
          if (up & HF_IN_ARTICLE)
            break;
        }
        f |= HF_CHROME | HF_CHROME_TAG;
      }
  }
  unsigned w = 0;
  const xmlChar *cls = html_attr(n, "class"), *id = html_attr(n, "id");
  if (cls)
    w |= classify_words(cls);
  if (id)
    w |= classify_words(id);
  if (w & W_POSITIVE)
    f |= HF_POSITIVE;
  if ((w & W_CHROME) && t != T_body && t != T_html && t != T_article && t != T_main &&
      !in_sentence(n, t)) {
    f |= HF_CHROME;
    if (w & W_STRONG)
      f |= HF_CHROME_STRONG;
  }
  if ((w & W_HIDDEN) && t != T_body && t != T_html)
    f |= HF_DROP;
  if (cls && (f & HF_CHROME)) {
    /* "header" as a class makes it header-like for the heading search */
    const char *c = (const char *)cls;
    if (strstr(c, "header") || strstr(c, "Header"))
      f |= HF_HEADERISH;
  }
  return f;
}

/* ------------------------------------------------------------ the pass */

static int id_cmp(const void *a, const void *b)
{
  return strcmp((const char *)((const html_id *)a)->id, (const char *)((const html_id *)b)->id);
}

xmlNodePtr html_find_id(const html_page *pg, const xmlChar *id)
{
  if (!pg->n_ids || !id)
    return NULL;
  html_id key = { id, NULL, NULL };
  const html_id *r = bsearch(&key, pg->ids, pg->n_ids, sizeof *pg->ids, id_cmp);
  return r && !(r->info->flags & HF_FREED) ? r->node : NULL;
}

/* Next node in document order after N's subtree, within ROOT (NULL: the
 * whole document).  emc_ir_next works on any libxml2 tree, this HTML one
 * included. */
static xmlNodePtr next_after(xmlNodePtr n, xmlNodePtr root)
{
  return emc_ir_next(n, root, 0);
}

/* Next node in document order, into N unless it is dropped. */
static xmlNodePtr next_in(xmlNodePtr n, xmlNodePtr root)
{
  return emc_ir_next(n, root, n->type == XML_ELEMENT_NODE && n->_private &&
                                  !(hi(n)->flags & HF_DROP));
}

/* A <form> around most of the page (ASP.NET WebForms pages wrap
 * everything in one) is no furniture: its flag goes, and the inherited
 * HF_IN_CHROME* flags are worked out again. */
static void page_forms(html_page *pg)
{
  xmlNodePtr root = pg->root, body = pg->body ? pg->body : root;
  int changed = 0;
  for (xmlNodePtr n = body; n; n = next_in(n, body))
    if (n->type == XML_ELEMENT_NODE && n->_private && hi(n)->tag == T_form &&
        hi(n)->text * 2 > hi(body)->text) {
      hi(n)->flags &= ~(HF_CHROME | HF_CHROME_TAG);
      changed = 1;
    }
  if (!changed)
    return;
  html_inherit_chrome(pg);
}

void html_inherit_chrome(html_page *pg)
{
  xmlNodePtr root = pg->root;
  for (xmlNodePtr n = root; n;) {
    if (n->type == XML_ELEMENT_NODE && n->_private) {
      hinfo *h = hi(n);
      unsigned up = n->parent && n->parent->type == XML_ELEMENT_NODE && n->parent->_private
                        ? hi(n->parent)->flags : 0;
      h->flags &= ~(HF_IN_CHROME | HF_IN_CHROME_TAG);
      h->flags |= up & (HF_IN_CHROME | HF_IN_CHROME_TAG);
      if (h->flags & HF_CHROME)
        h->flags |= HF_IN_CHROME;
      if (h->flags & HF_CHROME_TAG)
        h->flags |= HF_IN_CHROME_TAG;
    }
    n = emc_ir_next(n, root, n->type == XML_ELEMENT_NODE && n->_private);
  }
}

/* The walk with N's depth below ROOT kept in *DEPTH: one more on entering
 * N, one less for each ancestor left. */
static xmlNodePtr next_depth(xmlNodePtr n, xmlNodePtr root, int enter, size_t *depth)
{
  xmlNodePtr next = emc_ir_next(n, root, enter);
  if (next && next->parent == n)
    (*depth)++;
  else
    for (xmlNodePtr x = n; next && x->next != next; x = x->parent)
      (*depth)--;
  return next;
}

/* Post-order: adds N's sums (text, links) to its parent's. */
static void add_up(xmlNodePtr n)
{
  xmlNodePtr p = n->parent;
  int p_el = p && p->type == XML_ELEMENT_NODE && p->_private;
  if (n->type == XML_TEXT_NODE && p_el) {
    hi(p)->text += html_text_len(n->content, (size_t)xmlStrlen(n->content));
  } else if (n->type == XML_ELEMENT_NODE && n->_private) {
    hinfo *h = hi(n);
    if (h->tag == T_a && html_attr(n, "href")) {
      h->links++;
      h->link_text = h->text;
    }
    if (p_el && !(h->flags & HF_DROP)) {
      hinfo *ph = hi(p);
      ph->text += h->text;
      ph->link_text += h->link_text;
      ph->links += h->links;
      if (h->flags & (HF_BLOCK | HF_HAS_BLOCK))
        ph->flags |= HF_HAS_BLOCK;
    }
  }
}

int html_analyse(html_page *pg, emc_ctx *ctx, emc_error *err)
{
  const emc_limits *lim = emc_ctx_limits(ctx);
  xmlNodePtr root = xmlDocGetRootElement(pg->tree);
  pg->root = root;
  if (!root)
    return EMC_OK;

  /* Count the elements and check the depth, without recursion. */
  size_t count = 0, depth = 1, ids = 0, id_bytes = 0;
  for (xmlNodePtr n = root; n;) {
    if (n->type == XML_ELEMENT_NODE) {
      count++;
      if (depth > lim->max_depth)
        return emc_error_set(err, EMC_ELIMIT, "elements nested deeper than %zu levels",
                             lim->max_depth);
      const xmlChar *id = html_attr(n, "id");
      if (!id && xmlStrEqual(n->name, BAD_CAST "a"))
        id = html_attr(n, "name");
      if (id) {
        ids++;
        id_bytes += strlen((const char *)id) + 1;
      }
    }
    n = next_depth(n, root, n->type == XML_ELEMENT_NODE, &depth);
  }
  pg->info = calloc(count ? count : 1, sizeof *pg->info);
  pg->ids = calloc(ids ? ids : 1, sizeof *pg->ids);
  pg->id_pool = malloc(id_bytes ? id_bytes : 1);
  if (!pg->info || !pg->ids || !pg->id_pool)
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  pg->n_info = count;

  /* Pre-order: tag, inherited flags; post-order: sums. */
  size_t k = 0, pool = 0;
  xmlNodePtr n = root;
  while (n) {
    int descend = 0;
    if (n->type == XML_ELEMENT_NODE) {
      hinfo *h = &pg->info[k];
      h->order = k++;
      n->_private = h;
      unsigned up = n->parent && n->parent->type == XML_ELEMENT_NODE && n->parent->_private
                        ? hi(n->parent)->flags : 0;
      int t = tag_of(n->name);
      h->tag = (unsigned short)t;
      if (t == T_head && !pg->head)
        pg->head = n;
      if (t == T_body && !pg->body)
        pg->body = n;
      const xmlChar *id = html_attr(n, "id");
      if (!id && t == T_a)
        id = html_attr(n, "name");
      if (id && *id) {
        size_t l = strlen((const char *)id) + 1;
        memcpy(pg->id_pool + pool, id, l);
        pg->ids[pg->n_ids].id = pg->id_pool + pool;
        pg->ids[pg->n_ids].node = n;
        pg->ids[pg->n_ids].info = h;
        pg->n_ids++;
        pool += l;
      }
      unsigned f = up & (HF_IN_CHROME | HF_IN_CHROME_TAG | HF_IN_ARTICLE | HF_DROP);
      if (tag_dropped(t) || (t != T_body && t != T_html && hidden(n)))
        f |= HF_DROP;
      if (tag_block(t))
        f |= HF_BLOCK;
      if (t == T_article)
        f |= HF_IN_ARTICLE;
      f |= chrome_of(n, t, up);
      if (f & HF_CHROME)
        f |= HF_IN_CHROME;
      if (f & HF_CHROME_TAG)
        f |= HF_IN_CHROME_TAG;
      h->flags = f;
      descend = n->children != NULL; /* dropped subtrees too: <head> holds <meta> */
    }
    xmlNodePtr next = emc_ir_next(n, root, descend);
    if (!descend) /* leave N, then its ancestors that do not hold NEXT */
      for (xmlNodePtr x = n, stop = next ? next->parent : root->parent; x != stop; x = x->parent)
        add_up(x);
    n = next;
  }
  page_forms(pg);
  if (pg->n_ids > 1)
    qsort(pg->ids, pg->n_ids, sizeof *pg->ids, id_cmp);
  /* keep the first of duplicate ids (document order) */
  if (pg->n_ids > 1) {
    size_t w = 0;
    for (size_t i = 0; i < pg->n_ids; i++) {
      if (w && xmlStrEqual(pg->ids[w - 1].id, pg->ids[i].id)) {
        if (pg->ids[i].info->order < pg->ids[w - 1].info->order)
          pg->ids[w - 1] = pg->ids[i];
        continue;
      }
      pg->ids[w++] = pg->ids[i];
    }
    pg->n_ids = w;
  }
  return EMC_OK;
}

/* ------------------------------------------------------------ scoring */

static double link_density(const hinfo *h)
{
  return h->text ? (double)h->link_text / (double)h->text : 0.0;
}

static int paragraphish(const xmlNode *n)
{
  const hinfo *h = hi(n);
  switch (h->tag) {
  case T_p: case T_pre: case T_td: case T_blockquote: case T_dd: case T_li:
    return 1;
  case T_div: case T_section: case T_article: case T_font: case T_span: case T_center:
  case T_main: case T_UNKNOWN:
    /* a box with text and no block inside: a paragraph in all but name */
    return !(h->flags & HF_HAS_BLOCK);
  default:
    return 0;
  }
}

static double tag_weight(const xmlNode *n)
{
  double w = 0;
  switch (htag(n)) {
  case T_div: case T_article: case T_main: case T_section:
    w = 5;
    break;
  case T_pre: case T_td: case T_blockquote:
    w = 3;
    break;
  case T_address: case T_ol: case T_ul: case T_dl: case T_dd: case T_dt: case T_li:
  case T_form:
    w = -3;
    break;
  case T_h1: case T_h2: case T_h3: case T_h4: case T_h5: case T_h6: case T_th:
    w = -5;
    break;
  default:
    break;
  }
  unsigned f = hi(n)->flags;
  if (f & HF_POSITIVE)
    w += 25;
  if (f & HF_CHROME)
    w -= 25;
  return w;
}

static size_t commas(const xmlNode *n)
{
  size_t c = 0;
  for (const xmlNode *x = n->children; x;) {
    if (x->type == XML_TEXT_NODE && x->content) /* strpbrk: the candidates' first bytes */
      for (const char *p = (const char *)x->content; (p = strpbrk(p, ",\xD8\xEF\xE3")); p++) {
        const unsigned char *u = (const unsigned char *)p; /* NUL-terminated: u[1], u[2] exist */
        if (*u == ',' || (u[0] == 0xD8 && u[1] == 0x8C) || /* Arabic comma */
            (u[0] == 0xEF && u[1] == 0xBC && u[2] == 0x8C) || /* fullwidth */
            (u[0] == 0xE3 && u[1] == 0x80 && u[2] == 0x81))   /* ideographic */
          c++;
      }
    x = emc_ir_next((xmlNodePtr)x, n, x->type == XML_ELEMENT_NODE && x->_private &&
                                          !(hi(x)->flags & HF_DROP));
  }
  return c;
}

/* Adds paragraph text LEN to N and each of its ancestors. */
static void credit_text(xmlNodePtr n, size_t len)
{
  for (xmlNodePtr a = n; a && a->type == XML_ELEMENT_NODE && a->_private; a = a->parent)
    hi(a)->para += len;
}

/* Adds score S to N in full, its parent half, then less, up to TOP. */
static void credit_score(xmlNodePtr n, xmlNodePtr top, double s, int level)
{
  for (xmlNodePtr a = n; a && a->type == XML_ELEMENT_NODE && a->_private && level < 5;
       a = a->parent, level++) {
    hinfo *ah = hi(a);
    if (!(ah->flags & HF_SCORED)) {
      ah->flags |= HF_SCORED;
      ah->score = tag_weight(a);
    }
    ah->score += level == 0 ? s : level == 1 ? s / 2 : s / (level * 3);
    if (a == top)
      break;
  }
}

/* Credits paragraph text LEN (score S) to N and its ancestors, as a
 * paragraph child of N would: N in full, its parent half, then less. */
static void credit(xmlNodePtr n, xmlNodePtr top, size_t len, double s, int level)
{
  credit_text(n, len);
  credit_score(n, top, s, level);
}

static double para_score(size_t len, size_t n_commas)
{
  return 1.0 + (double)n_commas + (double)(len / 100 < 3 ? len / 100 : 3);
}

/* Text directly in N, which also holds blocks: runs of text and inline
 * elements between its block children (and between double <br>s), each
 * of 25+ characters scored like a <p> child ("text<br><br>text<div>").
 * Returns the text so scored. */
static size_t score_bare_runs(xmlNodePtr n, xmlNodePtr top)
{
  size_t run = 0, scored = 0, run_commas = 0;
  int brs = 0;
  for (xmlNodePtr c = n->children;; c = c->next) {
    int end = !c;
    if (c && c->type == XML_TEXT_NODE && c->content) {
      size_t l = html_text_len(c->content, (size_t)xmlStrlen(c->content));
      if (l) {
        run += l;
        brs = 0;
        for (const xmlChar *p = c->content; *p; p++)
          run_commas += *p == ',';
      }
    } else if (c && c->type == XML_ELEMENT_NODE && c->_private) {
      hinfo *h = hi(c);
      if (h->flags & HF_DROP)
        continue;
      if (h->tag == T_br)
        end = ++brs >= 2;
      else if (h->flags & (HF_BLOCK | HF_HAS_BLOCK))
        end = 1;
      else if (h->tag != T_a || !html_attr(c, "href")) {
        run += h->text;
        if (h->text)
          brs = 0;
      } else
        brs = 0; /* links are not paragraph text */
    }
    if (end) {
      if (run >= 25) {
        credit(n, top, run, para_score(run, run_commas), 0);
        scored += run;
      }
      run = run_commas = 0;
      brs = 0;
    }
    if (!c)
      break;
  }
  return scored;
}

/* A list of teasers (a news stream, "more stories"): 4+ items, nearly
 * all with a link and a summary of their own.  Their summaries are
 * paragraphs, but of other articles; only the scoring skips them. */
static int teaser_list(const xmlNode *n)
{
  size_t items = 0, linked = 0, text = 0;
  for (const xmlNode *c = n->children; c; c = c->next)
    if (htag(c) == T_li && !(hi(c)->flags & HF_DROP)) {
      items++;
      text += hi(c)->text;
      if (hi(c)->links && hi(c)->text > hi(c)->link_text + 60 && (hi(c)->flags & HF_HAS_BLOCK))
        linked++;
    }
  return items >= 4 && linked * 10 >= items * 8 && text / items >= 100;
}

/* Scores the page.  IGNORE: flags whose elements do not count.  Returns the
 * total text of scored paragraphs. */
static size_t score_page(html_page *pg, unsigned ignore)
{
  size_t total = 0;
  for (size_t i = 0; i < pg->n_info; i++) {
    pg->info[i].score = 0;
    pg->info[i].para = 0;
    pg->info[i].flags &= ~HF_SCORED;
  }
  xmlNodePtr top = pg->body ? pg->body : pg->root;
  for (xmlNodePtr n = top; n;) {
    if (n->type != XML_ELEMENT_NODE || !n->_private) {
      n = next_after(n, top);
      continue;
    }
    hinfo *h = hi(n);
    if (h->flags & (HF_DROP | ignore)) {
      n = next_after(n, top);
      continue;
    }
    if (n != top && paragraphish(n) && h->text >= 25) {
      double s = 1.0 + (double)commas(n) + (double)(h->text / 100 < 3 ? h->text / 100 : 3);
      total += h->text;
      credit_text(n, h->text);
      credit_score(n->parent, top, s, 0);
      n = next_after(n, top); /* a paragraph's insides are not paragraphs */
      continue;
    }
    if ((h->tag == T_ul || h->tag == T_ol) && teaser_list(n)) {
      n = next_after(n, top); /* a stream of teasers is not the article */
      continue;
    }
    if (n != top && (h->flags & HF_HAS_BLOCK) && h->text >= 25)
      total += score_bare_runs(n, top);
    n = next_in(n, top);
  }
  return total;
}

static double final_score(const xmlNode *n)
{
  const hinfo *h = hi(n);
  return h->score * (1.0 - link_density(h));
}

/* Readability's choice of the top candidate and its refinements. */
static xmlNodePtr best_block(html_page *pg)
{
  xmlNodePtr top = pg->body ? pg->body : pg->root, best = NULL;
  double best_s = 0;
  enum { N_TOP = 5 };
  xmlNodePtr tops[N_TOP] = { NULL };
  double top_s[N_TOP] = { 0 };
  for (xmlNodePtr n = top; n; n = next_in(n, top)) {
    if (n->type != XML_ELEMENT_NODE || !n->_private || !(hi(n)->flags & HF_SCORED))
      continue;
    double s = final_score(n);
    if (!best || s > best_s) {
      best = n;
      best_s = s;
    }
    for (int i = 0; i < N_TOP; i++)
      if (!tops[i] || s > top_s[i]) {
        memmove(tops + i + 1, tops + i, (N_TOP - 1 - i) * sizeof *tops);
        memmove(top_s + i + 1, top_s + i, (N_TOP - 1 - i) * sizeof *top_s);
        tops[i] = n;
        top_s[i] = s;
        break;
      }
  }
  if (!best)
    return NULL;
  /* no clear winner: when two more blocks score nearly as well (3/4) and
   * share an ancestor with the best, the article is that ancestor (how-to
   * steps, sections, each a scored box of its own) */
  pg->close_race = 0;
  for (int i = 1; i < N_TOP; i++)
    if (tops[i] && top_s[i] >= best_s * 0.75)
      pg->close_race++;
  if (pg->close_race >= 2) {
    for (xmlNodePtr a = best->parent; a && a != top && a->type == XML_ELEMENT_NODE;
         a = a->parent) {
      int inside = 0;
      for (int i = 1; i < N_TOP; i++) {
        if (!tops[i] || top_s[i] < best_s * 0.75)
          continue;
        for (xmlNodePtr x = tops[i]; x; x = x->parent)
          if (x == a) {
            inside++;
            break;
          }
      }
      if (inside >= 2) {
        pg->close_race = 0; /* resolved */
        best = a;
        if (!(hi(a)->flags & HF_SCORED)) {
          hi(a)->flags |= HF_SCORED;
          hi(a)->score = (float)best_s;
        }
        break;
      }
    }
  }
  /* a parent that scores better than the best so far takes over */
  double last = hi(best)->score, threshold = last / 3;
  for (xmlNodePtr p = best->parent; p && p != top && p->type == XML_ELEMENT_NODE; p = p->parent) {
    if (!p->_private || !(hi(p)->flags & HF_SCORED))
      continue;
    if (hi(p)->score < threshold)
      break;
    if (hi(p)->score > last) {
      best = p;
      break;
    }
    last = hi(p)->score;
  }
  /* an only child stands for its parent */
  while (best->parent && best->parent != top && best->parent->type == XML_ELEMENT_NODE) {
    size_t kids = 0;
    for (xmlNodePtr c = best->parent->children; c; c = c->next)
      if (c->type == XML_ELEMENT_NODE && !(hi(c)->flags & HF_DROP))
        kids++;
    if (kids != 1)
      break;
    best = best->parent;
  }
  return best;
}

/* Ends like a sentence (for short sibling paragraphs). */
static int ends_sentence(const xmlNode *n)
{
  char *t = html_text_of(n, 4096);
  int r = 0;
  if (t) {
    size_t l = strlen(t);
    r = l && (t[l - 1] == '.' || (l >= 3 && strcmp(t + l - 3, "\xE0\xA5\xA4") == 0));
    free(t);
  }
  return r;
}

static void add_root(html_page *pg, xmlNodePtr n, size_t cap)
{
  if (pg->n_roots < cap)
    pg->roots[pg->n_roots++] = n;
}

/* The best block and the siblings that belong with it. */
static void choose_by_score(html_page *pg, xmlNodePtr best, unsigned ignore)
{
  xmlNodePtr parent = best->parent;
  size_t cap = 1;
  if (parent && best != pg->body)
    for (xmlNodePtr c = parent->children; c; c = c->next)
      cap++;
  pg->roots = calloc(cap, sizeof *pg->roots);
  if (!pg->roots)
    return;
  if (!parent || best == pg->body || parent->type != XML_ELEMENT_NODE) {
    add_root(pg, best, cap);
    return;
  }
  double bs = final_score(best);
  double threshold = bs * 0.2 > 10 ? bs * 0.2 : 10;
  for (xmlNodePtr c = parent->children; c; c = c->next) {
    if (c == best) {
      add_root(pg, c, cap);
      continue;
    }
    if (c->type != XML_ELEMENT_NODE || !c->_private)
      continue;
    hinfo *h = hi(c);
    if (h->flags & (HF_DROP | ignore | HF_CHROME))
      continue;
    int take = (h->flags & HF_SCORED) && final_score(c) >= threshold;
    /* a sibling whose paragraphs lie deeper than scores reach (each part
     * of the article in its own nest of wrappers) goes by its paragraph
     * text: a fifth of the best's, with few links */
    if (!take && h->para >= 250 && h->para * 5 >= hi(best)->para && link_density(h) < 0.25)
      take = 1;
    if (!take && paragraphish(c) && (h->tag == T_p || h->tag == T_div)) {
      double ld = link_density(h);
      if (h->text > 80 && ld < 0.25)
        take = 1;
      else if (h->text > 0 && h->text <= 80 && ld == 0 && ends_sentence(c))
        take = 1;
    }
    if (take)
      add_root(pg, c, cap);
  }
}

/* Headings: is N inside furniture (other than a header) below STOP? */
static int heading_in_chrome(xmlNodePtr n, xmlNodePtr stop)
{
  for (xmlNodePtr a = n; a && a != stop && a->type == XML_ELEMENT_NODE; a = a->parent) {
    unsigned f = hi(a)->flags;
    if (f & HF_DROP)
      return 1;
    if ((f & HF_CHROME) && !(f & HF_HEADERISH))
      return 1;
  }
  return 0;
}

static int in_header(xmlNodePtr n)
{
  for (xmlNodePtr a = n; a && a->type == XML_ELEMENT_NODE; a = a->parent)
    if (hi(a)->flags & HF_HEADERISH)
      return 1;
  return 0;
}

/* The first heading of level <= MAXL inside the roots (not in furniture),
 * or, with LEADING, only when it comes before any paragraph text. */
static xmlNodePtr heading_inside(html_page *pg, int maxl, int leading)
{
  for (size_t r = 0; r < pg->n_roots; r++) {
    xmlNodePtr top = pg->roots[r];
    for (xmlNodePtr n = top; n;) {
      if (n->type != XML_ELEMENT_NODE || !n->_private || (hi(n)->flags & HF_DROP)) {
        n = next_after(n, top);
        continue;
      }
      int l = html_heading_level(n);
      if (l && l <= maxl && hi(n)->text && !heading_in_chrome(n, top->parent))
        return n;
      if (leading && hi(n)->tag == T_p && hi(n)->text)
        return NULL;
      n = next_in(n, top);
    }
  }
  return NULL;
}

/* The nearest heading of level <= MAXL before the content, within the
 * subtree of the first root's 4th ancestor, outside furniture; IN_HEADER:
 * only those inside a header (else only those outside one). */
static xmlNodePtr heading_before(html_page *pg, int maxl, int in_hdr)
{
  xmlNodePtr first = pg->roots[0], scope = first;
  for (int i = 0; i < 4 && scope->parent && scope->parent->type == XML_ELEMENT_NODE; i++)
    scope = scope->parent;
  xmlNodePtr found = NULL;
  size_t limit = hi(first)->order;
  for (xmlNodePtr n = scope; n;) {
    if (n->type != XML_ELEMENT_NODE || !n->_private || (hi(n)->flags & HF_DROP)) {
      n = next_after(n, scope);
      continue;
    }
    if (hi(n)->order >= limit)
      break;
    int l = html_heading_level(n);
    if (l && l <= maxl && hi(n)->text && !heading_in_chrome(n, NULL) && in_header(n) == in_hdr)
      found = n;
    n = next_in(n, scope);
  }
  return found;
}

/* Elements between the heading and the content: byline, date, lead. */
static void collect_prefix(html_page *pg)
{
  xmlNodePtr h = pg->heading, stop = pg->roots[0];
  size_t cap = 16;
  pg->prefix = calloc(cap, sizeof *pg->prefix);
  if (!pg->prefix)
    return;
  pg->prefix[pg->n_prefix++] = h;
  for (xmlNodePtr n = next_after(h, NULL); n && n != stop && pg->n_prefix < cap;) {
    if (n->type != XML_ELEMENT_NODE || !n->_private) {
      n = next_after(n, NULL);
      continue;
    }
    hinfo *x = hi(n);
    if (x->flags & HF_CONTENT_UP) { /* holds the content: look inside */
      n = emc_ir_next(n, NULL, 1);
      continue;
    }
    if (!(x->flags & (HF_DROP | HF_CHROME)) && x->text &&
        !(x->links >= 2 && link_density(x) > 0.5))
      pg->prefix[pg->n_prefix++] = n;
    n = next_after(n, NULL);
  }
}

/* The lowest heading level among the content's headings. */
static int min_heading_level(html_page *pg)
{
  int min = pg->heading ? html_heading_level(pg->heading) : 7;
  for (size_t r = 0; r < pg->n_roots; r++) {
    xmlNodePtr top = pg->roots[r];
    for (xmlNodePtr n = top; n;) {
      if (n->type != XML_ELEMENT_NODE || !n->_private ||
          (hi(n)->flags & HF_DROP) || (!pg->keep_chrome && n != top && (hi(n)->flags & HF_CHROME) &&
                                       !(hi(n)->flags & HF_HEADING_UP))) {
        n = next_after(n, top);
        continue;
      }
      int l = html_heading_level(n);
      if (l && l < min && hi(n)->text)
        min = l;
      n = next_in(n, top);
    }
  }
  return min == 7 ? 1 : min;
}

static void mark_up(xmlNodePtr n, unsigned flag)
{
  for (; n && n->type == XML_ELEMENT_NODE && n->_private; n = n->parent)
    hi(n)->flags |= flag;
}

/* Whether attribute NAME of N lists WORD (space-separated, any case). */
/* The element inside ROOT that the page marks as the article's body
 * (schema.org itemprop=articleBody) when it holds real paragraphs: the
 * chosen block may hold more than the article (a 50-picture gallery, the
 * next stories) and the page says which part is the text.  NULL when
 * none, or when the mark is on a snippet (under 500 characters of
 * paragraphs, or under a fifth of ROOT's). */
static xmlNodePtr article_body(xmlNodePtr root)
{
  xmlNodePtr best = NULL;
  for (xmlNodePtr n = root; n; n = next_in(n, root)) {
    if (n->type != XML_ELEMENT_NODE || !n->_private || (hi(n)->flags & HF_DROP))
      continue;
    if (n != root && html_attr_has_word(n, "itemprop", "articleBody") &&
        (!best || hi(n)->para > hi(best)->para))
      best = n;
  }
  if (!best || hi(best)->para < 500 || hi(best)->para * 5 < hi(root)->para)
    return NULL;
  return best;
}

void html_select(html_page *pg, emc_ctx *ctx)
{
  xmlNodePtr top = pg->body ? pg->body : pg->root;
  if (!top)
    return;
  const char *how = "the whole page (--keep-chrome)";
  if (pg->keep_chrome) {
    pg->roots = calloc(1, sizeof *pg->roots);
    if (pg->roots)
      pg->roots[pg->n_roots++] = top;
  } else {
    unsigned ignore = HF_IN_CHROME;
    /* tags and roles first: boxes that class words call furniture but
     * that hold the page's paragraphs are content (html-score.c) */
    score_page(pg, HF_IN_CHROME_TAG);
    int rescued = html_rescue_content(pg);
    if (rescued)
      emc_ctx_log(ctx, EMC_LOG_DEBUG, "html: %d box%s named like furniture hold%s the text",
                  rescued, rescued == 1 ? "" : "es", rescued == 1 ? "s" : "");
    size_t total = score_page(pg, ignore);
    if (total == 0) { /* everything looked like furniture: trust tags only */
      ignore = HF_IN_CHROME_TAG;
      total = score_page(pg, ignore);
    }
    /* <article> (the one with most paragraph text), then <main>/[role=main] */
    xmlNodePtr article = NULL, main = NULL;
    for (xmlNodePtr n = top; n; n = next_in(n, top)) {
      if (n->type != XML_ELEMENT_NODE || !n->_private || (hi(n)->flags & HF_DROP))
        continue;
      hinfo *h = hi(n);
      if (h->tag == T_article && !(h->flags & HF_IN_CHROME_TAG) &&
          (!article || h->para > hi(article)->para))
        article = n;
      if (!main && (h->tag == T_main || attr_ieq(n, "role", "main")) &&
          !(h->flags & HF_IN_CHROME_TAG))
        main = n;
    }
    xmlNodePtr chosen = NULL;
    if (article && (total == 0 || hi(article)->para * 2 >= total)) {
      chosen = article;
      how = "<article>";
    } else if (main && (total == 0 || hi(main)->para * 2 >= total)) {
      chosen = main;
      how = "<main>";
      /* <main> is the page's main column, which may hold a stream of
       * teasers beside the article: in a long one (3,000 characters and
       * more), a clear winner inside it (a quarter
       * of its paragraph text, no close race, under 70% of its text, the
       * rest a fifth links or more) is the article */
      xmlNodePtr best = total ? best_block(pg) : NULL;
      if (best && best != main && pg->close_race < 2 && hi(main)->text >= 3000 &&
          hi(best)->para * 4 >= hi(main)->para &&
          hi(best)->text * 10 < hi(main)->text * 7 &&
          (hi(main)->link_text - hi(best)->link_text) * 5 >= hi(main)->text - hi(best)->text) {
        xmlNodePtr a = best;
        while (a && a != main)
          a = a->parent;
        if (a == main) {
          chosen = NULL;
          choose_by_score(pg, best, ignore);
          how = "the densest block in <main>";
        }
      }
    }
    if (chosen) {
      pg->roots = calloc(1, sizeof *pg->roots);
      if (pg->roots)
        pg->roots[pg->n_roots++] = chosen;
    } else if (!pg->roots) {
      xmlNodePtr best = total ? best_block(pg) : NULL;
      if (best) {
        choose_by_score(pg, best, ignore);
        how = "the densest block";
      } else {
        pg->roots = calloc(1, sizeof *pg->roots);
        if (pg->roots)
          pg->roots[pg->n_roots++] = top;
        how = "the whole page (no paragraphs to score)";
      }
    }
  }
  if (!pg->n_roots)
    return;
  if (!pg->keep_chrome && pg->n_roots == 1) {
    xmlNodePtr body = article_body(pg->roots[0]);
    if (body) {
      pg->roots[0] = body;
      how = "the block marked itemprop=articleBody";
    }
  }
  for (size_t r = 0; r < pg->n_roots; r++) {
    hi(pg->roots[r])->flags |= HF_ROOT;
    mark_up(pg->roots[r], HF_CONTENT_UP);
    pg->content_text += hi(pg->roots[r])->text;
  }
  /* the article's heading: an <h1> in the content, else the nearest one
   * before it, else a leading <h2>/<h3>; one in a page header last */
  int outside = !pg->keep_chrome && pg->roots[0] != top;
  xmlNodePtr h = heading_inside(pg, 1, 0);
  if (!h && outside)
    h = heading_before(pg, 1, 0);
  if (!h)
    h = heading_inside(pg, 3, 1);
  if (!h && outside)
    h = heading_before(pg, 3, 0);
  if (!h && outside)
    h = heading_before(pg, 1, 1);
  pg->heading = h;
  if (h) {
    mark_up(h, HF_HEADING_UP);
    int inside = 0;
    for (xmlNodePtr a = h; a && a->type == XML_ELEMENT_NODE; a = a->parent)
      if (hi(a)->flags & HF_ROOT)
        inside = 1;
    if (!inside)
      collect_prefix(pg);
  }
  if (!pg->keep_chrome) {
    int posts = html_cut_nested_posts(pg);
    if (posts)
      emc_ctx_log(ctx, EMC_LOG_DEBUG, "html: %d post%s nested in the article left out", posts,
                  posts == 1 ? "" : "s");
  }
  pg->level_shift = min_heading_level(pg) - 1;
  /* unsure: say so once, and go on with the best guess */
  size_t page_text = hi(top)->text;
  if (!pg->keep_chrome && pg->roots[0] != top) {
    if (pg->close_race >= 2)
      emc_ctx_warn(ctx, "extraction-unsure", "html: no block clearly holds the article (%d others "
                  "score nearly as well); kept the best guess (%zu of the page's %zu characters); "
                  "--keep-chrome keeps the whole page", pg->close_race, pg->content_text,
                  page_text);
    else if (page_text >= 2000 && pg->content_text * 8 < page_text)
      emc_ctx_warn(ctx, "extraction-unsure", "html: the article found holds only %zu of the page's "
                  "%zu characters; --keep-chrome keeps the whole page", pg->content_text,
                  page_text);
  }
  {
    const xmlChar *cls = html_attr(pg->roots[0], "class"), *id = html_attr(pg->roots[0], "id");
    emc_ctx_log(ctx, EMC_LOG_DEBUG,
                "html: content is %s (%zu block%s, %zu characters; <%s> class=\"%.60s\" "
                "id=\"%.40s\")%s", how, pg->n_roots, pg->n_roots == 1 ? "" : "s",
                pg->content_text, (const char *)pg->roots[0]->name,
                cls ? (const char *)cls : "", id ? (const char *)id : "",
                pg->heading ? ", heading found" : "");
  }
}
