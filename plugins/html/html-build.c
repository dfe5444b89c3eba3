/* SPDX-License-Identifier: MIT */
/* html-build.c - the chosen HTML elements as IR blocks and inlines.
 *
 * A "flow" receives blocks: the body or the open section (headings open
 * sections there), or a quote, list item, cell, definition or note
 * (headings become bold paragraphs there).  Text and inline elements
 * met in a flow go into its open paragraph, opened when needed, so that
 * <div>text<br>more</div> and <td>text</td> become paragraphs; a block
 * element closes it; <br><br> ends it.
 *
 * White space is folded as a browser renders it: runs of ASCII white
 * space become one space, dropped at the start and end of a line; a space
 * is only written when text follows it.  <pre> keeps its text as is.
 *
 * Inline elements that contain blocks (<font> around paragraphs) are
 * treated as containers; block elements inside inline context (a <div> in
 * a heading) are flattened with line breaks.
 *
 * Footnotes: a <sup> link (or a link marked as a note reference) to an
 * element after it that looks like a footnote becomes an IR <note> there,
 * holding the footnote's blocks without its back link; the footnote
 * itself (and a footnote list left empty) is then not repeated.
 *
 * Recursion follows the HTML tree, whose depth html_analyse() bounded.
 */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "html.h"
#include <emuconv/url.h>

struct hb {
  html_page *pg;
  emc_ctx *ctx;
  emc_doc *doc;
  emc_error *err;
  size_t nodes, max_nodes;
  char *dir;                /* the input's directory, NULL for stdin */
  html_images *images;
  int in_note;
  int rc;                   /* the first fatal error */
  emc_buf tmp;              /* scratch for folded text */
};

struct flow {
  xmlNodePtr box;    /* where blocks go */
  int top;           /* box is the body or a section */
  int nosplit;       /* a heading, term or caption: <br><br> does not end it */
  xmlNodePtr para;   /* the open paragraph (or heading...), or NULL */
  int at_start;      /* nothing written on this line yet */
  int pending;       /* a folded space is owed before the next text */
};

static int only_ws(const xmlChar *s)
{
  for (; s && *s; s++)
    if (!html_is_ws(*s))
      return 0;
  return 1;
}

static void fail(struct hb *b, int rc)
{
  if (!b->rc)
    b->rc = rc == EMC_ENOMEM ? emc_error_set(b->err, rc, "out of memory") : rc;
}

static xmlNodePtr add(struct hb *b, xmlNodePtr parent, const char *name)
{
  if (b->rc || !parent)
    return NULL;
  if (++b->nodes > b->max_nodes) {
    b->rc = emc_error_set(b->err, EMC_ELIMIT, "more than %zu IR elements (limit on IR nodes)",
                          b->max_nodes);
    return NULL;
  }
  xmlNodePtr n = emc_ir_add(parent, name, NULL);
  if (!n)
    fail(b, EMC_ENOMEM);
  return n;
}

static void drop(xmlNodePtr n)
{
  xmlUnlinkNode(n);
  xmlFreeNode(n);
}

static void set_attr(struct hb *b, xmlNodePtr n, const char *name, const char *v)
{
  if (n && !xmlSetProp(n, BAD_CAST name, BAD_CAST v))
    fail(b, EMC_ENOMEM);
}

/* xml:lang on IR element IR when HTML element H's language differs from
 * what IR inherits. */
static void set_lang(struct hb *b, xmlNodePtr ir, const xmlNode *h)
{
  (void)b;
  if (!ir || !h)
    return;
  const xmlChar *l = html_lang_of(h);
  if (!l)
    return;
  char *norm = html_lang_norm(l);
  if (!norm)
    return;
  xmlChar *cur = ir->parent ? xmlNodeGetLang(ir->parent) : NULL;
  if (!cur || strcasecmp((const char *)cur, norm) != 0)
    xmlNodeSetLang(ir, BAD_CAST norm);
  xmlFree(cur);
  free(norm);
}

/* ------------------------------------------------------------ text */

static void put_text(struct hb *b, xmlNodePtr parent, const char *s, size_t len)
{
  if (b->rc || !len)
    return;
  int rc = emc_ir_add_text(parent, s, len);
  if (rc)
    fail(b, rc);
}

static void flush_space(struct hb *b, struct flow *f, xmlNodePtr parent)
{
  if (f->pending) {
    put_text(b, parent, " ", 1);
    f->pending = 0;
  }
}

/* Text S folded into PARENT. */
static void text_out(struct hb *b, struct flow *f, xmlNodePtr parent, const xmlChar *s)
{
  size_t n = s ? strlen((const char *)s) : 0;
  if (!n || b->rc)
    return;
  emc_buf_clear(&b->tmp);
  if (emc_buf_reserve(&b->tmp, n + 2)) {
    fail(b, EMC_ENOMEM);
    return;
  }
  char *tmp = b->tmp.data;
  size_t k = 0;
  for (size_t i = 0; i < n;) {
    if (html_is_ws(s[i])) {
      if (!f->at_start)
        f->pending = 1;
      i++;
      continue;
    }
    size_t j = i + 1; /* a run of non-space bytes, copied at once, and on
                         past each single space between two (kept as it is:
                         text is mostly words) */
    for (;;) {
      while (j < n && (s[j] > ' ' || !html_is_ws(s[j])))
        j++;
      if (j + 1 >= n || s[j] != ' ' || (s[j + 1] <= ' ' && html_is_ws(s[j + 1])))
        break;
      j += 2;
    }
    if (f->pending) {
      tmp[k++] = ' ';
      f->pending = 0;
    }
    memcpy(tmp + k, s + i, j - i);
    k += j - i;
    i = j;
    f->at_start = 0;
  }
  put_text(b, parent, tmp, k);
}

/* Drops a trailing space of the last text in P (descending into a last
 * inline child). */
static void trim_end(xmlNodePtr p)
{
  while (p && p->last) {
    xmlNodePtr l = p->last;
    if (l->type == XML_TEXT_NODE) {
      size_t len = l->content ? strlen((const char *)l->content) : 0;
      while (len && l->content[len - 1] == ' ')
        len--;
      if (!len)
        drop(l);
      else
        l->content[len] = '\0';
      return;
    }
    if (l->type != XML_ELEMENT_NODE || emc_ir_is(l, "note") || emc_ir_is(l, "image"))
      return;
    p = l;
  }
}

static void open_para(struct hb *b, struct flow *f, const xmlNode *ctx_el)
{
  if (f->para || b->rc)
    return;
  f->para = add(b, f->box, "p");
  set_lang(b, f->para, ctx_el);
  f->at_start = 1;
  f->pending = 0;
}

static void close_para(struct flow *f)
{
  xmlNodePtr p = f->para;
  if (!p)
    return;
  f->para = NULL;
  f->pending = 0;
  while (p->last && emc_ir_is(p->last, "br"))
    drop(p->last);
  trim_end(p);
  while (p->last && emc_ir_is(p->last, "br"))
    drop(p->last);
  if (!p->children)
    drop(p);
}

/* ------------------------------------------------------------ skipping */

static int link_dense(const hinfo *h)
{
  if (h->links < 3 || !h->text)
    return 0;
  double d = (double)h->link_text / (double)h->text;
  switch (h->tag) {
  case T_ul: case T_dl: case T_menu: case T_dir:
    return d > 0.65;
  case T_div: case T_section: case T_table: case T_aside: case T_nav: case T_footer:
  case T_header: case T_span: case T_font: case T_center: case T_UNKNOWN:
    return d > 0.8;
  default:
    return 0;
  }
}

/* Not emitted: never rendered, moved into a note, furniture. */
static int skip(struct hb *b, const xmlNode *n)
{
  const hinfo *h = hi(n);
  if (h->flags & (HF_DROP | HF_NOTE_USED))
    return 1;
  if (h->consumed && h->text <= h->consumed + 20 && !(h->flags & (HF_HEADING_UP | HF_CONTENT_UP)))
    return 1; /* a list of footnotes that all went into notes */
  if (b->in_note) { /* back links */
    const xmlChar *href = h->tag == T_a ? html_attr(n, "href") : NULL;
    return href && href[0] == '#';
  }
  if (b->pg->keep_chrome || (h->flags & (HF_ROOT | HF_HEADING_UP | HF_CONTENT_UP)))
    return 0;
  if (h->flags & HF_CHROME_STRONG)
    return 1;
  if (h->flags & HF_CHROME)
    return h->text * 2 < b->pg->content_text;
  if (!link_dense(h))
    return 0;
  if (h->tag == T_ul) {
    /* its own items, sub-lists aside (they are judged when emitted): an
     * outline whose points say things is no list of links */
    uint32_t text = h->text, links = h->link_text;
    for (const xmlNode *li = n->children; li; li = li->next)
      if (li->type == XML_ELEMENT_NODE && li->_private && hi(li)->tag == T_li)
        for (const xmlNode *c = li->children; c; c = c->next)
          if (c->type == XML_ELEMENT_NODE && c->_private &&
              (hi(c)->tag == T_ul || hi(c)->tag == T_ol)) {
            text -= hi(c)->text;
            links -= hi(c)->link_text;
          }
    if (text != h->text && text && (double)links <= 0.65 * (double)text)
      return 0;
  }
  /* A sub-list of an item that says something of its own ("In progress:"
   * above a list of bug links) is part of the article's outline: the
   * outer list, emitted, was not a list of links. */
  const xmlNode *item = n->parent;
  if ((h->tag == T_ul || h->tag == T_ol) && item && item->_private && hi(item)->tag == T_li) {
    uint32_t text = hi(item)->text, links = hi(item)->link_text;
    for (const xmlNode *c = item->children; c; c = c->next)
      if (c->type == XML_ELEMENT_NODE && c->_private &&
          (hi(c)->tag == T_ul || hi(c)->tag == T_ol)) {
        text -= hi(c)->text;
        links -= hi(c)->link_text;
      }
    if (text >= links + 3)
      return 0;
  }
  return 1;
}

/* A heading whose section (its following siblings up to the next heading)
 * is all furniture: "Related news" above a dropped link list. */
static int orphan_heading(struct hb *b, const xmlNode *n)
{
  if (b->pg->keep_chrome || (hi(n)->flags & HF_HEADING_UP))
    return 0;
  int seen = 0;
  for (const xmlNode *s = n->next; s; s = s->next) {
    if (s->type == XML_TEXT_NODE && !only_ws(s->content))
      return 0;
    if (s->type != XML_ELEMENT_NODE || !s->_private)
      continue;
    if (html_heading_level(s))
      break;
    if (hi(s)->flags & HF_DROP)
      continue;
    if (!skip(b, s) && (hi(s)->text || htag(s) == T_img || htag(s) == T_figure))
      return 0;
    seen = 1;
  }
  return seen;
}

/* ------------------------------------------------------------ images */

/* The image's source: src, or a lazy loader's data-src when src is
 * missing or a placeholder. */
static const xmlChar *image_src(const xmlNode *n)
{
  const xmlChar *src = html_attr(n, "src");
  static const char *const lazy[] = { "data-src", "data-original", "data-lazy-src", NULL };
  if (!src || !*src || strncasecmp((const char *)src, "data:image/gif", 14) == 0 ||
      strncasecmp((const char *)src, "data:image/svg", 14) == 0)
    for (const char *const *l = lazy; *l; l++) {
      const xmlChar *v = html_attr(n, *l);
      if (v && *v)
        return v;
    }
  return src && *src ? src : NULL;
}

/* Resolves image N: *REF (a resource) or *URL (external, malloc'ed).
 * Returns 1 when usable. */
static int image_resolve(struct hb *b, const xmlNode *n, const char **ref, char **url)
{
  *ref = NULL;
  *url = NULL;
  const xmlChar *w = html_attr(n, "width"), *h = html_attr(n, "height");
  if ((w && atoi((const char *)w) > 0 && atoi((const char *)w) <= 2) ||
      (h && atoi((const char *)h) > 0 && atoi((const char *)h) <= 2))
    return 0; /* a tracking pixel */
  const xmlChar *src = image_src(n);
  if (!src)
    return 0;
  int rc;
  const char *s0 = (const char *)src;
  while (html_is_ws((unsigned char)*s0))
    s0++;
  if (b->pg->fetch_image && strncasecmp(s0, "data:", 5) != 0) {
    unsigned char *data = NULL;
    size_t len = 0;
    char *key = NULL;
    rc = b->pg->fetch_image(b->pg->fetch_user, s0, &data, &len, &key, b->err);
    if (rc == EMC_OK) {
      rc = html_image_add(b->pg->images ? b->pg->images : &b->images, b->doc, key, data, len,
                          ref, b->err);
      if (rc == EMC_ENOTSUP)
        emc_ctx_warn(b->ctx, "image-omitted", "image '%s' is not PNG, JPEG, GIF or WebP; "
                     "not embedded", s0);
    }
    free(data);
    free(key);
  } else
    rc = html_image_local(&b->images, b->ctx, b->doc, b->dir, src, ref, b->err);
  if (rc == EMC_OK)
    return 1;
  if (rc != EMC_ENOTSUP) {
    fail(b, rc);
    return 0;
  }
  const char *s = (const char *)src;
  while (html_is_ws((unsigned char)*s))
    s++;
  if (strncasecmp(s, "data:", 5) == 0 || strncasecmp(s, "file:", 5) == 0 ||
      strncasecmp(s, "javascript:", 11) == 0)
    return 0;
  if (html_url_has_scheme(s)) {
    if (strncasecmp(s, "http:", 5) && strncasecmp(s, "https:", 6) && strncasecmp(s, "ftp:", 4))
      return 0;
    *url = html_url_resolve(NULL, src);
  } else if (s[0] == '/' && s[1] == '/')
    *url = html_url_resolve(b->pg->base ? b->pg->base : "https:", src);
  else if (b->pg->base && html_url_has_scheme(b->pg->base))
    *url = html_url_resolve(b->pg->base, src);
  if (*url && (!html_url_has_scheme(*url) || !emc_url_is_safe(*url))) {
    free(*url);
    *url = NULL;
  }
  return *url != NULL;
}

static char *alt_of(const xmlNode *n)
{
  const xmlChar *alt = html_attr(n, "alt");
  if (!alt)
    alt = html_attr(n, "title");
  if (!alt)
    return NULL;
  size_t len = strlen((const char *)alt), k = 0;
  char *r = malloc(len + 1);
  if (!r)
    return NULL;
  int sp = 0;
  for (size_t i = 0; i < len; i++) {
    if (html_is_ws(alt[i])) {
      sp = k > 0;
      continue;
    }
    if (sp)
      r[k++] = ' ';
    sp = 0;
    r[k++] = (char)alt[i];
  }
  r[k] = '\0';
  if (!k) {
    free(r);
    return NULL;
  }
  return r;
}

static xmlNodePtr image_el(struct hb *b, xmlNodePtr parent, const xmlNode *n,
                           const char *ref, const char *url)
{
  xmlNodePtr img = add(b, parent, "image");
  if (!img)
    return NULL;
  set_attr(b, img, ref ? "ref" : "src", ref ? ref : url);
  char *alt = alt_of(n);
  if (alt)
    set_attr(b, img, "alt", alt);
  free(alt);
  return img;
}

static void image_inline(struct hb *b, struct flow *f, xmlNodePtr ir, const xmlNode *n)
{
  const char *ref;
  char *url;
  if (image_resolve(b, n, &ref, &url)) {
    flush_space(b, f, ir);
    image_el(b, ir, n, ref, url);
    f->at_start = 0;
  } else if (!b->rc) {
    /* what a browser shows for an image it cannot load */
    char *alt = alt_of(n);
    if (alt)
      text_out(b, f, ir, BAD_CAST alt);
    free(alt);
  }
  free(url);
}

/* ------------------------------------------------------------ footnotes */

static int notey(const xmlChar *v)
{
  if (!v)
    return 0;
  static const char *const words[] = { "fn", "foot", "note", "ftn", "endnote", NULL };
  for (const char *const *w = words; *w; w++) {
    size_t l = strlen(*w);
    for (const char *p = (const char *)v; *p; p++)
      if (strncasecmp(p, *w, l) == 0)
        return 1;
  }
  return 0;
}

static int block_el(const xmlNode *n)
{
  switch (htag(n)) {
  case T_li: case T_p: case T_div: case T_dd: case T_aside: case T_section: case T_td:
  case T_blockquote: case T_footer:
    return 1;
  default:
    return 0;
  }
}

/* The footnote that reference N (an <a>, or a <sup> around one) points to,
 * or NULL. */
static xmlNodePtr note_target(struct hb *b, const xmlNode *n)
{
  if (b->in_note)
    return NULL;
  const xmlNode *a = n;
  int sup = 0;
  if (htag(n) == T_sup) {
    a = NULL;
    for (const xmlNode *c = n->children; c; c = c->next) {
      if (c->type == XML_TEXT_NODE) {
        for (const xmlChar *p = c->content; p && *p; p++)
          if (!html_is_ws(*p) && *p != '[' && *p != ']' && *p != '(' && *p != ')')
            return NULL;
      } else if (c->type == XML_ELEMENT_NODE) {
        if (a || htag(c) != T_a)
          return NULL;
        a = c;
      }
    }
    if (!a)
      return NULL;
    sup = 1;
  } else if (n->parent && htag(n->parent) == T_sup)
    sup = 1;
  const xmlChar *href = html_attr(a, "href");
  if (!href || href[0] != '#' || !href[1] || hi(a)->text > 8)
    return NULL;
  if (!sup)
    for (const xmlNode *c = a->children; c; c = c->next)
      if (htag(c) == T_sup)
        sup = 1;
  const xmlChar *role = html_attr(a, "role"), *cls = html_attr(a, "class");
  const xmlChar *et = html_attr(a, "epub:type");
  if (!sup && !(role && strcasecmp((const char *)role, "doc-noteref") == 0) &&
      !(et && strcasecmp((const char *)et, "noteref") == 0) && !notey(cls))
    return NULL;
  xmlNodePtr t = html_find_id(b->pg, href + 1);
  if (!t || !t->_private || (hi(t)->flags & (HF_DROP | HF_NOTE_USED)) ||
      hi(t)->order <= hi(a)->order)
    return NULL;
  /* it must look like a footnote: its id, or a box around it */
  int ok = notey(href + 1);
  const xmlNode *x = t;
  for (int i = 0; !ok && x && x->type == XML_ELEMENT_NODE && i < 4; i++, x = x->parent)
    ok = notey(html_attr(x, "class")) || notey(html_attr(x, "role")) ||
         notey(html_attr(x, "epub:type")) || (i && notey(html_attr(x, "id")));
  if (!ok)
    return NULL;
  /* an anchor inside the note: its block */
  while (t && !block_el(t))
    t = t->parent;
  if (!t || t->type != XML_ELEMENT_NODE || !t->_private ||
      (hi(t)->flags & (HF_NOTE_USED | HF_ROOT | HF_CONTENT_UP | HF_HEADING_UP)) ||
      hi(t)->text > 20000)
    return NULL;
  for (const xmlNode *up = n; up; up = up->parent)
    if (up == t)
      return NULL;
  return t;
}

static void node(struct hb *b, struct flow *f, xmlNodePtr n);
static void blocks(struct hb *b, struct flow *f, const xmlNode *parent);

/* Builds the note for footnote T at the current point; 0 when it came out
 * empty (the reference is then rendered as it is). */
static int note(struct hb *b, struct flow *f, xmlNodePtr ir, xmlNodePtr t)
{
  flush_space(b, f, ir);
  xmlNodePtr nt = add(b, ir, "note");
  if (!nt)
    return 1;
  struct flow sf = { nt, 0, 0, NULL, 1, 0 };
  b->in_note = 1;
  if (htag(t) == T_p)
    node(b, &sf, t);
  else
    blocks(b, &sf, t);
  close_para(&sf);
  b->in_note = 0;
  if (!nt->children) {
    drop(nt);
    return 0;
  }
  set_lang(b, nt, t);
  hi(t)->flags |= HF_NOTE_USED;
  for (xmlNodePtr a = t; a && a->type == XML_ELEMENT_NODE && a->_private; a = a->parent)
    hi(a)->consumed += hi(t)->text;
  f->at_start = 0;
  return 1;
}

/* ------------------------------------------------------------ inlines */

static void inline_node(struct hb *b, struct flow *f, xmlNodePtr ir, xmlNodePtr n);

static void inlines(struct hb *b, struct flow *f, xmlNodePtr ir, const xmlNode *parent)
{
  for (xmlNodePtr c = parent->children; c && !b->rc; c = c->next)
    inline_node(b, f, ir, c);
}

static void soft_break(struct hb *b, struct flow *f, xmlNodePtr ir)
{
  if (!f->at_start) {
    add(b, ir, "br");
    f->at_start = 1;
    f->pending = 0;
  }
}

static void wrap(struct hb *b, struct flow *f, xmlNodePtr ir, xmlNodePtr n, const char *name)
{
  flush_space(b, f, ir);
  xmlNodePtr e = add(b, ir, name);
  if (!e)
    return;
  if (html_attr(n, "lang") || html_attr(n, "xml:lang"))
    set_lang(b, e, n);
  inlines(b, f, e, n);
  if (!e->children)
    drop(e);
}

/* The text of N's subtree only (for <code>). */
static void text_only(struct hb *b, struct flow *f, xmlNodePtr ir, const xmlNode *n)
{
  for (xmlNodePtr c = n->children; c && !b->rc; c = c->next) {
    if (c->type == XML_TEXT_NODE)
      text_out(b, f, ir, c->content);
    else if (c->type == XML_ELEMENT_NODE && c->_private && !skip(b, c)) {
      if (htag(c) == T_br)
        text_out(b, f, ir, BAD_CAST " ");
      else
        text_only(b, f, ir, c);
    }
  }
}

static char *link_url(struct hb *b, const xmlChar *href)
{
  while (html_is_ws(*href))
    href++;
  if (!*href || strncasecmp((const char *)href, "javascript:", 11) == 0 ||
      strncasecmp((const char *)href, "vbscript:", 9) == 0 ||
      strncasecmp((const char *)href, "data:", 5) == 0)
    return NULL;
  if (href[0] == '#' && !b->pg->base) {
    if (b->pg->keep_anchors && href[1] && emc_url_is_safe((const char *)href))
      return strdup((const char *)href);
    return NULL; /* an anchor in the page: nothing to point at in the IR */
  }
  /* Checked once resolved: <base href="javascript:..."> makes any
   * relative href a javascript: URL. */
  char *url = html_url_resolve(b->pg->base, href);
  if (url && !emc_url_is_safe(url)) {
    free(url);
    return NULL;
  }
  return url;
}

static void inline_node(struct hb *b, struct flow *f, xmlNodePtr ir, xmlNodePtr n)
{
  if (b->rc)
    return;
  if (n->type == XML_TEXT_NODE) {
    text_out(b, f, ir, n->content);
    return;
  }
  if (n->type != XML_ELEMENT_NODE || !n->_private || skip(b, n))
    return;
  int t = htag(n);
  switch (t) {
  case T_br:
    f->pending = 0;
    if (!f->nosplit && ir == f->para && f->para->last && emc_ir_is(f->para->last, "br")) {
      drop(f->para->last); /* <br><br>: a paragraph break */
      close_para(f);
      return;
    }
    if (f->at_start)
      return;
    add(b, ir, "br");
    f->at_start = 1;
    return;
  case T_wbr:
    return;
  case T_img:
    image_inline(b, f, ir, n);
    return;
  case T_a: {
    xmlNodePtr target = note_target(b, n);
    if (target && note(b, f, ir, target))
      return;
    const xmlChar *href = html_attr(n, "href");
    char *url = href ? link_url(b, href) : NULL;
    if (!url) {
      inlines(b, f, ir, n);
      return;
    }
    flush_space(b, f, ir);
    xmlNodePtr a = add(b, ir, "a");
    set_attr(b, a, "href", url);
    free(url);
    if (a) {
      inlines(b, f, a, n);
      if (!a->children)
        drop(a);
    }
    return;
  }
  case T_em: case T_i: case T_cite: case T_dfn: case T_var:
    wrap(b, f, ir, n, "em");
    return;
  case T_strong: case T_b:
    wrap(b, f, ir, n, "strong");
    return;
  case T_u: case T_ins:
    wrap(b, f, ir, n, "u");
    return;
  case T_sup: {
    xmlNodePtr target = note_target(b, n);
    if (target && note(b, f, ir, target))
      return;
    wrap(b, f, ir, n, "sup");
    return;
  }
  case T_sub:
    wrap(b, f, ir, n, "sub");
    return;
  case T_code: case T_kbd: case T_samp: case T_tt: {
    flush_space(b, f, ir);
    xmlNodePtr c = add(b, ir, "code");
    if (c) {
      text_only(b, f, c, n);
      if (!c->children)
        drop(c);
    }
    return;
  }
  case T_q:
    text_out(b, f, ir, BAD_CAST "\xE2\x80\x9C");
    inlines(b, f, ir, n);
    text_out(b, f, ir, BAD_CAST "\xE2\x80\x9D");
    return;
  case T_ruby:
    inlines(b, f, ir, n);
    return;
  case T_rt:
    text_out(b, f, ir, BAD_CAST "(");
    inlines(b, f, ir, n);
    text_out(b, f, ir, BAD_CAST ")");
    return;
  default:
    break;
  }
  if (hi(n)->flags & (HF_BLOCK | HF_HAS_BLOCK)) {
    /* blocks in inline context: lines */
    if (hi(n)->flags & HF_BLOCK)
      soft_break(b, f, ir);
    if (t == T_pre)
      text_only(b, f, ir, n);
    else
      inlines(b, f, ir, n);
    if (hi(n)->flags & HF_BLOCK) {
      f->pending = 0;
      if (!f->at_start)
        soft_break(b, f, ir);
    }
    return;
  }
  /* span, font, small, abbr, time, mark...: their text; a span keeps a
   * language of its own */
  const xmlChar *l = html_attr(n, "lang");
  if (!l)
    l = html_attr(n, "xml:lang");
  if (l && *l) {
    char *norm = html_lang_norm(l);
    xmlChar *cur = xmlNodeGetLang(ir);
    int differs = norm && (!cur || strcasecmp((const char *)cur, norm) != 0);
    free(norm);
    xmlFree(cur);
    if (differs) {
      wrap(b, f, ir, n, "span");
      return;
    }
  }
  inlines(b, f, ir, n);
}

/* Inline content of N into IR (a heading, term, caption): its own line. */
static void inline_box(struct hb *b, xmlNodePtr ir, const xmlNode *n)
{
  struct flow f = { NULL, 0, 1, ir, 1, 0 };
  inlines(b, &f, ir, n);
  while (ir->last && emc_ir_is(ir->last, "br"))
    drop(ir->last);
  trim_end(ir);
}

/* ------------------------------------------------------------ blocks */

/* Frees N's subtree once it is in the IR, so that the page and the IR
 * are not both whole in memory.  Its elements are marked HF_FREED for the
 * footnote lookup (html_find_id), the only way back to them. */
static void release(xmlNodePtr n)
{
  for (xmlNodePtr x = n; x;) {
    if (x->type == XML_ELEMENT_NODE && x->_private)
      hi(x)->flags |= HF_FREED;
    x = emc_ir_next(x, n, x->type == XML_ELEMENT_NODE);
  }
  xmlUnlinkNode(n);
  xmlFreeNode(n);
}

static void blocks(struct hb *b, struct flow *f, const xmlNode *parent)
{
  /* In the main flow, what is done is freed: nothing refers back to it
   * (footnotes point forward; list, table and note flows are not "top"). */
  int free_done = f->top && !b->in_note;
  for (xmlNodePtr c = parent->children, next; c && !b->rc; c = next) {
    next = c->next;
    node(b, f, c);
    if (free_done && !b->rc)
      release(c);
  }
}

static void heading(struct hb *b, struct flow *f, xmlNodePtr n)
{
  close_para(f);
  if (!hi(n)->text || orphan_heading(b, n))
    return;
  int level = html_heading_level(n) - b->pg->level_shift;
  level = level < 1 ? 1 : level > 6 ? 6 : level;
  if (f->top) {
    if (++b->nodes > b->max_nodes) {
      b->rc = emc_error_set(b->err, EMC_ELIMIT, "more than %zu IR elements (limit on IR nodes)",
                            b->max_nodes);
      return;
    }
    xmlNodePtr sec = emc_ir_open_section(f->box, level);
    if (!sec) {
      fail(b, EMC_ENOMEM);
      return;
    }
    f->box = sec;
    xmlNodePtr h = add(b, sec, "heading");
    if (!h)
      return;
    set_lang(b, h, n);
    inline_box(b, h, n);
  } else {
    xmlNodePtr p = add(b, f->box, "p");
    set_lang(b, p, n);
    xmlNodePtr s = add(b, p, "strong");
    if (!s)
      return;
    inline_box(b, s, n);
    if (!s->children)
      drop(p);
  }
}

static void quote(struct hb *b, struct flow *f, xmlNodePtr n)
{
  close_para(f);
  xmlNodePtr q = add(b, f->box, "quote");
  if (!q)
    return;
  set_lang(b, q, n);
  struct flow sf = { q, 0, 0, NULL, 1, 0 };
  blocks(b, &sf, n);
  close_para(&sf);
  if (!q->children)
    drop(q);
}

static const char *list_style(const xmlNode *n)
{
  const xmlChar *t = html_attr(n, "type");
  if (!t)
    return NULL;
  if (htag(n) == T_ol) {
    switch (t[0]) {
    case '1': return "decimal";
    case 'a': return "lower-alpha";
    case 'A': return "upper-alpha";
    case 'i': return "lower-roman";
    case 'I': return "upper-roman";
    default: return NULL;
    }
  }
  if (strcasecmp((const char *)t, "disc") == 0)
    return "disc";
  if (strcasecmp((const char *)t, "circle") == 0)
    return "circle";
  if (strcasecmp((const char *)t, "square") == 0)
    return "square";
  return NULL;
}

static void list(struct hb *b, struct flow *f, xmlNodePtr n)
{
  close_para(f);
  xmlNodePtr l = add(b, f->box, "list");
  if (!l)
    return;
  set_lang(b, l, n);
  if (htag(n) == T_ol) {
    set_attr(b, l, "ordered", "true");
    const xmlChar *st = html_attr(n, "start");
    if (st) {
      char *end;
      long v = strtol((const char *)st, &end, 10);
      if (end != (const char *)st && v != 1 && v > -1000000000L && v < 1000000000L) {
        char buf[24];
        snprintf(buf, sizeof buf, "%ld", v);
        set_attr(b, l, "start", buf);
      }
    }
  }
  const char *style = list_style(n);
  if (style)
    set_attr(b, l, "style", style);
  struct flow sf = { NULL, 0, 0, NULL, 1, 0 };
  for (xmlNodePtr c = n->children; c && !b->rc; c = c->next) {
    if (c->type == XML_TEXT_NODE && only_ws(c->content))
      continue;
    if (c->type == XML_ELEMENT_NODE && (!c->_private || skip(b, c)))
      continue;
    if (c->type != XML_TEXT_NODE && c->type != XML_ELEMENT_NODE)
      continue;
    if (htag(c) == T_li || !sf.box) {
      close_para(&sf);
      if (sf.box && !sf.box->children)
        drop(sf.box);
      sf.box = add(b, l, "item");
      if (!sf.box)
        return;
      set_lang(b, sf.box, htag(c) == T_li ? c : n);
      sf.para = NULL;
    }
    if (htag(c) == T_li)
      blocks(b, &sf, c);
    else
      node(b, &sf, c); /* stray content: part of the item before it */
  }
  close_para(&sf);
  if (sf.box && !sf.box->children)
    drop(sf.box);
  if (!l->children)
    drop(l);
}

struct dlstate {
  xmlNodePtr dl;
  int have_term;
  xmlNodePtr def; /* the open definition (for stray content) */
  struct flow df;
};

static void dl_child(struct hb *b, struct dlstate *s, xmlNodePtr c, int nest)
{
  if (c->type == XML_TEXT_NODE && only_ws(c->content))
    return;
  if (c->type == XML_ELEMENT_NODE && (!c->_private || skip(b, c)))
    return;
  if (c->type != XML_TEXT_NODE && c->type != XML_ELEMENT_NODE)
    return;
  int t = htag(c);
  if (t == T_div && nest == 0) { /* <dl><div><dt>..<dd>..</div></dl> */
    for (xmlNodePtr g = c->children; g && !b->rc; g = g->next)
      dl_child(b, s, g, 1);
    return;
  }
  if (t == T_dt) {
    close_para(&s->df);
    if (s->def && !s->def->children)
      drop(s->def);
    s->def = NULL;
    xmlNodePtr term = add(b, s->dl, "term");
    if (!term)
      return;
    set_lang(b, term, c);
    inline_box(b, term, c);
    s->have_term = 1;
    return;
  }
  if (t == T_dd || !s->def) {
    close_para(&s->df);
    if (s->def && !s->def->children)
      drop(s->def);
    if (!s->have_term && !add(b, s->dl, "term"))
      return;
    s->have_term = 1;
    s->def = add(b, s->dl, "definition");
    if (!s->def)
      return;
    set_lang(b, s->def, t == T_dd ? c : c->parent);
    struct flow df = { s->def, 0, 0, NULL, 1, 0 };
    s->df = df;
  }
  if (t == T_dd)
    blocks(b, &s->df, c);
  else
    node(b, &s->df, c);
}

static void deflist(struct hb *b, struct flow *f, xmlNodePtr n)
{
  close_para(f);
  struct dlstate s;
  memset(&s, 0, sizeof s);
  s.dl = add(b, f->box, "deflist");
  if (!s.dl)
    return;
  set_lang(b, s.dl, n);
  for (xmlNodePtr c = n->children; c && !b->rc; c = c->next)
    dl_child(b, &s, c, 0);
  close_para(&s.df);
  if (s.def && !s.def->children)
    drop(s.def);
  if (!s.dl->children)
    drop(s.dl);
}

/* The rows of table N in rendering order: thead, body rows, tfoot. */
static size_t table_rows(const xmlNode *n, const xmlNode **rows, size_t cap, size_t *head_rows)
{
  size_t k = 0;
  *head_rows = 0;
  for (int pass = 0; pass < 3; pass++)
    for (const xmlNode *c = n->children; c; c = c->next) {
      int t = htag(c);
      if (!c->_private || (hi(c)->flags & HF_DROP))
        continue;
      int want = t == T_thead ? 0 : t == T_tfoot ? 2 : 1;
      if (want != pass)
        continue;
      if (t == T_tr) {
        if (k < cap)
          rows[k++] = c;
      } else if (t == T_thead || t == T_tbody || t == T_tfoot) {
        for (const xmlNode *r = c->children; r; r = r->next)
          if (htag(r) == T_tr && !(hi(r)->flags & HF_DROP) && k < cap) {
            rows[k++] = r;
            if (t == T_thead)
              (*head_rows)++;
          }
      }
    }
  return k;
}

static size_t count_children(const xmlNode *n)
{
  size_t k = 0;
  for (const xmlNode *c = n->children; c; c = c->next)
    k++;
  return k;
}

static int is_cell(const xmlNode *c)
{
  return (htag(c) == T_td || htag(c) == T_th) && !(hi(c)->flags & HF_DROP);
}

static void span_attr(struct hb *b, xmlNodePtr cell, const xmlNode *c, const char *name,
                      long max)
{
  const xmlChar *v = html_attr(c, name);
  if (!v)
    return;
  long x = strtol((const char *)v, NULL, 10);
  if (x > 1) {
    char buf[24];
    snprintf(buf, sizeof buf, "%ld", x > max ? max : x);
    set_attr(b, cell, name, buf);
  }
}

static const xmlNode *find_desc(const xmlNode *top, int tag, size_t *count);

/* A two-cell table holding an image and its caption (how many news CMSs
 * lay out photos): a figure.  Returns 1 when it was one. */
static int image_table(struct hb *b, struct flow *f, const xmlNode **rows, size_t nrows)
{
  const xmlNode *cell[2];
  size_t k = 0;
  for (size_t r = 0; r < nrows; r++)
    for (const xmlNode *c = rows[r]->children; c; c = c->next)
      if (is_cell(c) && k < 2)
        cell[k++] = c;
  if (k != 2)
    return 0;
  size_t n0, n1;
  const xmlNode *img0 = find_desc(cell[0], T_img, &n0), *img1 = find_desc(cell[1], T_img, &n1);
  const xmlNode *img, *cap;
  if (n0 == 1 && !hi(cell[0])->text && !n1 && hi(cell[1])->text) {
    img = img0;
    cap = cell[1];
  } else if (n1 == 1 && !hi(cell[1])->text && !n0 && hi(cell[0])->text) {
    img = img1;
    cap = cell[0];
  } else
    return 0;
  const char *ref;
  char *url;
  if (!image_resolve(b, img, &ref, &url))
    return 0;
  xmlNodePtr fig = add(b, f->box, "figure");
  if (fig) {
    image_el(b, fig, img, ref, url);
    xmlNodePtr c = add(b, fig, "caption");
    if (c) {
      set_lang(b, c, cap);
      inline_box(b, c, cap);
      if (!c->children)
        drop(c);
    }
  }
  free(url);
  return 1;
}

static void table(struct hb *b, struct flow *f, xmlNodePtr n)
{
  close_para(f);
  size_t cap = 0;
  for (const xmlNode *c = n->children; c; c = c->next)
    cap += htag(c) == T_tr ? 1 : count_children(c);
  const xmlNode **rows = calloc(cap ? cap : 1, sizeof *rows);
  if (!rows) {
    fail(b, EMC_ENOMEM);
    return;
  }
  size_t head_rows, nrows = table_rows(n, rows, cap, &head_rows), cells = 0;
  for (size_t r = 0; r < nrows; r++)
    for (const xmlNode *c = rows[r]->children; c; c = c->next)
      cells += is_cell(c);
  if (cells == 2 && image_table(b, f, rows, nrows)) {
    free(rows);
    return;
  }
  const xmlChar *role = html_attr(n, "role");
  int layout = cells <= 1 || (role && (strcasecmp((const char *)role, "presentation") == 0 ||
                                       strcasecmp((const char *)role, "none") == 0));
  if (layout) { /* a table for layout: its cells' content in order */
    for (size_t r = 0; r < nrows && !b->rc; r++)
      for (xmlNodePtr c = rows[r]->children; c && !b->rc; c = c->next)
        if (is_cell(c) && !skip(b, c)) {
          close_para(f);
          blocks(b, f, c);
          close_para(f);
        }
    for (xmlNodePtr c = n->children; c && !b->rc; c = c->next)
      if (htag(c) == T_caption && !skip(b, c)) {
        node(b, f, c);
        close_para(f);
      }
    free(rows);
    return;
  }
  xmlNodePtr t = add(b, f->box, "table");
  if (!t) {
    free(rows);
    return;
  }
  set_lang(b, t, n);
  for (xmlNodePtr c = n->children; c; c = c->next)
    if (htag(c) == T_caption && !skip(b, c)) {
      xmlNodePtr cap_el = add(b, t, "caption");
      if (cap_el) {
        set_lang(b, cap_el, c);
        inline_box(b, cap_el, c);
        if (!cap_el->children)
          drop(cap_el);
      }
      break;
    }
  for (size_t r = 0; r < nrows && !b->rc; r++) {
    xmlNodePtr row = add(b, t, "row");
    if (!row)
      break;
    int all_th = 1, any = 0;
    for (xmlNodePtr c = rows[r]->children; c && !b->rc; c = c->next) {
      if (!is_cell(c) || !c->_private)
        continue;
      xmlNodePtr cell = add(b, row, "cell");
      if (!cell)
        break;
      any = 1;
      set_lang(b, cell, c);
      if (htag(c) == T_th)
        set_attr(b, cell, "header", "true");
      else
        all_th = 0;
      span_attr(b, cell, c, "colspan", 1000);
      span_attr(b, cell, c, "rowspan", 65534);
      struct flow sf = { cell, 0, 0, NULL, 1, 0 };
      if (!skip(b, c))
        blocks(b, &sf, c);
      close_para(&sf);
    }
    if (!any)
      drop(row);
    else if (r < head_rows || all_th)
      set_attr(b, row, "header", "true");
  }
  free(rows);
  int has_row = 0;
  for (xmlNodePtr c = t->children; c; c = c->next)
    has_row |= emc_ir_is(c, "row");
  if (!has_row)
    drop(t);
}

/* Raw text of a <pre>, with <br> as newlines. */
static void pre_text(struct hb *b, const xmlNode *n, emc_buf *out)
{
  for (const xmlNode *c = n->children; c && !b->rc; c = c->next) {
    const char *s = NULL;
    size_t l = 0;
    if (c->type == XML_TEXT_NODE && c->content) {
      s = (const char *)c->content;
      l = strlen(s);
    } else if (c->type == XML_ELEMENT_NODE && c->_private && !skip(b, c)) {
      if (htag(c) == T_br) {
        s = "\n";
        l = 1;
      } else {
        pre_text(b, c, out);
        continue;
      }
    }
    if (!l)
      continue;
    if (emc_buf_append(out, s, l)) {
      fail(b, EMC_ENOMEM);
      return;
    }
  }
}

static char *code_language(const xmlNode *n)
{
  const xmlNode *x = n;
  for (int i = 0; i < 2 && x; i++) {
    const xmlChar *cls = html_attr(x, "class");
    if (cls) {
      const char *p = strstr((const char *)cls, "language-");
      size_t skip_len = 9;
      if (!p) {
        p = strstr((const char *)cls, "lang-");
        skip_len = 5;
      }
      if (p) {
        p += skip_len;
        size_t l = strcspn(p, " \t\n\r\f");
        if (l)
          return strndup(p, l);
      }
    }
    /* <pre><code class="language-c"> */
    const xmlNode *only = NULL;
    for (const xmlNode *c = x->children; c; c = c->next)
      if (c->type == XML_ELEMENT_NODE) {
        if (only) {
          only = NULL;
          break;
        }
        only = c;
      }
    x = only && htag(only) == T_code ? only : NULL;
  }
  return NULL;
}

static void pre(struct hb *b, struct flow *f, xmlNodePtr n)
{
  close_para(f);
  emc_buf text = EMC_BUF_INIT;
  pre_text(b, n, &text);
  char *buf = text.data;
  size_t len = text.len;
  size_t k = 0; /* CRLF and CR as LF */
  for (size_t i = 0; i < len; i++) {
    if (buf[i] == '\r') {
      buf[k++] = '\n';
      if (i + 1 < len && buf[i + 1] == '\n')
        i++;
    } else
      buf[k++] = buf[i];
  }
  len = k;
  size_t start = len && buf[0] == '\n' ? 1 : 0; /* as HTML: one leading newline goes */
  while (len > start && (buf[len - 1] == '\n'))
    len--;
  int blank = 1;
  for (size_t i = start; i < len && blank; i++)
    blank = html_is_ws((unsigned char)buf[i]);
  if (!b->rc && !blank) {
    xmlNodePtr p = add(b, f->box, "pre");
    if (p) {
      set_lang(b, p, n);
      char *lang = code_language(n);
      if (lang)
        set_attr(b, p, "language", lang);
      free(lang);
      put_text(b, p, buf + start, len - start);
    }
  }
  emc_buf_release(&text);
}

static const xmlNode *find_desc(const xmlNode *top, int tag, size_t *count)
{
  const xmlNode *first = NULL;
  *count = 0;
  for (const xmlNode *n = top->children; n;) {
    int descend = 0;
    if (n->type == XML_ELEMENT_NODE && n->_private && !(hi(n)->flags & HF_DROP)) {
      if (htag(n) == tag) {
        if (!first)
          first = n;
        ++*count;
      } else
        descend = n->children != NULL;
    }
    n = emc_ir_next((xmlNodePtr)n, top, descend);
  }
  return first;
}

static void figure(struct hb *b, struct flow *f, xmlNodePtr n)
{
  close_para(f);
  size_t nimg, ncap;
  const xmlNode *img = find_desc(n, T_img, &nimg);
  const xmlNode *cap = find_desc(n, T_figcaption, &ncap);
  size_t other = hi(n)->text - (cap ? hi(cap)->text : 0);
  const char *ref = NULL;
  char *url = NULL;
  if (nimg == 1 && other == 0 && image_resolve(b, img, &ref, &url)) {
    xmlNodePtr fig = add(b, f->box, "figure");
    if (fig) {
      set_lang(b, fig, n);
      image_el(b, fig, img, ref, url);
      if (cap && !skip(b, cap)) {
        xmlNodePtr c = add(b, fig, "caption");
        if (c) {
          inline_box(b, c, cap);
          if (!c->children)
            drop(c);
        }
      }
    }
    free(url);
    return;
  }
  free(url);
  if (b->rc)
    return;
  blocks(b, f, n); /* not one image: its content as blocks */
  close_para(f);
}

static void node(struct hb *b, struct flow *f, xmlNodePtr n)
{
  if (b->rc)
    return;
  if (n->type == XML_TEXT_NODE) {
    if (!f->para && only_ws(n->content))
      return;
    if (!f->para)
      open_para(b, f, n->parent);
    if (f->para)
      text_out(b, f, f->para, n->content);
    return;
  }
  if (n->type != XML_ELEMENT_NODE || !n->_private || skip(b, n))
    return;
  switch (htag(n)) {
  case T_h1: case T_h2: case T_h3: case T_h4: case T_h5: case T_h6:
    heading(b, f, n);
    return;
  case T_p:
    close_para(f);
    open_para(b, f, n);
    blocks(b, f, n);
    close_para(f);
    return;
  case T_blockquote:
    quote(b, f, n);
    return;
  case T_ul: case T_ol: case T_menu: case T_dir:
    list(b, f, n);
    return;
  case T_dl:
    deflist(b, f, n);
    return;
  case T_table:
    table(b, f, n);
    return;
  case T_pre: case T_xmp: case T_listing: case T_plaintext:
    pre(b, f, n);
    return;
  case T_figure:
    figure(b, f, n);
    return;
  case T_hr:
    close_para(f);
    add(b, f->box, "hr");
    return;
  default:
    break;
  }
  if (hi(n)->flags & (HF_BLOCK | HF_HAS_BLOCK)) {
    close_para(f);
    blocks(b, f, n);
    close_para(f);
    return;
  }
  if (!f->para)
    open_para(b, f, n->parent);
  if (f->para)
    inline_node(b, f, f->para, n);
}

int html_build(html_page *pg, emc_ctx *ctx, const emc_input *in, emc_doc *doc,
               emc_error *err)
{
  struct hb b;
  memset(&b, 0, sizeof b);
  b.pg = pg;
  b.ctx = ctx;
  b.doc = doc;
  b.err = err;
  b.max_nodes = emc_ctx_limits(ctx)->max_nodes;
  /* Local images resolve against the input file's directory, and only
   * when there is one (not for stdin, nor emc_read_memory()): IN's name
   * is only a label. */
  (void)in;
  if (emc_ctx_input_dir(ctx)) {
    b.dir = strdup(emc_ctx_input_dir(ctx));
    if (!b.dir)
      return emc_error_set(err, EMC_ENOMEM, "out of memory");
  }
  struct flow top = { pg->flow_box && *pg->flow_box ? *pg->flow_box : emc_doc_body(doc), 1, 0,
                      NULL, 1, 0 };
  for (size_t i = 0; i < pg->n_prefix && !b.rc; i++) {
    node(&b, &top, pg->prefix[i]);
    close_para(&top);
  }
  for (size_t i = 0; i < pg->n_roots && !b.rc; i++) {
    node(&b, &top, pg->roots[i]);
    close_para(&top);
  }
  int rc = b.rc;
  if (pg->flow_box)
    *pg->flow_box = top.box;
  emc_buf_release(&b.tmp);
  free(b.dir);
  html_images_free(b.images);
  return rc;
}
