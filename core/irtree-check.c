/* SPDX-License-Identifier: MIT */
/* irtree-check.c - the IR's grammar (include/emuconv/ir.rng) checked in
 * one pass over the tree.
 *
 * libxml2's RELAX NG validator is superlinear on long sequences of
 * siblings (issue 32: 5.8 / 25 / 145 s for 50k / 100k / 200k paragraphs),
 * and every -f ir input and every --filter result went through it.  The
 * grammar is small and deterministic, so it is written out here: per
 * element, its attributes (with their datatypes) and a content model,
 * each checked in time linear in the children.  emc_doc_validate() (the
 * --validate-ir check) keeps the RELAX NG schema; the two must accept the
 * same documents, and tests/unit/ir runs both on the same cases.
 *
 * Like the schema, it ignores comments, processing instructions and
 * white-space-only text where only elements are allowed.
 */
#include <config.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/hash.h>
#include <libxml/tree.h>
#include "core-private.h"

/* Attribute datatypes: the XML Schema types ir.rng uses. */
enum dt {
  DT_TEXT,     /* text, anyURI (libxml2 accepts nearly anything) */
  DT_LANG,     /* language */
  DT_ID,       /* ID (an NCName, unique) */
  DT_NMTOKENS, /* NMTOKENS */
  DT_BOOL,     /* boolean */
  DT_INT,      /* integer */
  DT_POSINT,   /* positiveInteger */
  DT_LEVEL,    /* integer 1..6 */
  DT_NCNAME,   /* NCName */
  DT_IDREFS,   /* IDREFS (checked against the IDs at the end) */
  DT_ENUM,     /* one of VALUES */
  DT_RESNAME,  /* [A-Za-z0-9_\-][A-Za-z0-9._\-]* */
  DT_DECIMAL   /* decimal: [+-]?digits with at most one '.' */
};

struct attr {
  const char *name;
  int xml_ns;   /* in the XML namespace (xml:lang, xml:id) */
  enum dt type;
  int required;
  const char *const *values; /* DT_ENUM */
};

struct check {
  xmlHashTablePtr ids;  /* xml:id values seen */
  const xmlNode **links; /* <link> elements, their targets checked last */
  size_t n_links, cap_links;
  int count;            /* problems */
  char *first;          /* the first problem, "line N: ..." */
  size_t first_size;
  int oom;
};

static void problem(struct check *c, const xmlNode *n, const char *fmt, ...)
    EMC_PRINTF(3, 4);
static void problem(struct check *c, const xmlNode *n, const char *fmt, ...)
{
  if (c->count++ == 0) {
    char what[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    snprintf(c->first, c->first_size, "line %ld: %s", n ? xmlGetLineNo(n) : 0L, what);
  }
}

/* ---- datatypes ---- */

static int is_ws(int ch)
{
  return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

static int only_ws(const xmlChar *s)
{
  for (; s && *s; s++)
    if (!is_ws(*s))
      return 0;
  return 1;
}

/* S without leading and trailing white space: [*B, *E). */
static void trimmed(const char *s, const char **b, const char **e)
{
  while (is_ws((unsigned char)*s))
    s++;
  const char *t = s + strlen(s);
  while (t > s && is_ws((unsigned char)t[-1]))
    t--;
  *b = s;
  *e = t;
}

static int ascii_alpha(int ch)
{
  return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z');
}

static int ascii_digit(int ch)
{
  return ch >= '0' && ch <= '9';
}

/* NCName: a name without ':'; non-ASCII bytes are taken as name
 * characters (the parser already checked they are UTF-8 XML characters). */
static int ncname(const char *b, const char *e)
{
  if (b == e || ascii_digit((unsigned char)*b) || *b == '-' || *b == '.')
    return 0;
  for (const char *p = b; p < e; p++) {
    unsigned char ch = (unsigned char)*p;
    if (!(ascii_alpha(ch) || ascii_digit(ch) || ch == '_' || ch == '-' || ch == '.' || ch >= 0x80))
      return 0;
  }
  return 1;
}

static int nmtoken(const char *b, const char *e)
{
  if (b == e)
    return 0;
  for (const char *p = b; p < e; p++) {
    unsigned char ch = (unsigned char)*p;
    if (!(ascii_alpha(ch) || ascii_digit(ch) || ch == '_' || ch == '-' || ch == '.' || ch == ':' ||
          ch >= 0x80))
      return 0;
  }
  return 1;
}

/* xsd:language: [a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})* */
static int language(const char *b, const char *e)
{
  size_t run = 0;
  int first = 1;
  for (const char *p = b; p <= e; p++) {
    if (p == e || *p == '-') {
      if (run < 1 || run > 8)
        return 0;
      run = 0;
      first = 0;
      continue;
    }
    unsigned char ch = (unsigned char)*p;
    if (!(ascii_alpha(ch) || (!first && ascii_digit(ch))))
      return 0;
    run++;
  }
  return 1;
}

/* xsd:integer: [+-]?[0-9]+; *V its value when it fits in a long (else
 * LONG_MAX or LONG_MIN, which no bound here accepts). */
static int integer(const char *b, const char *e, long *v)
{
  int neg = 0;
  if (b < e && (*b == '+' || *b == '-'))
    neg = *b++ == '-';
  if (b == e)
    return 0;
  long x = 0;
  for (; b < e; b++) {
    if (!ascii_digit((unsigned char)*b))
      return 0;
    if (x < 100000000000L)
      x = x * 10 + (*b - '0');
  }
  *v = neg ? -x : x;
  return 1;
}

static int value_ok(struct check *c, const xmlNode *n, const struct attr *a, const char *v)
{
  const char *b, *e;
  long num;
  trimmed(v, &b, &e);
  switch (a->type) {
  case DT_TEXT:
    return 1;
  case DT_LANG:
    return language(b, e);
  case DT_ID: {
    if (!ncname(b, e))
      return 0;
    xmlChar *id = xmlStrndup(BAD_CAST b, (int)(e - b));
    if (!id) {
      c->oom = 1;
      return 1;
    }
    int added = xmlHashAddEntry(c->ids, id, (void *)n);
    xmlFree(id);
    if (added != 0)
      problem(c, n, "duplicate xml:id '%s'", v);
    return 1;
  }
  case DT_NMTOKENS:
  case DT_IDREFS: {
    int any = 0;
    for (const char *p = b; p < e;) {
      const char *t = p;
      while (t < e && !is_ws((unsigned char)*t))
        t++;
      if (!(a->type == DT_IDREFS ? ncname(p, t) : nmtoken(p, t)))
        return 0;
      any = 1;
      p = t;
      while (p < e && is_ws((unsigned char)*p))
        p++;
    }
    return any;
  }
  case DT_BOOL:
    return (e - b == 4 && memcmp(b, "true", 4) == 0) || (e - b == 5 && memcmp(b, "false", 5) == 0) ||
           (e - b == 1 && (*b == '0' || *b == '1'));
  case DT_INT:
    return integer(b, e, &num);
  case DT_POSINT:
    return integer(b, e, &num) && num >= 1;
  case DT_LEVEL:
    return integer(b, e, &num) && num >= 1 && num <= 6;
  case DT_NCNAME:
    return ncname(b, e);
  case DT_ENUM:
    for (const char *const *w = a->values; *w; w++)
      if ((size_t)(e - b) == strlen(*w) && memcmp(b, *w, (size_t)(e - b)) == 0)
        return 1;
    return 0;
  case DT_DECIMAL: {
    int digits = 0, dots = 0;
    if (b < e && (*b == '+' || *b == '-'))
      b++;
    for (; b < e; b++)
      if (ascii_digit((unsigned char)*b))
        digits++;
      else if (*b != '.' || dots++)
        return 0;
    return digits > 0;
  }
  case DT_RESNAME:
    if (b == e || *b == '.')
      return 0;
    for (const char *p = v; *p; p++) /* a pattern: no white space trimmed */
      if (!(ascii_alpha((unsigned char)*p) || ascii_digit((unsigned char)*p) || *p == '_' ||
            *p == '-' || *p == '.'))
        return 0;
    return *v != '.';
  }
  return 0;
}

/* ---- attributes ---- */

static const char *const versions[] = { "1.0", "1.1", "1.2", NULL };
static const char *const styles[] = { "decimal", "lower-alpha", "upper-alpha", "lower-roman",
                                      "upper-roman", "disc", "circle", "square", "dash", NULL };
static const char *const kinds[] = { "foot", "end", NULL };
static const char *const translation_v[] = { "translation", NULL };
static const char *const part_v[] = { "document", NULL };
static const char *const level1_v[] = { "1", NULL };
static const char *const section_types[] = { "book", "part", "chapter", "section", "subsection",
                                             "article", "schedule", "appendix", NULL };

#define LANG { "lang", 1, DT_LANG, 0, NULL }
#define COMMON LANG, { "id", 1, DT_ID, 0, NULL }, { "class", 0, DT_NMTOKENS, 0, NULL }
#define END { NULL, 0, DT_TEXT, 0, NULL }

static const struct attr a_none[] = { END };
static const struct attr a_common[] = { COMMON, END };
static const struct attr a_lang[] = { LANG, END };
static const struct attr a_document[] = { { "version", 0, DT_ENUM, 0, versions }, LANG, END };
static const struct attr a_title[] = { LANG, { "derived", 0, DT_BOOL, 0, NULL }, END };
static const struct attr a_identifier[] = { { "scheme", 0, DT_TEXT, 0, NULL }, END };
static const struct attr a_cover[] = { { "ref", 0, DT_TEXT, 1, NULL }, END };
static const struct attr a_series[] = { LANG, { "position", 0, DT_DECIMAL, 0, NULL }, END };
static const struct attr a_field[] = { { "name", 0, DT_TEXT, 1, NULL }, END };
static const struct attr a_section[] = { COMMON, { "type", 0, DT_ENUM, 0, section_types },
                                         { "n", 0, DT_TEXT, 0, NULL },
                                         { "level", 0, DT_LEVEL, 1, NULL }, END };
static const struct attr a_item[] = { COMMON, { "n", 0, DT_TEXT, 0, NULL },
                                      { "label", 0, DT_TEXT, 0, NULL }, END };
static const struct attr a_translation[] = {
  { "type", 0, DT_ENUM, 1, translation_v }, { "level", 0, DT_ENUM, 1, level1_v },
  { "id", 1, DT_ID, 1, NULL }, LANG, { "class", 0, DT_NMTOKENS, 0, NULL }, END
};
static const struct attr a_part[] = {
  { "type", 0, DT_ENUM, 1, part_v }, { "level", 0, DT_ENUM, 1, level1_v },
  { "id", 1, DT_ID, 1, NULL }, LANG, { "class", 0, DT_NMTOKENS, 0, NULL }, END
};
static const struct attr a_link[] = { { "targets", 0, DT_IDREFS, 1, NULL }, END };
static const struct attr a_resource[] = { { "name", 0, DT_RESNAME, 1, NULL },
                                          { "type", 0, DT_TEXT, 1, NULL }, END };
static const struct attr a_pre[] = { COMMON, { "language", 0, DT_TEXT, 0, NULL }, END };
static const struct attr a_list[] = { COMMON, { "ordered", 0, DT_BOOL, 0, NULL },
                                      { "start", 0, DT_INT, 0, NULL },
                                      { "style", 0, DT_ENUM, 0, styles }, END };
static const struct attr a_row[] = { { "header", 0, DT_BOOL, 0, NULL }, END };
static const struct attr a_cell[] = { COMMON, { "header", 0, DT_BOOL, 0, NULL },
                                      { "colspan", 0, DT_POSINT, 0, NULL },
                                      { "rowspan", 0, DT_POSINT, 0, NULL }, END };
static const struct attr a_image[] = { COMMON, { "ref", 0, DT_TEXT, 0, NULL },
                                       { "src", 0, DT_TEXT, 0, NULL },
                                       { "alt", 0, DT_TEXT, 0, NULL }, END };
static const struct attr a_a[] = { COMMON, { "href", 0, DT_TEXT, 1, NULL }, END };
static const struct attr a_note[] = { COMMON, { "kind", 0, DT_ENUM, 0, kinds }, END };
static const struct attr a_change[] = { COMMON, { "author", 0, DT_TEXT, 0, NULL },
                                        { "date", 0, DT_TEXT, 0, NULL }, END };
static const struct attr a_ref[] = { COMMON, { "type", 0, DT_NCNAME, 1, NULL },
                                     { "value", 0, DT_TEXT, 0, NULL }, END };

static int in_xml_ns(const xmlAttr *p)
{
  return p->ns && p->ns->href && xmlStrEqual(p->ns->href, XML_XML_NAMESPACE);
}

static void attrs(struct check *c, const xmlNode *n, const struct attr *allowed)
{
  unsigned seen = 0; /* bit i: allowed[i] is present */
  for (const xmlAttr *p = n->properties; p; p = p->next) {
    size_t i = 0;
    for (; allowed[i].name; i++)
      if (xmlStrEqual(p->name, BAD_CAST allowed[i].name) &&
          (allowed[i].xml_ns ? in_xml_ns(p) : p->ns == NULL))
        break;
    if (!allowed[i].name) {
      problem(c, n, "attribute '%s' not allowed on <%s>", (const char *)p->name,
              (const char *)n->name);
      continue;
    }
    seen |= 1u << i;
    xmlChar *v = xmlNodeListGetString(n->doc, p->children, 1);
    if (!v) {
      v = xmlStrdup(BAD_CAST "");
      if (!v) {
        c->oom = 1;
        return;
      }
    }
    if (!value_ok(c, n, &allowed[i], (const char *)v))
      problem(c, n, "bad value for attribute '%s' of <%s>", (const char *)p->name,
              (const char *)n->name);
    xmlFree(v);
  }
  for (size_t i = 0; allowed[i].name; i++)
    if (allowed[i].required && !(seen & (1u << i)))
      problem(c, n, "<%s> lacks attribute '%s'", (const char *)n->name, allowed[i].name);
}

/* ---- content ---- */

/* The next child of N from C (C itself included) that matters: an
 * element, or text that is not white space; comments and PIs are
 * skipped.  Text that matters where elements only are allowed is a
 * problem the callers report. */
static const xmlNode *next_child(const xmlNode *ch)
{
  for (; ch; ch = ch->next) {
    if (ch->type == XML_ELEMENT_NODE)
      return ch;
    if ((ch->type == XML_TEXT_NODE || ch->type == XML_CDATA_SECTION_NODE) && !only_ws(ch->content))
      return ch;
    if (ch->type == XML_ENTITY_REF_NODE)
      return ch;
  }
  return NULL;
}

static int is(const xmlNode *n, const char *name)
{
  return n && n->type == XML_ELEMENT_NODE && emc_ir_is(n, name);
}

static void unexpected(struct check *c, const xmlNode *parent, const xmlNode *ch)
{
  if (ch->type == XML_ELEMENT_NODE)
    problem(c, ch, "element <%s> not allowed in <%s>", (const char *)ch->name,
            (const char *)parent->name);
  else
    problem(c, ch, "text not allowed in <%s>", (const char *)parent->name);
}

/* Text only (no elements); comments and PIs are fine. */
static void text_only(struct check *c, const xmlNode *n)
{
  for (const xmlNode *ch = n->children; ch; ch = ch->next)
    if (ch->type == XML_ELEMENT_NODE)
      unexpected(c, n, ch);
}

/* No elements and no text but white space. */
static void empty(struct check *c, const xmlNode *n)
{
  const xmlNode *ch = next_child(n->children);
  if (ch)
    unexpected(c, n, ch);
}

static void block(struct check *c, const xmlNode *n, int depth);
static void inlines(struct check *c, const xmlNode *n, int depth);

/* One or more blocks (AT_LEAST 1) or any number (0). */
static void blocks(struct check *c, const xmlNode *n, int at_least, int depth)
{
  int k = 0;
  for (const xmlNode *ch = next_child(n->children); ch; ch = next_child(ch->next), k++)
    block(c, ch, depth);
  if (k < at_least)
    problem(c, n, "<%s> needs a block", (const char *)n->name);
}

static void heading(struct check *c, const xmlNode *sec, const xmlNode **ch, int depth)
{
  if (!is(*ch, "heading")) {
    problem(c, *ch ? *ch : sec, "<%s> must begin with <heading>", (const char *)sec->name);
    return;
  }
  attrs(c, *ch, a_common);
  inlines(c, *ch, depth + 1);
  *ch = next_child((*ch)->next);
}

static void section(struct check *c, const xmlNode *n, int depth);
static void meta(struct check *c, const xmlNode *n);

/* blocks.and.sections from CH on: blocks, then sections. */
static void blocks_and_sections(struct check *c, const xmlNode *parent, const xmlNode *ch, int depth)
{
  for (; ch && !is(ch, "section"); ch = next_child(ch->next))
    block(c, ch, depth);
  for (; ch; ch = next_child(ch->next)) {
    if (is(ch, "section"))
      section(c, ch, depth);
    else
      problem(c, ch, "<%s> after a <section> in <%s>: blocks come before sections",
              ch->type == XML_ELEMENT_NODE ? (const char *)ch->name : "text",
              (const char *)parent->name);
  }
}

static void section(struct check *c, const xmlNode *n, int depth)
{
  attrs(c, n, a_section);
  const xmlNode *ch = next_child(n->children);
  heading(c, n, &ch, depth);
  blocks_and_sections(c, n, ch, depth + 1);
}

/* A translation section, or (PART) a collection's member: the same shape. */
static void translation(struct check *c, const xmlNode *n, int depth, int part)
{
  attrs(c, n, part ? a_part : a_translation);
  const xmlNode *ch = next_child(n->children);
  heading(c, n, &ch, depth);
  if (is(ch, "meta")) {
    meta(c, ch);
    ch = next_child(ch->next);
  } else
    problem(c, ch ? ch : n, "a translation <section> needs <meta> after its heading");
  blocks_and_sections(c, n, ch, depth + 1);
}

static void body(struct check *c, const xmlNode *n)
{
  attrs(c, n, a_common);
  const xmlNode *first = next_child(n->children);
  xmlChar *type = is(first, "section") ? xmlGetProp(first, BAD_CAST "type") : NULL;
  /* all translations or all parts (a collection), as the first says;
   * other section types (chapter, article...) are ordinary sections */
  int part = type && xmlStrEqual(type, BAD_CAST "document");
  int grouped = part || (type && xmlStrEqual(type, BAD_CAST "translation"));
  xmlFree(type);
  if (grouped) {
    for (const xmlNode *ch = first; ch; ch = next_child(ch->next)) {
      if (is(ch, "section"))
        translation(c, ch, 1, part);
      else
        unexpected(c, n, ch);
    }
  } else
    blocks_and_sections(c, n, first, 1);
}

static void image(struct check *c, const xmlNode *n)
{
  attrs(c, n, a_image);
  int ref = xmlHasProp(n, BAD_CAST "ref") != NULL, src = xmlHasProp(n, BAD_CAST "src") != NULL;
  if (ref == src)
    problem(c, n, "<image> needs one of 'ref' and 'src'");
  empty(c, n);
}

static void caption(struct check *c, const xmlNode *n, int depth)
{
  attrs(c, n, a_common);
  inlines(c, n, depth + 1);
}

static void table(struct check *c, const xmlNode *n, int depth)
{
  attrs(c, n, a_common);
  const xmlNode *ch = next_child(n->children);
  if (is(ch, "caption")) {
    caption(c, ch, depth);
    ch = next_child(ch->next);
  }
  if (!ch)
    problem(c, n, "<table> needs a <row>");
  for (; ch; ch = next_child(ch->next)) {
    if (!is(ch, "row")) {
      unexpected(c, n, ch);
      continue;
    }
    attrs(c, ch, a_row);
    const xmlNode *cell = next_child(ch->children);
    if (!cell)
      problem(c, ch, "<row> needs a <cell>");
    for (; cell; cell = next_child(cell->next)) {
      if (!is(cell, "cell")) {
        unexpected(c, ch, cell);
        continue;
      }
      attrs(c, cell, a_cell);
      blocks(c, cell, 0, depth + 1);
    }
  }
}

static void block(struct check *c, const xmlNode *n, int depth)
{
  if (is(n, "p")) {
    attrs(c, n, a_common);
    inlines(c, n, depth + 1);
  } else if (is(n, "quote")) {
    attrs(c, n, a_common);
    blocks(c, n, 1, depth + 1);
  } else if (is(n, "list")) {
    attrs(c, n, a_list);
    const xmlNode *ch = next_child(n->children);
    if (!ch)
      problem(c, n, "<list> needs an <item>");
    for (; ch; ch = next_child(ch->next)) {
      if (!is(ch, "item")) {
        unexpected(c, n, ch);
        continue;
      }
      attrs(c, ch, a_item);
      blocks(c, ch, 1, depth + 1);
    }
  } else if (is(n, "deflist")) {
    attrs(c, n, a_common);
    const xmlNode *ch = next_child(n->children);
    if (!is(ch, "term"))
      problem(c, ch ? ch : n, "<deflist> must begin with <term>");
    for (; ch; ch = next_child(ch->next)) {
      if (is(ch, "term")) {
        attrs(c, ch, a_common);
        inlines(c, ch, depth + 1);
      } else if (is(ch, "definition")) {
        attrs(c, ch, a_common);
        blocks(c, ch, 1, depth + 1);
      } else
        unexpected(c, n, ch);
    }
  } else if (is(n, "table"))
    table(c, n, depth);
  else if (is(n, "pre")) {
    attrs(c, n, a_pre);
    text_only(c, n);
  } else if (is(n, "figure")) {
    attrs(c, n, a_common);
    const xmlNode *ch = next_child(n->children);
    if (!is(ch, "image")) {
      problem(c, ch ? ch : n, "<figure> must begin with <image>");
      return;
    }
    image(c, ch);
    ch = next_child(ch->next);
    if (is(ch, "caption")) {
      caption(c, ch, depth);
      ch = next_child(ch->next);
    }
    if (ch)
      unexpected(c, n, ch);
  } else if (is(n, "hr")) {
    attrs(c, n, a_none);
    empty(c, n);
  } else
    problem(c, n, "%s%s%s not allowed where a block is expected (in <%s>)",
            n->type == XML_ELEMENT_NODE ? "element <" : "text",
            n->type == XML_ELEMENT_NODE ? (const char *)n->name : "",
            n->type == XML_ELEMENT_NODE ? ">" : "",
            n->parent ? (const char *)n->parent->name : "");
}

static void inline_elem(struct check *c, const xmlNode *n, int depth)
{
  static const char *const plain[] = { "em", "strong", "u", "sup", "sub", "span", NULL };
  for (const char *const *p = plain; *p; p++)
    if (is(n, *p)) {
      attrs(c, n, a_common);
      inlines(c, n, depth + 1);
      return;
    }
  if (is(n, "code")) {
    attrs(c, n, a_common);
    text_only(c, n);
  } else if (is(n, "a")) {
    attrs(c, n, a_a);
    inlines(c, n, depth + 1);
  } else if (is(n, "note")) {
    attrs(c, n, a_note);
    blocks(c, n, 1, depth + 1);
  } else if (is(n, "ref")) {
    attrs(c, n, a_ref);
    inlines(c, n, depth + 1);
  } else if (is(n, "ins") || is(n, "del")) {
    attrs(c, n, a_change);
    inlines(c, n, depth + 1);
  } else if (is(n, "image"))
    image(c, n);
  else if (is(n, "br")) {
    attrs(c, n, a_none);
    empty(c, n);
  } else
    problem(c, n, "element <%s> not allowed in <%s>", (const char *)n->name,
            n->parent ? (const char *)n->parent->name : "");
}

static void inlines(struct check *c, const xmlNode *n, int depth)
{
  /* recursion is bounded by the parser's depth limit (256) */
  for (const xmlNode *ch = n->children; ch; ch = ch->next)
    if (ch->type == XML_ELEMENT_NODE)
      inline_elem(c, ch, depth);
}

/* <meta>: an interleave; each field at most once but the lists (author,
 * editor, subject, keyword, identifier, field). */
static void meta(struct check *c, const xmlNode *n)
{
  static const struct {
    const char *name;
    const struct attr *attrs;
    int many;
  } fields[] = {
    { "title", a_title, 0 },       { "subtitle", a_lang, 0 },    { "author", a_lang, 1 },
    { "date", a_none, 0 },         { "language", a_none, 0 },    { "source", a_none, 0 },
    { "publisher", a_lang, 0 },    { "identifier", a_identifier, 1 },
    { "cover", a_cover, 0 },       { "field", a_field, 1 },
    { "editor", a_lang, 1 },       { "subject", a_lang, 1 },     { "keyword", a_lang, 1 },
    { "rights", a_lang, 0 },       { "description", a_lang, 0 }, { "series", a_series, 0 },
    { "created", a_none, 0 },      { "modified", a_none, 0 },
  };
  unsigned seen = 0;
  attrs(c, n, a_none);
  for (const xmlNode *ch = next_child(n->children); ch; ch = next_child(ch->next)) {
    size_t i = 0;
    while (i < sizeof fields / sizeof fields[0] && !is(ch, fields[i].name))
      i++;
    if (i == sizeof fields / sizeof fields[0]) {
      unexpected(c, n, ch);
      continue;
    }
    if ((seen & (1u << i)) && !fields[i].many)
      problem(c, ch, "more than one <%s> in <meta>", fields[i].name);
    seen |= 1u << i;
    attrs(c, ch, fields[i].attrs);
    if (is(ch, "cover"))
      empty(c, ch);
    else
      text_only(c, ch);
    if (is(ch, "language")) {
      xmlChar *v = xmlNodeGetContent(ch);
      const char *b, *e;
      trimmed(v ? (const char *)v : "", &b, &e);
      if (!language(b, e))
        problem(c, ch, "<language> is not a language tag");
      xmlFree(v);
    }
  }
}

static void alignment(struct check *c, const xmlNode *n)
{
  attrs(c, n, a_none);
  for (const xmlNode *ch = next_child(n->children); ch; ch = next_child(ch->next)) {
    if (!is(ch, "link")) {
      unexpected(c, n, ch);
      continue;
    }
    attrs(c, ch, a_link);
    empty(c, ch);
    if (c->n_links == c->cap_links) {
      size_t cap = c->cap_links ? c->cap_links * 2 : 64;
      const xmlNode **g = realloc(c->links, cap * sizeof *g);
      if (!g) {
        c->oom = 1;
        return;
      }
      c->links = g;
      c->cap_links = cap;
    }
    c->links[c->n_links++] = ch;
  }
}

static void resources(struct check *c, const xmlNode *n)
{
  attrs(c, n, a_none);
  for (const xmlNode *ch = next_child(n->children); ch; ch = next_child(ch->next)) {
    if (!is(ch, "resource")) {
      unexpected(c, n, ch);
      continue;
    }
    attrs(c, ch, a_resource);
    text_only(c, ch);
    for (const xmlNode *t = ch->children; t; t = t->next)
      for (const xmlChar *s = t->type == XML_TEXT_NODE ? t->content : NULL; s && *s; s++)
        if (!(ascii_alpha(*s) || ascii_digit(*s) || *s == '+' || *s == '/' || *s == '=' ||
              is_ws(*s))) {
          problem(c, ch, "<resource> is not base64");
          break;
        }
  }
}

/* Every IDREF of the alignment names an xml:id of the document. */
static void link_targets(struct check *c)
{
  for (size_t i = 0; i < c->n_links; i++) {
    xmlChar *v = xmlGetProp(c->links[i], BAD_CAST "targets");
    char *save = NULL;
    for (char *t = v ? strtok_r((char *)v, " \t\r\n", &save) : NULL; t;
         t = strtok_r(NULL, " \t\r\n", &save))
      if (!xmlHashLookup(c->ids, BAD_CAST t)) {
        problem(c, c->links[i], "link target '%s' is no xml:id of the document", t);
        break;
      }
    xmlFree(v);
  }
}

int emci_ir_check(xmlDocPtr tree, char *first, size_t first_size, int *count)
{
  struct check c = { NULL, NULL, 0, 0, 0, first, first_size, 0 };
  first[0] = '\0';
  if (!(c.ids = xmlHashCreate(64)))
    return EMC_ENOMEM;
  const xmlNode *root = xmlDocGetRootElement(tree);
  if (!is(root, "document"))
    problem(&c, root, "the root is not <document>");
  else {
    attrs(&c, root, a_document);
    const xmlNode *ch = next_child(root->children);
    if (is(ch, "meta")) {
      meta(&c, ch);
      ch = next_child(ch->next);
    } else
      problem(&c, ch ? ch : root, "<document> must begin with <meta>");
    if (is(ch, "body")) {
      body(&c, ch);
      ch = next_child(ch->next);
    } else
      problem(&c, ch ? ch : root, "<document> needs <body> after <meta>");
    if (is(ch, "alignment")) {
      alignment(&c, ch);
      ch = next_child(ch->next);
    }
    if (is(ch, "resources")) {
      resources(&c, ch);
      ch = next_child(ch->next);
    }
    if (ch)
      unexpected(&c, root, ch);
    link_targets(&c);
  }
  xmlHashFree(c.ids, NULL);
  free(c.links);
  *count = c.count;
  return c.oom ? EMC_ENOMEM : EMC_OK;
}
