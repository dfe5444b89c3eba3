/* SPDX-License-Identifier: MIT */
/* odt.c - OpenDocument Text 1.3 writer.
 *
 * The package (ODF 1.3 part 2): "mimetype" first and stored, content.xml,
 * styles.xml (odtstyles.c), meta.xml, the images under Pictures/ and
 * META-INF/manifest.xml, through the shared zip writer (zippkg), stamped
 * with the context's timestamp so that SOURCE_DATE_EPOCH gives identical
 * bytes.  Every part is strict ODF 1.3: no foreign elements or attributes.
 *
 * content.xml maps the IR onto ODF text: section headings to text:h with
 * text:outline-level and the Heading_20_N styles, p to text:p, list to
 * nested text:list (text:start-value on the first item), table to
 * table:table with header rows, spans and covered cells, note to text:note
 * (footnote or endnote), a to text:a, images to draw:frame/draw:image,
 * em/strong/code to named text styles and u/sup/sub to automatic ones.
 * ODF collapses white space in paragraphs, so runs of spaces are written
 * with text:s, tabs with text:tab and newlines with text:line-break.
 * Languages: the document's in the default paragraph style, and an
 * automatic paragraph or text style wherever an element's xml:lang
 * differs (fo:language for Latin scripts, style:language-complex for
 * Devanagari and the other complex scripts, style:language-asian for CJK).
 *
 * The XML is written as text into buffers (odtbuf.c), not built as a tree:
 * content.xml is as large as the document.  Its body is deflated as it is
 * written (zippkg_body), so only its compressed bytes are held; the
 * automatic styles it collects meanwhile are joined in front at the end
 * (zippkg_add_headed).  Recursion follows the IR's depth, which every
 * reader bounds (emc_limits.max_depth). */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <emuconv/emuconv.h>
#include <emuconv/url.h>
#include "../common/frontmatter.h"
#include "../common/datetime.h"
#include "../common/imgcheck.h"
#include "../common/zippkg.h"
#include "odt.h"

#define ODT_MIMETYPE "application/vnd.oasis.opendocument.text"

/* Text area of the page: A4 less 2 cm margins (odtstyles.c), in 1/1000 cm. */
#define TEXT_WIDTH 17000
#define TEXT_HEIGHT 25000
/* Columns of one table at most (cells beyond are left out, with a
 * warning), and the widest column span (HTML's limit). */
#define MAX_COLUMNS 1024
#define MAX_COLSPAN 1000

struct pstyle { /* an automatic paragraph style: a named parent + a language */
  const char *parent; /* a string constant */
  char *lang;
};

/* What became of an image resource (struct odt's used[]). */
enum { PIC_EMBED = 1, PIC_DAMAGED = 2 };

struct odt {
  const emc_doc *doc;
  xmlDocPtr refdoc; /* --reference-doc's styles.xml, or NULL */
  odt_buf body;  /* content.xml from office:text on, on its way to CONTENT */
  zippkg_body *content; /* content.xml's body, deflated as it comes */
  odt_buf autos; /* content.xml up to office:text: the automatic styles */
  char *doc_lang;    /* the document's language tag, or NULL */
  odt_lang doc_lang_parsed;
  int has_doc_lang;  /* doc_lang_parsed is usable */

  struct pstyle *pstyles;
  size_t n_pstyles;
  char **tstyles; /* keys of the automatic text styles T1, T2...: "u", "lang:hi" */
  size_t n_tstyles;
  int *col_styles; /* column counts that have a table-column style */
  size_t n_col_styles;
  int table_styles; /* the table and cell styles are written */
  int frame_style;  /* fr1 is written */
  unsigned lists;   /* list styles used (1 << enum odt_list_style) */

  int tables, images, footnotes, endnotes;
  size_t dropped_cells; /* table cells beyond MAX_COLUMNS */
  int note_depth; /* inside a note body */
  int link_depth; /* inside a text:a */

  const char *item_label; /* an item's label as printed ("đ)"), waiting for
                             the item's first paragraph */
  const xmlChar **pending; /* xml:id of blocks waiting for a paragraph */
  size_t n_pending, cap_pending;

  /* Per resource, set when an image first refers to it: PIC_EMBED (written
   * under Pictures/) or PIC_DAMAGED (left out, its alt text kept), and
   * what imgcheck says of it. */
  unsigned char *used;
  img_facts *facts;
  size_t n_res;
  emc_ctx *ctx;
  int front;  /* the front matter is wanted (not --no-front-matter) */
  /* Tracked changes (IR <ins>/<del>), in document order: change I is the
   * text:changed-region "ct<I+1>" of text:tracked-changes, which must come
   * before the body (collected by collect_changes()); NEXT_CHANGE is where
   * the body's walk expects the next one. */
  const xmlNode **changes;
  size_t n_changes, cap_changes, next_change;
  int oom;
};

/* Block context: the paragraph style of plain paragraphs here, the
 * inherited language, and whether a table may appear (not in lists). */
struct bctx {
  const char *pstyle;
  const char *lang;
  int no_tables;  /* in a list item (ODF allows no table there) or a note
                     (LibreOffice drops tables there): tables flattened */
  int list_depth; /* nesting of lists, for default bullets */
};

/* The state of a paragraph's character content: whether the character
 * before is white space (or nothing), for ODF's white-space collapsing;
 * and the effective language. */
struct run {
  int prev_ws;
  const char *lang;
};

/* ---- small helpers ---- */

/* An attribute's value, borrowed from the tree; NULL when absent. */
static const char *prop(const xmlNode *n, const char *name, const char *ns)
{
  xmlAttrPtr a = ns ? xmlHasNsProp(n, BAD_CAST name, BAD_CAST ns)
                    : xmlHasNsProp(n, BAD_CAST name, NULL);
  if (!a || a->type != XML_ATTRIBUTE_NODE)
    return NULL; /* absent (or a DTD default, which IR documents never have) */
  if (!a->children)
    return "";
  if (a->children->type == XML_TEXT_NODE && !a->children->next)
    return (const char *)a->children->content;
  return NULL; /* entity references in an attribute: not produced by the IR */
}

static const char *lang_of(const xmlNode *n, const char *inherited)
{
  const char *l = prop(n, "lang", (const char *)XML_XML_NAMESPACE);
  return l ? l : inherited;
}

static int ir_bool(const xmlNode *n, const char *attr)
{
  const char *v = prop(n, attr, NULL);
  return v && (!strcmp(v, "true") || !strcmp(v, "1"));
}

static long ir_long(const xmlNode *n, const char *attr, long dflt)
{
  const char *v = prop(n, attr, NULL);
  if (!v || !*v)
    return dflt;
  char *end;
  long x = strtol(v, &end, 10);
  return *end ? dflt : x;
}

static int same_lang(const char *a, const char *b)
{
  if (!a || !*a)
    return !b || !*b;
  if (!b || !*b)
    return 0;
  for (; *a && *b; a++, b++) {
    int ca = *a == '_' ? '-' : *a, cb = *b == '_' ? '-' : *b;
    if ((ca | 0x20) != (cb | 0x20))
      return 0;
  }
  return !*a && !*b;
}

/* A length in 1/1000 cm, printed without the C library's locale. */
static void put_cm(odt_buf *b, const char *attr, long v)
{
  if (v < 0)
    v = 0;
  odt_printf(b, " %s=\"%ld.%03ldcm\"", attr, v / 1000, v % 1000);
}

/* ---- automatic styles ---- */

/* Writes ' text:style-name="..."' for a paragraph of style PARENT in
 * language LANG: PARENT itself when LANG is the document's (or unknown),
 * else an automatic style "P<n>" deriving from PARENT that adds the
 * language. */
static void para_style(struct odt *w, const char *parent, const char *lang)
{
  odt_lang l;
  size_t i = 0;
  if (!lang || !*lang || same_lang(lang, w->doc_lang) || !odt_lang_parse(lang, &l)) {
    odt_printf(&w->body, " text:style-name=\"%s\"", parent);
    return;
  }
  for (; i < w->n_pstyles; i++)
    if (!strcmp(w->pstyles[i].parent, parent) && same_lang(w->pstyles[i].lang, lang))
      break;
  if (i == w->n_pstyles) {
    struct pstyle *grown = realloc(w->pstyles, (i + 1) * sizeof *grown);
    char *copy = strdup(lang);
    if (!grown || !copy) {
      if (grown)
        w->pstyles = grown;
      free(copy);
      w->oom = 1;
      return;
    }
    w->pstyles = grown;
    grown[i].parent = parent;
    grown[i].lang = copy;
    w->n_pstyles++;
    odt_printf(&w->autos, "<style:style style:name=\"P%zu\" style:family=\"paragraph\""
                          " style:parent-style-name=\"%s\"><style:text-properties",
               i + 1, parent);
    odt_lang_attrs(&w->autos, &l);
    odt_puts(&w->autos, "/></style:style>");
  }
  odt_printf(&w->body, " text:style-name=\"P%zu\"", i + 1);
}

/* The automatic text style with KEY ("u", "sup", "sub", "lang:TAG"),
 * created on first use; returns its number n (the style is "T<n>"), 0 on
 * failure. */
static size_t text_style(struct odt *w, const char *key)
{
  size_t i = 0;
  for (; i < w->n_tstyles; i++)
    if (!strcmp(w->tstyles[i], key))
      return i + 1;
  odt_lang l;
  if (!strncmp(key, "lang:", 5) && !odt_lang_parse(key + 5, &l))
    return 0;
  char **grown = realloc(w->tstyles, (i + 1) * sizeof *grown);
  char *copy = strdup(key);
  if (!grown || !copy) {
    if (grown)
      w->tstyles = grown;
    free(copy);
    w->oom = 1;
    return 0;
  }
  w->tstyles = grown;
  grown[i] = copy;
  w->n_tstyles++;
  odt_buf *a = &w->autos;
  odt_printf(a, "<style:style style:name=\"T%zu\" style:family=\"text\"><style:text-properties", i + 1);
  if (!strcmp(key, "u"))
    odt_puts(a, " style:text-underline-style=\"solid\" style:text-underline-width=\"auto\""
                " style:text-underline-color=\"font-color\"");
  else if (!strcmp(key, "sup"))
    odt_puts(a, " style:text-position=\"super 58%\"");
  else if (!strcmp(key, "sub"))
    odt_puts(a, " style:text-position=\"sub 58%\"");
  else
    odt_lang_attrs(a, &l);
  odt_puts(a, "/></style:style>");
  return i + 1;
}

static void frame_style(struct odt *w)
{
  if (w->frame_style)
    return;
  w->frame_style = 1;
  odt_puts(&w->autos, "<style:style style:name=\"fr1\" style:family=\"graphic\""
                      " style:parent-style-name=\"Graphics\"><style:graphic-properties"
                      " style:vertical-pos=\"top\" style:vertical-rel=\"baseline\"/>"
                      "</style:style>");
}

/* The column style for a table of NCOLS equal columns: "Tbl.C<ncols>". */
static void column_style(struct odt *w, int ncols)
{
  if (!w->table_styles) {
    w->table_styles = 1;
    odt_puts(&w->autos, "<style:style style:name=\"Tbl\" style:family=\"table\">"
                        "<style:table-properties");
    put_cm(&w->autos, "style:width", TEXT_WIDTH);
    odt_puts(&w->autos, " table:align=\"margins\"/></style:style>"
                        "<style:style style:name=\"Tbl.Cell\" style:family=\"table-cell\">"
                        "<style:table-cell-properties fo:padding=\"0.097cm\""
                        " fo:border=\"0.5pt solid #000000\"/></style:style>");
  }
  for (size_t i = 0; i < w->n_col_styles; i++)
    if (w->col_styles[i] == ncols)
      return;
  int *grown = realloc(w->col_styles, (w->n_col_styles + 1) * sizeof *grown);
  if (!grown) {
    w->oom = 1;
    return;
  }
  w->col_styles = grown;
  grown[w->n_col_styles++] = ncols;
  odt_printf(&w->autos, "<style:style style:name=\"Tbl.C%d\" style:family=\"table-column\">"
                        "<style:table-column-properties", ncols);
  put_cm(&w->autos, "style:column-width", TEXT_WIDTH / ncols);
  odt_puts(&w->autos, " style:rel-column-width=\"1000*\"/></style:style>");
}

/* ---- character content ---- */

/* The next byte at or after S[I] that is written (C0 controls other than
 * tab, newline and carriage return are dropped); 0 at the end. */
static unsigned char next_char(const char *s, size_t i, size_t len)
{
  for (; i < len; i++) {
    unsigned char c = (unsigned char)s[i];
    if (c >= 0x20 || c == '\t' || c == '\n' || c == '\r')
      return c;
  }
  return 0;
}

static int is_ws(unsigned char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Character data of a paragraph.  A space is written as itself only where
 * ODF's collapsing (part 3, 6.1.2) keeps it: after a written non-space
 * character, and before another one or (MORE) before a sibling element;
 * every other space (leading, doubled, before a tab or break, at the end
 * of an element) becomes text:s.  After a literal space at the end, the
 * run says white space precedes, so what follows cannot collapse it. */
static void put_chars_more(struct odt *w, const char *s, size_t len, int more, struct run *r)
{
  odt_buf *b = &w->body;
  size_t i = 0;
  while (i < len) {
    unsigned char c = (unsigned char)s[i];
    if (c == ' ') {
      size_t j = i;
      while (j < len && s[j] == ' ')
        j++;
      size_t n = j - i;
      unsigned char next = next_char(s, j, len);
      if (!r->prev_ws && (next ? !is_ws(next) : more)) {
        odt_put(b, " ", 1);
        n--;
      }
      if (n == 1)
        odt_puts(b, "<text:s/>");
      else if (n > 1)
        odt_printf(b, "<text:s text:c=\"%zu\"/>", n);
      r->prev_ws = 1;
      i = j;
    } else if (c == '\t') {
      odt_puts(b, "<text:tab/>");
      r->prev_ws = 1;
      i++;
    } else if (c == '\n' || c == '\r') {
      odt_puts(b, "<text:line-break/>");
      r->prev_ws = 1;
      i += (c == '\r' && i + 1 < len && s[i + 1] == '\n') ? 2 : 1;
    } else if (c < 0x20) {
      i++; /* not an XML character */
    } else {
      size_t j = i;
      while (j < len && (unsigned char)s[j] >= 0x20 && s[j] != ' ')
        j++;
      odt_text(b, s + i, j - i);
      r->prev_ws = 0;
      i = j;
    }
  }
}

static void put_chars(struct odt *w, const char *s, size_t len, struct run *r)
{
  put_chars_more(w, s, len, 0, r);
}

static void flush_pending(struct odt *w)
{
  for (size_t i = 0; i < w->n_pending; i++) {
    odt_puts(&w->body, "<text:bookmark");
    odt_attr(&w->body, "text:name", (const char *)w->pending[i]);
    odt_puts(&w->body, "/>");
  }
  w->n_pending = 0;
}

/* Remembers N's xml:id: it becomes a bookmark at the start of the next
 * paragraph, so that links to "#id" lead there. */
static void push_id(struct odt *w, const xmlNode *n)
{
  const char *id = prop(n, "id", (const char *)XML_XML_NAMESPACE);
  if (!id || !*id)
    return;
  if (emc_array_grow(&w->pending, &w->cap_pending, w->n_pending + 1, sizeof *w->pending)) {
    w->oom = 1;
    return;
  }
  w->pending[w->n_pending++] = BAD_CAST id;
}

/* Opens a paragraph (TAG "text:p" or "text:h") and starts its run. */
static void para_open(struct odt *w, const char *tag, const char *style,
                      const char *lang, int level, struct run *r)
{
  odt_printf(&w->body, "<%s", tag);
  para_style(w, style, lang);
  if (level)
    odt_printf(&w->body, " text:outline-level=\"%d\"", level);
  odt_puts(&w->body, ">");
  flush_pending(w);
  if (w->item_label) {
    odt_text(&w->body, w->item_label, strlen(w->item_label));
    odt_puts(&w->body, " ");
    w->item_label = NULL;
  }
  r->prev_ws = 1;
  r->lang = lang;
}

static void para_close(struct odt *w, const char *tag)
{
  odt_printf(&w->body, "</%s>", tag);
}

/* ---- inline content ---- */

static void inlines(struct odt *w, const xmlNode *first, struct run *r);
static void blocks(struct odt *w, const xmlNode *first, const struct bctx *c);
static void block(struct odt *w, const xmlNode *n, const struct bctx *c);

/* Opens a text:span with the automatic style of N's language when it
 * differs from the run's; returns whether one was opened.  *SAVED keeps
 * the run's language to restore. */
static int lang_span_open(struct odt *w, const xmlNode *n, struct run *r, const char **saved)
{
  const char *lang = prop(n, "lang", (const char *)XML_XML_NAMESPACE);
  *saved = r->lang;
  if (!lang || !*lang || same_lang(lang, r->lang))
    return 0;
  size_t key_len = strlen(lang) + 6;
  char *key = malloc(key_len);
  if (!key) {
    w->oom = 1;
    return 0;
  }
  snprintf(key, key_len, "lang:%s", lang);
  size_t t = text_style(w, key);
  free(key);
  if (!t)
    return 0;
  odt_printf(&w->body, "<text:span text:style-name=\"T%zu\">", t);
  r->lang = lang;
  return 1;
}

static void lang_span_close(struct odt *w, int opened, struct run *r, const char *saved)
{
  if (opened)
    odt_puts(&w->body, "</text:span>");
  r->lang = saved;
}

/* An inline element rendered as a text:span of style STYLE (named) or of
 * automatic text style KEY. */
static void styled_span(struct odt *w, const xmlNode *n, struct run *r,
                        const char *style, const char *key)
{
  size_t t = key ? text_style(w, key) : 0;
  if (style)
    odt_printf(&w->body, "<text:span text:style-name=\"%s\">", style);
  else if (t)
    odt_printf(&w->body, "<text:span text:style-name=\"T%zu\">", t);
  const char *saved;
  int opened = lang_span_open(w, n, r, &saved);
  inlines(w, n->children, r);
  lang_span_close(w, opened, r, saved);
  if (style || t)
    odt_puts(&w->body, "</text:span>");
}

/* Percent-encodes what an IRI may not contain (spaces, controls, <>"{}|\^`)
 * so that xlink:href is a valid anyURI. */
static void put_href(struct odt *w, const char *href)
{
  static const char hex[] = "0123456789ABCDEF";
  emc_buf tmp = EMC_BUF_INIT;
  int rc = emc_buf_reserve(&tmp, 0);
  for (const unsigned char *p = (const unsigned char *)href; *p && !rc; p++) {
    if (*p <= 0x20 || *p == 0x7F || strchr("<>\"{}|\\^`", *p)) {
      char e[3] = { '%', hex[*p >> 4], hex[*p & 15] };
      rc = emc_buf_append(&tmp, e, 3);
    } else
      rc = emc_buf_append_byte(&tmp, *p);
  }
  if (rc)
    w->oom = 1;
  else
    odt_attr(&w->body, "xlink:href", tmp.data);
  emc_buf_release(&tmp);
}

static void link_open(struct odt *w, const char *href)
{
  odt_puts(&w->body, "<text:a xlink:type=\"simple\"");
  put_href(w, href);
  odt_puts(&w->body, " text:style-name=\"Internet_20_link\""
                     " text:visited-style-name=\"Visited_20_Internet_20_Link\">");
}

/* Lower-case roman numerals, for endnote citations (style:num-format "i"). */
static void roman(char *buf, size_t size, int n)
{
  static const struct { int v; const char *s; } t[] = {
    { 1000, "m" }, { 900, "cm" }, { 500, "d" }, { 400, "cd" }, { 100, "c" }, { 90, "xc" },
    { 50, "l" }, { 40, "xl" }, { 10, "x" }, { 9, "ix" }, { 5, "v" }, { 4, "iv" }, { 1, "i" },
  };
  size_t len = 0;
  buf[0] = '\0';
  if (n <= 0 || n >= 4000) {
    snprintf(buf, size, "%d", n);
    return;
  }
  for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
    while (n >= t[i].v && len + strlen(t[i].s) < size) {
      strcpy(buf + len, t[i].s);
      len += strlen(t[i].s);
      n -= t[i].v;
    }
}

/* A note inside a note: ODF consumers do not nest them, so its text goes
 * inline, in brackets. */
static void nested_note(struct odt *w, const xmlNode *n, struct run *r)
{
  put_chars(w, " [", 2, r);
  int first = 1;
  for (const xmlNode *b = n->children; b; b = b->next) {
    if (b->type != XML_ELEMENT_NODE)
      continue;
    if (!first)
      put_chars(w, " ", 1, r);
    first = 0;
    if (emc_ir_is(b, "p"))
      inlines(w, b->children, r);
    else {
      xmlChar *t = emc_ir_text(b);
      if (t)
        put_chars(w, (const char *)t, strlen((const char *)t), r);
      else
        w->oom = 1;
      xmlFree(t);
    }
  }
  put_chars(w, "]", 1, r);
}

static void note(struct odt *w, const xmlNode *n, struct run *r)
{
  if (w->note_depth) {
    nested_note(w, n, r);
    return;
  }
  const char *kind = prop(n, "kind", NULL);
  int end = kind && !strcmp(kind, "end");
  char label[32];
  int num = end ? ++w->endnotes : ++w->footnotes;
  if (end)
    roman(label, sizeof label, num);
  else
    snprintf(label, sizeof label, "%d", num);
  odt_printf(&w->body, "<text:note text:id=\"%s%d\" text:note-class=\"%s\">"
                       "<text:note-citation>%s</text:note-citation><text:note-body>",
             end ? "edn" : "ftn", num, end ? "endnote" : "footnote", label);
  push_id(w, n);
  struct bctx c = { end ? "Endnote" : "Footnote", lang_of(n, r->lang), 1, 0 };
  w->note_depth++;
  int saved_link = w->link_depth;
  w->link_depth = 0;
  blocks(w, n->children, &c);
  w->link_depth = saved_link;
  w->note_depth--;
  odt_puts(&w->body, "</text:note-body></text:note>");
  r->prev_ws = 1;
}

/* ---- images ---- */

/* The natural size of a sound image in 1/1000 cm (imgcheck.h), scaled
 * down to fit the text area; 10 x 7.5 cm when unknown. */
static void image_size(const img_facts *f, long *wd, long *ht)
{
  long cw = f->width, ch = f->height;
  if (cw <= 0 || ch <= 0) {
    cw = 10000;
    ch = 7500;
  }
  if (cw > TEXT_WIDTH) {
    ch = (long)((double)ch * TEXT_WIDTH / cw);
    cw = TEXT_WIDTH;
  }
  if (ch > TEXT_HEIGHT) {
    cw = (long)((double)cw * TEXT_HEIGHT / ch);
    ch = TEXT_HEIGHT;
  }
  *wd = cw < 50 ? 50 : cw;
  *ht = ch < 50 ? 50 : ch;
}

/* An image: a draw:frame when it is an embedded resource, a link when it
 * is external (never fetched), its alternative text when its resource is
 * missing. */
static void image(struct odt *w, const xmlNode *n, struct run *r)
{
  const char *ref = prop(n, "ref", NULL);
  const char *src = prop(n, "src", NULL);
  const char *alt = prop(n, "alt", NULL);
  const emc_resource *res = ref ? emc_doc_resource_find(w->doc, ref) : NULL;
  if (res && (!res->media_type || strncmp(res->media_type, "image/", 6)))
    res = NULL;
  size_t i = 0;
  while (res && i < w->n_res && emc_doc_resource_at(w->doc, i) != res)
    i++;
  if (res && i < w->n_res && !w->used[i]) {
    /* Judged by its bytes, once: a damaged PNG, JPEG, GIF, BMP or SVG
     * would be an empty frame in LibreOffice; other types (TIFF, EMF from
     * Word) go in as the reader labelled them. */
    img_verdict v = img_check(res->data, res->size, &w->facts[i]);
    w->used[i] = v == IMG_DAMAGED ? PIC_DAMAGED : PIC_EMBED;
    if (v == IMG_OTHER)
      w->facts[i].media_type = res->media_type;
  }
  if (res && (i == w->n_res || w->used[i] != PIC_EMBED))
    res = NULL;
  if (res) {
    long wd, ht;
    image_size(&w->facts[i], &wd, &ht);
    frame_style(w);
    odt_buf *b = &w->body;
    odt_printf(b, "<draw:frame draw:style-name=\"fr1\" draw:name=\"Image%d\""
                  " text:anchor-type=\"as-char\"", ++w->images);
    put_cm(b, "svg:width", wd);
    put_cm(b, "svg:height", ht);
    odt_puts(b, " draw:z-index=\"0\"><draw:image xlink:type=\"simple\" xlink:show=\"embed\""
                " xlink:actuate=\"onLoad\"");
    odt_puts(b, " xlink:href=\"Pictures/");
    odt_text(b, res->name, strlen(res->name));
    odt_puts(b, "\"");
    odt_attr(b, "draw:mime-type", w->facts[i].media_type);
    odt_puts(b, "/>");
    if (alt && *alt) {
      odt_puts(b, "<svg:title>");
      odt_text(b, alt, strlen(alt));
      odt_puts(b, "</svg:title>");
    }
    odt_puts(b, "</draw:frame>");
    r->prev_ws = 1;
    return;
  }
  const char *label = alt && *alt ? alt : src;
  if (src && *src && emc_url_is_safe(src) && !w->link_depth) {
    link_open(w, src);
    put_chars(w, label, strlen(label), r);
    odt_puts(&w->body, "</text:a>");
  } else if (label)
    put_chars(w, label, strlen(label), r);
}

/* ---- tracked changes ---- */

/* Every <ins> and <del> under FIRST, in document order, into w->changes
 * (not those inside a deletion: its text goes in the region as it is). */
static void collect_changes(struct odt *w, const xmlNode *first)
{
  for (const xmlNode *n = first; n && !w->oom; n = n->next) {
    if (n->type != XML_ELEMENT_NODE)
      continue;
    int ins = emc_ir_is(n, "ins"), del = emc_ir_is(n, "del");
    if (ins || del) {
      if (w->n_changes == w->cap_changes) {
        size_t cap = w->cap_changes ? 2 * w->cap_changes : 16;
        const xmlNode **grown = realloc(w->changes, cap * sizeof *grown);
        if (!grown) {
          w->oom = 1;
          return;
        }
        w->changes = grown;
        w->cap_changes = cap;
      }
      w->changes[w->n_changes++] = n;
    }
    if (!del)
      collect_changes(w, n->children);
  }
}

/* text:tracked-changes: a changed-region per change, who and when (ODF
 * requires a date: a change whose source gives none that ODF takes is
 * dated 1970-01-01T00:00:00, as LibreOffice dates such changes), the
 * deleted text in its deletion. */
static void tracked_changes(struct odt *w)
{
  if (!w->n_changes)
    return;
  odt_buf *b = &w->body;
  /* (dc declared here: content.xml without changes stays as it was) */
  odt_puts(b, "<text:tracked-changes xmlns:dc=\"" ODT_NS_DC "\" text:track-changes=\"false\">");
  for (size_t i = 0; i < w->n_changes && !w->oom; i++) {
    const xmlNode *n = w->changes[i];
    int del = emc_ir_is(n, "del");
    const char *author = prop(n, "author", NULL), *date = prop(n, "date", NULL);
    if (!date || !emc_is_portable_datetime(date))
      date = "1970-01-01T00:00:00";
    odt_printf(b, "<text:changed-region xml:id=\"ct%zu\" text:id=\"ct%zu\"><text:%s>"
                  "<office:change-info><dc:creator>", i + 1, i + 1, del ? "deletion" : "insertion");
    if (author)
      odt_text(b, author, strlen(author));
    odt_printf(b, "</dc:creator><dc:date>%s</dc:date></office:change-info>", date);
    if (del) {
      xmlChar *t = emc_ir_text(n);
      if (!t)
        w->oom = 1;
      else {
        odt_puts(b, "<text:p>");
        odt_text(b, (const char *)t, strlen((const char *)t));
        odt_puts(b, "</text:p>");
      }
      xmlFree(t);
    }
    odt_printf(b, "</text:%s></text:changed-region>", del ? "deletion" : "insertion");
  }
  odt_puts(b, "</text:tracked-changes>");
}

/* A tracked change N in the text: an insertion between change-start and
 * change-end, a deletion as a text:change (its text is in the region).
 * One not collected (none is, but the walks are separate) keeps its
 * text as it is. */
static void change_mark(struct odt *w, const xmlNode *n, struct run *r)
{
  size_t i = w->next_change;
  while (i < w->n_changes && w->changes[i] != n)
    i++;
  if (i == w->n_changes)
    for (i = 0; i < w->next_change && w->changes[i] != n; i++)
      ;
  if (i >= w->n_changes || w->changes[i] != n) {
    inlines(w, n->children, r);
    return;
  }
  w->next_change = i + 1;
  if (emc_ir_is(n, "del")) {
    odt_printf(&w->body, "<text:change text:change-id=\"ct%zu\"/>", i + 1);
    return;
  }
  odt_printf(&w->body, "<text:change-start text:change-id=\"ct%zu\"/>", i + 1);
  inlines(w, n->children, r);
  odt_printf(&w->body, "<text:change-end text:change-id=\"ct%zu\"/>", i + 1);
}

static void inlines(struct odt *w, const xmlNode *first, struct run *r)
{
  for (const xmlNode *n = first; n && !w->oom; n = n->next) {
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
      if (n->content)
        put_chars_more(w, (const char *)n->content, strlen((const char *)n->content),
                       n->next != NULL, r);
      continue;
    }
    if (n->type != XML_ELEMENT_NODE)
      continue;
    if (!emc_ir_is(n, "note")) { /* a note's id marks its body */
      push_id(w, n);
      if (w->n_pending) {
        flush_pending(w);
        r->prev_ws = 1;
      }
    }
    if (emc_ir_is(n, "em"))
      styled_span(w, n, r, "Emphasis", NULL);
    else if (emc_ir_is(n, "strong"))
      styled_span(w, n, r, "Strong_20_Emphasis", NULL);
    else if (emc_ir_is(n, "code"))
      styled_span(w, n, r, "Source_20_Text", NULL);
    else if (emc_ir_is(n, "u"))
      styled_span(w, n, r, NULL, "u");
    else if (emc_ir_is(n, "sup"))
      styled_span(w, n, r, NULL, "sup");
    else if (emc_ir_is(n, "sub"))
      styled_span(w, n, r, NULL, "sub");
    else if (emc_ir_is(n, "span") || emc_ir_is(n, "ref"))
      styled_span(w, n, r, NULL, NULL);
    else if (emc_ir_is(n, "a")) {
      const char *href = prop(n, "href", NULL);
      int linked = href && *href && emc_url_is_safe(href) && !w->link_depth;
      if (linked) {
        link_open(w, href);
        w->link_depth++;
      }
      styled_span(w, n, r, NULL, NULL);
      if (linked) {
        w->link_depth--;
        odt_puts(&w->body, "</text:a>");
      }
    } else if (emc_ir_is(n, "note"))
      note(w, n, r);
    else if (emc_ir_is(n, "image"))
      image(w, n, r);
    else if (emc_ir_is(n, "br")) {
      odt_puts(&w->body, "<text:line-break/>");
      r->prev_ws = 1;
    } else if (emc_ir_is(n, "ins") || emc_ir_is(n, "del"))
      change_mark(w, n, r);
  }
}

/* ---- blocks ---- */

static void paragraph(struct odt *w, const xmlNode *n, const char *style, const char *lang)
{
  struct run r;
  push_id(w, n);
  para_open(w, "text:p", style, lang_of(n, lang), 0, &r);
  inlines(w, n->children, &r);
  para_close(w, "text:p");
}

static const int bullet_for_depth[] = { ODT_LIST_DISC, ODT_LIST_CIRCLE, ODT_LIST_SQUARE };

static int list_style_of(const xmlNode *n, int depth)
{
  static const struct { const char *name; int style; } styles[] = {
    { "decimal", ODT_LIST_DECIMAL }, { "lower-alpha", ODT_LIST_LALPHA },
    { "upper-alpha", ODT_LIST_UALPHA }, { "lower-roman", ODT_LIST_LROMAN },
    { "upper-roman", ODT_LIST_UROMAN }, { "disc", ODT_LIST_DISC },
    { "circle", ODT_LIST_CIRCLE }, { "square", ODT_LIST_SQUARE }, { "dash", ODT_LIST_DASH },
  };
  const char *s = prop(n, "style", NULL);
  if (s)
    for (size_t i = 0; i < sizeof styles / sizeof styles[0]; i++)
      if (!strcmp(s, styles[i].name))
        return styles[i].style;
  if (ir_bool(n, "ordered"))
    return ODT_LIST_DECIMAL;
  return bullet_for_depth[depth < 2 ? depth : 2];
}

static void list(struct odt *w, const xmlNode *n, const struct bctx *outer)
{
  int style = list_style_of(n, outer->list_depth);
  /* Items with their labels as printed ("đ)", "(iv)"): a list style
   * without numbers, each label written before its item's text. */
  const xmlNode *first_item = n->children;
  while (first_item && !emc_ir_is(first_item, "item"))
    first_item = first_item->next;
  int labelled = first_item && prop(first_item, "label", NULL);
  if (labelled)
    style = ODT_LIST_LABEL;
  w->lists |= 1u << style;
  push_id(w, n);
  odt_printf(&w->body, "<text:list text:style-name=\"%s\">", odt_list_style_name(style));
  long start = style >= ODT_LIST_DECIMAL ? ir_long(n, "start", -1) : -1;
  struct bctx c = { "List", lang_of(n, outer->lang), 1, outer->list_depth + 1 };
  int first = 1;
  for (const xmlNode *item = n->children; item && !w->oom; item = item->next) {
    if (!emc_ir_is(item, "item"))
      continue;
    if (first && start >= 0 && start <= 0x7fffffff)
      odt_printf(&w->body, "<text:list-item text:start-value=\"%ld\">", start);
    else
      odt_puts(&w->body, "<text:list-item>");
    first = 0;
    push_id(w, item);
    struct bctx ic = c;
    ic.lang = lang_of(item, c.lang);
    w->item_label = labelled ? prop(item, "label", NULL) : NULL;
    blocks(w, item->children, &ic);
    w->item_label = NULL;
    odt_puts(&w->body, "</text:list-item>");
  }
  odt_puts(&w->body, "</text:list>");
}

/* Table geometry: places the cells of ROWS [FIRST, END) on a grid, as the
 * writer will (column spans cut at occupied or missing columns, row spans
 * cut at the end of the row group), and returns the number of columns. */
struct grid {
  int *busy; /* per column: rows still covered by a row span from above */
  int cols;  /* columns allocated in busy */
};

static int grid_fit(struct grid *g, int cols, struct odt *w)
{
  if (cols <= g->cols)
    return 0;
  int *grown = realloc(g->busy, (size_t)cols * sizeof *grown);
  if (!grown) {
    w->oom = 1;
    return -1;
  }
  memset(grown + g->cols, 0, (size_t)(cols - g->cols) * sizeof *grown);
  g->busy = grown;
  g->cols = cols;
  return 0;
}

/* Where a cell starting at column COL may span: up to SPAN columns, fewer
 * when a covered column or the table's width (LIMIT) comes first. */
static int fit_span(const struct grid *g, int col, long span, int limit)
{
  int k = 1;
  if (span > MAX_COLSPAN)
    span = MAX_COLSPAN;
  while (k < span && col + k < limit && (col + k >= g->cols || !g->busy[col + k]))
    k++;
  return k;
}

static void table_cell_content(struct odt *w, const xmlNode *cell, int header, const char *lang)
{
  struct bctx c = { header ? "Table_20_Heading" : "Table_20_Contents", lang_of(cell, lang), 0, 0 };
  push_id(w, cell);
  int any = 0;
  for (const xmlNode *b = cell->children; b; b = b->next)
    any |= b->type == XML_ELEMENT_NODE;
  if (any)
    blocks(w, cell->children, &c);
  else {
    struct run r;
    para_open(w, "text:p", c.pstyle, c.lang, 0, &r);
    para_close(w, "text:p");
  }
}

/* Runs of covered or padding cells up to this long are written a cell at
 * a time, as LibreOffice writes them; longer ones as one element with
 * table:number-columns-repeated, so that a row costs what its IR cells
 * cost, not the table's width (issue 32). */
#define CELL_RUN_SPELLED 8

/* RUN (>= 0) covered cells side by side. */
static void covered_cells(odt_buf *b, int run)
{
  if (run > CELL_RUN_SPELLED)
    odt_printf(b, "<table:covered-table-cell table:number-columns-repeated=\"%d\"/>", run);
  else
    for (int k = 0; k < run; k++)
      odt_puts(b, "<table:covered-table-cell/>");
}

/* Writes the rows ROWS[FIRST..END) on a grid of NCOLS columns. */
static void table_rows(struct odt *w, const xmlNode **rows, size_t first, size_t end,
                       int ncols, const char *lang)
{
  struct grid g = { NULL, 0 };
  if (grid_fit(&g, ncols, w))
    return;
  odt_buf *b = &w->body;
  for (size_t ri = first; ri < end && !w->oom; ri++) {
    const xmlNode *row = rows[ri];
    int header_row = ir_bool(row, "header");
    odt_puts(b, "<table:table-row>");
    const xmlNode *cell = row->children;
    int col = 0;
    while (col < ncols) {
      if (g.busy[col]) {
        int run = 0;
        for (; col < ncols && g.busy[col]; col++, run++)
          g.busy[col]--;
        covered_cells(b, run);
        continue;
      }
      while (cell && !emc_ir_is(cell, "cell"))
        cell = cell->next;
      if (!cell) {
        /* Padding to the table's width: one element for the run, so that
         * a short row costs the same under a 1000-column row as under a
         * 2-column one (issue 32: 20 000 rows made 20 million cells). */
        int run = 0;
        while (col + run < ncols && !g.busy[col + run])
          run++;
        if (run <= CELL_RUN_SPELLED)
          run = 1;
        odt_puts(b, "<table:table-cell table:style-name=\"Tbl.Cell\"");
        if (run > 1)
          odt_printf(b, " table:number-columns-repeated=\"%d\"", run);
        odt_puts(b, " office:value-type=\"string\">");
        struct run r;
        para_open(w, "text:p", "Table_20_Contents", lang, 0, &r);
        para_close(w, "text:p");
        odt_puts(b, "</table:table-cell>");
        col += run;
        continue;
      }
      int cs = fit_span(&g, col, ir_long(cell, "colspan", 1), ncols);
      long rs = ir_long(cell, "rowspan", 1);
      if (rs < 1)
        rs = 1;
      if ((size_t)rs > end - ri)
        rs = (long)(end - ri);
      odt_puts(b, "<table:table-cell table:style-name=\"Tbl.Cell\"");
      if (cs > 1)
        odt_printf(b, " table:number-columns-spanned=\"%d\"", cs);
      if (rs > 1)
        odt_printf(b, " table:number-rows-spanned=\"%ld\"", rs);
      odt_puts(b, " office:value-type=\"string\">");
      table_cell_content(w, cell, header_row || ir_bool(cell, "header"), lang);
      odt_puts(b, "</table:table-cell>");
      covered_cells(b, cs - 1);
      for (int k = 0; k < cs; k++)
        g.busy[col + k] = (int)rs - 1;
      col += cs;
      cell = cell->next;
    }
    for (; cell; cell = cell->next)
      w->dropped_cells += emc_ir_is(cell, "cell");
    odt_puts(b, "</table:table-row>");
  }
  free(g.busy);
}

/* The number of columns rows ROWS[FIRST..END) need. */
static int table_width(struct odt *w, const xmlNode **rows, size_t first, size_t end)
{
  struct grid g = { NULL, 0 };
  int width = 1;
  for (size_t ri = first; ri < end && !w->oom; ri++) {
    int col = 0;
    for (const xmlNode *cell = rows[ri]->children; cell; cell = cell->next) {
      if (!emc_ir_is(cell, "cell"))
        continue;
      while (col < g.cols && g.busy[col])
        col++;
      if (col >= MAX_COLUMNS)
        break;
      int cs = fit_span(&g, col, ir_long(cell, "colspan", 1), MAX_COLUMNS);
      long rs = ir_long(cell, "rowspan", 1);
      if (rs < 1)
        rs = 1;
      if ((size_t)rs > end - ri)
        rs = (long)(end - ri);
      if (grid_fit(&g, col + cs, w))
        break;
      for (int k = 0; k < cs; k++)
        g.busy[col + k] = (int)rs; /* decremented below, with the others */
      col += cs;
    }
    if (col > width)
      width = col;
    for (int k = 0; k < g.cols; k++)
      if (g.busy[k]) {
        if (k + 1 > width)
          width = k + 1;
        g.busy[k]--;
      }
  }
  free(g.busy);
  return width;
}

/* A table where ODF allows none (in a list item) or LibreOffice shows
 * none (in a note): one paragraph per row, the cells separated by tabs. */
static void table_flat(struct odt *w, const xmlNode *n, const struct bctx *c)
{
  push_id(w, n);
  for (const xmlNode *row = n->children; row && !w->oom; row = row->next) {
    if (emc_ir_is(row, "caption")) {
      paragraph(w, row, c->pstyle, c->lang);
      continue;
    }
    if (!emc_ir_is(row, "row"))
      continue;
    struct run r;
    para_open(w, "text:p", c->pstyle, lang_of(n, c->lang), 0, &r);
    int first = 1;
    for (const xmlNode *cell = row->children; cell; cell = cell->next) {
      if (!emc_ir_is(cell, "cell"))
        continue;
      if (!first)
        put_chars(w, "\t", 1, &r);
      first = 0;
      int sep = 0;
      for (const xmlNode *b = cell->children; b; b = b->next) {
        if (b->type != XML_ELEMENT_NODE)
          continue;
        if (sep)
          put_chars(w, " ", 1, &r);
        sep = 1;
        if (emc_ir_is(b, "p"))
          inlines(w, b->children, &r);
        else {
          xmlChar *t = emc_ir_text(b);
          if (t)
            put_chars(w, (const char *)t, strlen((const char *)t), &r);
          else
            w->oom = 1;
          xmlFree(t);
        }
      }
    }
    para_close(w, "text:p");
  }
}

static void table(struct odt *w, const xmlNode *n, const struct bctx *c)
{
  if (c->no_tables) {
    table_flat(w, n, c);
    return;
  }
  const char *lang = lang_of(n, c->lang);
  size_t nrows = 0;
  for (const xmlNode *row = n->children; row; row = row->next)
    nrows += emc_ir_is(row, "row");
  const xmlNode **rows = malloc((nrows ? nrows : 1) * sizeof *rows);
  if (!rows) {
    w->oom = 1;
    return;
  }
  size_t i = 0, header = 0;
  for (const xmlNode *row = n->children; row; row = row->next)
    if (emc_ir_is(row, "row"))
      rows[i++] = row;
  while (header < nrows && ir_bool(rows[header], "header"))
    header++;
  if (!nrows) { /* not valid IR; ODF wants a row */
    free(rows);
    return;
  }
  int hw = table_width(w, rows, 0, header), bw = table_width(w, rows, header, nrows);
  int ncols = hw > bw ? hw : bw;

  push_id(w, n);
  for (const xmlNode *cap = n->children; cap; cap = cap->next)
    if (emc_ir_is(cap, "caption"))
      paragraph(w, cap, "Caption", lang);
  column_style(w, ncols);
  odt_buf *b = &w->body;
  odt_printf(b, "<table:table table:name=\"Table%d\" table:style-name=\"Tbl\">", ++w->tables);
  odt_printf(b, "<table:table-column table:style-name=\"Tbl.C%d\"", ncols);
  if (ncols > 1)
    odt_printf(b, " table:number-columns-repeated=\"%d\"", ncols);
  odt_puts(b, "/>");
  if (header) {
    odt_puts(b, "<table:table-header-rows>");
    table_rows(w, rows, 0, header, ncols, lang);
    odt_puts(b, "</table:table-header-rows>");
  }
  table_rows(w, rows, header, nrows, ncols, lang);
  odt_puts(b, "</table:table>");
  free(rows);
}

static void pre(struct odt *w, const xmlNode *n, const struct bctx *c)
{
  xmlChar *text = xmlNodeGetContent(n);
  if (!text) {
    w->oom = 1;
    return;
  }
  size_t len = strlen((const char *)text);
  while (len && (text[len - 1] == '\n' || text[len - 1] == '\r'))
    len--;
  struct run r;
  push_id(w, n);
  para_open(w, "text:p", "Preformatted_20_Text", lang_of(n, c->lang), 0, &r);
  put_chars(w, (const char *)text, len, &r);
  para_close(w, "text:p");
  xmlFree(text);
}

static void figure(struct odt *w, const xmlNode *n, const struct bctx *c)
{
  const char *lang = lang_of(n, c->lang);
  struct run r;
  push_id(w, n);
  para_open(w, "text:p", "Image_20_Paragraph", lang, 0, &r);
  for (const xmlNode *img = n->children; img; img = img->next)
    if (emc_ir_is(img, "image")) {
      push_id(w, img);
      flush_pending(w);
      image(w, img, &r);
    }
  para_close(w, "text:p");
  for (const xmlNode *cap = n->children; cap; cap = cap->next)
    if (emc_ir_is(cap, "caption"))
      paragraph(w, cap, "Caption", lang);
}

/* A document of a collection (IR type="document"): under its heading, its
 * own title block from its <meta>: subtitle, authors, date, one
 * Subtitle paragraph each, as the book's title block has them. */
static void part_title_block(struct odt *w, const xmlNode *sec, const char *lang)
{
  const xmlNode *meta = NULL;
  for (const xmlNode *k = sec->children; k && !meta; k = k->next)
    if (emc_ir_is(k, "meta"))
      meta = k;
  if (!meta)
    return;
  static const char *const keys[] = { "subtitle", "author", "date" };
  for (size_t i = 0; i < sizeof keys / sizeof keys[0] && !w->oom; i++) {
    int open = 0;
    struct run r;
    for (const xmlNode *m = meta->children; m && !w->oom; m = m->next) {
      if (!emc_ir_is(m, keys[i]))
        continue;
      xmlChar *text = xmlNodeGetContent(m);
      if (text && *text) {
        if (!open)
          para_open(w, "text:p", "Subtitle", lang_of(m, lang), 0, &r);
        else
          put_chars(w, ", ", 2, &r); /* the authors on one line */
        put_chars(w, (const char *)text, strlen((const char *)text), &r);
        open = 1;
      }
      xmlFree(text);
    }
    if (open)
      para_close(w, "text:p");
  }
}

static void section(struct odt *w, const xmlNode *n, const struct bctx *c)
{
  int level = emc_ir_section_level(n);
  const char *lang = lang_of(n, c->lang);
  /* A version of a parallel text (IR 1.1 type="translation") or a document
   * of a collection (type="document"), which have an xml:id, is a
   * text:section of its own, named by that id. */
  const char *type = prop(n, "type", NULL);
  int grouped = type && (!strcmp(type, "translation") || !strcmp(type, "document"));
  const char *part = grouped ? prop(n, "id", (const char *)XML_XML_NAMESPACE) : NULL;
  if (part && *part) {
    odt_puts(&w->body, "<text:section");
    odt_attr(&w->body, "text:name", part);
    odt_puts(&w->body, ">");
    /* labelled with its language's name, in that language */
    const char *name = strcmp(prop(n, "type", NULL), "translation") == 0 && lang
                           ? fm_language_name(lang) : NULL;
    if (name) {
      struct run r;
      para_open(w, "text:p", "Version_20_language", lang, 0, &r);
      put_chars(w, name, strlen(name), &r);
      para_close(w, "text:p");
    }
  }
  push_id(w, n);
  for (const xmlNode *k = n->children; k && !w->oom; k = k->next) {
    if (emc_ir_is(k, "heading")) {
      static const char *const names[] = { "Heading_20_1", "Heading_20_2", "Heading_20_3",
                                           "Heading_20_4", "Heading_20_5", "Heading_20_6" };
      struct run r;
      push_id(w, k);
      para_open(w, "text:h", names[level < 1 ? 0 : level > 6 ? 5 : level - 1],
                lang_of(k, lang), level < 1 ? 1 : level, &r);
      inlines(w, k->children, &r);
      para_close(w, "text:h");
      break;
    }
  }
  if (type && strcmp(type, "document") == 0)
    part_title_block(w, n, lang);
  struct bctx sc = *c;
  sc.lang = lang;
  for (const xmlNode *k = n->children; k && !w->oom; k = k->next)
    if (!emc_ir_is(k, "heading"))
      block(w, k, &sc);
  if (part && *part)
    odt_puts(&w->body, "</text:section>");
}

static void deflist(struct odt *w, const xmlNode *n, const struct bctx *c)
{
  const char *lang = lang_of(n, c->lang);
  push_id(w, n);
  for (const xmlNode *k = n->children; k && !w->oom; k = k->next) {
    if (emc_ir_is(k, "term"))
      paragraph(w, k, "List_20_Heading", lang);
    else if (emc_ir_is(k, "definition")) {
      struct bctx dc = *c;
      dc.pstyle = "List_20_Contents";
      dc.lang = lang_of(k, lang);
      push_id(w, k);
      blocks(w, k->children, &dc);
    }
  }
}

static void block(struct odt *w, const xmlNode *n, const struct bctx *c)
{
  if (n->type != XML_ELEMENT_NODE)
    return;
  if (emc_ir_is(n, "p"))
    paragraph(w, n, c->pstyle, c->lang);
  else if (emc_ir_is(n, "section"))
    section(w, n, c);
  else if (emc_ir_is(n, "quote")) {
    struct bctx qc = *c;
    qc.pstyle = "Quotations";
    qc.lang = lang_of(n, c->lang);
    push_id(w, n);
    blocks(w, n->children, &qc);
  } else if (emc_ir_is(n, "list"))
    list(w, n, c);
  else if (emc_ir_is(n, "deflist"))
    deflist(w, n, c);
  else if (emc_ir_is(n, "table"))
    table(w, n, c);
  else if (emc_ir_is(n, "pre"))
    pre(w, n, c);
  else if (emc_ir_is(n, "figure"))
    figure(w, n, c);
  else if (emc_ir_is(n, "hr")) {
    struct run r;
    para_open(w, "text:p", "Horizontal_20_Line", c->lang, 0, &r);
    para_close(w, "text:p");
  }
}

static void blocks(struct odt *w, const xmlNode *first, const struct bctx *c)
{
  for (const xmlNode *n = first; n && !w->oom; n = n->next)
    block(w, n, c);
}

/* ---- the title ---- */

static const xmlNode *meta_el(const emc_doc *doc, const char *name)
{
  for (const xmlNode *m = emc_doc_meta(doc)->children; m; m = m->next)
    if (emc_ir_is(m, name))
      return m;
  return NULL;
}

/* The first heading or paragraph of the body, where a title derived from
 * the text would come from. */
static const xmlNode *first_text_block(const xmlNode *n)
{
  for (; n; n = n->next) {
    if (emc_ir_is(n, "p") || emc_ir_is(n, "heading"))
      return n;
    if (emc_ir_is(n, "section"))
      return first_text_block(n->children);
    if (n->type == XML_ELEMENT_NODE)
      return NULL;
  }
  return NULL;
}

/* The front matter at the top, one paragraph per line of
 * plugins/common/frontmatter (title, subtitle, authors, editors, date in
 * the document's language, publisher, document numbers, the source as a
 * link), each in a named style a user can restyle: Title, Subtitle,
 * Author, Editor, Date, Publisher, Number, Source (styles.xml).  The title
 * is left out when the body already starts with its text. */
static void title(struct odt *w)
{
  if (!w->front)
    return;
  const xmlNode *m = meta_el(w->doc, "title");
  xmlChar *text = m ? xmlNodeGetContent(m) : NULL;
  if (text && *text) {
    const xmlNode *f = first_text_block(emc_doc_body(w->doc)->children);
    xmlChar *ft = f ? emc_ir_text(f) : NULL;
    if (ft && xmlStrEqual(ft, text)) {
      xmlFree(text);
      text = NULL;
    }
    xmlFree(ft);
  }
  fm_list fm;
  int rc = fm_collect(emc_doc_meta(w->doc), (const char *)text, w->doc_lang, &fm);
  xmlFree(text);
  if (rc != EMC_OK) {
    w->oom = 1;
    return;
  }
  for (size_t i = 0; i < fm.n; i++) {
    const fm_line *l = &fm.v[i];
    struct run r;
    para_open(w, "text:p", fm_kind_name(l->kind), l->lang ? l->lang : w->doc_lang, 0, &r);
    int link = l->kind == FM_SOURCE && emc_url_is_safe(l->text);
    if (link)
      link_open(w, l->text);
    put_chars(w, l->text, strlen(l->text), &r);
    if (link)
      odt_puts(&w->body, "</text:a>");
    para_close(w, "text:p");
  }
  fm_list_release(&fm);
}

/* ---- the parts ---- */

static const char content_head[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
  "<office:document-content"
  ODT_XMLNS_COMMON
  " xmlns:xlink=\"" ODT_NS_XLINK "\""
  " xmlns:svg=\"" ODT_NS_SVG "\""
  " office:version=\"" ODT_VERSION "\">"
  "<office:automatic-styles>";
static const char content_mid[] =
  "</office:automatic-styles><office:body><office:text>";
static const char content_tail[] =
  "</office:text></office:body></office:document-content>\n";

static int to_content(void *user, const char *data, size_t len)
{
  return zippkg_body_write(user, data, len, NULL);
}

/* content.xml in two pieces: the body goes through w->body to w->content
 * as it is written; the automatic styles it needs meanwhile collect in
 * w->autos behind the document's start tag, which package() puts in
 * front. */
static void content_xml(struct odt *w)
{
  const xmlNode *body = emc_doc_body(w->doc);
  struct bctx c = { "Text_20_body", lang_of(body, w->doc_lang), 0, 0 };
  w->body.sink = to_content;
  w->body.sink_user = w->content;
  odt_put(&w->autos, content_head, sizeof content_head - 1);
  collect_changes(w, body->children);
  tracked_changes(w);
  title(w);
  push_id(w, body);
  blocks(w, body->children, &c);
  odt_put(&w->autos, content_mid, sizeof content_mid - 1);
  odt_put(&w->body, content_tail, sizeof content_tail - 1);
  odt_buf_flush(&w->body);
  if (w->autos.oom)
    w->oom = 1;
}

/* Is TAG a valid xsd:language ([a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*)? */
static int xsd_language(const char *tag)
{
  size_t n = 0;
  int first = 1;
  for (const char *p = tag;; p++) {
    if (*p == '-' || !*p) {
      if (n < 1 || n > 8)
        return 0;
      if (!*p)
        return 1;
      n = 0;
      first = 0;
    } else if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
               (!first && *p >= '0' && *p <= '9'))
      n++;
    else
      return 0;
  }
}

static void meta_text(odt_buf *b, const char *el, const char *text)
{
  odt_printf(b, "<%s>", el);
  odt_text(b, text, strlen(text));
  odt_printf(b, "</%s>", el);
}

static void user_defined(odt_buf *b, const char *name, const char *value)
{
  odt_puts(b, "<meta:user-defined");
  odt_attr(b, "meta:name", name);
  odt_puts(b, " meta:value-type=\"string\">");
  odt_text(b, value, strlen(value));
  odt_puts(b, "</meta:user-defined>");
}

/* How many of the list keys meta.xml has seen, to number their
 * meta:user-defined names ("Editor", "Editor 2"...). */
struct meta_counts {
  int editors, authors, subjects;
};

/* meta:user-defined NAME, or "NAME N" from the second on. */
static void user_defined_nth(odt_buf *b, const char *name, int *count, const char *value)
{
  char numbered[48];
  int nth = ++*count;
  snprintf(numbered, sizeof numbered, nth > 1 ? "%s %d" : "%s", name, nth);
  user_defined(b, numbered, value);
}

/* The keys ODF's meta.xml has no element for, as meta:user-defined
 * (ODF 1.3 part 3, 4.3.2.6): editors, rights, the series and its
 * position, the creation and modification dates the document states
 * (meta:creation-date and dc:date are the file's own, the conversion's).
 * Returns whether M was one of them. */
static int more_meta(odt_buf *b, const xmlNode *m, const char *s, struct meta_counts *c)
{
  if (emc_ir_is(m, "editor"))
    user_defined_nth(b, "Editor", &c->editors, s);
  else if (emc_ir_is(m, "subject"))
    c->subjects++; /* one dc:subject for all, after the loop */
  else if (emc_ir_is(m, "rights"))
    user_defined(b, "Rights", s);
  else if (emc_ir_is(m, "series")) {
    user_defined(b, "Series", s);
    const char *pos = prop(m, "position", NULL);
    if (pos && *pos)
      user_defined(b, "Series position", pos);
  } else if (emc_ir_is(m, "created"))
    user_defined(b, "Created", s);
  else if (emc_ir_is(m, "modified"))
    user_defined(b, "Modified", s);
  else
    return 0;
  return 1;
}

/* dc:subject holds one value: the subjects joined by "; ".  Several
 * authors share meta:initial-creator and dc:creator ("A; B"); each one is
 * also a meta:user-defined "Author N", so that none is lost to a reader
 * that splits no names. */
static void subjects_and_authors(odt_buf *b, const xmlNode *meta, const struct meta_counts *c)
{
  emc_buf subjects = EMC_BUF_INIT;
  int authors = 0, oom = 0;
  for (const xmlNode *m = meta->children; m; m = m->next)
    authors += emc_ir_is(m, "author");
  int n = 0;
  for (const xmlNode *m = meta->children; m; m = m->next) {
    int subject = emc_ir_is(m, "subject"), author = emc_ir_is(m, "author") && authors > 1;
    if (!subject && !author)
      continue;
    xmlChar *v = xmlNodeGetContent(m);
    if (v && *v && subject)
      oom |= (subjects.len && emc_buf_append_str(&subjects, "; ")) ||
             emc_buf_append_str(&subjects, (const char *)v);
    else if (v && *v) {
      char name[32];
      snprintf(name, sizeof name, "Author %d", ++n);
      user_defined(b, name, (const char *)v);
    }
    xmlFree(v);
  }
  if (c->subjects && subjects.len && !oom)
    meta_text(b, "dc:subject", subjects.data);
  if (oom)
    b->oom = 1;
  emc_buf_release(&subjects);
}

static void meta_xml(struct odt *w, odt_buf *b, long long timestamp)
{
  odt_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
              "<office:document-meta xmlns:office=\"" ODT_NS_OFFICE "\""
              " xmlns:meta=\"" ODT_NS_META "\" xmlns:dc=\"" ODT_NS_DC "\""
              " office:version=\"" ODT_VERSION "\"><office:meta>");
  odt_printf(b, "<meta:generator>emuconv/%s</meta:generator>", emc_version());
  const xmlNode *meta = emc_doc_meta(w->doc);
  emc_buf authors = EMC_BUF_INIT;
  int authors_oom = 0;
  int n_ids = 0;
  struct meta_counts counts = { 0 };
  for (const xmlNode *m = meta->children; m; m = m->next) {
    if (m->type != XML_ELEMENT_NODE)
      continue;
    xmlChar *v = xmlNodeGetContent(m);
    if (!v) {
      w->oom = 1;
      break;
    }
    const char *s = (const char *)v;
    if (!*s)
      ;
    else if (emc_ir_is(m, "title")) {
      meta_text(b, "dc:title", s);
      /* a title made up from the text says so, as the IR and TEI do */
      const char *derived = prop(m, "derived", NULL);
      if (derived && (!strcmp(derived, "true") || !strcmp(derived, "1")))
        odt_puts(b, "<meta:user-defined meta:name=\"Title derived\""
                    " meta:value-type=\"boolean\">true</meta:user-defined>");
    }
    else if (emc_ir_is(m, "author")) {
      if ((authors.len && emc_buf_append_str(&authors, "; ")) ||
          emc_buf_append_str(&authors, s))
        authors_oom = 1;
    } else if (emc_ir_is(m, "description"))
      meta_text(b, "dc:description", s);
    else if (emc_ir_is(m, "keyword"))
      meta_text(b, "meta:keyword", s);
    else if (more_meta(b, m, s, &counts))
      ;
    else if (emc_ir_is(m, "subtitle"))
      user_defined(b, "Subtitle", s);
    else if (emc_ir_is(m, "date"))
      user_defined(b, "Date", s);
    else if (emc_ir_is(m, "source"))
      user_defined(b, "Source", s);
    else if (emc_ir_is(m, "publisher"))
      user_defined(b, "Publisher", s);
    else if (emc_ir_is(m, "identifier")) {
      /* the scheme (ISBN, DOI, docnum) in the name, so that it is kept */
      const char *scheme = prop(m, "scheme", NULL);
      char name[64];
      if (scheme && *scheme && n_ids)
        snprintf(name, sizeof name, "Identifier %d (%.32s)", n_ids + 1, scheme);
      else if (scheme && *scheme)
        snprintf(name, sizeof name, "Identifier (%.32s)", scheme);
      else
        snprintf(name, sizeof name, n_ids ? "Identifier %d" : "Identifier", n_ids + 1);
      n_ids++;
      user_defined(b, name, s);
    } else if (emc_ir_is(m, "field")) {
      const char *name = prop(m, "name", NULL);
      if (name && *name)
        user_defined(b, name, s);
    }
    xmlFree(v);
  }
  if (authors.len && !authors_oom) {
    meta_text(b, "meta:initial-creator", authors.data);
    meta_text(b, "dc:creator", authors.data);
  }
  subjects_and_authors(b, meta, &counts);
  if (authors_oom)
    w->oom = 1;
  emc_buf_release(&authors);
  time_t t = (time_t)timestamp;
  struct tm tm;
  if (gmtime_r(&t, &tm)) {
    char date[64];
    snprintf(date, sizeof date, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
             tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
    meta_text(b, "meta:creation-date", date);
    meta_text(b, "dc:date", date);
  }
  if (w->doc_lang && xsd_language(w->doc_lang))
    meta_text(b, "dc:language", w->doc_lang);
  odt_puts(b, "</office:meta></office:document-meta>\n");
  static const char *const carried[] = {
    "title", "subtitle", "author", "editor", "subject", "keyword", "rights", "description",
    "series", "date", "created", "modified", "language", "source", "publisher", "identifier",
    NULL
  };
  fm_warn_dropped(w->ctx, "odt", meta, carried);
}

static void manifest_entry(odt_buf *b, const char *path, const char *type)
{
  odt_puts(b, "<manifest:file-entry");
  odt_attr(b, "manifest:full-path", path);
  odt_attr(b, "manifest:media-type", type);
  odt_puts(b, "/>");
}

static int add_buf(zippkg *z, const char *name, odt_buf *b, emc_error *err)
{
  if (b->oom)
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  int rc = zippkg_add(z, name, b->buf.data, b->buf.len, 0, err);
  odt_buf_release(b);
  return rc;
}

/* Media types whose data is compressed already: stored, not deflated. */
static int precompressed(const char *type)
{
  return !strcmp(type, "image/png") || !strcmp(type, "image/jpeg") ||
         !strcmp(type, "image/gif") || !strcmp(type, "image/webp");
}

static int package(struct odt *w, emc_ctx *ctx, emc_output *out, emc_error *err)
{
  long long ts = emc_ctx_timestamp(ctx);
  zippkg *z = zippkg_new(ts, out, err);
  if (!z)
    return err ? err->code : EMC_ERROR;
  odt_buf part = { 0 }, manifest = { 0 };
  int rc = zippkg_add(z, "mimetype", ODT_MIMETYPE, sizeof ODT_MIMETYPE - 1, 1, err);
  if (!rc)
    rc = zippkg_add_headed(z, "content.xml", w->autos.buf.data, w->autos.buf.len, w->content, err);
  if (!rc) {
    odt_lang *dl = w->has_doc_lang ? &w->doc_lang_parsed : NULL;
    odt_styles_xml(&part, dl, w->lists);
    if (w->refdoc)
      rc = odt_refdoc_merge(w->refdoc, &part, err);
    if (!rc)
      rc = add_buf(z, "styles.xml", &part, err);
  }
  if (!rc) {
    meta_xml(w, &part, ts);
    rc = w->oom ? emc_error_set(err, EMC_ENOMEM, "out of memory")
                : add_buf(z, "meta.xml", &part, err);
  }
  odt_puts(&manifest, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<manifest:manifest xmlns:manifest=\"" ODT_NS_MANIFEST "\""
                      " manifest:version=\"" ODT_VERSION "\">"
                      "<manifest:file-entry manifest:full-path=\"/\" manifest:version=\""
                      ODT_VERSION "\" manifest:media-type=\"" ODT_MIMETYPE "\"/>");
  manifest_entry(&manifest, "content.xml", "text/xml");
  manifest_entry(&manifest, "styles.xml", "text/xml");
  manifest_entry(&manifest, "meta.xml", "text/xml");
  for (size_t i = 0; i < w->n_res && !rc; i++) {
    if (w->used[i] != PIC_EMBED)
      continue;
    const emc_resource *res = emc_doc_resource_at(w->doc, i);
    size_t len = strlen(res->name) + sizeof "Pictures/";
    char *path = malloc(len);
    if (!path) {
      rc = emc_error_set(err, EMC_ENOMEM, "out of memory");
      break;
    }
    snprintf(path, len, "Pictures/%s", res->name);
    const char *type = w->facts[i].media_type;
    rc = zippkg_add(z, path, res->data, res->size, precompressed(type), err);
    manifest_entry(&manifest, path, type);
    free(path);
  }
  odt_puts(&manifest, "</manifest:manifest>\n");
  if (!rc)
    rc = add_buf(z, "META-INF/manifest.xml", &manifest, err);
  if (!rc)
    rc = zippkg_finish(z, err);
  odt_buf_release(&part);
  odt_buf_release(&manifest);
  zippkg_free(z);
  return rc;
}

static int odt_write(emc_ctx *ctx, const emc_doc *doc, emc_output *out, emc_error *err)
{
  struct odt w;
  memset(&w, 0, sizeof w);
  const char *reference_doc = emc_ctx_option(ctx, "reference-doc");
  if (reference_doc) {
    int rc = odt_refdoc_load(ctx, reference_doc, &w.refdoc, err);
    if (rc)
      return rc;
  }
  w.doc = doc;
  w.ctx = ctx;
  w.front = fm_enabled(ctx);
  w.n_res = emc_doc_resource_count(doc);
  w.used = calloc(w.n_res ? w.n_res : 1, 1);
  w.facts = calloc(w.n_res ? w.n_res : 1, sizeof *w.facts);
  w.doc_lang = emc_doc_meta_get(doc, "language");
  if (!w.doc_lang) {
    const char *root_lang = prop(xmlDocGetRootElement(emc_doc_tree(doc)), "lang",
                                 (const char *)XML_XML_NAMESPACE);
    if (root_lang && *root_lang && !(w.doc_lang = strdup(root_lang)))
      w.oom = 1;
  }
  if (w.doc_lang && !*w.doc_lang) {
    free(w.doc_lang);
    w.doc_lang = NULL;
  }
  w.has_doc_lang = w.doc_lang && odt_lang_parse(w.doc_lang, &w.doc_lang_parsed);
  if (!w.used || !w.facts || !(w.content = zippkg_body_new(NULL)))
    w.oom = 1;
  if (!w.oom)
    content_xml(&w);
  if (w.dropped_cells)
    emc_ctx_log(ctx, EMC_LOG_WARN, "odt: %zu table cells left out: they did not fit their "
                "table's grid (at most %d columns, spans cut to fit)", w.dropped_cells,
                MAX_COLUMNS);
  for (size_t i = 0; w.used && w.facts && i < w.n_res; i++)
    if (w.used[i] == PIC_DAMAGED) {
      const emc_resource *res = emc_doc_resource_at(doc, i);
      emc_ctx_warn(ctx, "image-omitted", "odt: image '%s' (%s) left out: a damaged %s file",
                  res->name, res->media_type, w.facts[i].media_type);
    }
  /* a failed sink is content.xml's zippkg body: zippkg_add_headed() says
   * why (out of memory, or more than 4 GiB) */
  int rc = w.oom || (w.body.oom && !w.body.sink_failed)
               ? emc_error_set(err, EMC_ENOMEM, "out of memory")
               : package(&w, ctx, out, err);
  odt_buf_release(&w.body);
  zippkg_body_free(w.content);
  odt_buf_release(&w.autos);
  for (size_t i = 0; i < w.n_pstyles; i++)
    free(w.pstyles[i].lang);
  free(w.pstyles);
  for (size_t i = 0; i < w.n_tstyles; i++)
    free(w.tstyles[i]);
  free(w.tstyles);
  free(w.col_styles);
  free(w.pending);
  free(w.changes);
  free(w.used);
  free(w.facts);
  free(w.doc_lang);
  xmlFreeDoc(w.refdoc);
  return rc;
}

static const char *const odt_extensions[] = { "odt", "fodt", NULL };
static const char *const odt_mime_types[] = { ODT_MIMETYPE, NULL };

static const emc_option_spec odt_options[] = {
  { "reference-doc", 1, "FILE", "ODT: take the styles and fonts from FILE.odt (a template)" },
  { NULL, 0, NULL, NULL }
};

/* The reader (odt-read.c) needs libzip; without it the module writes only. */
#ifdef ODT_READER
#define ODT_DESCRIPTION "OpenDocument Text (read: .odt, .fodt; write: 1.3)"
#define ODT_PROBE odt_probe
#define ODT_READ odt_read
#else
#define ODT_DESCRIPTION "OpenDocument Text 1.3 writer"
#define ODT_PROBE NULL
#define ODT_READ NULL
#endif

EMC_PLUGIN_DEFINE(odt, "odt", PACKAGE_VERSION, ODT_DESCRIPTION,
                  .extensions = odt_extensions, .mime_types = odt_mime_types,
                  .flags = EMC_PLUGIN_F_BINARY, .probe = ODT_PROBE, .read = ODT_READ,
                  .write = odt_write, .options = odt_options)
