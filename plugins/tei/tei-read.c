/* SPDX-License-Identifier: MIT */
/* tei-read.c - TEI P5 reader (issue 34): what TEI Lite covers, and what our
 * own writer (tei.c) makes.
 *
 * teiHeader -> meta: titleStmt (title main/sub, author, editor as a field),
 * publicationStmt (publisher or authority, date, idno), sourceDesc (the
 * first link's target as source, else its text as a field), langUsage
 * (the document's language when TEI/text carry no xml:lang).
 * text/front/body/back and group are walked in order; div (and div1..div7)
 * with a head opens a section one level deeper than its parent (a div
 * without a head, or deeper than 6, is transparent: its head becomes a
 * paragraph); p/ab, list/item (label+item lists become a deflist; a
 * numeric n on the first item of an ordered list its start, other n kept
 * as the item's label text), table/row/cell (role="label" headers,
 * cols/rows spans), note (at its place; a note between blocks joins the
 * paragraph before it), ref/ptr (a, when emc_url_is_safe), hi (rend:
 * italic, bold, superscript, subscript, underline), lg/l (a stanza is a
 * paragraph with line breaks, a poem of stanzas a quote), quote (a block
 * quote when it holds blocks), figure/graphic (image src=, figDesc as alt,
 * head as caption), eg (pre); pb, cb, milestone, fw, gap dropped; xml:lang
 * kept.  Names, dates (when= -> ref type="date"), idno and rs become IR
 * refs as the writer makes them.  Any other element keeps its text and is
 * named in one "unmapped-element" warning.
 * teiCorpus: its header is the document's meta, and each TEI a
 * <section type="document" level="1"> with its title as heading and its own
 * <meta>, its sections one level deeper.
 * Hostile input: xmlsafe_parse (no DTD, no network, depth limit); the IR
 * elements made are counted against max_nodes.  Recursion follows the
 * input's depth, which the parse bounds. */
#include <config.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <emuconv/plugin.h>
#include <emuconv/url.h>
#include "../common/xmlsafe.h"
#include "tei-read.h"

#define TEI_NS "http://www.tei-c.org/ns/1.0"
#define MAX_UNMAPPED 12

struct tr {
  emc_ctx *ctx;
  emc_doc *doc;
  emc_error *err;
  size_t nodes, max_nodes;
  int rc; /* first failure: every step stops */
  char unmapped[MAX_UNMAPPED][32];
  size_t n_unmapped, unmapped_total;
};

/* ------------------------------------------------------------ helpers */

/* A TEI element LOCAL: in the TEI namespace, or in none (TEI P4 and much
 * hand-written TEI have no namespace). */
static int is_t(const xmlNode *n, const char *local)
{
  return n && n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, BAD_CAST local) &&
         (!n->ns || (n->ns->href && strcmp((const char *)n->ns->href, TEI_NS) == 0));
}

static int is_tei_el(const xmlNode *n)
{
  return n && n->type == XML_ELEMENT_NODE &&
         (!n->ns || (n->ns->href && strcmp((const char *)n->ns->href, TEI_NS) == 0));
}

static const char *name_of(const xmlNode *n) { return (const char *)n->name; }

static int name_in(const xmlNode *n, const char *const *names)
{
  if (!is_tei_el(n))
    return 0;
  for (; *names; names++)
    if (strcmp(name_of(n), *names) == 0)
      return 1;
  return 0;
}

static const char *attr(const xmlNode *n, const char *local)
{
  return xmlsafe_attr(n, NULL, local);
}

static const char *lang_of(const xmlNode *n)
{
  const char *l = xmlsafe_attr(n, (const char *)XML_XML_NAMESPACE, "lang");
  return l && xmlsafe_valid_lang(l) ? l : NULL;
}

static xmlNodePtr first_child(const xmlNode *n, const char *local)
{
  for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
    if (is_t(c, local))
      return c;
  return NULL;
}

static int fail(struct tr *t, int rc)
{
  if (!t->rc)
    t->rc = rc;
  return t->rc;
}

static void oom(struct tr *t) { fail(t, emc_error_set(t->err, EMC_ENOMEM, "out of memory")); }

static xmlNodePtr add(struct tr *t, xmlNodePtr parent, const char *name, const char *text)
{
  if (t->rc)
    return NULL;
  if (t->max_nodes && ++t->nodes > t->max_nodes) {
    fail(t, emc_error_set(t->err, EMC_ELIMIT, "the document has more than %zu IR nodes "
                          "(the node limit)", t->max_nodes));
    return NULL;
  }
  xmlNodePtr n = emc_ir_add(parent, name, text);
  if (!n)
    oom(t);
  return n;
}

static void set(struct tr *t, xmlNodePtr n, const char *name, const char *value)
{
  if (n && value && !t->rc && !xmlSetProp(n, BAD_CAST name, BAD_CAST value))
    oom(t);
}

static void set_lang(struct tr *t, xmlNodePtr n, const char *lang)
{
  if (n && lang && !t->rc)
    xmlNodeSetLang(n, BAD_CAST lang);
}

static void unmapped(struct tr *t, const xmlNode *n)
{
  t->unmapped_total++;
  for (size_t i = 0; i < t->n_unmapped; i++)
    if (strcmp(t->unmapped[i], name_of(n)) == 0)
      return;
  if (t->n_unmapped < MAX_UNMAPPED)
    snprintf(t->unmapped[t->n_unmapped++], sizeof t->unmapped[0], "%s", name_of(n));
}

/* Text with runs of XML white space made one space (TEI's default
 * white-space handling), appended to PARENT. */
static void add_text(struct tr *t, xmlNodePtr parent, const xmlChar *s, int keep_space)
{
  if (t->rc || !s || !*s)
    return;
  size_t n = strlen((const char *)s);
  char *buf = malloc(n + 1);
  if (!buf) {
    oom(t);
    return;
  }
  size_t o = 0;
  int space = 0;
  /* the text before this one ends in a space already: no second one */
  xmlNodePtr last = parent->last;
  if (last && last->type == XML_TEXT_NODE && last->content && *last->content) {
    size_t ll = strlen((const char *)last->content);
    space = last->content[ll - 1] == ' ';
  }
  for (size_t i = 0; i < n; i++) {
    unsigned char c = s[i];
    if (!keep_space && (c == ' ' || c == '\t' || c == '\n' || c == '\r')) {
      if (!space)
        buf[o++] = ' ';
      space = 1;
    } else {
      buf[o++] = (char)c;
      space = 0;
    }
  }
  if (o && emc_ir_add_text(parent, buf, o))
    oom(t);
  free(buf);
}

/* The element that holds a text run at the start (END 0) or end of N:
 * down the first (last) children, not into notes. */
static xmlNodePtr edge_text(xmlNodePtr n, int end)
{
  while (n) {
    xmlNodePtr c = end ? n->last : n->children;
    if (!c)
      return NULL;
    if (c->type == XML_TEXT_NODE)
      return c;
    if (c->type != XML_ELEMENT_NODE || emc_ir_is(c, "note") || emc_ir_is(c, "br") ||
        emc_ir_is(c, "image") || emc_ir_is(c, "code"))
      return NULL;
    n = c;
  }
  return NULL;
}

/* Leading and trailing spaces off N's text. */
static void trim_edges(xmlNodePtr p)
{
  xmlNodePtr a = edge_text(p, 0);
  if (a && a->content) {
    const xmlChar *s = a->content;
    while (*s == ' ')
      s++;
    if (s != a->content) {
      xmlChar *copy = xmlStrdup(s);
      if (copy) {
        xmlNodeSetContent(a, copy);
        xmlFree(copy);
      }
    }
  }
  xmlNodePtr z = edge_text(p, 1);
  if (z && z->content) {
    size_t l = strlen((const char *)z->content);
    while (l && z->content[l - 1] == ' ')
      z->content[--l] = '\0';
  }
}

/* Leading and trailing spaces off a text block; an empty one is removed
 * (returns 1). */
static int trim_block(xmlNodePtr p)
{
  trim_edges(p);
  for (xmlNodePtr c = p->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE || (c->type == XML_TEXT_NODE && c->content && *c->content))
      return 0;
  if (emc_ir_is(p, "heading"))
    return 0;
  xmlUnlinkNode(p);
  xmlFreeNode(p);
  return 1;
}

/* ------------------------------------------------------------ classes */

static const char *const structural[] = { "text", "front", "body", "back", "group", "div", "div1",
                                          "div2", "div3", "div4", "div5", "div6", "div7", NULL };
/* Containers whose content flows into the enclosing one. */
static const char *const transparent_blocks[] = {
  "titlePage", "docTitle", "opener", "closer", "argument", "epigraph", "sp", "castList",
  "castGroup", "listBibl", "floatingText", "postscript", "cit", "spGrp", "listPerson",
  "listPlace", "listOrg", "listEvent", NULL
};
/* Elements that make one paragraph of their content. */
static const char *const paragraph_like[] = {
  "p", "ab", "titlePart", "docAuthor", "docDate", "docImprint", "docEdition", "byline",
  "dateline", "salute", "signed", "speaker", "stage", "trailer", "imprimatur", "castItem",
  "role", "roleDesc", "bibl", "biblStruct", "person", "place", "org", "event", "l", NULL
};
static const char *const dropped[] = { "pb", "cb", "milestone", "fw", "gap", "anchor", "index",
                                       "interp", "interpGrp", "link", "linkGrp", "join",
                                       "joinGrp", "alt", "altGrp", "span", "spanGrp",
                                       "timeline", "certainty", "precision", "respons", NULL };
/* Inline elements whose text goes into the paragraph as it is (a span
 * when they carry a language). */
static const char *const transparent_inlines[] = {
  "seg", "name", "persName", "placeName", "orgName", "geogName", "roleName", "forename",
  "surname", "addName", "genName", "nameLink", "num", "measure", "measureGrp", "time", "abbr",
  "expan", "sic", "corr", "orig", "reg", "add", "del", "unclear", "supplied", "damage",
  "restore", "subst", "mod", "distinct", "gloss", "soCalled", "said", "q", "s", "w", "c", "pc",
  "m", "cl", "phr", "email", "address", "addrLine", "street", "postCode", "postBox", "author",
  "editor", "publisher", "pubPlace", "biblScope", "respStmt", "resp", "edition", "orgName",
  "country", "region", "settlement", "district", "bloc", "affiliation", "age", "sex", "date",
  "idno", "rs", "term", "foreign", "emph", "title", "mentioned", "hi", "ref", "ptr", "note",
  "lb", "code", "ident", "gi", "att", "val", "tag", "graphic", "choice", "label", "quote",
  "handShift", "metamark", "caesura", "formula", "ex", "am", "secl", "surplus", "redo", "undo",
  "listRef", NULL
};

static int is_block_el(const xmlNode *n);

/* An element that holds blocks (p, lg, list...) among its children. */
static int holds_blocks(const xmlNode *n)
{
  for (const xmlNode *c = n->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE && is_block_el(c) && !is_t(c, "note") && !is_t(c, "l"))
      return 1;
  return 0;
}

static int is_block_el(const xmlNode *n)
{
  if (!is_tei_el(n))
    return 0;
  if (is_t(n, "ab") && attr(n, "type") && strstr(attr(n, "type"), "code"))
    return 1;
  if (name_in(n, structural) || name_in(n, transparent_blocks) || name_in(n, paragraph_like) ||
      is_t(n, "head") || is_t(n, "list") || is_t(n, "table") || is_t(n, "lg") ||
      is_t(n, "figure") || is_t(n, "eg") || is_t(n, "egXML"))
    return 1;
  if (is_t(n, "quote") || is_t(n, "q") || is_t(n, "said") || is_t(n, "note"))
    return holds_blocks(n);
  if (name_in(n, transparent_inlines) || name_in(n, dropped))
    return 0;
  return holds_blocks(n); /* an unknown element: by its content */
}

/* ------------------------------------------------------------ inlines */

static void inlines(struct tr *t, const xmlNode *first, xmlNodePtr parent, int keep_space);
static void flow(struct tr *t, const xmlNode *tei, xmlNodePtr container, int level);

/* IR element for one hi@rend token, NULL when none. */
static const char *rend_element(const char *tok, size_t len)
{
  static const struct {
    const char *rend, *ir;
  } map[] = { { "italic", "em" },         { "italics", "em" },      { "i", "em" },
              { "it", "em" },             { "bold", "strong" },     { "b", "strong" },
              { "strong", "strong" },     { "sup", "sup" },         { "superscript", "sup" },
              { "super", "sup" },         { "sub", "sub" },         { "subscript", "sub" },
              { "underline", "u" },       { "u", "u" },             { "ul", "u" },
              { "emph", "em" },           { "em", "em" },           { "slanted", "em" },
              { "oblique", "em" },        { "bolditalic", "strong" } };
  for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
    if (strlen(map[i].rend) == len && strncmp(map[i].rend, tok, len) == 0)
      return map[i].ir;
  return NULL;
}

/* hi: one IR element per rend token it names (italic bold -> em/strong);
 * CSS in @style (font-style:italic...) counts too.  Returns the innermost. */
static xmlNodePtr hi(struct tr *t, const xmlNode *n, xmlNodePtr parent)
{
  const char *rend = attr(n, "rend");
  const char *style = attr(n, "style");
  const char *rendition = attr(n, "rendition"); /* TEI Simple: "simple:italic" */
  xmlNodePtr at = parent;
  int made = 0;
  for (int pass = 0; pass < 2; pass++)
    for (const char *r = pass ? rendition : rend; r && *r && at && !t->rc;) {
      while (*r == ' ' || *r == '\t' || *r == '\n')
        r++;
      if (strncmp(r, "simple:", 7) == 0)
        r += 7;
      else if (*r == '#')
        r++;
      const char *e = r;
      while (*e && *e != ' ' && *e != '\t' && *e != '\n')
        e++;
      const char *ir = e > r ? rend_element(r, (size_t)(e - r)) : NULL;
      if (ir) {
        at = add(t, at, ir, NULL);
        made++;
      }
      r = e;
    }
  rend = rend ? rend : rendition;
  if (style && !made) {
    if (strstr(style, "italic"))
      at = add(t, at, "em", NULL), made++;
    if (at && strstr(style, "bold"))
      at = add(t, at, "strong", NULL), made++;
    if (at && strstr(style, "underline"))
      at = add(t, at, "u", NULL), made++;
    if (at && strstr(style, "super"))
      at = add(t, at, "sup", NULL), made++;
  }
  if (!made && !rend && !style)
    at = add(t, at, "em", NULL); /* hi with no rend: highlighted, shown as emphasis */
  return at;
}

static int ncname(const char *s)
{
  if (!s || !(isalpha((unsigned char)*s) || *s == '_'))
    return 0;
  for (; *s; s++)
    if (!(isalnum((unsigned char)*s) || *s == '_' || *s == '-' || *s == '.'))
      return 0;
  return 1;
}

/* The first of a space-separated list of pointers. */
static char *first_target(const char *target)
{
  if (!target)
    return NULL;
  while (*target == ' ' || *target == '\t' || *target == '\n')
    target++;
  size_t l = strcspn(target, " \t\r\n");
  return l ? strndup(target, l) : NULL;
}

static void graphic_image(struct tr *t, const xmlNode *g, xmlNodePtr parent, const char *alt)
{
  const char *url = attr(g, "url");
  if (!url || !*url || !emc_url_is_safe(url)) {
    if (alt && *alt)
      add_text(t, parent, BAD_CAST alt, 0);
    return;
  }
  xmlNodePtr img = add(t, parent, "image", NULL);
  set(t, img, "src", url);
  xmlNodePtr desc = first_child(g, "desc");
  xmlChar *d = desc ? xmlNodeGetContent(desc) : NULL;
  if (alt && *alt)
    set(t, img, "alt", alt);
  else if (d && *d)
    set(t, img, "alt", (const char *)d);
  xmlFree(d);
}

/* choice: the editor's reading (corr, reg, expan), else the first. */
static const xmlNode *choice_pick(const xmlNode *n)
{
  static const char *const pref[] = { "corr", "reg", "expan", "supplied", NULL };
  for (size_t i = 0; pref[i]; i++) {
    const xmlNode *c = first_child(n, pref[i]);
    if (c)
      return c;
  }
  for (const xmlNode *c = n->children; c; c = c->next)
    if (c->type == XML_ELEMENT_NODE)
      return c;
  return NULL;
}

static void note(struct tr *t, const xmlNode *n, xmlNodePtr parent)
{
  xmlNodePtr note = add(t, parent, "note", NULL);
  const char *place = attr(n, "place");
  if (place && strcmp(place, "end") == 0)
    set(t, note, "kind", "end");
  set_lang(t, note, lang_of(n));
  if (note)
    flow(t, n, note, 0);
  if (note && !t->rc && !note->children)
    add(t, note, "p", NULL);
}

static void inline_el(struct tr *t, const xmlNode *n, xmlNodePtr parent, int keep_space)
{
  if (!is_tei_el(n)) { /* another vocabulary (MathML, SVG): its text */
    xmlChar *s = xmlNodeGetContent(n);
    add_text(t, parent, s, keep_space);
    xmlFree(s);
    return;
  }
  const char *lang = lang_of(n);
  if (name_in(n, dropped) || is_t(n, "figDesc") || is_t(n, "desc"))
    return;
  if (is_t(n, "hi") || is_t(n, "emph") || is_t(n, "title") || is_t(n, "mentioned") ||
      is_t(n, "term")) {
    xmlNodePtr at;
    if (is_t(n, "hi"))
      at = hi(t, n, parent);
    else if (is_t(n, "title") && attr(n, "level") && strcmp(attr(n, "level"), "a") == 0)
      at = parent; /* an article's title goes in quotes, not italics */
    else if (is_t(n, "term") && !attr(n, "rend"))
      at = parent;
    else
      at = add(t, parent, "em", NULL);
    if (at && at != parent)
      set_lang(t, at, lang);
    if (at)
      inlines(t, n->children, at, keep_space);
  } else if (is_t(n, "ref") || is_t(n, "ptr")) {
    char *target = first_target(attr(n, "target"));
    if (target && emc_url_is_safe(target)) {
      xmlNodePtr a = add(t, parent, "a", NULL);
      set(t, a, "href", target);
      set_lang(t, a, lang);
      if (a && is_t(n, "ptr"))
        add_text(t, a, BAD_CAST target, 0);
      else if (a)
        inlines(t, n->children, a, keep_space);
    } else if (is_t(n, "ref"))
      inlines(t, n->children, parent, keep_space);
    else if (target)
      add_text(t, parent, BAD_CAST target, 0);
    free(target);
  } else if (is_t(n, "note")) {
    note(t, n, parent);
  } else if (is_t(n, "lb")) {
    add(t, parent, "br", NULL);
  } else if (is_t(n, "code") || (is_t(n, "seg") && attr(n, "type") &&
                                  strcmp(attr(n, "type"), "code") == 0) || is_t(n, "ident") || is_t(n, "gi") || is_t(n, "att") ||
             is_t(n, "val") || is_t(n, "tag")) {
    xmlChar *s = xmlNodeGetContent(n);
    xmlNodePtr c = add(t, parent, "code", s && *s ? (const char *)s : NULL);
    set_lang(t, c, lang);
    xmlFree(s);
  } else if (is_t(n, "graphic")) {
    graphic_image(t, n, parent, NULL);
  } else if (is_t(n, "choice")) {
    const xmlNode *pick = choice_pick(n);
    if (pick)
      inlines(t, pick->children, parent, keep_space);
  } else if (is_t(n, "date") || is_t(n, "idno") || is_t(n, "rs")) {
    /* as the writer makes them from IR refs */
    const char *type = attr(n, "type");
    const char *value = NULL;
    if (is_t(n, "date")) {
      type = "date";
      value = attr(n, "when");
    } else if (is_t(n, "rs"))
      value = attr(n, "key");
    xmlNodePtr at = parent;
    if (ncname(type) && (!is_t(n, "date") || value)) {
      at = add(t, parent, "ref", NULL);
      set(t, at, "type", type);
      set(t, at, "value", value);
      set_lang(t, at, lang);
    } else if (lang) {
      at = add(t, parent, "span", NULL);
      set_lang(t, at, lang);
    }
    if (at)
      inlines(t, n->children, at, keep_space);
  } else if (is_t(n, "figure")) {
    xmlNodePtr g = first_child(n, "graphic");
    xmlNodePtr fd = first_child(n, "figDesc");
    xmlChar *alt = fd ? xmlNodeGetContent(fd) : NULL;
    if (g)
      graphic_image(t, g, parent, (const char *)alt);
    xmlFree(alt);
  } else {
    if (!name_in(n, transparent_inlines))
      unmapped(t, n);
    xmlNodePtr at = parent;
    if (lang) {
      at = add(t, parent, "span", NULL);
      set_lang(t, at, lang);
    }
    if (at)
      inlines(t, n->children, at, keep_space || is_t(n, "eg"));
  }
}

static void inlines(struct tr *t, const xmlNode *first, xmlNodePtr parent, int keep_space)
{
  for (const xmlNode *n = first; n && !t->rc; n = n->next) {
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
      add_text(t, parent, n->content, keep_space);
    else if (n->type == XML_ELEMENT_NODE)
      inline_el(t, n, parent, keep_space);
  }
}

/* ------------------------------------------------------------ blocks */

/* Where a block goes in CONTAINER: blocks precede sections in the IR, so
 * a block that follows a subsection in the TEI joins the end of the last
 * (deepest) section before it. */
static xmlNodePtr block_parent(xmlNodePtr container)
{
  for (;;) {
    xmlNodePtr last = container->last;
    while (last && last->type != XML_ELEMENT_NODE)
      last = last->prev;
    if (!last || !emc_ir_is(last, "section"))
      return container;
    container = last;
  }
}

/* The paragraph that inline content at this point of CONTAINER joins
 * (made when needed). */
struct para {
  xmlNodePtr p;
  const char *lang;
};

static void para_close(struct para *pp)
{
  if (pp->p)
    trim_block(pp->p);
  pp->p = NULL;
}

static xmlNodePtr para_get(struct tr *t, struct para *pp, xmlNodePtr container)
{
  if (!pp->p) {
    pp->p = add(t, block_parent(container), "p", NULL);
    set_lang(t, pp->p, pp->lang);
  }
  return pp->p;
}

static void block(struct tr *t, const xmlNode *n, xmlNodePtr container, int level);

/* The content of TEI element TEI (mixed: text, inlines, blocks) as blocks
 * of CONTAINER; LEVEL is CONTAINER's section level (0 for the body), or
 * -1 where no section may open (items, cells, notes, quotes). */
static void flow_children(struct tr *t, const xmlNode *first, xmlNodePtr container, int level,
                          const char *lang, const xmlNode *skip)
{
  struct para pp = { NULL, lang };
  for (const xmlNode *c = first; c && !t->rc; c = c->next) {
    if (c == skip)
      continue;
    if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE) {
      const xmlChar *s = c->content;
      int blank = 1;
      for (const xmlChar *q = s; q && *q; q++)
        if (!(*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r'))
          blank = 0;
      if (blank && !pp.p)
        continue;
      add_text(t, para_get(t, &pp, container), s, 0);
    } else if (c->type != XML_ELEMENT_NODE) {
      continue;
    } else if (is_t(c, "note") && !holds_blocks(c)) {
      /* a note between blocks belongs to the paragraph before it */
      xmlNodePtr p = pp.p;
      if (!p) {
        xmlNodePtr bp = block_parent(container);
        xmlNodePtr last = bp->last;
        while (last && last->type != XML_ELEMENT_NODE)
          last = last->prev;
        p = last && (emc_ir_is(last, "p") || emc_ir_is(last, "heading")) ? last
            : para_get(t, &pp, container);
      }
      if (p)
        note(t, c, p);
    } else if (is_block_el(c)) {
      para_close(&pp);
      block(t, c, container, level);
    } else if (is_t(c, "milestone") && attr(c, "rend") && strcmp(attr(c, "rend"), "hr") == 0) {
      para_close(&pp); /* the writer's rule (a milestone is no block) */
      add(t, container, "hr", NULL);
    } else if (name_in(c, dropped)) {
      continue;
    } else {
      xmlNodePtr p = para_get(t, &pp, container);
      if (p)
        inline_el(t, c, p, 0);
    }
  }
  para_close(&pp);
}

static void flow(struct tr *t, const xmlNode *tei, xmlNodePtr container, int level)
{
  flow_children(t, tei->children, container, level, lang_of(tei), NULL);
}

static xmlNodePtr paragraph(struct tr *t, const xmlNode *n, xmlNodePtr container,
                            const char *name)
{
  xmlNodePtr p = add(t, block_parent(container), name, NULL);
  set_lang(t, p, lang_of(n));
  if (p)
    inlines(t, n->children, p, 0);
  if (p && !t->rc && trim_block(p))
    return NULL;
  return p;
}

static void list(struct tr *t, const xmlNode *n, xmlNodePtr container)
{
  xmlNodePtr bp = block_parent(container);
  const char *type = attr(n, "type"), *rend = attr(n, "rend");
  xmlNodePtr head = first_child(n, "head");
  if (head)
    paragraph(t, head, bp, "p");
  if (first_child(n, "label") || (type && (strcmp(type, "gloss") == 0 ||
                                           strcmp(type, "definition") == 0))) {
    /* a glossary: label + item pairs */
    xmlNodePtr dl = add(t, bp, "deflist", NULL);
    set_lang(t, dl, lang_of(n));
    int pending = 0;
    for (const xmlNode *c = n->children; c && dl && !t->rc; c = c->next) {
      if (is_t(c, "label")) {
        xmlNodePtr term = add(t, dl, "term", NULL);
        set_lang(t, term, lang_of(c));
        if (term)
          inlines(t, c->children, term, 0);
        if (term)
          trim_block(term);
        pending = 1;
      } else if (is_t(c, "item")) {
        if (!pending)
          add(t, dl, "term", NULL);
        xmlNodePtr def = add(t, dl, "definition", NULL);
        set_lang(t, def, lang_of(c));
        if (def)
          flow(t, c, def, -1);
        if (def && !t->rc && !def->children)
          add(t, def, "p", NULL);
        pending = 0;
      }
    }
    if (dl && !t->rc && !dl->children)
      add(t, dl, "term", NULL);
    return;
  }
  int ordered = (type && (strncmp(type, "ordered", 7) == 0 || strcmp(type, "numbered") == 0)) ||
                (rend && (strstr(rend, "numbered") || strstr(rend, "ordered") ||
                          strstr(rend, "decimal") || strstr(rend, "roman") ||
                          strstr(rend, "alpha")));
  xmlNodePtr l = add(t, bp, "list", NULL);
  if (!l)
    return;
  set_lang(t, l, lang_of(n));
  if (ordered) {
    set(t, l, "ordered", "true");
    if (rend && strstr(rend, "lower-roman"))
      set(t, l, "style", "lower-roman");
    else if (rend && strstr(rend, "upper-roman"))
      set(t, l, "style", "upper-roman");
    else if (rend && strstr(rend, "lower-alpha"))
      set(t, l, "style", "lower-alpha");
    else if (rend && strstr(rend, "upper-alpha"))
      set(t, l, "style", "upper-alpha");
  }
  long expect = 0;
  int first = 1;
  for (const xmlNode *c = n->children; c && !t->rc; c = c->next) {
    if (!is_t(c, "item"))
      continue;
    xmlNodePtr item = add(t, l, "item", NULL);
    set_lang(t, item, lang_of(c));
    const char *num = attr(c, "n");
    char *end = NULL;
    long v = num && *num ? strtol(num, &end, 10) : 0;
    int numeric = num && *num && end && *end == '\0';
    if (ordered && first && numeric && v != 1) {
      char buf[24];
      snprintf(buf, sizeof buf, "%ld", v);
      set(t, l, "start", buf);
    }
    /* an n the numbering does not say (a, iv, 3 out of order): kept as
     * the item's label text */
    int label = num && *num && !(ordered && numeric && (first || v == expect));
    if (item)
      flow(t, c, item, -1);
    if (item && label && !t->rc) {
      /* before the first paragraph's text, or as a paragraph of its own */
      xmlNodePtr first_p = item->children;
      while (first_p && first_p->type != XML_ELEMENT_NODE)
        first_p = first_p->next;
      if (first_p && emc_ir_is(first_p, "p")) {
        /* one text node, "N ", not to be used once added: libxml2 merges
         * it into a text node beside it and frees it (fuzz-tei found the
         * use after free of adding a second node next to the first) */
        xmlChar *label_text = first_p->children ? xmlStrncatNew(BAD_CAST num, BAD_CAST " ", -1)
                                                : xmlStrdup(BAD_CAST num);
        xmlNodePtr tx = label_text ? xmlNewDocText(item->doc, label_text) : NULL;
        xmlFree(label_text);
        if (!tx)
          oom(t);
        else if (first_p->children)
          xmlAddPrevSibling(first_p->children, tx);
        else
          xmlAddChild(first_p, tx);
      } else {
        xmlNodePtr p = xmlNewDocNode(item->doc, item->ns, BAD_CAST "p", BAD_CAST num);
        if (!p)
          oom(t);
        else if (first_p)
          xmlAddPrevSibling(first_p, p);
        else
          xmlAddChild(item, p);
      }
    }
    if (item && !t->rc && !item->children)
      add(t, item, "p", NULL);
    expect = (numeric ? v : expect) + 1;
    first = 0;
  }
  if (!t->rc && !l->children) {
    xmlNodePtr item = add(t, l, "item", NULL);
    add(t, item, "p", NULL);
  }
}

static int pos_int(const char *s)
{
  if (!s || !*s)
    return 0;
  char *end;
  long v = strtol(s, &end, 10);
  return *end == '\0' && v > 1 && v < 10000 ? (int)v : 0;
}

static void table(struct tr *t, const xmlNode *n, xmlNodePtr container)
{
  xmlNodePtr bp = block_parent(container);
  xmlNodePtr tb = add(t, bp, "table", NULL);
  if (!tb)
    return;
  set_lang(t, tb, lang_of(n));
  xmlNodePtr head = first_child(n, "head");
  if (head) {
    xmlNodePtr cap = add(t, tb, "caption", NULL);
    set_lang(t, cap, lang_of(head));
    if (cap)
      inlines(t, head->children, cap, 0);
    if (cap)
      trim_block(cap);
  }
  for (const xmlNode *r = n->children; r && !t->rc; r = r->next) {
    if (!is_t(r, "row"))
      continue;
    xmlNodePtr row = add(t, tb, "row", NULL);
    const char *role = attr(r, "role");
    int head_row = role && strcmp(role, "label") == 0;
    if (head_row)
      set(t, row, "header", "true");
    for (const xmlNode *c = r->children; c && row && !t->rc; c = c->next) {
      if (!is_t(c, "cell"))
        continue;
      xmlNodePtr cell = add(t, row, "cell", NULL);
      const char *crole = attr(c, "role");
      if (head_row || (crole && strcmp(crole, "label") == 0))
        set(t, cell, "header", "true");
      int cols = pos_int(attr(c, "cols")), rows = pos_int(attr(c, "rows"));
      char buf[16];
      if (cols) {
        snprintf(buf, sizeof buf, "%d", cols);
        set(t, cell, "colspan", buf);
      }
      if (rows) {
        snprintf(buf, sizeof buf, "%d", rows);
        set(t, cell, "rowspan", buf);
      }
      set_lang(t, cell, lang_of(c));
      if (cell)
        flow(t, c, cell, -1);
    }
    if (row && !t->rc && !row->children)
      add(t, row, "cell", NULL);
  }
}

static void figure(struct tr *t, const xmlNode *n, xmlNodePtr container)
{
  xmlNodePtr g = first_child(n, "graphic");
  const char *url = g ? attr(g, "url") : NULL;
  xmlNodePtr head = first_child(n, "head");
  xmlNodePtr fd = first_child(n, "figDesc");
  if (!url || !*url || !emc_url_is_safe(url)) {
    /* no picture to point at: what it says stays, as paragraphs */
    if (head)
      paragraph(t, head, container, "p");
    if (fd)
      paragraph(t, fd, container, "p");
    for (const xmlNode *c = n->children; c && !t->rc; c = c->next)
      if (c->type == XML_ELEMENT_NODE && !is_t(c, "head") && !is_t(c, "figDesc") &&
          !is_t(c, "graphic"))
        block(t, c, container, -1);
    return;
  }
  xmlNodePtr f = add(t, block_parent(container), "figure", NULL);
  set_lang(t, f, lang_of(n));
  xmlChar *alt = fd ? xmlNodeGetContent(fd) : NULL;
  if (f) {
    /* alt text as one line */
    if (alt) {
      xmlNodePtr tmp = xmlNewNode(NULL, BAD_CAST "x");
      if (tmp) {
        add_text(t, tmp, alt, 0);
        xmlFree(alt);
        alt = xmlNodeGetContent(tmp);
        xmlFreeNode(tmp);
      }
    }
    graphic_image(t, g, f, alt ? (const char *)alt : NULL);
  }
  xmlFree(alt);
  if (f && head) {
    xmlNodePtr cap = add(t, f, "caption", NULL);
    set_lang(t, cap, lang_of(head));
    if (cap)
      inlines(t, head->children, cap, 0);
    if (cap)
      trim_block(cap);
  }
  /* paragraphs inside the figure follow it */
  for (const xmlNode *c = n->children; c && !t->rc; c = c->next)
    if (c->type == XML_ELEMENT_NODE && is_block_el(c) && !is_t(c, "head") &&
        !is_t(c, "figDesc"))
      block(t, c, container, -1);
}

/* lg: a stanza is a paragraph whose lines end in line breaks; lg of lgs
 * (a poem of stanzas) is a quote of such paragraphs. */
static void line_group(struct tr *t, const xmlNode *n, xmlNodePtr container)
{
  xmlNodePtr bp = block_parent(container);
  if (first_child(n, "lg")) {
    xmlNodePtr q = add(t, bp, "quote", NULL);
    set_lang(t, q, lang_of(n));
    for (const xmlNode *c = n->children; c && q && !t->rc; c = c->next) {
      if (is_t(c, "lg"))
        line_group(t, c, q);
      else if (is_t(c, "head") || is_t(c, "l"))
        paragraph(t, c, q, "p");
      else if (c->type == XML_ELEMENT_NODE && is_block_el(c))
        block(t, c, q, -1);
    }
    if (q && !t->rc && !q->children)
      add(t, q, "p", NULL);
    return;
  }
  xmlNodePtr head = first_child(n, "head");
  if (head)
    paragraph(t, head, bp, "p");
  xmlNodePtr p = add(t, bp, "p", NULL);
  set_lang(t, p, lang_of(n));
  int lines = 0;
  for (const xmlNode *c = n->children; c && p && !t->rc; c = c->next) {
    if (is_t(c, "l")) {
      if (lines++)
        add(t, p, "br", NULL);
      xmlNodePtr at = p;
      if (lang_of(c)) {
        at = add(t, p, "span", NULL);
        set_lang(t, at, lang_of(c));
      }
      /* each line trimmed on its own, in a span unwrapped after unless it
       * carries the line's language */
      xmlNodePtr line = at == p ? add(t, p, "span", NULL) : at;
      if (!line)
        break;
      inlines(t, c->children, line, 0);
      trim_edges(line);
      if (line != at) {
        xmlNodePtr k;
        while ((k = line->children)) {
          xmlUnlinkNode(k);
          xmlAddPrevSibling(line, k); /* may merge K into a text before */
        }
        xmlUnlinkNode(line);
        xmlFreeNode(line);
        t->nodes--;
      }
    } else if (is_t(c, "note"))
      note(t, c, p);
    else if (c->type == XML_ELEMENT_NODE && !is_t(c, "head") && !name_in(c, dropped))
      inline_el(t, c, p, 0);
  }
  if (p && !t->rc)
    trim_block(p);
}

static int div_like(const xmlNode *n)
{
  return name_in(n, structural);
}

static void block(struct tr *t, const xmlNode *n, xmlNodePtr container, int level)
{
  if (t->rc)
    return;
  const char *lang = lang_of(n);
  if (div_like(n)) {
    xmlNodePtr head = first_child(n, "head");
    if (head && level >= 0 && level < 6) {
      xmlNodePtr sec = emc_ir_is(container, "body") || emc_ir_is(container, "section")
                           ? add(t, container, "section", NULL)
                           : NULL;
      if (sec) {
        char buf[4];
        snprintf(buf, sizeof buf, "%d", level + 1);
        set(t, sec, "level", buf);
        set_lang(t, sec, lang);
        xmlNodePtr h = add(t, sec, "heading", NULL);
        set_lang(t, h, lang_of(head));
        if (h)
          inlines(t, head->children, h, 0);
        if (h)
          trim_block(h);
        /* what precedes the head (a dateline) and follows it */
        flow_children(t, n->children, sec, level + 1, lang, head);
        return;
      }
    }
    /* no head, or no room for a deeper section: transparent */
    flow(t, n, container, level);
  } else if (is_t(n, "head")) {
    paragraph(t, n, container, "p");
  } else if (name_in(n, paragraph_like) && !(is_t(n, "ab") && attr(n, "type") &&
                                              strstr(attr(n, "type"), "code"))) {
    if (holds_blocks(n))
      flow(t, n, container, level);
    else
      paragraph(t, n, container, "p");
  } else if (name_in(n, transparent_blocks)) {
    flow(t, n, container, level);
  } else if (is_t(n, "list") || is_t(n, "listBibl")) {
    if (is_t(n, "list"))
      list(t, n, container);
    else
      flow(t, n, container, level);
  } else if (is_t(n, "table")) {
    table(t, n, container);
  } else if (is_t(n, "lg")) {
    line_group(t, n, container);
  } else if (is_t(n, "figure")) {
    figure(t, n, container);
  } else if (is_t(n, "eg") || is_t(n, "egXML") ||
             (is_t(n, "ab") && attr(n, "type") && strstr(attr(n, "type"), "code"))) {
    xmlChar *s = xmlNodeGetContent(n);
    xmlNodePtr pre = add(t, block_parent(container), "pre", s && *s ? (const char *)s : NULL);
    set_lang(t, pre, lang);
    xmlFree(s);
  } else if (is_t(n, "quote") || is_t(n, "q") || is_t(n, "said") || is_t(n, "note")) {
    xmlNodePtr q = add(t, block_parent(container), "quote", NULL);
    set_lang(t, q, lang);
    if (q)
      flow(t, n, q, -1);
    if (q && !t->rc && !q->children) {
      xmlUnlinkNode(q);
      xmlFreeNode(q);
    }
  } else if (name_in(n, dropped)) {
    return;
  } else {
    unmapped(t, n);
    flow(t, n, container, level);
  }
}

/* ------------------------------------------------------------ header */

static char *clean_text(const xmlNode *n)
{
  xmlChar *s = xmlNodeGetContent(n);
  if (!s)
    return NULL;
  char *o = (char *)s, *w = o;
  int space = 1;
  for (char *r = o; *r; r++) {
    if (*r == ' ' || *r == '\t' || *r == '\n' || *r == '\r') {
      if (!space)
        *w++ = ' ';
      space = 1;
    } else {
      *w++ = *r;
      space = 0;
    }
  }
  while (w > o && w[-1] == ' ')
    w--;
  *w = '\0';
  char *r = *o ? strdup(o) : NULL;
  xmlFree(s);
  return r;
}

static xmlNodePtr meta_child(xmlNodePtr meta, const char *name)
{
  for (xmlNodePtr c = meta->children; c; c = c->next)
    if (emc_ir_is(c, name))
      return c;
  return NULL;
}

/* One value of KEY in META: title, subtitle, date, language, source and
 * publisher once (the first wins), author and identifier as often as
 * given, anything else a <field>. */
static void meta_put(struct tr *t, xmlNodePtr meta, const char *key, const char *value,
                     const char *lang)
{
  if (!value || !*value || t->rc)
    return;
  static const char *const once[] = { "title", "subtitle", "date", "language", "source",
                                      "publisher", NULL };
  static const char *const many[] = { "author", "identifier", NULL };
  int known = 0;
  for (size_t i = 0; once[i]; i++)
    if (strcmp(key, once[i]) == 0) {
      if (meta_child(meta, key))
        return;
      known = 1;
    }
  for (size_t i = 0; many[i]; i++)
    if (strcmp(key, many[i]) == 0)
      known = 1;
  if (strcmp(key, "language") == 0 && !xmlsafe_valid_lang(value))
    return;
  xmlNodePtr e = add(t, meta, known ? key : "field", value);
  if (!known)
    set(t, e, "name", key);
  if (lang && (strcmp(key, "title") == 0 || strcmp(key, "subtitle") == 0 ||
               strcmp(key, "author") == 0 || strcmp(key, "publisher") == 0))
    set_lang(t, e, lang);
}

static void meta_node(struct tr *t, xmlNodePtr meta, const char *key, const xmlNode *n)
{
  char *v = clean_text(n);
  meta_put(t, meta, key, v, lang_of(n));
  free(v);
}

/* The header's metadata into META; *LANG (borrowed from the tree) gets
 * the first langUsage language. */
static void header(struct tr *t, const xmlNode *hdr, xmlNodePtr meta, const char **lang)
{
  xmlNodePtr fd = first_child(hdr, "fileDesc");
  xmlNodePtr ts = first_child(fd, "titleStmt");
  for (const xmlNode *c = ts ? ts->children : NULL; c && !t->rc; c = c->next) {
    if (is_t(c, "title")) {
      const char *type = attr(c, "type");
      if (type && (strcmp(type, "sub") == 0 || strcmp(type, "subordinate") == 0))
        meta_node(t, meta, "subtitle", c);
      else if (!type || strcmp(type, "main") == 0 || strcmp(type, "full") == 0)
        meta_node(t, meta, "title", c);
      else if (strcmp(type, "alt") != 0)
        meta_node(t, meta, "title", c);
    } else if (is_t(c, "author")) {
      meta_node(t, meta, "author", c);
    } else if (is_t(c, "editor")) {
      meta_node(t, meta, "editor", c);
    } else if (is_t(c, "respStmt")) {
      xmlNodePtr name = first_child(c, "persName");
      if (!name)
        name = first_child(c, "name");
      if (!name)
        name = first_child(c, "orgName");
      if (name)
        meta_node(t, meta, "contributor", name);
    } else if (is_t(c, "funder") || is_t(c, "sponsor") || is_t(c, "principal")) {
      meta_node(t, meta, name_of(c), c);
    }
  }
  xmlNodePtr ps = first_child(fd, "publicationStmt");
  for (const xmlNode *c = ps ? ps->children : NULL; c && !t->rc; c = c->next) {
    if (is_t(c, "publisher") || is_t(c, "distributor") || is_t(c, "authority"))
      meta_node(t, meta, "publisher", c);
    else if (is_t(c, "date")) {
      const char *when = attr(c, "when");
      if (when && *when)
        meta_put(t, meta, "date", when, NULL);
      else
        meta_node(t, meta, "date", c);
    } else if (is_t(c, "idno")) {
      char *v = clean_text(c);
      if (v && *v) {
        xmlNodePtr id = add(t, meta, "identifier", v);
        set(t, id, "scheme", attr(c, "type"));
      }
      free(v);
    } else if (is_t(c, "pubPlace")) {
      meta_node(t, meta, "pubPlace", c);
    } else if (is_t(c, "availability")) {
      meta_node(t, meta, "rights", c);
    }
  }
  xmlNodePtr sd = first_child(fd, "sourceDesc");
  if (sd && !t->rc) {
    /* a link's target is the source; the description is kept too unless
     * it is only what our writer says when there is none */
    const char *target = NULL;
    for (xmlNodePtr n = sd->children; n && !target; n = emc_ir_next(n, sd, 1))
      if ((is_t(n, "ref") || is_t(n, "ptr")) && attr(n, "target"))
        target = attr(n, "target");
    char *v = first_target(target);
    if (v && emc_url_is_safe(v))
      meta_put(t, meta, "source", v, NULL);
    free(v);
    /* the source's date (our writer's place for the date when there is
     * no publisher): the document's, unless publicationStmt gave one */
    xmlNodePtr sb = first_child(sd, "bibl");
    xmlNodePtr sdate = first_child(sb, "date");
    if (sdate) {
      const char *when = attr(sdate, "when");
      if (when && *when)
        meta_put(t, meta, "date", when, NULL);
      else
        meta_node(t, meta, "date", sdate);
    }
    char *desc = clean_text(sd);
    char *date_only = sdate ? clean_text(sdate) : NULL; /* a bibl of a date alone */
    if (desc && date_only && strcmp(desc, date_only) == 0)
      free(desc), desc = NULL;
    free(date_only);
    if (desc && !target && strcmp(desc, "No source recorded.") != 0)
      meta_put(t, meta, "source-description", desc, NULL);
    free(desc);
  }
  xmlNodePtr pd = first_child(hdr, "profileDesc");
  xmlNodePtr lu = first_child(pd, "langUsage");
  for (const xmlNode *c = lu ? lu->children : NULL; c; c = c->next)
    if (is_t(c, "language")) {
      const char *id = attr(c, "ident");
      if (id && xmlsafe_valid_lang(id)) {
        *lang = id;
        break;
      }
    }
  xmlNodePtr tc = first_child(pd, "textClass");
  xmlNodePtr kw = first_child(tc, "keywords");
  for (const xmlNode *c = kw ? kw->children : NULL; c && !t->rc; c = c->next)
    if (is_t(c, "term"))
      meta_node(t, meta, "keyword", c);
}

/* The text (text/front/body/back, or group of texts) of one TEI into
 * CONTAINER at LEVEL. */
static void tei_text(struct tr *t, const xmlNode *tei, xmlNodePtr container, int level)
{
  for (const xmlNode *c = tei->children; c && !t->rc; c = c->next) {
    if (is_t(c, "teiHeader") || c->type != XML_ELEMENT_NODE)
      continue;
    if (!is_t(c, "facsimile") && !is_t(c, "sourceDoc") && !is_t(c, "standOff"))
      block(t, c, container, level);
  }
}

/* The language a TEI declares: its own xml:lang, its text's, or the
 * header's first langUsage. */
static const char *tei_lang(const xmlNode *tei, const char *usage)
{
  const char *l = lang_of(tei);
  if (!l)
    l = lang_of(first_child(tei, "text"));
  return l ? l : usage;
}

static void corpus_parts(struct tr *t, const xmlNode *corpus, xmlNodePtr body, size_t *n_parts)
{
  for (const xmlNode *c = corpus->children; c && !t->rc; c = c->next) {
    if (is_t(c, "teiCorpus")) {
      corpus_parts(t, c, body, n_parts);
      continue;
    }
    if (!is_t(c, "TEI"))
      continue;
    ++*n_parts;
    xmlNodePtr sec = add(t, body, "section", NULL);
    set(t, sec, "type", "document");
    set(t, sec, "level", "1");
    char id[32];
    snprintf(id, sizeof id, "part%zu", *n_parts);
    if (sec && !t->rc &&
        !xmlSetNsProp(sec, xmlSearchNsByHref(sec->doc, sec, XML_XML_NAMESPACE), BAD_CAST "id",
                      BAD_CAST id))
      oom(t);
    xmlNodePtr h = add(t, sec, "heading", NULL);
    xmlNodePtr meta = add(t, sec, "meta", NULL);
    if (!meta)
      return;
    const char *usage = NULL;
    xmlNodePtr hdr = first_child(c, "teiHeader");
    if (hdr)
      header(t, hdr, meta, &usage);
    const char *lang = tei_lang(c, usage);
    if (lang) {
      set_lang(t, sec, lang);
      meta_put(t, meta, "language", lang, NULL);
    }
    xmlNodePtr title = meta_child(meta, "title");
    xmlChar *tt = title ? xmlNodeGetContent(title) : NULL;
    char fallback[40];
    snprintf(fallback, sizeof fallback, "Part %zu", *n_parts);
    add_text(t, h, tt && *tt ? tt : BAD_CAST fallback, 0);
    xmlFree(tt);
    tei_text(t, c, sec, 1);
  }
}

int tei_read(emc_ctx *ctx, const emc_input *in, emc_doc **out, emc_error *err)
{
  const emc_limits *lim = emc_ctx_limits(ctx);
  xmlDocPtr tree = NULL;
  int rc = xmlsafe_parse(in->data, in->size, "the TEI document", lim->max_depth, &tree, err);
  if (rc)
    return rc;
  xmlNodePtr root = xmlDocGetRootElement(tree);
  if (!is_t(root, "TEI") && !is_t(root, "teiCorpus") && !is_t(root, "TEI.2")) {
    rc = emc_error_set(err, EMC_EFORMAT, "not a TEI document: the root element is <%.60s>, "
                       "not <TEI> or <teiCorpus>", root ? (const char *)root->name : "");
    xmlFreeDoc(tree);
    return rc;
  }
  struct tr t = { ctx, emc_doc_new(), err, 0, lim->max_nodes, 0, { { 0 } }, 0, 0 };
  if (!t.doc) {
    xmlFreeDoc(tree);
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  }
  const char *usage = NULL;
  xmlNodePtr hdr = first_child(root, "teiHeader");
  if (hdr)
    header(&t, hdr, emc_doc_meta(t.doc), &usage);
  xmlNodePtr body = emc_doc_body(t.doc);
  if (is_t(root, "teiCorpus")) {
    size_t n_parts = 0;
    corpus_parts(&t, root, body, &n_parts);
    const char *lang = lang_of(root) ? lang_of(root) : usage;
    if (lang && !t.rc && emc_doc_meta_set(t.doc, "language", lang))
      oom(&t);
  } else {
    const char *lang = tei_lang(root, usage);
    if (lang && !t.rc && emc_doc_meta_set(t.doc, "language", lang))
      oom(&t);
    tei_text(&t, root, body, 0);
  }
  if (!t.rc && t.unmapped_total) {
    char names[MAX_UNMAPPED * 34 + 8] = "";
    for (size_t i = 0; i < t.n_unmapped; i++) {
      strcat(names, i ? ", " : "");
      strcat(names, t.unmapped[i]);
    }
    emc_ctx_warn(ctx, "unmapped-element",
                 "TEI elements with no IR counterpart kept as text only (%zu in all): %s%s",
                 t.unmapped_total, names, t.n_unmapped == MAX_UNMAPPED ? ", ..." : "");
  }
  xmlFreeDoc(tree);
  if (t.rc) {
    emc_doc_free(t.doc);
    return t.rc;
  }
  *out = t.doc;
  return EMC_OK;
}

/* The root element's name and namespace within the first bytes. */
int tei_probe(const unsigned char *head, size_t len)
{
  size_t i = 0;
  if (len >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF)
    i = 3;
  /* skip the prolog: declaration, comments, PIs, white space */
  while (i < len) {
    while (i < len && isspace(head[i]))
      i++;
    if (i + 1 < len && head[i] == '<' && (head[i + 1] == '?' || head[i + 1] == '!')) {
      if (i + 3 < len && head[i + 1] == '!' && head[i + 2] == '-' && head[i + 3] == '-') {
        const unsigned char *e = NULL;
        for (size_t j = i + 4; j + 2 < len; j++)
          if (head[j] == '-' && head[j + 1] == '-' && head[j + 2] == '>') {
            e = head + j + 3;
            break;
          }
        if (!e)
          return 0;
        i = (size_t)(e - head);
      } else {
        /* a DOCTYPE's internal subset holds '>'s of its own: skipped
         * whole, so that the reader (not the probe) refuses the DTD with
         * a message that says why */
        while (i < len && head[i] != '>' && head[i] != '[')
          i++;
        if (i < len && head[i] == '[')
          while (i < len && head[i] != ']')
            i++;
        while (i < len && head[i] != '>')
          i++;
        i++;
      }
      continue;
    }
    break;
  }
  if (i >= len || head[i] != '<')
    return 0;
  i++;
  size_t s = i;
  while (i < len && !isspace(head[i]) && head[i] != '>' && head[i] != '/')
    i++;
  size_t nl = i - s;
  const char *name = (const char *)head + s;
  const char *colon = memchr(name, ':', nl);
  if (colon) { /* tei:TEI */
    nl -= (size_t)(colon + 1 - name);
    name = colon + 1;
  }
  int root = (nl == 3 && memcmp(name, "TEI", 3) == 0) ||
             (nl == 9 && memcmp(name, "teiCorpus", 9) == 0) ||
             (nl == 5 && memcmp(name, "TEI.2", 5) == 0);
  if (!root)
    return 0;
  static const char ns[] = TEI_NS;
  for (size_t j = s; j + sizeof ns - 1 <= len; j++)
    if (memcmp(head + j, ns, sizeof ns - 1) == 0)
      return 95;
  return 60;
}
