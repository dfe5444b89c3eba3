/* SPDX-License-Identifier: MIT */
/* odt-read.c - OpenDocument Text reader (issue 34): .odt packages and flat
 * .fodt files, as LibreOffice and our own writer (odt.c) make them.
 *
 * The package is opened through plugins/common/zipread (the docx reader's
 * limits: entries, sizes, ratio, unsafe names, local headers against the
 * directory, bytes counted again as they inflate) and every part parsed
 * through plugins/common/xmlsafe (no DTD, no network, depth limit).
 * styles.xml's common styles and content.xml's automatic styles give, by
 * their parent chains: headings (style:default-outline-level), the
 * language of each paragraph and span (fo:language/fo:script/fo:country,
 * and style:language-complex... when the text is in a complex script),
 * italic, bold, underline, superscript and subscript of spans, and the
 * numbering of lists (text:list-style levels: number or bullet, format,
 * start value; continued numbering).
 * The body: text:h (text:outline-level) and paragraphs whose style has an
 * outline level open sections; the Title and Subtitle paragraphs are the
 * metadata (as our writer puts them); text:list (a list of headings, as
 * LibreOffice numbers chapters, gives the headings); table:table with
 * header rows and spans (covered cells dropped, repeated rows and cells
 * bounded); text:note (footnote, endnote) at its citation; text:a (links
 * that emc_url_is_safe allows); draw:frame/draw:image from Pictures/ (or
 * office:binary-data in a .fodt) as resources, svg:title (else svg:desc)
 * as alt; a paragraph holding only a picture is a figure, and a Caption
 * paragraph after it its caption; text:section flows through; generated
 * indexes (tables of contents), tracked changes and annotations are
 * dropped.  meta.xml: title, initial creator (else creator), creation
 * date, language, subject, description, keywords, and the user-defined
 * fields our writer stores (Subtitle, Date, Source, Publisher,
 * Identifier). */
#include <config.h>
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/hash.h>
#include <emuconv/buf.h>
#include <emuconv/plugin.h>
#include <emuconv/text.h>
#include <emuconv/url.h>
#include "../common/xmlsafe.h"
#include "../common/zipread.h"
#include "odt.h"

#define NS_OFFICE ODT_NS_OFFICE
#define NS_STYLE ODT_NS_STYLE
#define NS_TEXT ODT_NS_TEXT
#define NS_TABLE ODT_NS_TABLE
#define NS_DRAW ODT_NS_DRAW
#define NS_FO ODT_NS_FO
#define NS_XLINK ODT_NS_XLINK
#define NS_DC ODT_NS_DC
#define NS_META ODT_NS_META
#define NS_SVG ODT_NS_SVG
#define NS_LOEXT "urn:org:documentfoundation:names:experimental:office:xmlns:loext:1.0"

#define MAX_REPEAT 100 /* repeated rows and cells taken at most this often */
#define MAX_CHAIN 32   /* parent styles followed at most this far */

enum { FAM_OTHER, FAM_PARA, FAM_TEXT };

typedef struct ostyle {
  char *name, *display, *parent, *list_style;
  int family;
  int outline;                          /* default-outline-level, 0 none */
  signed char italic, bold, underline;  /* -1 unset, 0 off, 1 on */
  signed char pos;                      /* -1 unset, 0 normal, 1 sup, 2 sub */
  char *lang, *lang_complex;            /* full tags, NULL unset */
} ostyle;

typedef struct olevel {
  int set, ordered, start;
  const char *style; /* IR list style, static */
} olevel;

typedef struct olist {
  char *name;
  olevel lv[10];
} olist;

struct od {
  emc_ctx *ctx;
  emc_doc *doc;
  emc_error *err;
  zipread *zip; /* NULL for a flat .fodt */
  ostyle *styles;
  size_t n_styles, cap_styles;
  xmlHashTablePtr style_index; /* name, family -> index + 1 */
  olist *lists;
  size_t n_lists, cap_lists;
  xmlHashTablePtr list_index;  /* name -> index + 1 */
  xmlHashTablePtr counters;    /* "style/level" -> next number, as intptr */
  xmlHashTablePtr pictures;    /* href -> resource name */
  const char *doc_lang;        /* borrowed from the meta or default style */
  char *doc_lang_own;
  size_t nodes, max_nodes;
  int rc;
  int images_omitted, title_done, subtitle_done;
  xmlNodePtr cur; /* the section (or body) top-level blocks go to */
  xmlNodePtr last_figure;
};

/* ------------------------------------------------------------ helpers */

static int fail(struct od *o, int rc)
{
  if (!o->rc)
    o->rc = rc;
  return o->rc;
}

static void oom(struct od *o) { fail(o, emc_error_set(o->err, EMC_ENOMEM, "out of memory")); }

static const char *at(const xmlNode *n, const char *ns, const char *local)
{
  return xmlsafe_attr(n, ns, local);
}

static int is(const xmlNode *n, const char *ns, const char *local)
{
  return xmlsafe_is(n, ns, local);
}

static int is_text(const xmlNode *n, const char *local) { return is(n, NS_TEXT, local); }

static xmlNodePtr child(const xmlNode *n, const char *ns, const char *local)
{
  for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
    if (is(c, ns, local))
      return c;
  return NULL;
}

static xmlNodePtr add(struct od *o, xmlNodePtr parent, const char *name, const char *text)
{
  if (o->rc || !parent)
    return NULL;
  if (o->max_nodes && ++o->nodes > o->max_nodes) {
    fail(o, emc_error_set(o->err, EMC_ELIMIT, "the document has more than %zu IR nodes "
                          "(the node limit)", o->max_nodes));
    return NULL;
  }
  xmlNodePtr n = emc_ir_add(parent, name, text);
  if (!n)
    oom(o);
  return n;
}

static void set(struct od *o, xmlNodePtr n, const char *name, const char *value)
{
  if (n && value && !o->rc && !xmlSetProp(n, BAD_CAST name, BAD_CAST value))
    oom(o);
}

static char *dup_or_null(struct od *o, const char *s)
{
  if (!s)
    return NULL;
  char *d = strdup(s);
  if (!d)
    oom(o);
  return d;
}

/* ------------------------------------------------------------ styles */

/* A language tag from ODF's language, script and country attributes;
 * NULL for none (or "zxx", no language). */
static char *lang_tag(struct od *o, const xmlNode *tp, const char *ns_lang, const char *lang_at,
                      const char *script_at, const char *country_at)
{
  const char *l = at(tp, ns_lang, lang_at);
  if (!l || !*l || strcmp(l, "none") == 0 || strcmp(l, "zxx") == 0)
    return NULL;
  const char *s = at(tp, ns_lang, script_at);
  const char *c = at(tp, ns_lang, country_at);
  char buf[64];
  snprintf(buf, sizeof buf, "%s%s%s%s%s", l, s && *s ? "-" : "", s && *s ? s : "",
           c && *c && strcmp(c, "none") != 0 ? "-" : "", c && *c && strcmp(c, "none") != 0 ? c : "");
  if (!xmlsafe_valid_lang(buf))
    return xmlsafe_valid_lang(l) ? dup_or_null(o, l) : NULL;
  return dup_or_null(o, buf);
}

static void style_read_props(struct od *o, ostyle *s, const xmlNode *st)
{
  const char *ol = at(st, NS_STYLE, "default-outline-level");
  if (ol && *ol)
    s->outline = atoi(ol) < 0 ? 0 : atoi(ol);
  s->list_style = dup_or_null(o, at(st, NS_STYLE, "list-style-name"));
  xmlNodePtr tp = child(st, NS_STYLE, "text-properties");
  if (!tp)
    return;
  const char *v;
  if ((v = at(tp, NS_FO, "font-style")))
    s->italic = strcmp(v, "italic") == 0 || strcmp(v, "oblique") == 0;
  if ((v = at(tp, NS_FO, "font-weight")))
    s->bold = strcmp(v, "bold") == 0 || atoi(v) >= 600;
  if ((v = at(tp, NS_STYLE, "text-underline-style")))
    s->underline = strcmp(v, "none") != 0;
  if ((v = at(tp, NS_STYLE, "text-position"))) {
    /* "super 58%", "sub", or a percentage: positive raises */
    if (strncmp(v, "super", 5) == 0)
      s->pos = 1;
    else if (strncmp(v, "sub", 3) == 0)
      s->pos = 2;
    else {
      double d = atof(v);
      s->pos = d > 0 ? 1 : d < 0 ? 2 : 0;
    }
  }
  s->lang = lang_tag(o, tp, NS_FO, "language", "script", "country");
  s->lang_complex = lang_tag(o, tp, NS_STYLE, "language-complex", "script-complex",
                             "country-complex");
}

static void style_add(struct od *o, const xmlNode *st)
{
  const char *name = at(st, NS_STYLE, "name");
  const char *fam = at(st, NS_STYLE, "family");
  if (!name || o->rc)
    return;
  if (emc_array_grow(&o->styles, &o->cap_styles, o->n_styles + 1, sizeof *o->styles)) {
    oom(o);
    return;
  }
  ostyle *s = &o->styles[o->n_styles];
  memset(s, 0, sizeof *s);
  s->italic = s->bold = s->underline = s->pos = -1;
  s->family = fam && strcmp(fam, "paragraph") == 0 ? FAM_PARA
              : fam && strcmp(fam, "text") == 0    ? FAM_TEXT
                                                   : FAM_OTHER;
  s->name = dup_or_null(o, name);
  s->display = dup_or_null(o, at(st, NS_STYLE, "display-name"));
  s->parent = dup_or_null(o, at(st, NS_STYLE, "parent-style-name"));
  o->n_styles++;
  style_read_props(o, s, st);
  if (o->rc)
    return;
  /* a later definition (content.xml's automatic styles) replaces one of
   * the same name */
  xmlHashRemoveEntry2(o->style_index, BAD_CAST name, BAD_CAST(fam ? fam : ""), NULL);
  if (xmlHashAddEntry2(o->style_index, BAD_CAST name, BAD_CAST(fam ? fam : ""),
                       (void *)(intptr_t)o->n_styles) < 0)
    oom(o);
}

static const char *num_style(const char *fmt)
{
  if (!fmt || !*fmt)
    return NULL;
  switch (fmt[0]) {
  case '1': return "decimal";
  case 'a': return "lower-alpha";
  case 'A': return "upper-alpha";
  case 'i': return "lower-roman";
  case 'I': return "upper-roman";
  default: return NULL;
  }
}

static void list_style_add(struct od *o, const xmlNode *ls)
{
  const char *name = at(ls, NS_STYLE, "name");
  if (!name || o->rc)
    return;
  if (emc_array_grow(&o->lists, &o->cap_lists, o->n_lists + 1, sizeof *o->lists)) {
    oom(o);
    return;
  }
  olist *l = &o->lists[o->n_lists];
  memset(l, 0, sizeof *l);
  l->name = dup_or_null(o, name);
  o->n_lists++;
  for (const xmlNode *c = ls->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE)
      continue;
    const char *lv = at(c, NS_TEXT, "level");
    int n = lv ? atoi(lv) : 0;
    if (n < 1 || n > 10)
      continue;
    olevel *v = &l->lv[n - 1];
    v->set = 1;
    if (is_text(c, "list-level-style-number")) {
      const char *fmt = at(c, NS_STYLE, "num-format");
      v->ordered = fmt && *fmt; /* an empty format numbers nothing */
      v->style = num_style(fmt);
      const char *sv = at(c, NS_TEXT, "start-value");
      v->start = sv ? atoi(sv) : 1;
    } else {
      v->ordered = 0;
      const char *b = at(c, NS_TEXT, "bullet-char");
      /* the IR's bullet styles by their usual characters */
      v->style = !b                                                ? NULL
                 : strcmp(b, "\u2022") == 0 || strcmp(b, "\u25CF") == 0 ||
                         strcmp(b, "\uF0B7") == 0                        ? "disc"
                 : strcmp(b, "\u25E6") == 0 || strcmp(b, "o") == 0      ? "circle"
                 : strcmp(b, "\u25AA") == 0 || strcmp(b, "\u25A0") == 0 ||
                         strcmp(b, "\uF0A7") == 0                        ? "square"
                 : strcmp(b, "\u2013") == 0 || strcmp(b, "-") == 0      ? "dash"
                                                                         : NULL;
    }
  }
  xmlHashRemoveEntry(o->list_index, BAD_CAST name, NULL);
  if (xmlHashAddEntry(o->list_index, BAD_CAST name, (void *)(intptr_t)o->n_lists) < 0)
    oom(o);
}

/* The styles and list styles under an office:styles or
 * office:automatic-styles element. */
static void styles_from(struct od *o, const xmlNode *container)
{
  for (const xmlNode *c = container ? container->children : NULL; c && !o->rc; c = c->next) {
    if (is(c, NS_STYLE, "style"))
      style_add(o, c);
    else if (is_text(c, "list-style"))
      list_style_add(o, c);
    else if (is(c, NS_STYLE, "default-style") && !o->doc_lang) {
      const char *fam = at(c, NS_STYLE, "family");
      xmlNodePtr tp = child(c, NS_STYLE, "text-properties");
      if (fam && strcmp(fam, "paragraph") == 0 && tp) {
        free(o->doc_lang_own);
        o->doc_lang_own = lang_tag(o, tp, NS_FO, "language", "script", "country");
      }
    }
  }
}

static const ostyle *style_find(struct od *o, const char *name, int family)
{
  if (!name)
    return NULL;
  const char *fam = family == FAM_PARA ? "paragraph" : family == FAM_TEXT ? "text" : "";
  intptr_t i = (intptr_t)xmlHashLookup2(o->style_index, BAD_CAST name, BAD_CAST fam);
  return i ? &o->styles[i - 1] : NULL;
}

/* The properties of style NAME with its parents'. */
typedef struct rstyle {
  int outline, italic, bold, underline, pos;
  const char *lang, *lang_complex, *list_style;
  const char *name; /* the first named in the chain that is not automatic */
  int title, subtitle, caption, preformatted;
} rstyle;

static int named(const ostyle *s, const char *want)
{
  return (s->display && strcmp(s->display, want) == 0) || strcmp(s->name, want) == 0;
}

static void style_resolve(struct od *o, const char *name, int family, rstyle *r)
{
  memset(r, 0, sizeof *r);
  r->italic = r->bold = r->underline = r->pos = -1;
  r->outline = -1;
  const ostyle *s = style_find(o, name, family);
  for (int depth = 0; s && depth < MAX_CHAIN; depth++) {
    if (r->outline < 0 && s->outline)
      r->outline = s->outline;
    /* "Heading 2" with no outline level (LibreOffice's HTML import) */
    const char *dn = s->display ? s->display : s->name;
    int hl = 0;
    if (r->outline < 0 && family == FAM_PARA &&
        (sscanf(dn, "Heading %d", &hl) == 1 || sscanf(dn, "Heading_20_%d", &hl) == 1) && hl > 0)
      r->outline = hl;
    if (r->italic < 0)
      r->italic = s->italic;
    if (r->bold < 0)
      r->bold = s->bold;
    if (r->underline < 0)
      r->underline = s->underline;
    if (r->pos < 0)
      r->pos = s->pos;
    if (!r->lang)
      r->lang = s->lang;
    if (!r->lang_complex)
      r->lang_complex = s->lang_complex;
    if (!r->list_style)
      r->list_style = s->list_style;
    if (named(s, "Title"))
      r->title = 1;
    if (named(s, "Subtitle"))
      r->subtitle = 1;
    if (named(s, "Caption") || named(s, "Figure") || named(s, "Illustration") ||
        named(s, "Drawing"))
      r->caption = 1;
    if (named(s, "Preformatted Text") || named(s, "Preformatted_20_Text"))
      r->preformatted = 1;
    s = style_find(o, s->parent, family);
  }
  if (r->outline < 0)
    r->outline = 0;
}

/* A complex script (right-to-left, Indic, South-East Asian) in TEXT. */
static int complex_script(const char *text)
{
  const unsigned char *s = (const unsigned char *)text;
  size_t n = strlen(text);
  for (size_t i = 0; i < n;) {
    uint32_t cp;
    size_t k = emc_utf8_decode(s + i, n - i, &cp);
    if (!k)
      return 0;
    i += k;
    if ((cp >= 0x0590 && cp <= 0x08FF) || (cp >= 0x0900 && cp <= 0x0DFF) ||
        (cp >= 0x0E00 && cp <= 0x0EFF) || (cp >= 0x1000 && cp <= 0x109F) ||
        (cp >= 0x1780 && cp <= 0x17FF) || (cp >= 0xFB1D && cp <= 0xFDFF) ||
        (cp >= 0xFE70 && cp <= 0xFEFF))
      return 1;
  }
  return 0;
}

/* ------------------------------------------------------------ images */

static const char *media_type_of(const char *href)
{
  const char *dot = strrchr(href, '.');
  if (!dot)
    return NULL;
  static const struct {
    const char *ext, *type;
  } map[] = { { ".png", "image/png" },   { ".jpg", "image/jpeg" }, { ".jpeg", "image/jpeg" },
              { ".gif", "image/gif" },   { ".svg", "image/svg+xml" }, { ".bmp", "image/bmp" },
              { ".webp", "image/webp" }, { ".tif", "image/tiff" }, { ".tiff", "image/tiff" } };
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (strcasecmp(dot, map[i].ext) == 0)
      return map[i].type;
  return NULL;
}

static int b64v(int c)
{
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '+')
    return 62;
  if (c == '/')
    return 63;
  return -1;
}

/* office:binary-data: base64 with white space. */
static unsigned char *base64_decode(const char *s, size_t *len)
{
  size_t n = strlen(s);
  unsigned char *out = malloc(n / 4 * 3 + 3);
  if (!out)
    return NULL;
  size_t o = 0;
  unsigned acc = 0;
  int bits = 0;
  for (size_t i = 0; i < n; i++) {
    int v = b64v((unsigned char)s[i]);
    if (v < 0)
      continue;
    acc = (acc << 6) | (unsigned)v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (unsigned char)(acc >> bits);
      acc &= (1u << bits) - 1;
    }
  }
  *len = o;
  return out;
}

/* The resource for draw:image IMG (added once per href); NULL when it
 * cannot be had.  Returns: (transfer none). */
static const char *picture(struct od *o, const xmlNode *img, const char **external)
{
  *external = NULL;
  const char *href = at(img, NS_XLINK, "href");
  xmlNodePtr bin = child(img, NS_OFFICE, "binary-data");
  if (href && *href) {
    const char *known = xmlHashLookup(o->pictures, BAD_CAST href);
    if (known)
      return known;
    if (strstr(href, "://")) {
      *external = emc_url_is_safe(href) ? href : NULL;
      return NULL;
    }
  }
  const char *type = href ? media_type_of(href) : NULL;
  const char *mt = at(img, NS_DRAW, "mime-type");
  if (!type && mt && strncmp(mt, "image/", 6) == 0)
    type = mt;
  unsigned char *data = NULL;
  size_t len = 0;
  if (bin) {
    xmlChar *s = xmlNodeGetContent(bin);
    data = s ? base64_decode((const char *)s, &len) : NULL;
    xmlFree(s);
    if (!data) {
      oom(o);
      return NULL;
    }
    if (!type) { /* a flat file's picture: the bytes say */
      if (len > 8 && memcmp(data, "\x89PNG", 4) == 0)
        type = "image/png";
      else if (len > 3 && memcmp(data, "\xFF\xD8\xFF", 3) == 0)
        type = "image/jpeg";
      else if (len > 6 && memcmp(data, "GIF8", 4) == 0)
        type = "image/gif";
    }
  } else if (href && *href && o->zip) {
    const char *part = href[0] == '.' && href[1] == '/' ? href + 2 : href;
    if (zipread_find(o->zip, part) < 0 || !type) {
      o->images_omitted++;
      return NULL;
    }
    int rc = zipread_read(o->zip, part, &data, &len);
    if (rc) {
      if (rc == EMC_ELIMIT || rc == EMC_ENOMEM)
        fail(o, rc);
      else { /* a damaged picture: left out, the text goes on */
        emc_error_release(o->err);
        emc_error_init(o->err);
        o->images_omitted++;
      }
      return NULL;
    }
  }
  if (!data || !type) {
    free(data);
    o->images_omitted++;
    return NULL;
  }
  /* a path-safe name from the href's last part */
  char base[64] = "image";
  const char *slash = href ? strrchr(href, '/') : NULL;
  const char *last = slash ? slash + 1 : href;
  if (last && *last) {
    size_t k = 0;
    for (const char *c = last; *c && k + 1 < sizeof base; c++)
      base[k++] = isalnum((unsigned char)*c) || *c == '.' || *c == '-' || *c == '_' ? *c : '_';
    base[k] = '\0';
    if (base[0] == '.')
      base[0] = '_';
  } else if (strcmp(type, "image/png") == 0)
    strcpy(base, "image.png");
  else if (strcmp(type, "image/jpeg") == 0)
    strcpy(base, "image.jpg");
  char name[96];
  int rc = emc_doc_resource_free_name(o->doc, base, base, name, sizeof name);
  if (!rc)
    rc = emc_doc_add_resource(o->doc, name, type, data, len, o->err);
  free(data);
  if (rc) {
    fail(o, rc);
    return NULL;
  }
  const emc_resource *res = emc_doc_resource_find(o->doc, name);
  if (href && *href && res) {
    if (xmlHashAddEntry(o->pictures, BAD_CAST href, res->name) < 0) {
      oom(o);
      return NULL;
    }
  }
  return res ? res->name : NULL;
}

static char *frame_alt(const xmlNode *frame)
{
  xmlNodePtr t = child(frame, NS_SVG, "title");
  if (!t)
    t = child(frame, NS_SVG, "desc");
  xmlChar *s = t ? xmlNodeGetContent(t) : NULL;
  if (s && !*s) {
    xmlFree(s);
    s = NULL;
  }
  char *r = s ? strdup((const char *)s) : NULL;
  xmlFree(s);
  return r;
}

/* ------------------------------------------------------------ inlines */

struct run {
  int prev_space; /* the text so far ends in white space (or is empty) */
};

static void put_text(struct od *o, xmlNodePtr parent, const char *s, size_t n, struct run *r)
{
  if (o->rc || !n)
    return;
  char *buf = malloc(n + 1);
  if (!buf) {
    oom(o);
    return;
  }
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      if (!r->prev_space)
        buf[k++] = ' ';
      r->prev_space = 1;
    } else {
      buf[k++] = c;
      r->prev_space = 0;
    }
  }
  if (k && emc_ir_add_text(parent, buf, k))
    oom(o);
  free(buf);
}

static void put_literal(struct od *o, xmlNodePtr parent, const char *s, size_t n, struct run *r)
{
  if (o->rc || !n)
    return;
  if (emc_ir_add_text(parent, s, n))
    oom(o);
  r->prev_space = s[n - 1] == ' ' || s[n - 1] == '\t';
}

static void blocks(struct od *o, const xmlNode *first, xmlNodePtr container, int top,
                   int list_depth, const char *list_style);
static void inlines(struct od *o, const xmlNode *first, xmlNodePtr parent, struct run *r,
                    const char *para_lang);

static void image_inline(struct od *o, const xmlNode *frame, xmlNodePtr parent, struct run *r)
{
  xmlNodePtr img = child(frame, NS_DRAW, "image");
  char *alt = frame_alt(frame);
  if (img) {
    const char *external = NULL;
    const char *res = picture(o, img, &external);
    if (res || external) {
      xmlNodePtr im = add(o, parent, "image", NULL);
      set(o, im, res ? "ref" : "src", res ? res : external);
      set(o, im, "alt", alt);
      r->prev_space = 0;
    } else if (alt) {
      put_text(o, parent, alt, strlen(alt), r);
    }
  }
  free(alt);
  xmlNodePtr box = child(frame, NS_DRAW, "text-box");
  if (box) {
    /* a frame with text (LibreOffice's picture-with-caption frame): its
     * paragraphs' content runs on in this paragraph */
    for (const xmlNode *c = box->children; c && !o->rc; c = c->next)
      if (is_text(c, "p") || is_text(c, "h")) {
        put_text(o, parent, " ", 1, r);
        inlines(o, c->children, parent, r, NULL);
      }
  }
}

static xmlNodePtr wrap(struct od *o, xmlNodePtr at, const char *name)
{
  xmlNodePtr n = add(o, at, name, NULL);
  return n ? n : at;
}

static void note(struct od *o, const xmlNode *n, xmlNodePtr parent)
{
  xmlNodePtr body = child(n, NS_TEXT, "note-body");
  xmlNodePtr note = add(o, parent, "note", NULL);
  const char *cls = at(n, NS_TEXT, "note-class");
  if (cls && strcmp(cls, "endnote") == 0)
    set(o, note, "kind", "end");
  if (note && body)
    blocks(o, body->children, note, 0, 0, NULL);
  if (note && !o->rc && !note->children)
    add(o, note, "p", NULL);
}

static int text_lang_differs(const char *a, const char *b)
{
  if (!a)
    return 0;
  return !b || strcasecmp(a, b) != 0;
}

static void inlines(struct od *o, const xmlNode *first, xmlNodePtr parent, struct run *r,
                    const char *para_lang)
{
  for (const xmlNode *c = first; c && !o->rc; c = c->next) {
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
      if (c->content)
        put_text(o, parent, (const char *)c->content, strlen((const char *)c->content), r);
      continue;
    }
    if (c->type != XML_ELEMENT_NODE)
      continue;
    if (is_text(c, "s")) {
      const char *cnt = at(c, NS_TEXT, "c");
      long k = cnt ? strtol(cnt, NULL, 10) : 1;
      if (k < 1)
        k = 1;
      if (k > 1000)
        k = 1000;
      char sp[1001];
      memset(sp, ' ', (size_t)k);
      put_literal(o, parent, sp, (size_t)k, r);
    } else if (is_text(c, "tab")) {
      put_literal(o, parent, "\t", 1, r);
    } else if (is_text(c, "line-break")) {
      add(o, parent, "br", NULL);
      r->prev_space = 1;
    } else if (is_text(c, "span")) {
      rstyle st;
      style_resolve(o, at(c, NS_TEXT, "style-name"), FAM_TEXT, &st);
      xmlNodePtr in = parent;
      xmlChar *txt = NULL;
      const char *lang = st.lang;
      if (st.lang_complex && (txt = xmlNodeGetContent(c)) && complex_script((const char *)txt))
        lang = st.lang_complex;
      xmlFree(txt);
      if (text_lang_differs(lang, para_lang)) {
        in = wrap(o, in, "span");
        xmlNodeSetLang(in, BAD_CAST lang);
      }
      if (st.italic == 1)
        in = wrap(o, in, "em");
      if (st.bold == 1)
        in = wrap(o, in, "strong");
      if (st.underline == 1)
        in = wrap(o, in, "u");
      if (st.pos == 1)
        in = wrap(o, in, "sup");
      else if (st.pos == 2)
        in = wrap(o, in, "sub");
      inlines(o, c->children, in, r, lang && text_lang_differs(lang, para_lang) ? lang : para_lang);
    } else if (is_text(c, "a")) {
      const char *href = at(c, NS_XLINK, "href");
      if (href && *href && emc_url_is_safe(href)) {
        xmlNodePtr a = add(o, parent, "a", NULL);
        set(o, a, "href", href);
        inlines(o, c->children, a, r, para_lang);
      } else
        inlines(o, c->children, parent, r, para_lang);
    } else if (is_text(c, "note")) {
      note(o, c, parent);
    } else if (is(c, NS_DRAW, "frame")) {
      image_inline(o, c, parent, r);
    } else if (is(c, NS_DRAW, "a")) { /* a linked frame */
      inlines(o, c->children, parent, r, para_lang);
    } else if (is_text(c, "ruby")) {
      xmlNodePtr base = child(c, NS_TEXT, "ruby-base");
      if (base)
        inlines(o, base->children, parent, r, para_lang);
    } else if (is(c, NS_OFFICE, "annotation") || is(c, NS_OFFICE, "annotation-end") ||
               is_text(c, "soft-page-break") || is_text(c, "bookmark") ||
               is_text(c, "bookmark-start") || is_text(c, "bookmark-end") ||
               is_text(c, "reference-mark-start") || is_text(c, "reference-mark-end") ||
               is_text(c, "change") || is_text(c, "change-start") || is_text(c, "change-end") ||
               is_text(c, "toc-mark-start") || is_text(c, "toc-mark-end") ||
               is_text(c, "alphabetical-index-mark-start") ||
               is_text(c, "alphabetical-index-mark-end") || is_text(c, "toc-mark") ||
               is_text(c, "alphabetical-index-mark") || is_text(c, "user-index-mark") ||
               is_text(c, "note-citation") || is(c, NS_DRAW, "custom-shape") ||
               is(c, NS_DRAW, "rect") || is(c, NS_DRAW, "line")) {
      continue;
    } else {
      /* fields (dates, page numbers, sequences), meta, hidden text...:
       * their text */
      inlines(o, c->children, parent, r, para_lang);
    }
  }
}

/* Trailing white space off a block's text. */
static void trim_end(xmlNodePtr p)
{
  xmlNodePtr z = p->last;
  while (z && z->type == XML_ELEMENT_NODE && !emc_ir_is(z, "note") && z->last)
    z = z->last;
  if (z && z->type == XML_TEXT_NODE && z->content) {
    size_t l = strlen((const char *)z->content);
    while (l && (z->content[l - 1] == ' '))
      z->content[--l] = '\0';
  }
}

/* ------------------------------------------------------------ blocks */

/* The language a paragraph's text is in by its style: the complex one
 * when its text is in a complex script. */
static const char *para_lang_of(const rstyle *st, const xmlNode *p)
{
  const char *lang = st->lang;
  if (st->lang_complex) {
    xmlChar *txt = xmlNodeGetContent(p);
    if (txt && complex_script((const char *)txt))
      lang = st->lang_complex;
    xmlFree(txt);
  }
  return lang;
}

/* A paragraph that holds a picture and no text. */
static int picture_only(const xmlNode *p)
{
  int frames = 0;
  for (const xmlNode *c = p->children; c; c = c->next) {
    if (c->type == XML_TEXT_NODE) {
      for (const xmlChar *s = c->content; s && *s; s++)
        if (!isspace(*s))
          return 0;
    } else if (is(c, NS_DRAW, "frame")) {
      if (!child(c, NS_DRAW, "image") || child(c, NS_DRAW, "text-box"))
        return 0;
      frames++;
    } else if (is_text(c, "soft-page-break") || is_text(c, "bookmark") ||
               is_text(c, "bookmark-start") || is_text(c, "bookmark-end")) {
      continue;
    } else if (c->type == XML_ELEMENT_NODE)
      return 0;
  }
  return frames > 0;
}

static void meta_title(struct od *o, const char *key, const xmlNode *p)
{
  xmlNodePtr tmp = xmlNewNode(NULL, BAD_CAST "x");
  if (!tmp) {
    oom(o);
    return;
  }
  struct run r = { 1 };
  inlines(o, p->children, tmp, &r, NULL);
  xmlChar *s = xmlNodeGetContent(tmp);
  xmlFreeNode(tmp);
  if (s) {
    size_t l = strlen((const char *)s);
    while (l && s[l - 1] == ' ')
      s[--l] = '\0';
    if (*s && emc_doc_meta_set(o->doc, key, (const char *)s))
      oom(o);
  }
  xmlFree(s);
}

/* A paragraph (text:p, or text:h where no section may open) into
 * CONTAINER; TOP: CONTAINER takes headings and sections. */
static void paragraph(struct od *o, const xmlNode *p, xmlNodePtr container, int top)
{
  rstyle st;
  style_resolve(o, at(p, NS_TEXT, "style-name"), FAM_PARA, &st);
  int level = 0;
  if (is_text(p, "h")) {
    const char *ol = at(p, NS_TEXT, "outline-level");
    level = ol ? atoi(ol) : st.outline ? st.outline : 1;
    if (level < 1)
      level = 1;
  } else if (st.outline > 0)
    level = st.outline;
  if (level > 6)
    level = 6;
  if (top && !is_text(p, "h") && !level && st.title && !o->title_done) {
    o->title_done = 1;
    meta_title(o, "title", p);
    return;
  }
  if (top && !is_text(p, "h") && !level && st.subtitle && !o->subtitle_done) {
    o->subtitle_done = 1;
    meta_title(o, "subtitle", p);
    return;
  }
  const char *lang = para_lang_of(&st, p);
  if (!text_lang_differs(lang, o->doc_lang))
    lang = NULL;
  if (picture_only(p)) {
    xmlNodePtr fig = add(o, top ? o->cur : container, "figure", NULL);
    struct run r = { 1 };
    for (const xmlNode *c = p->children; c && fig && !o->rc; c = c->next)
      if (is(c, NS_DRAW, "frame")) {
        image_inline(o, c, fig, &r);
        break; /* a figure holds one picture; the others follow */
      }
    if (fig && !o->rc) {
      xmlNodePtr im = fig->children;
      while (im && im->type != XML_ELEMENT_NODE)
        im = im->next;
      if (!im || !emc_ir_is(im, "image")) { /* no picture after all: its alt text */
        xmlNodePtr np = xmlNewDocNode(fig->doc, fig->ns, BAD_CAST "p", NULL);
        if (!np) {
          oom(o);
          return;
        }
        xmlNodePtr k;
        while ((k = fig->children)) {
          xmlUnlinkNode(k);
          xmlAddChild(np, k);
        }
        xmlReplaceNode(fig, np);
        xmlFreeNode(fig);
        o->last_figure = NULL;
        return;
      }
      if (lang)
        xmlNodeSetLang(fig, BAD_CAST lang);
      o->last_figure = fig;
      int skip = 1;
      for (const xmlNode *c = p->children; c && !o->rc; c = c->next)
        if (is(c, NS_DRAW, "frame") && !skip--) {
          xmlNodePtr f2 = add(o, top ? o->cur : container, "figure", NULL);
          image_inline(o, c, f2, &r);
        }
    }
    return;
  }
  xmlNodePtr parent = top ? o->cur : container;
  if (level && top) {
    xmlNodePtr sec = emc_ir_open_section(o->cur, level);
    if (!sec) {
      oom(o);
      return;
    }
    o->nodes++;
    o->cur = sec;
    xmlNodePtr h = add(o, sec, "heading", NULL);
    if (h && lang)
      xmlNodeSetLang(h, BAD_CAST lang);
    struct run r = { 1 };
    if (h)
      inlines(o, p->children, h, &r, lang ? lang : o->doc_lang);
    if (h)
      trim_end(h);
    o->last_figure = NULL;
    return;
  }
  if (st.caption && o->last_figure && !o->rc) {
    xmlNodePtr cap = NULL;
    for (xmlNodePtr c = o->last_figure->children; c; c = c->next)
      if (emc_ir_is(c, "caption"))
        cap = c;
    if (!cap) {
      cap = add(o, o->last_figure, "caption", NULL);
      if (cap && lang)
        xmlNodeSetLang(cap, BAD_CAST lang);
      struct run r = { 1 };
      if (cap)
        inlines(o, p->children, cap, &r, lang ? lang : o->doc_lang);
      if (cap)
        trim_end(cap);
      o->last_figure = NULL;
      return;
    }
  }
  o->last_figure = NULL;
  if (st.preformatted) {
    xmlNodePtr tmp = xmlNewNode(NULL, BAD_CAST "x");
    if (!tmp) {
      oom(o);
      return;
    }
    struct run r = { 0 };
    inlines(o, p->children, tmp, &r, NULL);
    /* line breaks are the block's newlines */
    for (xmlNodePtr k = tmp->children; k; k = emc_ir_next(k, tmp, 1))
      if (k->type == XML_ELEMENT_NODE && xmlStrEqual(k->name, BAD_CAST "br")) {
        xmlNodePtr nl = xmlNewText(BAD_CAST "\n");
        if (nl) {
          xmlReplaceNode(k, nl);
          xmlFreeNode(k);
          k = nl;
        }
      }
    xmlChar *s = xmlNodeGetContent(tmp);
    xmlFreeNode(tmp);
    /* consecutive preformatted paragraphs are lines of one block */
    xmlNodePtr prev = parent->last;
    if (prev && emc_ir_is(prev, "pre")) {
      if (emc_ir_add_text(prev, "\n", 1) ||
          (s && emc_ir_add_text(prev, (const char *)s, strlen((const char *)s))))
        oom(o);
    } else {
      xmlNodePtr pre = add(o, parent, "pre", s ? (const char *)s : NULL);
      if (pre && lang)
        xmlNodeSetLang(pre, BAD_CAST lang);
    }
    xmlFree(s);
    return;
  }
  xmlNodePtr np = add(o, parent, "p", NULL);
  if (!np)
    return;
  if (lang)
    xmlNodeSetLang(np, BAD_CAST lang);
  struct run r = { 1 };
  inlines(o, p->children, np, &r, lang ? lang : o->doc_lang);
  trim_end(np);
  /* an empty paragraph (spacing) is no block */
  if (!np->children && !o->rc) {
    xmlUnlinkNode(np);
    xmlFreeNode(np);
    o->nodes--;
  }
}

static const olevel *list_level(struct od *o, const char *style, int depth)
{
  if (!style || depth < 1)
    return NULL;
  intptr_t i = (intptr_t)xmlHashLookup(o->list_index, BAD_CAST style);
  if (!i)
    return NULL;
  const olevel *v = &o->lists[i - 1].lv[depth > 10 ? 9 : depth - 1];
  return v->set ? v : NULL;
}

/* A list whose items hold headings (LibreOffice's numbered chapters). */
static int holds_heading(const xmlNode *list)
{
  for (const xmlNode *it = list->children; it; it = it->next) {
    if (!is_text(it, "list-item") && !is_text(it, "list-header"))
      continue;
    for (const xmlNode *c = it->children; c; c = c->next)
      if (is_text(c, "h") || (is_text(c, "list") && holds_heading(c)))
        return 1;
  }
  return 0;
}

static void list(struct od *o, const xmlNode *n, xmlNodePtr container, int top, int depth,
                 const char *outer_style)
{
  const char *style = at(n, NS_TEXT, "style-name");
  if (!style)
    style = outer_style;
  if (top && holds_heading(n)) {
    for (const xmlNode *it = n->children; it && !o->rc; it = it->next)
      if (is_text(it, "list-item") || is_text(it, "list-header"))
        blocks(o, it->children, container, 1, depth, style);
    return;
  }
  if (!style) { /* the first paragraph's style may name the list style */
    for (const xmlNode *it = n->children; it && !style; it = it->next)
      for (const xmlNode *c = it->children; c && !style; c = c->next)
        if (is_text(c, "p")) {
          rstyle st;
          style_resolve(o, at(c, NS_TEXT, "style-name"), FAM_PARA, &st);
          style = st.list_style;
        }
  }
  const olevel *lv = list_level(o, style, depth);
  xmlNodePtr l = add(o, top ? o->cur : container, "list", NULL);
  if (!l)
    return;
  o->last_figure = NULL;
  int ordered = lv && lv->ordered;
  long start = lv && lv->ordered ? (lv->start ? lv->start : 1) : 1;
  char key[160];
  snprintf(key, sizeof key, "%.140s/%d", style ? style : "", depth);
  const char *cont = at(n, NS_TEXT, "continue-numbering");
  if (ordered && ((cont && strcmp(cont, "true") == 0) || at(n, NS_TEXT, "continue-list"))) {
    intptr_t next = (intptr_t)xmlHashLookup(o->counters, BAD_CAST key);
    if (next)
      start = (long)next;
  }
  if (ordered)
    set(o, l, "ordered", "true");
  if (lv && lv->style)
    set(o, l, "style", lv->style);
  long number = start;
  int first = 1;
  for (const xmlNode *it = n->children; it && !o->rc; it = it->next) {
    if (!is_text(it, "list-item") && !is_text(it, "list-header"))
      continue;
    const char *sv = at(it, NS_TEXT, "start-value");
    if (sv && ordered) {
      long v = strtol(sv, NULL, 10);
      if (first)
        start = v;
      number = v;
    }
    xmlNodePtr item = add(o, l, "item", NULL);
    if (item)
      blocks(o, it->children, item, 0, depth, style);
    if (item && !o->rc && !item->children)
      add(o, item, "p", NULL);
    if (is_text(it, "list-item"))
      number++;
    first = 0;
  }
  if (ordered && start != 1) {
    char buf[24];
    snprintf(buf, sizeof buf, "%ld", start);
    set(o, l, "start", buf);
  }
  if (ordered) {
    xmlHashRemoveEntry(o->counters, BAD_CAST key, NULL);
    if (xmlHashAddEntry(o->counters, BAD_CAST key, (void *)(intptr_t)number) < 0)
      oom(o);
  }
  if (!o->rc && !l->children) {
    xmlNodePtr item = add(o, l, "item", NULL);
    add(o, item, "p", NULL);
  }
}

static long repeat_of(const xmlNode *n, const char *attr)
{
  const char *v = at(n, NS_TABLE, attr);
  long k = v ? strtol(v, NULL, 10) : 1;
  return k < 1 ? 1 : k > MAX_REPEAT ? MAX_REPEAT : k;
}

static int has_content(const xmlNode *n)
{
  for (const xmlNode *c = n->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE || (c->type == XML_TEXT_NODE && c->content && *c->content))
      return 1;
  return 0;
}

static void rows(struct od *o, const xmlNode *first, xmlNodePtr table, int header)
{
  for (const xmlNode *r = first; r && !o->rc; r = r->next) {
    if (is(r, NS_TABLE, "table-header-rows")) {
      rows(o, r->children, table, 1);
      continue;
    }
    if (is(r, NS_TABLE, "table-rows") || is(r, NS_TABLE, "table-row-group")) {
      rows(o, r->children, table, header);
      continue;
    }
    if (!is(r, NS_TABLE, "table-row"))
      continue;
    /* trailing empty rows repeated to the sheet's end are no rows */
    int any = 0;
    for (const xmlNode *c = r->children; c && !any; c = c->next)
      if (is(c, NS_TABLE, "table-cell") && has_content(c))
        any = 1;
    long reps = any ? repeat_of(r, "number-rows-repeated") : 1;
    for (long k = 0; k < reps && !o->rc; k++) {
      xmlNodePtr row = add(o, table, "row", NULL);
      if (header)
        set(o, row, "header", "true");
      for (const xmlNode *c = r->children; c && row && !o->rc; c = c->next) {
        if (!is(c, NS_TABLE, "table-cell"))
          continue; /* covered cells are under a span */
        long creps = has_content(c) ? repeat_of(c, "number-columns-repeated") : 1;
        for (long j = 0; j < creps && !o->rc; j++) {
          xmlNodePtr cell = add(o, row, "cell", NULL);
          if (header)
            set(o, cell, "header", "true");
          const char *cs = at(c, NS_TABLE, "number-columns-spanned");
          const char *rs = at(c, NS_TABLE, "number-rows-spanned");
          if (cs && atol(cs) > 1 && atol(cs) < 10000)
            set(o, cell, "colspan", cs);
          if (rs && atol(rs) > 1 && atol(rs) < 100000)
            set(o, cell, "rowspan", rs);
          if (cell)
            blocks(o, c->children, cell, 0, 0, NULL);
        }
      }
      if (row && !o->rc && !row->children)
        add(o, row, "cell", NULL);
    }
  }
}

static void table(struct od *o, const xmlNode *n, xmlNodePtr container, int top)
{
  xmlNodePtr t = add(o, top ? o->cur : container, "table", NULL);
  if (!t)
    return;
  o->last_figure = NULL;
  rows(o, n->children, t, 0);
  if (!o->rc && !t->children) {
    xmlNodePtr row = add(o, t, "row", NULL);
    add(o, row, "cell", NULL);
  }
}

static void blocks(struct od *o, const xmlNode *first, xmlNodePtr container, int top,
                   int list_depth, const char *list_style)
{
  for (const xmlNode *c = first; c && !o->rc; c = c->next) {
    if (c->type != XML_ELEMENT_NODE)
      continue;
    if (is_text(c, "p") || is_text(c, "h"))
      paragraph(o, c, container, top);
    else if (is_text(c, "list"))
      list(o, c, container, top, list_depth + 1, list_style);
    else if (is_text(c, "numbered-paragraph")) {
      blocks(o, c->children, container, top, list_depth, list_style);
    } else if (is(c, NS_TABLE, "table"))
      table(o, c, container, top);
    else if (is_text(c, "section") || is_text(c, "list-item"))
      blocks(o, c->children, container, top, list_depth, list_style);
    else if (is(c, NS_DRAW, "frame")) {
      /* a picture anchored to the page or paragraph outside text */
      xmlNodePtr p = add(o, top ? o->cur : container, "p", NULL);
      struct run r = { 1 };
      if (p)
        image_inline(o, c, p, &r);
      if (p && !o->rc && !p->children) {
        xmlUnlinkNode(p);
        xmlFreeNode(p);
      }
    }
    /* text:table-of-content and the other indexes (generated), text:
     * tracked-changes, office:forms, declarations: dropped */
  }
}

/* ------------------------------------------------------------ meta */

static void meta_from(struct od *o, const xmlNode *meta)
{
  char *creator = NULL, *initial = NULL, *created = NULL, *dcdate = NULL, *user_date = NULL;
  int ids = 0;
  for (const xmlNode *m = meta ? meta->children : NULL; m && !o->rc; m = m->next) {
    if (m->type != XML_ELEMENT_NODE)
      continue;
    xmlChar *v = xmlNodeGetContent(m);
    if (!v) {
      continue;
    }
    const char *s = (const char *)v;
    while (isspace((unsigned char)*s))
      s++;
    int rc = 0;
    if (!*s)
      ;
    else if (is(m, NS_DC, "title"))
      rc = emc_doc_meta_set(o->doc, "title", s);
    else if (is(m, NS_META, "initial-creator"))
      free(initial), initial = strdup(s);
    else if (is(m, NS_DC, "creator"))
      free(creator), creator = strdup(s);
    else if (is(m, NS_META, "creation-date"))
      free(created), created = strdup(s);
    else if (is(m, NS_DC, "date"))
      free(dcdate), dcdate = strdup(s);
    else if (is(m, NS_DC, "language")) {
      if (xmlsafe_valid_lang(s)) {
        free(o->doc_lang_own);
        o->doc_lang_own = strdup(s);
      }
    } else if (is(m, NS_DC, "subject"))
      rc = emc_doc_meta_set(o->doc, "subject", s);
    else if (is(m, NS_DC, "description"))
      rc = emc_doc_meta_set(o->doc, "description", s);
    else if (is(m, NS_META, "keyword"))
      rc = emc_doc_meta_add(o->doc, "keywords", s);
    else if (is(m, NS_META, "user-defined")) {
      const char *name = at(m, NS_META, "name");
      if (!name || !*name)
        ;
      else if (strcmp(name, "Subtitle") == 0)
        rc = emc_doc_meta_set(o->doc, "subtitle", s);
      else if (strcmp(name, "Date") == 0)
        free(user_date), user_date = strdup(s);
      else if (strcmp(name, "Source") == 0)
        rc = emc_doc_meta_set(o->doc, "source", s);
      else if (strcmp(name, "Publisher") == 0)
        rc = emc_doc_meta_set(o->doc, "publisher", s);
      else if (strncmp(name, "Identifier", 10) == 0 && ids++ < 1000)
        rc = emc_doc_meta_add(o->doc, "identifier", s);
      else
        rc = emc_doc_meta_add(o->doc, name, s);
    }
    xmlFree(v);
    if (rc)
      oom(o);
  }
  /* our writer joins authors with "; " */
  const char *authors = initial ? initial : creator;
  if (authors && !o->rc) {
    const char *a = authors;
    while (*a) {
      const char *e = strstr(a, "; ");
      size_t l = e ? (size_t)(e - a) : strlen(a);
      char *one = strndup(a, l);
      if (!one || (*one && emc_doc_meta_add(o->doc, "author", one)))
        oom(o);
      free(one);
      a += l;
      if (e)
        a += 2;
    }
  }
  const char *date = user_date ? user_date : created ? created : dcdate;
  if (date && !o->rc && emc_doc_meta_set(o->doc, "date", date))
    oom(o);
  free(creator);
  free(initial);
  free(created);
  free(dcdate);
  free(user_date);
}

/* ------------------------------------------------------------ read */

static int parse_part(struct od *o, const char *name, int required, xmlDocPtr *out)
{
  *out = NULL;
  if (zipread_find(o->zip, name) < 0) {
    if (required)
      return emc_error_set(o->err, EMC_EPARSE, "not an OpenDocument package: it lacks %s", name);
    return EMC_OK;
  }
  unsigned char *data = NULL;
  size_t len = 0;
  int rc = zipread_read(o->zip, name, &data, &len);
  if (rc)
    return rc;
  char label[64];
  snprintf(label, sizeof label, "part '%s'", name);
  rc = xmlsafe_parse(data, len, label, emc_ctx_limits(o->ctx)->max_depth, out, o->err);
  free(data);
  return rc;
}

static void od_free(struct od *o)
{
  for (size_t i = 0; i < o->n_styles; i++) {
    free(o->styles[i].name);
    free(o->styles[i].display);
    free(o->styles[i].parent);
    free(o->styles[i].list_style);
    free(o->styles[i].lang);
    free(o->styles[i].lang_complex);
  }
  free(o->styles);
  for (size_t i = 0; i < o->n_lists; i++)
    free(o->lists[i].name);
  free(o->lists);
  xmlHashFree(o->style_index, NULL);
  xmlHashFree(o->list_index, NULL);
  xmlHashFree(o->counters, NULL);
  xmlHashFree(o->pictures, NULL);
  free(o->doc_lang_own);
}

/* The office:text of ROOT (office:document-content or office:document). */
static const xmlNode *office_text(const xmlNode *root)
{
  return child(child(root, NS_OFFICE, "body"), NS_OFFICE, "text");
}

/* The language of most of the text is the document's (as the docx reader
 * decides it): a document whose default style says en-US but whose
 * paragraphs are all Hindi is a Hindi document with no exceptions, not an
 * English one with an exception on every paragraph. */
struct lang_tally {
  const xmlChar *lang;
  size_t chars;
};

static const xmlChar *block_lang(const xmlNode *n, const char *dflt)
{
  for (; n && n->type == XML_ELEMENT_NODE; n = n->parent) {
    const xmlChar *l = NULL;
    for (const xmlAttr *a = n->properties; a; a = a->next)
      if (xmlStrEqual(a->name, BAD_CAST "lang") && a->ns &&
          xmlStrEqual(a->ns->href, XML_XML_NAMESPACE) && a->children)
        l = a->children->content;
    if (l)
      return l;
    if (emc_ir_is(n, "body"))
      break;
  }
  return BAD_CAST dflt;
}

static int text_block(const xmlNode *n)
{
  return emc_ir_is(n, "p") || emc_ir_is(n, "heading") || emc_ir_is(n, "pre") ||
         emc_ir_is(n, "caption");
}

static void dominant_language(struct od *o)
{
  xmlNodePtr body = emc_doc_body(o->doc);
  struct lang_tally t[16];
  size_t nt = 0;
  for (xmlNodePtr n = body->children; n; n = emc_ir_next(n, body, !text_block(n))) {
    if (!text_block(n))
      continue;
    const xmlChar *l = block_lang(n, o->doc_lang);
    if (!l)
      continue;
    xmlChar *txt = xmlNodeGetContent(n);
    size_t len = txt ? strlen((const char *)txt) : 0;
    xmlFree(txt);
    size_t i = 0;
    while (i < nt && !xmlStrEqual(t[i].lang, l))
      i++;
    if (i == nt && nt < 16)
      t[nt++] = (struct lang_tally){ l, 0 };
    if (i < nt)
      t[i].chars += len;
  }
  size_t best = 0;
  for (size_t i = 1; i < nt; i++)
    if (t[i].chars > t[best].chars)
      best = i;
  if (!nt || (o->doc_lang && xmlStrEqual(t[best].lang, BAD_CAST o->doc_lang)))
    return;
  char *dominant = strdup((const char *)t[best].lang);
  if (!dominant) {
    oom(o);
    return;
  }
  /* every text block says its language, then those in the dominant one
   * stop saying it */
  for (xmlNodePtr n = body->children; n && !o->rc; n = emc_ir_next(n, body, !text_block(n))) {
    if (!text_block(n))
      continue;
    const xmlChar *l = block_lang(n, o->doc_lang);
    xmlChar *own = l ? xmlStrdup(l) : NULL;
    if (own && !xmlStrEqual(own, BAD_CAST dominant))
      xmlNodeSetLang(n, own);
    else if (xmlHasNsProp(n, BAD_CAST "lang", XML_XML_NAMESPACE))
      xmlUnsetNsProp(n, xmlSearchNsByHref(n->doc, n, XML_XML_NAMESPACE), BAD_CAST "lang");
    xmlFree(own);
  }
  /* containers that said it too */
  for (xmlNodePtr n = body->children; n; n = emc_ir_next(n, body, 1))
    if (n->type == XML_ELEMENT_NODE && !text_block(n) &&
        xmlHasNsProp(n, BAD_CAST "lang", XML_XML_NAMESPACE) &&
        xmlStrEqual(block_lang(n, NULL), BAD_CAST dominant) && !emc_ir_is(n, "span"))
      xmlUnsetNsProp(n, xmlSearchNsByHref(n->doc, n, XML_XML_NAMESPACE), BAD_CAST "lang");
  free(o->doc_lang_own);
  o->doc_lang_own = dominant;
  o->doc_lang = dominant;
  if (emc_doc_meta_set(o->doc, "language", dominant))
    oom(o);
}

static int odt_build(struct od *o, xmlDocPtr content, xmlDocPtr styles, xmlDocPtr meta)
{
  xmlNodePtr croot = xmlDocGetRootElement(content);
  if (!is(croot, NS_OFFICE, "document-content") && !is(croot, NS_OFFICE, "document"))
    return emc_error_set(o->err, EMC_EPARSE, "not OpenDocument: the root element is <%.60s>",
                         croot ? (const char *)croot->name : "");
  const xmlNode *text = office_text(croot);
  if (!text) {
    const xmlNode *body = child(croot, NS_OFFICE, "body");
    const xmlNode *other = body ? body->children : NULL;
    while (other && other->type != XML_ELEMENT_NODE)
      other = other->next;
    if (other)
      return emc_error_set(o->err, EMC_EFORMAT, "an OpenDocument %s, not a text document",
                           (const char *)other->name);
    return emc_error_set(o->err, EMC_EPARSE, "not OpenDocument Text: no office:text");
  }
  if (meta)
    meta_from(o, child(xmlDocGetRootElement(meta), NS_OFFICE, "meta"));
  else
    meta_from(o, child(croot, NS_OFFICE, "meta"));
  if (styles) {
    xmlNodePtr sroot = xmlDocGetRootElement(styles);
    styles_from(o, child(sroot, NS_OFFICE, "styles"));
  }
  styles_from(o, child(croot, NS_OFFICE, "styles")); /* a flat file's */
  styles_from(o, child(croot, NS_OFFICE, "automatic-styles"));
  if (o->rc)
    return o->rc;
  o->doc_lang = o->doc_lang_own;
  if (o->doc_lang && emc_doc_meta_set(o->doc, "language", o->doc_lang))
    oom(o);
  o->cur = emc_doc_body(o->doc);
  blocks(o, text->children, o->cur, 1, 0, NULL);
  if (!o->rc)
    dominant_language(o);
  if (!o->rc && o->images_omitted)
    emc_ctx_warn(o->ctx, "image-omitted", "%d picture%s left out (missing, damaged or of a "
                 "type the IR does not carry: WMF, EMF, SVM...); the alt text stays",
                 o->images_omitted, o->images_omitted == 1 ? "" : "s");
  return o->rc;
}

static int od_init(struct od *o, emc_ctx *ctx, emc_error *err)
{
  memset(o, 0, sizeof *o);
  o->ctx = ctx;
  o->err = err;
  o->max_nodes = emc_ctx_limits(ctx)->max_nodes;
  o->style_index = xmlHashCreate(64);
  o->list_index = xmlHashCreate(16);
  o->counters = xmlHashCreate(16);
  o->pictures = xmlHashCreate(16);
  o->doc = emc_doc_new();
  if (!o->style_index || !o->list_index || !o->counters || !o->pictures || !o->doc)
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  return EMC_OK;
}

static int flat_xml(const emc_input *in)
{
  size_t i = 0;
  if (in->size >= 3 && memcmp(in->data, "\xEF\xBB\xBF", 3) == 0)
    i = 3;
  while (i < in->size && isspace(in->data[i]))
    i++;
  return i < in->size && in->data[i] == '<';
}

int odt_read(emc_ctx *ctx, const emc_input *in, emc_doc **out, emc_error *err)
{
  struct od o;
  int rc = od_init(&o, ctx, err);
  xmlDocPtr content = NULL, styles = NULL, meta = NULL;
  zipread zip;
  int zip_open = 0;
  if (rc)
    goto done;
  if (flat_xml(in)) {
    rc = xmlsafe_parse(in->data, in->size, "the flat OpenDocument file",
                       emc_ctx_limits(ctx)->max_depth, &content, err);
  } else {
    rc = zipread_open(&zip, ctx, in, "an ODT", err);
    if (rc)
      goto done;
    zip_open = 1;
    o.zip = &zip;
    if (zipread_find(&zip, "META-INF/manifest.xml") >= 0 && zipread_find(&zip, "content.xml") < 0)
      rc = emc_error_set(err, EMC_EPARSE, "not an OpenDocument package: it lacks content.xml");
    else if (zipread_find(&zip, "content.xml") >= 0) {
      unsigned char *mt = NULL;
      size_t mlen = 0;
      if (zipread_find(&zip, "mimetype") >= 0 && !zipread_read(&zip, "mimetype", &mt, &mlen) &&
          mlen && !(mlen >= 39 && memcmp(mt, "application/vnd.oasis.opendocument.text", 39) == 0))
        rc = emc_error_set(err, EMC_EFORMAT, "an OpenDocument package of type '%.80s', not "
                           "a text document", (const char *)mt);
      free(mt);
    }
    if (!rc)
      rc = parse_part(&o, "content.xml", 1, &content);
    if (!rc)
      rc = parse_part(&o, "styles.xml", 0, &styles);
    if (!rc)
      rc = parse_part(&o, "meta.xml", 0, &meta);
  }
  if (!rc)
    rc = odt_build(&o, content, styles, meta);
done:
  if (content)
    xmlFreeDoc(content);
  if (styles)
    xmlFreeDoc(styles);
  if (meta)
    xmlFreeDoc(meta);
  if (zip_open)
    zipread_close(&zip);
  if (rc) {
    emc_doc_free(o.doc);
    od_free(&o);
    return rc;
  }
  od_free(&o);
  *out = o.doc;
  return EMC_OK;
}

/* A package whose first entry is "mimetype" saying OpenDocument text, or
 * a flat file whose root is office:document of that type. */
int odt_probe(const unsigned char *head, size_t len)
{
  static const char mt[] = "application/vnd.oasis.opendocument.text";
  if (len >= 30 && memcmp(head, "PK\3\4", 4) == 0) {
    size_t nlen = (size_t)head[26] | (size_t)head[27] << 8;
    size_t xlen = (size_t)head[28] | (size_t)head[29] << 8;
    if (nlen == 8 && 30 + 8 <= len && memcmp(head + 30, "mimetype", 8) == 0) {
      size_t off = 30 + nlen + xlen;
      if (off + sizeof mt - 1 <= len && memcmp(head + off, mt, sizeof mt - 1) == 0)
        return 95;
      return 0; /* EPUB, another ODF type */
    }
    /* a package without the mimetype first: content.xml says */
    for (size_t i = 30; i + 11 <= len; i++)
      if (memcmp(head + i, "content.xml", 11) == 0)
        return 30;
    return 0;
  }
  int office = 0, text = 0;
  for (size_t i = 0; i + 16 <= len && !(office && text); i++) {
    if (!office && memcmp(head + i, "office:document", 15) == 0 &&
        (head[i + 15] == ' ' || head[i + 15] == '\n' || head[i + 15] == '\t' ||
         head[i + 15] == '\r' || head[i + 15] == '>'))
      office = 1;
    if (!text && i + sizeof mt - 1 <= len && memcmp(head + i, mt, sizeof mt - 1) == 0)
      text = 1;
  }
  return office && text ? 90 : office ? 40 : 0;
}
