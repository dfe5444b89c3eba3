/* SPDX-License-Identifier: MIT */
/* html-write.c - HTML writer: one standalone HTML5 page per document.
 *
 *   emuconv page.docx page.html; emuconv --toc --extract-media img in.tei out.html
 *
 * The page, in document order: <header> (the front matter from the
 * metadata: title as the page's one <h1>, subtitle, authors, date,
 * publisher, source link, then the rest as a <dl>: language, identifiers,
 * other fields), with --toc a <nav> (the sections nested by
 * depth), then <main> holding the body (sections as <section> with h2..h6
 * by nesting depth, so that heading ranks never skip, whatever levels the
 * IR gave) and the footnotes as an endnote list (role doc-endnotes, each
 * with a back link to its reference, role doc-backlink).  A parallel text
 * gives a section per version, each in its language.  No scripts; the
 * stylesheet is embedded (--css FILE replaces it); images are data: URIs,
 * or with --extract-media DIR files in DIR referenced as DIR/NAME (DIR as
 * given, as pandoc does: give it relative to where the page will be).
 *
 * What the Nu HTML Checker and axe would refuse is not written: a lang
 * that is no BCP 47 tag, a URL with a host no parser takes (the text
 * stays), C1 controls and non-characters (U+FFFD), a <dl> ending in a
 * term, a link inside a link (inner links become spans, notes met inside
 * a link are referenced after it), an image that is no sound PNG, JPEG,
 * GIF, BMP or SVG (its alt text stays, with an "image-omitted" warning).
 * lang is set on <html> (the document's language, "und" when unknown) and
 * on every element whose language differs from what it inherits there. */
#include <config.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <emuconv/buf.h>
#include <emuconv/plugin.h>
#include <emuconv/url.h>
#ifdef HTML_WRITE_IMGCHECK
#include "../common/imgcheck.h"
#endif
#include "../common/webtext.h"
#include "html-write.h"

#define FLUSH_BYTES (64u * 1024u)

struct hw_image {
  const char *media_type; /* sniffed; NULL: not usable */
  int warned;
  int written;            /* --extract-media: the file is out */
};

struct hw {
  emc_ctx *ctx;
  const emc_doc *doc;
  emc_output *out;
  emc_error *err;
  int rc;
  emc_buf b;
  const char *media_dir;  /* --extract-media, or NULL */
  int toc;                /* --toc */
  char *doc_lang;         /* the <html> lang */
  struct hw_image *images;/* parallel to the resources */
  const xmlNode **notes;  /* notes in reference order */
  size_t n_notes, cap_notes;
  size_t n_anon;          /* headings given an id here */
  int in_link;            /* inside an <a>: no <a> within */
  const xmlNode **deferred; /* notes met inside a link */
  size_t n_deferred, cap_deferred;
};

static int hw_fail(struct hw *w, int code, const char *msg)
{
  if (!w->rc)
    w->rc = emc_error_set(w->err, code, "%s", msg);
  return w->rc;
}

/* ------------------------------------------------------------ output */

static void flush(struct hw *w, int force)
{
  if (w->rc || !w->b.len || (!force && w->b.len < FLUSH_BYTES))
    return;
  int rc = emc_output_write(w->out, w->b.data, w->b.len, w->err);
  if (rc && !w->rc)
    w->rc = rc;
  emc_buf_clear(&w->b);
}

static void put(struct hw *w, const char *s)
{
  if (!w->rc && emc_buf_append_str(&w->b, s))
    hw_fail(w, EMC_ENOMEM, "out of memory");
}

static void putn(struct hw *w, const char *s, size_t n)
{
  if (!w->rc && emc_buf_append(&w->b, s, n))
    hw_fail(w, EMC_ENOMEM, "out of memory");
}

/* S escaped for text (ATTR: for a double-quoted attribute value too).
 * C1 controls and non-characters, which XML allows and HTML does not,
 * become U+FFFD. */
static void esc(struct hw *w, const char *s, int attr)
{
  const unsigned char *p = (const unsigned char *)s, *run = p;
  if (!s)
    return;
  for (; *p; p++) {
    const char *rep = NULL;
    size_t skip = 1;
    if (*p == '&')
      rep = "&amp;";
    else if (*p == '<')
      rep = "&lt;";
    else if (*p == '>')
      rep = "&gt;";
    else if (*p == '"' && attr)
      rep = "&quot;";
    else if (*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r')
      rep = "\xEF\xBF\xBD";
    else if (*p == 0x7F)
      rep = "\xEF\xBF\xBD";
    else if (*p == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {
      rep = "\xEF\xBF\xBD";
      skip = 2;
    } else if (*p == 0xEF && p[1] == 0xB7 && p[2] >= 0x90 && p[2] <= 0xAF) {
      rep = "\xEF\xBF\xBD"; /* U+FDD0..U+FDEF */
      skip = 3;
    }
    if (!rep)
      continue;
    putn(w, (const char *)run, (size_t)(p - run));
    put(w, rep);
    p += skip - 1;
    run = p + 1;
  }
  putn(w, (const char *)run, (size_t)(p - run));
}

static void attr(struct hw *w, const char *name, const char *value)
{
  put(w, " ");
  put(w, name);
  put(w, "=\"");
  esc(w, value, 1);
  put(w, "\"");
}

/* ------------------------------------------------------------ the tree */

static const char *prop(const xmlNode *n, const char *name)
{
  for (xmlAttrPtr a = n->properties; a; a = a->next)
    if (!a->ns && xmlStrEqual(a->name, BAD_CAST name) && a->children &&
        a->children->type == XML_TEXT_NODE)
      return (const char *)a->children->content;
  return NULL;
}

static const char *own_lang(const xmlNode *n)
{
  for (xmlAttrPtr a = n->properties; a; a = a->next)
    if (a->ns && xmlStrEqual(a->name, BAD_CAST "lang") && a->children &&
        a->children->type == XML_TEXT_NODE)
      return (const char *)a->children->content;
  return NULL;
}

static const char *own_id(const xmlNode *n)
{
  for (xmlAttrPtr a = n->properties; a; a = a->next)
    if (a->ns && xmlStrEqual(a->name, BAD_CAST "id") && a->children &&
        a->children->type == XML_TEXT_NODE && a->children->content[0])
      return (const char *)a->children->content;
  return NULL;
}

static int prop_true(const xmlNode *n, const char *name)
{
  const char *v = prop(n, name);
  return v && (strcmp(v, "true") == 0 || strcmp(v, "1") == 0);
}

/* An IR id as a page id: the writer's own ids start with "emc-", so an IR
 * id that does too is written "emc-x-ID". */
static void id_attr(struct hw *w, const char *name, const char *id)
{
  put(w, " ");
  put(w, name);
  put(w, strcmp(name, "href") == 0 ? "=\"#" : "=\"");
  if (strncmp(id, "emc-", 4) == 0)
    put(w, "emc-x-");
  esc(w, id, 1);
  put(w, "\"");
}

/* lang (and dir when the direction changes) when N's own language is a
 * usable tag that differs from INHERITED; returns the language in scope
 * inside N. */
static const char *lang_attrs(struct hw *w, const xmlNode *n, const char *inherited)
{
  const char *l = own_lang(n);
  if (!l || !webtext_lang_ok(l) || (inherited && strcasecmp(l, inherited) == 0))
    return inherited;
  attr(w, "lang", l);
  int rtl = webtext_lang_rtl(l), was = inherited && webtext_lang_rtl(inherited);
  if (rtl != was)
    attr(w, "dir", rtl ? "rtl" : "ltr");
  return l;
}

/* The common attributes of IR element N on the element being opened. */
static const char *common(struct hw *w, const xmlNode *n, const char *lang, int with_id)
{
  const char *id = with_id ? own_id(n) : NULL;
  if (id)
    id_attr(w, "id", id);
  const char *cls = prop(n, "class");
  if (cls && *cls)
    attr(w, "class", cls);
  return lang_attrs(w, n, lang);
}

/* The text of N without its notes, white space folded. */
static void plain_text(const xmlNode *n, emc_buf *out, int *space)
{
  for (const xmlNode *c = n->children; c; c = c->next) {
    if (c->type == XML_TEXT_NODE && c->content) {
      for (const unsigned char *p = c->content; *p; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
          *space = out->len > 0;
          continue;
        }
        if (*space)
          emc_buf_append_byte(out, ' ');
        *space = 0;
        emc_buf_append_byte(out, *p);
      }
    } else if (c->type == XML_ELEMENT_NODE && !emc_ir_is(c, "note")) {
      if (emc_ir_is(c, "br"))
        *space = out->len > 0;
      else if (emc_ir_is(c, "image") && prop(c, "alt")) {
        if (*space)
          emc_buf_append_byte(out, ' ');
        *space = 0;
        emc_buf_append_str(out, prop(c, "alt"));
      } else
        plain_text(c, out, space);
    }
  }
}

static char *text_of(const xmlNode *n)
{
  emc_buf b = EMC_BUF_INIT;
  int space = 0;
  plain_text(n, &b, &space);
  if (!b.data || !b.len) {
    emc_buf_release(&b);
    return NULL;
  }
  return emc_buf_steal(&b, NULL);
}

static const xmlNode *heading_of(const xmlNode *sec)
{
  for (const xmlNode *c = sec->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE)
      return emc_ir_is(c, "heading") ? c : NULL;
  return NULL;
}

/* ------------------------------------------------------------ images */

static const char *image_type(struct hw *w, size_t i)
{
  struct hw_image *im = &w->images[i];
  if (im->media_type || im->warned)
    return im->media_type;
  const emc_resource *r = emc_doc_resource_at(w->doc, i);
#ifdef HTML_WRITE_IMGCHECK
  img_facts facts;
  if (img_check(r->data, r->size, &facts) == IMG_SOUND)
    im->media_type = facts.media_type;
#else
  if (r->media_type && strncmp(r->media_type, "image/", 6) == 0 &&
      !strpbrk(r->media_type, " \t\";,"))
    im->media_type = r->media_type;
#endif
  if (!im->media_type) {
    im->warned = 1;
    emc_ctx_warn(w->ctx, "image-omitted", "html: image %s is not a sound PNG, JPEG, GIF, "
                 "BMP or SVG; its description is kept as text", r->name);
  }
  return im->media_type;
}

static void base64(struct hw *w, const unsigned char *d, size_t n)
{
  static const char tab[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  char q[4];
  for (size_t i = 0; i < n && !w->rc; i += 3) {
    unsigned v = (unsigned)d[i] << 16;
    if (i + 1 < n)
      v |= (unsigned)d[i + 1] << 8;
    if (i + 2 < n)
      v |= d[i + 2];
    q[0] = tab[(v >> 18) & 63];
    q[1] = tab[(v >> 12) & 63];
    q[2] = i + 1 < n ? tab[(v >> 6) & 63] : '=';
    q[3] = i + 2 < n ? tab[v & 63] : '=';
    putn(w, q, 4);
    if (w->b.len >= FLUSH_BYTES)
      flush(w, 1);
  }
}

static int extract(struct hw *w, size_t i)
{
  struct hw_image *im = &w->images[i];
  if (im->written)
    return EMC_OK;
  const emc_resource *r = emc_doc_resource_at(w->doc, i);
  if (mkdir(w->media_dir, 0777) != 0 && errno != EEXIST)
    return emc_error_set(w->err, EMC_EIO, "--extract-media %s: %s", w->media_dir,
                         strerror(errno));
  size_t n = strlen(w->media_dir) + strlen(r->name) + 2;
  char *path = malloc(n);
  if (!path)
    return hw_fail(w, EMC_ENOMEM, "out of memory");
  snprintf(path, n, "%s/%s", w->media_dir, r->name);
  FILE *f = fopen(path, "wb");
  int rc = EMC_OK;
  if (!f || fwrite(r->data, 1, r->size, f) != r->size)
    rc = emc_error_set(w->err, EMC_EIO, "--extract-media: %s: %s", path, strerror(errno));
  if (f && fclose(f) != 0 && !rc)
    rc = emc_error_set(w->err, EMC_EIO, "--extract-media: %s: %s", path, strerror(errno));
  free(path);
  im->written = rc == EMC_OK;
  return rc;
}

/* <img> for resource REF; 0 when it cannot be shown. */
static int image_tag(struct hw *w, const char *ref, const char *alt, const char *lang,
                     const xmlNode *n)
{
  size_t count = emc_doc_resource_count(w->doc), i;
  for (i = 0; i < count; i++)
    if (strcmp(emc_doc_resource_at(w->doc, i)->name, ref) == 0)
      break;
  if (i == count || !image_type(w, i))
    return 0;
  const emc_resource *r = emc_doc_resource_at(w->doc, i);
  put(w, "<img");
  if (n)
    common(w, n, lang, 1);
  put(w, " src=\"");
  if (w->media_dir) {
    int rc = extract(w, i);
    if (rc && !w->rc)
      w->rc = rc;
    char *path = malloc(strlen(w->media_dir) + strlen(r->name) + 2);
    if (!path) {
      hw_fail(w, EMC_ENOMEM, "out of memory");
      return 1;
    }
    sprintf(path, "%s/%s", w->media_dir, r->name);
    char *u = webtext_url_escape(path);
    free(path);
    if (!u) {
      hw_fail(w, EMC_ENOMEM, "out of memory");
      return 1;
    }
    esc(w, u, 1);
    free(u);
  } else {
    put(w, "data:");
    put(w, w->images[i].media_type);
    put(w, ";base64,");
    base64(w, r->data, r->size);
  }
  put(w, "\"");
  attr(w, "alt", alt ? alt : "");
  put(w, ">");
  return 1;
}

/* ------------------------------------------------------------ inlines */

static void inlines(struct hw *w, const xmlNode *parent, const char *lang);

static void note_ref(struct hw *w, const xmlNode *note)
{
  if (emc_array_grow(&w->notes, &w->cap_notes, w->n_notes + 1, sizeof *w->notes)) {
    hw_fail(w, EMC_ENOMEM, "out of memory");
    return;
  }
  w->notes[w->n_notes++] = note;
  char buf[96];
  snprintf(buf, sizeof buf,
           "<sup><a href=\"#emc-fn-%zu\" id=\"emc-fnref-%zu\" role=\"doc-noteref\" "
           "class=\"noteref\">%zu</a></sup>", w->n_notes, w->n_notes, w->n_notes);
  put(w, buf);
}

static void link_open(struct hw *w, const xmlNode *n, const char *lang, int *opened)
{
  const char *href = prop(n, "href");
  *opened = 0;
  if (w->in_link || !href)
    ;
  else if (href[0] == '#' && href[1]) {
    put(w, "<a");
    id_attr(w, "href", href + 1);
    *opened = 1;
  } else if (emc_url_is_safe(href) && (webtext_url_ok(href) || !strchr(href, ':'))) {
    char *u = webtext_url_escape(href);
    if (!u) {
      hw_fail(w, EMC_ENOMEM, "out of memory");
      return;
    }
    put(w, "<a");
    attr(w, "href", u);
    free(u);
    *opened = 1;
  }
  if (!*opened)
    put(w, "<span");
  common(w, n, lang, 1);
  put(w, ">");
}

static void inline_node(struct hw *w, const xmlNode *n, const char *lang)
{
  if (w->rc)
    return;
  if (n->type == XML_TEXT_NODE) {
    esc(w, (const char *)n->content, 0);
    return;
  }
  if (n->type != XML_ELEMENT_NODE)
    return;
  static const char *const plain[] = { "em", "strong", "u", "sup", "sub", "span", "code", NULL };
  for (const char *const *p = plain; *p; p++)
    if (emc_ir_is(n, *p)) {
      put(w, "<");
      put(w, *p);
      const char *l = common(w, n, lang, 1);
      put(w, ">");
      inlines(w, n, l);
      put(w, "</");
      put(w, *p);
      put(w, ">");
      return;
    }
  if (emc_ir_is(n, "a")) {
    int opened;
    link_open(w, n, lang, &opened);
    int was = w->in_link;
    w->in_link = 1;
    inlines(w, n, own_lang(n) && webtext_lang_ok(own_lang(n)) ? own_lang(n) : lang);
    w->in_link = was;
    put(w, opened ? "</a>" : "</span>");
    if (!w->in_link) /* the notes met inside, referenced after the link */
      for (size_t i = 0; i < w->n_deferred; i++)
        note_ref(w, w->deferred[i]);
    if (!w->in_link)
      w->n_deferred = 0;
  } else if (emc_ir_is(n, "note")) {
    if (w->in_link) {
      if (emc_array_grow(&w->deferred, &w->cap_deferred, w->n_deferred + 1,
                         sizeof *w->deferred))
        hw_fail(w, EMC_ENOMEM, "out of memory");
      else
        w->deferred[w->n_deferred++] = n;
    } else
      note_ref(w, n);
  } else if (emc_ir_is(n, "ref")) {
    const char *type = prop(n, "type"), *value = prop(n, "value");
    put(w, "<span");
    char cls[96];
    snprintf(cls, sizeof cls, "ref ref-%.80s", type ? type : "entity");
    attr(w, "class", cls);
    if (value)
      attr(w, "data-value", value);
    const char *id = own_id(n);
    if (id)
      id_attr(w, "id", id);
    const char *l = lang_attrs(w, n, lang);
    put(w, ">");
    inlines(w, n, l);
    put(w, "</span>");
  } else if (emc_ir_is(n, "image")) {
    const char *ref = prop(n, "ref"), *src = prop(n, "src"), *alt = prop(n, "alt");
    if (ref && image_tag(w, ref, alt, lang, n))
      return;
    if (src && emc_url_is_safe(src) && webtext_url_ok(src)) {
      /* external: the page refers to it, as web pages do (the IR never
       * held its bytes) */
      char *u = webtext_url_escape(src);
      if (!u) {
        hw_fail(w, EMC_ENOMEM, "out of memory");
        return;
      }
      put(w, "<img");
      common(w, n, lang, 1);
      attr(w, "src", u);
      attr(w, "alt", alt ? alt : "");
      put(w, ">");
      free(u);
    } else if (alt)
      esc(w, alt, 0);
  } else if (emc_ir_is(n, "br"))
    put(w, "<br>");
}

static void inlines(struct hw *w, const xmlNode *parent, const char *lang)
{
  for (const xmlNode *c = parent->children; c && !w->rc; c = c->next)
    inline_node(w, c, lang);
}

/* ------------------------------------------------------------ blocks */

static void block(struct hw *w, const xmlNode *n, const char *lang);

static void blocks(struct hw *w, const xmlNode *parent, const char *lang)
{
  for (const xmlNode *c = parent->children; c && !w->rc; c = c->next)
    if (c->type == XML_ELEMENT_NODE)
      block(w, c, lang);
  flush(w, 0);
}

static void open_el(struct hw *w, const char *name, const xmlNode *n, const char **lang)
{
  put(w, "<");
  put(w, name);
  *lang = common(w, n, *lang, 1);
}

/* The content of a list item or table cell C: of one plain paragraph,
 * its text without <p> (the common case, and what a reader expects of a
 * short item or cell); else its blocks. */
static void item_content(struct hw *w, const xmlNode *c, const char *lang)
{
  const xmlNode *only = NULL;
  int count = 0;
  for (const xmlNode *k = c->children; k; k = k->next)
    if (k->type == XML_ELEMENT_NODE) {
      only = k;
      count++;
    }
  if (count == 1 && emc_ir_is(only, "p") && !only->properties)
    inlines(w, only, lang);
  else
    blocks(w, c, lang);
}

static void list(struct hw *w, const xmlNode *n, const char *lang)
{
  int ordered = prop_true(n, "ordered");
  const char *style = prop(n, "style"), *start = prop(n, "start");
  put(w, ordered ? "<ol" : "<ul");
  const char *l = lang_attrs(w, n, lang);
  const char *id = own_id(n);
  if (id)
    id_attr(w, "id", id);
  if (ordered && start && strcmp(start, "1") != 0) {
    char *end;
    long v = strtol(start, &end, 10);
    if (*start && !*end) {
      char buf[32];
      snprintf(buf, sizeof buf, "%ld", v);
      attr(w, "start", buf);
    }
  }
  if (style) {
    static const char *const types[][2] = {
      { "lower-alpha", "a" }, { "upper-alpha", "A" }, { "lower-roman", "i" },
      { "upper-roman", "I" }, { "decimal", "1" }, { NULL, NULL }
    };
    for (size_t i = 0; ordered && types[i][0]; i++)
      if (strcmp(style, types[i][0]) == 0 && strcmp(types[i][1], "1") != 0)
        attr(w, "type", types[i][1]);
    if (!ordered && (strcmp(style, "circle") == 0 || strcmp(style, "square") == 0 ||
                     strcmp(style, "dash") == 0)) {
      char cls[32];
      snprintf(cls, sizeof cls, "list-%s", style);
      attr(w, "class", cls);
    }
  }
  put(w, ">\n");
  for (const xmlNode *c = n->children; c && !w->rc; c = c->next) {
    if (!emc_ir_is(c, "item"))
      continue;
    const char *il = l;
    open_el(w, "li", c, &il);
    put(w, ">");
    item_content(w, c, il);
    put(w, "</li>\n");
  }
  put(w, ordered ? "</ol>\n" : "</ul>\n");
}

static void deflist(struct hw *w, const xmlNode *n, const char *lang)
{
  const char *l = lang;
  open_el(w, "dl", n, &l);
  put(w, ">\n");
  int last_term = 0;
  for (const xmlNode *c = n->children; c && !w->rc; c = c->next) {
    const char *cl = l;
    if (emc_ir_is(c, "term")) {
      open_el(w, "dt", c, &cl);
      put(w, ">");
      inlines(w, c, cl);
      put(w, "</dt>\n");
      last_term = 1;
    } else if (emc_ir_is(c, "definition")) {
      open_el(w, "dd", c, &cl);
      put(w, ">");
      blocks(w, c, cl);
      put(w, "</dd>\n");
      last_term = 0;
    }
  }
  if (last_term) /* HTML's <dl> ends with a definition */
    put(w, "<dd></dd>\n");
  put(w, "</dl>\n");
}

static void span_attr(struct hw *w, const xmlNode *c, const char *name, long max)
{
  const char *v = prop(c, name);
  if (!v)
    return;
  char *end;
  long k = strtol(v, &end, 10);
  if (*end || k <= 1)
    return;
  char buf[24];
  snprintf(buf, sizeof buf, "%ld", k > max ? max : k);
  attr(w, name, buf);
}

static void table(struct hw *w, const xmlNode *n, const char *lang)
{
  const char *l = lang;
  open_el(w, "table", n, &l);
  put(w, ">\n");
  for (const xmlNode *c = n->children; c; c = c->next)
    if (emc_ir_is(c, "caption")) {
      const char *cl = l;
      open_el(w, "caption", c, &cl);
      put(w, ">");
      inlines(w, c, cl);
      put(w, "</caption>\n");
    }
  int group = 0; /* 1 thead, 2 tbody */
  for (const xmlNode *r = n->children; r && !w->rc; r = r->next) {
    if (!emc_ir_is(r, "row"))
      continue;
    int head = prop_true(r, "header");
    int want = head && group != 2 ? 1 : 2;
    if (want != group) {
      if (group)
        put(w, group == 1 ? "</thead>\n" : "</tbody>\n");
      put(w, want == 1 ? "<thead>\n" : "<tbody>\n");
      group = want;
    }
    put(w, "<tr>");
    for (const xmlNode *c = r->children; c && !w->rc; c = c->next) {
      if (!emc_ir_is(c, "cell"))
        continue;
      /* a header cell with nothing in it is a data cell (axe:
       * empty-table-header) */
      xmlChar *t = (head || prop_true(c, "header")) ? emc_ir_text(c) : NULL;
      int th = 0;
      for (const xmlChar *p = t; p && *p && !th; p++)
        th = *p != ' ' && *p != '\n' && *p != '\t';
      xmlFree(t);
      const char *cl = l;
      open_el(w, th ? "th" : "td", c, &cl);
      if (th)
        attr(w, "scope", head ? "col" : "row");
      span_attr(w, c, "colspan", 1000);
      span_attr(w, c, "rowspan", 65534);
      put(w, ">");
      item_content(w, c, cl);
      put(w, th ? "</th>" : "</td>");
    }
    put(w, "</tr>\n");
  }
  if (group)
    put(w, group == 1 ? "</thead>\n" : "</tbody>\n");
  put(w, "</table>\n");
}

static void section(struct hw *w, const xmlNode *n, const char *lang, int depth);

static void block(struct hw *w, const xmlNode *n, const char *lang)
{
  const char *l = lang;
  if (emc_ir_is(n, "p")) {
    open_el(w, "p", n, &l);
    put(w, ">");
    inlines(w, n, l);
    put(w, "</p>\n");
  } else if (emc_ir_is(n, "quote")) {
    open_el(w, "blockquote", n, &l);
    put(w, ">\n");
    blocks(w, n, l);
    put(w, "</blockquote>\n");
  } else if (emc_ir_is(n, "list"))
    list(w, n, lang);
  else if (emc_ir_is(n, "deflist"))
    deflist(w, n, lang);
  else if (emc_ir_is(n, "table"))
    table(w, n, lang);
  else if (emc_ir_is(n, "pre")) {
    open_el(w, "pre", n, &l);
    put(w, ">");
    xmlChar *t = xmlNodeGetContent(n);
    /* the parser drops one newline after <pre>: keep a leading one */
    if (t && t[0] == '\n')
      put(w, "\n");
    esc(w, (const char *)t, 0);
    xmlFree(t);
    put(w, "</pre>\n");
  } else if (emc_ir_is(n, "figure")) {
    open_el(w, "figure", n, &l);
    put(w, ">");
    for (const xmlNode *c = n->children; c; c = c->next)
      if (emc_ir_is(c, "image"))
        inline_node(w, c, l);
    for (const xmlNode *c = n->children; c; c = c->next)
      if (emc_ir_is(c, "caption")) {
        const char *cl = l;
        open_el(w, "figcaption", c, &cl);
        put(w, ">");
        inlines(w, c, cl);
        put(w, "</figcaption>");
      }
    put(w, "</figure>\n");
  } else if (emc_ir_is(n, "hr"))
    put(w, "<hr>\n");
}

/* The id of section SEC's heading on the page (the section's or the
 * heading's own id, else "emc-h-N"), in BUF when made up. */
static const char *heading_id(struct hw *w, const xmlNode *sec, char *buf, size_t size,
                              int *own)
{
  const xmlNode *h = heading_of(sec);
  const char *id = own_id(sec);
  if (!id && h)
    id = own_id(h);
  *own = id != NULL;
  if (id)
    return id;
  snprintf(buf, size, "emc-h-%zu", ++w->n_anon);
  return buf;
}

static void section(struct hw *w, const xmlNode *n, const char *lang, int depth)
{
  char hbuf[32], tag[16];
  int own;
  const xmlNode *h = heading_of(n);
  put(w, "<section");
  const char *l = lang_attrs(w, n, lang);
  const char *cls = prop(n, "class");
  if (cls && *cls)
    attr(w, "class", cls);
  const char *type = prop(n, "type");
  if (type && strcmp(type, "translation") == 0)
    attr(w, "class", "translation");
  /* no aria-labelledby: a named section is a region landmark, and two
   * sections headed alike ("Names" in two chapters) would be landmarks
   * axe cannot tell apart (landmark-unique); the headings navigate */
  const char *hid = heading_id(w, n, hbuf, sizeof hbuf, &own);
  put(w, ">\n");
  snprintf(tag, sizeof tag, "h%d", depth + 1 > 6 ? 6 : depth + 1);
  put(w, "<");
  put(w, tag);
  if (own)
    id_attr(w, "id", hid);
  else
    attr(w, "id", hid);
  const char *hl = l;
  if (h) {
    const char *hc = prop(h, "class");
    if (hc && *hc)
      attr(w, "class", hc);
    hl = lang_attrs(w, h, l);
  }
  put(w, ">");
  if (h)
    inlines(w, h, hl);
  put(w, "</");
  put(w, tag);
  put(w, ">\n");
  for (const xmlNode *c = n->children; c && !w->rc; c = c->next) {
    if (c->type != XML_ELEMENT_NODE || c == h || emc_ir_is(c, "meta"))
      continue;
    if (emc_ir_is(c, "section"))
      section(w, c, l, depth + 1);
    else
      block(w, c, l);
  }
  put(w, "</section>\n");
  flush(w, 0);
}

/* ------------------------------------------------------------ the page */

static const xmlNode *meta_el(const emc_doc *doc, const char *name)
{
  for (const xmlNode *m = emc_doc_meta(doc)->children; m; m = m->next)
    if (emc_ir_is(m, name))
      return m;
  return NULL;
}

static char *meta_text(const emc_doc *doc, const char *name)
{
  const xmlNode *m = meta_el(doc, name);
  return m ? text_of(m) : NULL;
}

/* The page's title: the metadata's, else the first heading, else the
 * first words of the text. */
static char *page_title(const emc_doc *doc)
{
  char *t = meta_text(doc, "title");
  if (t)
    return t;
  const xmlNode *body = emc_doc_body(doc);
  for (const xmlNode *n = body->children; n; n = emc_ir_next((xmlNodePtr)n, body, 1))
    if (emc_ir_is(n, "heading") && (t = text_of(n)))
      return t;
  for (const xmlNode *n = body->children; n; n = emc_ir_next((xmlNodePtr)n, body, 1))
    if (emc_ir_is(n, "p") && (t = text_of(n))) {
      size_t len = strlen(t);
      if (len > 80) { /* at a space, on a character boundary */
        size_t cut = 80;
        while (cut > 40 && t[cut] != ' ')
          cut--;
        while (cut > 0 && ((unsigned char)t[cut] & 0xC0) == 0x80)
          cut--;
        strcpy(t + cut, "\xE2\x80\xA6");
      }
      return t;
    }
  return strdup("Untitled document");
}

static void front_matter(struct hw *w, const char *title)
{
  const emc_doc *doc = w->doc;
  put(w, "<header class=\"front-matter\">\n<h1");
  const xmlNode *t = meta_el(doc, "title");
  if (t)
    lang_attrs(w, t, w->doc_lang);
  put(w, ">");
  esc(w, title, 0);
  put(w, "</h1>\n");
  const xmlNode *sub = meta_el(doc, "subtitle");
  char *s = sub ? text_of(sub) : NULL;
  if (s) {
    put(w, "<p class=\"subtitle\"");
    lang_attrs(w, sub, w->doc_lang);
    put(w, ">");
    esc(w, s, 0);
    put(w, "</p>\n");
    free(s);
  }
  int authors = 0;
  for (const xmlNode *m = emc_doc_meta(doc)->children; m; m = m->next) {
    if (!emc_ir_is(m, "author") || !(s = text_of(m)))
      continue;
    put(w, authors++ ? ", " : "<p class=\"authors\">");
    put(w, "<span class=\"author\"");
    lang_attrs(w, m, w->doc_lang);
    put(w, ">");
    esc(w, s, 0);
    put(w, "</span>");
    free(s);
  }
  if (authors)
    put(w, "</p>\n");
  if ((s = meta_text(doc, "date"))) {
    put(w, "<p class=\"date\">");
    esc(w, s, 0);
    put(w, "</p>\n");
    free(s);
  }
  const xmlNode *pub = meta_el(doc, "publisher");
  if (pub && (s = text_of(pub))) {
    put(w, "<p class=\"publisher\"");
    lang_attrs(w, pub, w->doc_lang);
    put(w, ">");
    esc(w, s, 0);
    put(w, "</p>\n");
    free(s);
  }
  if ((s = meta_text(doc, "source"))) {
    put(w, "<p class=\"source\">");
    if (emc_url_is_safe(s) && webtext_url_ok(s)) {
      char *u = webtext_url_escape(s);
      if (u) {
        put(w, "<a");
        attr(w, "href", u);
        put(w, ">");
        esc(w, s, 0);
        put(w, "</a>");
        free(u);
      } else
        hw_fail(w, EMC_ENOMEM, "out of memory");
    } else
      esc(w, s, 0);
    put(w, "</p>\n");
    free(s);
  }
  /* the rest of the metadata, so that the page holds all the IR's text */
  int rows = 0;
  for (const xmlNode *m = emc_doc_meta(doc)->children; m && !w->rc; m = m->next) {
    static const char *const labels[][2] = {
      { "editor", "Editor" }, { "description", "Description" }, { "subject", "Subject" },
      { "keyword", "Keyword" }, { "series", "Series" }, { "rights", "Rights" },
      { "created", "Created" }, { "modified", "Modified" }, { "language", "Language" },
      { "identifier", "Identifier" },
    };
    const char *label = emc_ir_is(m, "field") ? prop(m, "name") : NULL;
    for (size_t i = 0; !label && i < sizeof labels / sizeof labels[0]; i++)
      if (emc_ir_is(m, labels[i][0]))
        label = labels[i][1];
    if (!label || !(s = text_of(m)))
      continue;
    put(w, rows++ ? "" : "<dl class=\"metadata\">\n");
    put(w, "<dt>");
    esc(w, label, 0);
    put(w, "</dt><dd>");
    esc(w, s, 0);
    put(w, "</dd>\n");
    free(s);
  }
  if (rows)
    put(w, "</dl>\n");
  put(w, "</header>\n");
}

static void toc_entries(struct hw *w, const xmlNode *parent, size_t *anon)
{
  int open = 0;
  for (const xmlNode *c = parent->children; c && !w->rc; c = c->next) {
    if (!emc_ir_is(c, "section"))
      continue;
    const xmlNode *h = heading_of(c);
    char *label = h ? text_of(h) : NULL;
    char buf[32];
    const char *id = own_id(c);
    if (!id && h)
      id = own_id(h);
    if (!id)
      snprintf(buf, sizeof buf, "emc-h-%zu", ++*anon);
    if (!open++)
      put(w, "<ol>\n");
    put(w, "<li><a");
    if (id)
      id_attr(w, "href", id);
    else {
      put(w, " href=\"#");
      put(w, buf);
      put(w, "\"");
    }
    xmlChar *hl = h ? xmlNodeGetLang(h) : NULL;
    if (hl && webtext_lang_ok((const char *)hl) &&
        strcasecmp((const char *)hl, w->doc_lang) != 0)
      attr(w, "lang", (const char *)hl);
    xmlFree(hl);
    put(w, ">");
    esc(w, label ? label : "(untitled)", 0);
    free(label);
    put(w, "</a>");
    int sub = 0;
    for (const xmlNode *k = c->children; k; k = k->next)
      sub |= emc_ir_is(k, "section");
    if (sub) {
      put(w, "\n");
      toc_entries(w, c, anon);
    }
    put(w, "</li>\n");
  }
  if (open)
    put(w, "</ol>\n");
}

static void endnotes(struct hw *w)
{
  if (!w->n_notes)
    return;
  put(w, "<section class=\"endnotes\" role=\"doc-endnotes\" aria-labelledby=\"emc-notes\">\n"
         "<h2 id=\"emc-notes\">Notes</h2>\n<ol>\n");
  /* notes inside notes add to the list while it is written */
  for (size_t i = 0; i < w->n_notes && !w->rc; i++) {
    const xmlNode *note = w->notes[i];
    char buf[160];
    snprintf(buf, sizeof buf, "<li id=\"emc-fn-%zu\"", i + 1);
    put(w, buf);
    const char *cls = prop(note, "class");
    if (cls && *cls)
      attr(w, "class", cls);
    xmlChar *nl = xmlNodeGetLang(note);
    const char *l = w->doc_lang;
    if (nl && webtext_lang_ok((const char *)nl) && strcasecmp((const char *)nl, l) != 0) {
      attr(w, "lang", (const char *)nl);
      if (webtext_lang_rtl((const char *)nl) != webtext_lang_rtl(l))
        attr(w, "dir", webtext_lang_rtl((const char *)nl) ? "rtl" : "ltr");
      l = (const char *)nl;
    }
    put(w, ">");
    blocks(w, note, l);
    snprintf(buf, sizeof buf,
             "<p class=\"backlink\"><a href=\"#emc-fnref-%zu\" role=\"doc-backlink\" "
             "aria-label=\"Back to reference %zu\">\xE2\x86\xA9\xEF\xB8\x8E</a></p>", i + 1, i + 1);
    put(w, buf);
    put(w, "</li>\n");
    xmlFree(nl);
  }
  put(w, "</ol>\n</section>\n");
}

static int read_css(struct hw *w, const char *path, char **css)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    return emc_error_set(w->err, EMC_EIO, "--css %s: %s", path, strerror(errno));
  emc_buf b = EMC_BUF_INIT;
  size_t limit = emc_ctx_limits(w->ctx)->max_input_bytes;
  int rc = EMC_OK;
  char chunk[8192];
  size_t n;
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
    if (emc_buf_append(&b, chunk, n)) {
      rc = emc_error_set(w->err, EMC_ENOMEM, "out of memory");
      break;
    }
    if (limit && b.len > limit) {
      rc = emc_error_set(w->err, EMC_ELIMIT, "--css %s: larger than %zu bytes", path, limit);
      break;
    }
  }
  if (!rc && ferror(f))
    rc = emc_error_set(w->err, EMC_EIO, "--css %s: %s", path, strerror(errno));
  fclose(f);
  /* inside <style>, "</style" would end it early */
  for (size_t i = 0; !rc && b.data && i + 7 <= b.len; i++)
    if (b.data[i] == '<' && strncasecmp(b.data + i, "</style", 7) == 0)
      rc = emc_error_set(w->err, EMC_EINVAL, "--css %s: holds \"</style\"", path);
  if (rc) {
    emc_buf_release(&b);
    return rc;
  }
  *css = b.data ? emc_buf_steal(&b, NULL) : strdup("");
  return *css ? EMC_OK : emc_error_set(w->err, EMC_ENOMEM, "out of memory");
}

int html_write(emc_ctx *ctx, const emc_doc *doc, emc_output *out, emc_error *err)
{
  struct hw w;
  memset(&w, 0, sizeof w);
  w.ctx = ctx;
  w.doc = doc;
  w.out = out;
  w.err = err;
  w.toc = emc_ctx_option(ctx, "toc") != NULL;
  w.media_dir = emc_ctx_option(ctx, "extract-media");
  if (w.media_dir && !*w.media_dir)
    return emc_error_set(err, EMC_EINVAL, "--extract-media: an empty directory name");
  char *css = NULL;
  const char *css_path = emc_ctx_option(ctx, "css");
  if (css_path && (w.rc = read_css(&w, css_path, &css)))
    return w.rc;

  char *lang = emc_doc_meta_get(doc, "language");
  if (!lang || !webtext_lang_ok(lang)) {
    free(lang);
    xmlChar *rl = xmlNodeGetLang(xmlDocGetRootElement(emc_doc_tree(doc)));
    lang = rl && webtext_lang_ok((const char *)rl) ? strdup((const char *)rl) : strdup("und");
    xmlFree(rl);
  }
  w.doc_lang = lang;
  w.images = calloc(emc_doc_resource_count(doc) + 1, sizeof *w.images);
  char *title = page_title(doc);
  if (!lang || !w.images || !title) {
    hw_fail(&w, EMC_ENOMEM, "out of memory");
    goto done;
  }

  put(&w, "<!DOCTYPE html>\n<html");
  attr(&w, "lang", lang);
  if (webtext_lang_rtl(lang))
    attr(&w, "dir", "rtl");
  put(&w, ">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>");
  esc(&w, title, 0);
  put(&w, "</title>\n");
  for (const xmlNode *m = emc_doc_meta(doc)->children; m; m = m->next) {
    char *s = emc_ir_is(m, "author") ? text_of(m) : NULL;
    if (s) {
      put(&w, "<meta name=\"author\"");
      attr(&w, "content", s);
      put(&w, ">\n");
      free(s);
    }
  }
  put(&w, "<style>\n");
  put(&w, css ? css : html_write_css);
  put(&w, "</style>\n</head>\n<body>\n");
  front_matter(&w, title);
  const xmlNode *body = emc_doc_body(doc);
  if (w.toc) {
    int any = 0;
    for (const xmlNode *c = body->children; c; c = c->next)
      any |= emc_ir_is(c, "section");
    if (any) {
      size_t anon = 0;
      put(&w, "<nav class=\"toc\" role=\"doc-toc\" aria-labelledby=\"emc-toc\">\n"
              "<h2 id=\"emc-toc\">Contents</h2>\n");
      toc_entries(&w, body, &anon);
      put(&w, "</nav>\n");
    }
  }
  put(&w, "<main>\n");
  for (const xmlNode *c = body->children; c && !w.rc; c = c->next) {
    if (emc_ir_is(c, "section"))
      section(&w, c, lang, 1);
    else if (c->type == XML_ELEMENT_NODE)
      block(&w, c, lang);
  }
  endnotes(&w);
  put(&w, "</main>\n</body>\n</html>\n");
  flush(&w, 1);
done:
  emc_buf_release(&w.b);
  free(w.images);
  free(w.notes);
  free(w.deferred);
  free(title);
  free(lang);
  free(css);
  return w.rc;
}
