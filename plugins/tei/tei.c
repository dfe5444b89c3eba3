/* SPDX-License-Identifier: MIT */
/* tei.c - TEI P5 writer.
 *
 * teiHeader: titleStmt (title, authors), publicationStmt (valid even when
 * the source names no publisher), sourceDesc (the source URL), encodingDesc
 * (emuconv as the application), profileDesc/langUsage (every language
 * used), revisionDesc (who made the tracked changes kept, and when).
 * text/body: div/head, p, list/item, table/row/cell, note, ref, hi@rend,
 * quote, eg, figure/graphic, add/del; xml:lang kept on every element.
 * Valid against tei_all.rng (tests/cli/t2000-tei.tap checks it with jing).
 * Recursion follows the IR's depth, which every reader bounds
 * (emc_limits.max_depth). */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <emuconv/emuconv.h>
#include <emuconv/url.h>
#include <libxml/hash.h>
#include "tei-read.h"
#include "../common/datetime.h"
#include "../common/frontmatter.h"

#define TEI_NS "http://www.tei-c.org/ns/1.0"

struct tei {
  xmlDocPtr out;
  xmlNsPtr ns;
  xmlChar **langs; /* distinct xml:lang values in document order */
  size_t n_langs;
  int oom;
  int write_failed; /* the output refused bytes: stop making more */
  /* Tracked changes (IR <ins>/<del>): each distinct author and date is a
   * <change> of the revisionDesc, which add/del point to.  CHANGES maps
   * the key (change_key) to its xml:id; IDS holds the body's xml:ids, which
   * a change's id must not take. */
  xmlHashTablePtr changes, ids;
  xmlChar **change_keys; /* in document order */
  size_t n_changes;
  size_t changes_named;  /* change_keys[0..changes_named-1] have their id */
  size_t changes_listed; /* ... and are in a revisionDesc */
  size_t change_k;       /* the K of the last "change-K" */
};

static xmlNodePtr el(struct tei *t, xmlNodePtr parent, const char *name)
{
  xmlNodePtr n = xmlNewDocNode(t->out, t->ns, BAD_CAST name, NULL);
  if (!n) {
    t->oom = 1;
    return NULL;
  }
  return parent ? xmlAddChild(parent, n) : n;
}

static xmlNodePtr el_text(struct tei *t, xmlNodePtr parent, const char *name,
                          const xmlChar *text)
{
  xmlNodePtr n = el(t, parent, name);
  if (n && text && *text) {
    xmlNodePtr tx = xmlNewDocText(t->out, text);
    if (!tx)
      t->oom = 1;
    else
      xmlAddChild(n, tx);
  }
  return n;
}

static void set(struct tei *t, xmlNodePtr n, const char *name, const char *value)
{
  if (n && value && !xmlSetProp(n, BAD_CAST name, BAD_CAST value))
    t->oom = 1;
}

static void note_lang(struct tei *t, const xmlChar *lang)
{
  if (!lang || !*lang)
    return;
  for (size_t i = 0; i < t->n_langs; i++)
    if (xmlStrEqual(t->langs[i], lang))
      return;
  xmlChar **grown = xmlRealloc(t->langs, (t->n_langs + 1) * sizeof *grown);
  if (!grown || !(grown[t->n_langs] = xmlStrdup(lang))) {
    if (grown)
      t->langs = grown;
    t->oom = 1;
    return;
  }
  t->langs = grown;
  t->n_langs++;
}

/* Copies xml:lang and xml:id from an IR element to its TEI counterpart. */
static void copy_common(struct tei *t, const xmlNode *from, xmlNodePtr to)
{
  if (!to)
    return;
  xmlChar *lang = xmlGetNsProp(from, BAD_CAST "lang", XML_XML_NAMESPACE);
  if (lang) {
    xmlNodeSetLang(to, lang);
    note_lang(t, lang);
    xmlFree(lang);
  }
  xmlChar *id = xmlGetNsProp(from, BAD_CAST "id", XML_XML_NAMESPACE);
  if (id) {
    xmlNsPtr xml = xmlSearchNs(t->out, to, BAD_CAST "xml");
    if (!xml || !xmlSetNsProp(to, xml, BAD_CAST "id", id))
      t->oom = 1;
    xmlFree(id);
  }
}

static int ir_bool(const xmlNode *n, const char *attr)
{
  xmlChar *v = xmlGetProp(n, BAD_CAST attr);
  int yes = v && (xmlStrEqual(v, BAD_CAST "true") || xmlStrEqual(v, BAD_CAST "1"));
  xmlFree(v);
  return yes;
}

static void copy_attr(struct tei *t, const xmlNode *from, const char *name,
                      xmlNodePtr to, const char *as)
{
  xmlChar *v = xmlGetProp(from, BAD_CAST name);
  if (v)
    set(t, to, as, (const char *)v);
  xmlFree(v);
}

/* A metadata element's text as a new NAME under PARENT, with its xml:lang. */
static xmlNodePtr copy_meta(struct tei *t, const xmlNode *m, xmlNodePtr parent, const char *name)
{
  xmlChar *v = xmlNodeGetContent(m);
  xmlNodePtr e = el_text(t, parent, name, v);
  xmlFree(v);
  xmlChar *lang = xmlGetNsProp(m, BAD_CAST "lang", XML_XML_NAMESPACE);
  if (e && lang) {
    xmlNodeSetLang(e, lang);
    note_lang(t, lang);
  }
  xmlFree(lang);
  return e;
}

static void blocks(struct tei *t, const xmlNode *first, xmlNodePtr parent);

/* A single-paragraph container (item, cell, note) takes the paragraph's
 * inline content directly; otherwise its blocks. */
static const xmlNode *sole_paragraph(const xmlNode *container)
{
  const xmlNode *only = NULL;
  for (const xmlNode *c = container->children; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE)
      continue;
    if (only || !emc_ir_is(c, "p"))
      return NULL;
    only = c;
  }
  return only;
}

static void inlines(struct tei *t, const xmlNode *first, xmlNodePtr parent);

static void block_content(struct tei *t, const xmlNode *container, xmlNodePtr to)
{
  const xmlNode *p = sole_paragraph(container);
  if (p) {
    xmlChar *lang = xmlGetNsProp(p, BAD_CAST "lang", XML_XML_NAMESPACE);
    if (lang) { /* keep the paragraph's language on the container */
      xmlNodeSetLang(to, lang);
      note_lang(t, lang);
      xmlFree(lang);
    }
    inlines(t, p->children, to);
  } else
    blocks(t, container->children, to);
}

static void image(struct tei *t, const xmlNode *img, xmlNodePtr parent)
{
  xmlNodePtr g = el(t, parent, "graphic");
  copy_common(t, img, g);
  xmlChar *url = xmlGetProp(img, BAD_CAST "ref");
  if (!url)
    url = xmlGetProp(img, BAD_CAST "src");
  set(t, g, "url", url && emc_url_is_safe((const char *)url) ? (const char *)url : "");
  xmlFree(url);
  xmlChar *alt = xmlGetProp(img, BAD_CAST "alt");
  if (alt && *alt)
    el_text(t, g, "desc", alt);
  xmlFree(alt);
}

/* The key of tracked change N: "AUTHOR\x1fDATE", the date only when it
 * is one TEI takes; NULL when N says neither (or out of memory). */
static xmlChar *change_key(const xmlNode *n)
{
  xmlChar *author = xmlGetProp(n, BAD_CAST "author"), *date = xmlGetProp(n, BAD_CAST "date");
  xmlChar *key = NULL;
  if (date && !emc_is_portable_datetime((const char *)date)) {
    xmlFree(date);
    date = NULL;
  }
  if ((author && *author) || date) {
    key = xmlStrdup(author ? author : BAD_CAST "");
    key = xmlStrcat(key, BAD_CAST "\x1f");
    if (date)
      key = xmlStrcat(key, date);
  }
  xmlFree(author);
  xmlFree(date);
  return key;
}

static void hi(struct tei *t, const xmlNode *n, xmlNodePtr parent, const char *rend)
{
  xmlNodePtr h = el(t, parent, "hi");
  set(t, h, "rend", rend);
  copy_common(t, n, h);
  inlines(t, n->children, h);
}

static void inlines(struct tei *t, const xmlNode *first, xmlNodePtr parent)
{
  for (const xmlNode *n = first; n && !t->oom; n = n->next) {
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
      xmlNodePtr tx = xmlNewDocText(t->out, n->content);
      if (!tx)
        t->oom = 1;
      else
        xmlAddChild(parent, tx);
      continue;
    }
    if (n->type != XML_ELEMENT_NODE)
      continue;
    if (emc_ir_is(n, "em"))
      hi(t, n, parent, "italic");
    else if (emc_ir_is(n, "strong"))
      hi(t, n, parent, "bold");
    else if (emc_ir_is(n, "u"))
      hi(t, n, parent, "underline");
    else if (emc_ir_is(n, "sup"))
      hi(t, n, parent, "superscript");
    else if (emc_ir_is(n, "sub"))
      hi(t, n, parent, "subscript");
    else if (emc_ir_is(n, "code")) {
      xmlChar *s = xmlNodeGetContent(n);
      copy_common(t, n, el_text(t, parent, "code", s));
      xmlFree(s);
    } else if (emc_ir_is(n, "span")) {
      xmlNodePtr s = el(t, parent, "seg");
      copy_common(t, n, s);
      inlines(t, n->children, s);
    } else if (emc_ir_is(n, "a")) {
      /* a target off the allow-list (javascript:, file:): its text stays */
      xmlChar *href = xmlGetProp(n, BAD_CAST "href");
      int safe = !href || emc_url_is_safe((const char *)href);
      xmlNodePtr r = el(t, parent, safe ? "ref" : "seg");
      if (href && safe)
        set(t, r, "target", (const char *)href);
      xmlFree(href);
      copy_common(t, n, r);
      inlines(t, n->children, r);
    } else if (emc_ir_is(n, "note")) {
      xmlNodePtr note = el(t, parent, "note");
      xmlChar *kind = xmlGetProp(n, BAD_CAST "kind");
      set(t, note, "place", kind && xmlStrEqual(kind, BAD_CAST "end") ? "end" : "foot");
      xmlFree(kind);
      copy_common(t, n, note);
      block_content(t, n, note);
    } else if (emc_ir_is(n, "ref")) {
      xmlChar *type = xmlGetProp(n, BAD_CAST "type");
      xmlChar *value = xmlGetProp(n, BAD_CAST "value");
      xmlNodePtr r;
      if (type && xmlStrEqual(type, BAD_CAST "date")) {
        r = el(t, parent, "date");
        if (value)
          set(t, r, "when", (const char *)value);
      } else if (type && xmlStrEqual(type, BAD_CAST "docnum")) {
        r = el(t, parent, "idno");
        set(t, r, "type", "docnum");
      } else {
        r = el(t, parent, "rs");
        set(t, r, "type", type ? (const char *)type : "entity");
        if (value)
          set(t, r, "key", (const char *)value);
      }
      copy_common(t, n, r);
      inlines(t, n->children, r);
      xmlFree(type);
      xmlFree(value);
    } else if (emc_ir_is(n, "ins") || emc_ir_is(n, "del")) {
      xmlNodePtr c = el(t, parent, emc_ir_is(n, "ins") ? "add" : "del");
      xmlChar *key = change_key(n);
      const char *id = key && t->changes ? xmlHashLookup(t->changes, key) : NULL;
      if (id) {
        char ref[48];
        snprintf(ref, sizeof ref, "#%s", id);
        set(t, c, "change", ref);
      }
      xmlFree(key);
      copy_common(t, n, c);
      inlines(t, n->children, c);
    } else if (emc_ir_is(n, "image"))
      image(t, n, parent);
    else if (emc_ir_is(n, "br"))
      el(t, parent, "lb");
  }
}

static void list(struct tei *t, const xmlNode *n, xmlNodePtr parent)
{
  xmlNodePtr l = el(t, parent, "list");
  int ordered = ir_bool(n, "ordered");
  set(t, l, "rend", ordered ? "numbered" : "bulleted");
  copy_common(t, n, l);
  xmlChar *startv = xmlGetProp(n, BAD_CAST "start");
  long num = startv ? strtol((const char *)startv, NULL, 10) : 1;
  xmlFree(startv);
  /* Items with their labels as printed ("đ)", "(iv)"): label + item
   * pairs, the item's n the label's identifier ("đ"). */
  const xmlNode *first = n->children;
  while (first && !emc_ir_is(first, "item"))
    first = first->next;
  int labelled = first && xmlHasProp(first, BAD_CAST "label");
  for (const xmlNode *c = n->children; c && !t->oom; c = c->next) {
    if (!emc_ir_is(c, "item"))
      continue;
    if (labelled) {
      xmlChar *lab = xmlGetProp(c, BAD_CAST "label");
      el_text(t, l, "label", lab ? lab : BAD_CAST "");
      xmlFree(lab);
    }
    xmlNodePtr item = el(t, l, "item");
    if (xmlHasProp(c, BAD_CAST "n")) {
      copy_attr(t, c, "n", item, "n");
      num++;
    } else if (ordered) {
      char buf[24];
      snprintf(buf, sizeof buf, "%ld", num++);
      set(t, item, "n", buf);
    }
    copy_common(t, c, item);
    block_content(t, c, item);
  }
}

static void table(struct tei *t, const xmlNode *n, xmlNodePtr parent)
{
  xmlNodePtr tb = el(t, parent, "table");
  copy_common(t, n, tb);
  for (const xmlNode *c = n->children; c && !t->oom; c = c->next) {
    if (emc_ir_is(c, "caption")) {
      xmlNodePtr h = el(t, tb, "head");
      copy_common(t, c, h);
      inlines(t, c->children, h);
    } else if (emc_ir_is(c, "row")) {
      xmlNodePtr row = el(t, tb, "row");
      if (ir_bool(c, "header"))
        set(t, row, "role", "label");
      for (const xmlNode *cell = c->children; cell; cell = cell->next) {
        if (!emc_ir_is(cell, "cell"))
          continue;
        xmlNodePtr tc = el(t, row, "cell");
        if (ir_bool(cell, "header"))
          set(t, tc, "role", "label");
        copy_attr(t, cell, "colspan", tc, "cols");
        copy_attr(t, cell, "rowspan", tc, "rows");
        copy_common(t, cell, tc);
        block_content(t, cell, tc);
      }
    }
  }
}

/* The div of IR section N, without its blocks, appended to PARENT. */
static xmlNodePtr section_div(struct tei *t, const xmlNode *n, xmlNodePtr parent)
{
  xmlNodePtr div = el(t, parent, "div");
  char lv[8];
  snprintf(lv, sizeof lv, "%d", emc_ir_section_level(n));
  if (xmlHasProp(n, BAD_CAST "n")) /* an official document's number: "IV" */
    copy_attr(t, n, "n", div, "n");
  else
    set(t, div, "n", lv);
  /* "translation" (IR 1.1), or the layout's part, chapter, article... */
  copy_attr(t, n, "type", div, "type");
  copy_common(t, n, div);
  return div;
}

/* One IR block as TEI, appended to PARENT. */
static void block(struct tei *t, const xmlNode *n, xmlNodePtr parent)
{
  if (n->type != XML_ELEMENT_NODE)
    return;
  if (emc_ir_is(n, "p")) {
    xmlNodePtr p = el(t, parent, "p");
    copy_common(t, n, p);
    inlines(t, n->children, p);
  } else if (emc_ir_is(n, "section"))
    blocks(t, n->children, section_div(t, n, parent));
  else if (emc_ir_is(n, "heading")) {
    xmlNodePtr h = el(t, parent, "head");
    copy_common(t, n, h);
    inlines(t, n->children, h);
  } else if (emc_ir_is(n, "quote")) {
    xmlNodePtr q = el(t, parent, "quote");
    copy_common(t, n, q);
    blocks(t, n->children, q);
  } else if (emc_ir_is(n, "list"))
    list(t, n, parent);
  else if (emc_ir_is(n, "deflist")) {
    xmlNodePtr l = el(t, parent, "list");
    set(t, l, "type", "gloss");
    copy_common(t, n, l);
    xmlNodePtr pending_label = NULL;
    for (const xmlNode *c = n->children; c; c = c->next) {
      if (emc_ir_is(c, "term")) {
        if (pending_label) /* a term without definition: empty item */
          el(t, l, "item");
        pending_label = el(t, l, "label");
        copy_common(t, c, pending_label);
        inlines(t, c->children, pending_label);
      } else if (emc_ir_is(c, "definition")) {
        if (!pending_label) /* a second definition: an empty label first */
          el(t, l, "label");
        xmlNodePtr item = el(t, l, "item");
        copy_common(t, c, item);
        block_content(t, c, item);
        pending_label = NULL;
      }
    }
    if (pending_label)
      el(t, l, "item");
  } else if (emc_ir_is(n, "table"))
    table(t, n, parent);
  else if (emc_ir_is(n, "pre")) {
    xmlChar *s = xmlNodeGetContent(n);
    xmlNodePtr eg = el_text(t, parent, "eg", s);
    xmlFree(s);
    xmlNodeSetSpacePreserve(eg, 1);
    copy_common(t, n, eg);
  } else if (emc_ir_is(n, "figure")) {
    xmlNodePtr fig = el(t, parent, "figure");
    copy_common(t, n, fig);
    for (const xmlNode *c = n->children; c; c = c->next)
      if (emc_ir_is(c, "caption")) {
        xmlNodePtr h = el(t, fig, "head");
        copy_common(t, c, h);
        inlines(t, c->children, h);
      }
    for (const xmlNode *c = n->children; c; c = c->next)
      if (emc_ir_is(c, "image"))
        image(t, c, fig);
  } else if (emc_ir_is(n, "hr")) {
    xmlNodePtr m = el(t, parent, "milestone");
    set(t, m, "unit", "section");
    set(t, m, "rend", "hr");
  }
}

static void blocks(struct tei *t, const xmlNode *first, xmlNodePtr parent)
{
  for (const xmlNode *n = first; n && !t->oom; n = n->next)
    block(t, n, parent);
}

/* ---- parallel texts (IR 1.1) ---- */

/* A version of a parallel text: a section of type "translation" (other
 * types are an official document's parts and chapters). */
static int is_translation(const xmlNode *n)
{
  xmlChar *type = xmlGetProp(n, BAD_CAST "type");
  int yes = type && xmlStrEqual(type, BAD_CAST "translation");
  xmlFree(type);
  return yes;
}

/* The translation sections of a parallel text, in order: the children of
 * <body> with type="translation".  Returns the next one after PREV (NULL:
 * the first). */
static const xmlNode *next_translation(const emc_doc *doc, const xmlNode *prev)
{
  const xmlNode *n = prev ? prev->next : emc_doc_body(doc)->children;
  for (; n; n = n->next)
    if (emc_ir_is(n, "section") && is_translation(n))
      return n;
  return NULL;
}

static const xmlNode *child_named(const xmlNode *parent, const char *name)
{
  for (const xmlNode *c = parent ? parent->children : NULL; c; c = c->next)
    if (emc_ir_is(c, name))
      return c;
  return NULL;
}

/* Each version's title (when not the main one) and authors (when not
 * listed yet) in titleStmt, in the version's language. */
static void translation_titles(struct tei *t, const emc_doc *doc, xmlNodePtr ts)
{
  for (const xmlNode *tr = next_translation(doc, NULL); tr && !t->oom;
       tr = next_translation(doc, tr)) {
    xmlChar *lang = xmlGetNsProp(tr, BAD_CAST "lang", XML_XML_NAMESPACE);
    for (const xmlNode *m = child_named(child_named(tr, "meta"), NULL); m; m = m->next) {
      if (!emc_ir_is(m, "title") && !emc_ir_is(m, "author"))
        continue;
      xmlChar *v = xmlNodeGetContent(m);
      int known = 0;
      for (xmlNodePtr e = ts->children; e && !known; e = e->next) {
        xmlChar *ev = xmlNodeGetContent(e);
        known = xmlStrEqual(e->name, m->name) && xmlStrEqual(ev, v);
        xmlFree(ev);
      }
      if (!known && v && *v) {
        xmlNodePtr e = el_text(t, NULL, (const char *)m->name, v);
        if (e && emc_ir_is(m, "title"))
          set(t, e, "type", "alt");
        if (e && lang)
          xmlNodeSetLang(e, lang);
        /* titles before authors, as titleStmt wants them */
        xmlNodePtr after = NULL;
        if (emc_ir_is(m, "title"))
          for (xmlNodePtr c = ts->children; c; c = c->next)
            if (xmlStrEqual(c->name, BAD_CAST "title"))
              after = c;
        if (e && after)
          xmlAddNextSibling(after, e);
        else if (e)
          xmlAddChild(ts, e);
      }
      xmlFree(v);
    }
    xmlFree(lang);
  }
}

/* sourceDesc of a parallel text: one bibl per version, pointing at its
 * div: title, authors, date, source URL. */
static void translation_sources(struct tei *t, const emc_doc *doc, xmlNodePtr sd)
{
  xmlNodePtr lb = el(t, sd, "listBibl");
  for (const xmlNode *tr = next_translation(doc, NULL); tr && !t->oom;
       tr = next_translation(doc, tr)) {
    xmlNodePtr bibl = el(t, lb, "bibl");
    xmlChar *id = xmlGetNsProp(tr, BAD_CAST "id", XML_XML_NAMESPACE);
    xmlChar *lang = xmlGetNsProp(tr, BAD_CAST "lang", XML_XML_NAMESPACE);
    if (id) {
      char *ref = malloc((size_t)xmlStrlen(id) + 2);
      if (ref) {
        ref[0] = '#';
        memcpy(ref + 1, id, (size_t)xmlStrlen(id) + 1);
        set(t, bibl, "corresp", ref);
      } else
        t->oom = 1;
      free(ref);
    }
    if (lang && bibl)
      xmlNodeSetLang(bibl, lang);
    static const char *const parts[] = { "title", "author", "date", "source" };
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
      for (const xmlNode *m = child_named(child_named(tr, "meta"), NULL); m; m = m->next) {
        if (!emc_ir_is(m, parts[i]))
          continue;
        xmlChar *v = xmlNodeGetContent(m);
        if (v && *v) {
          xmlNodePtr e = el_text(t, bibl, i == 3 ? "ref" : parts[i], v);
          if (i == 3 && emc_url_is_safe((const char *)v))
            set(t, e, "target", (const char *)v);
        }
        xmlFree(v);
      }
    xmlFree(id);
    xmlFree(lang);
  }
}

/* The IR's <alignment> as a linkGrp: one link per aligned position,
 * pointing at the blocks of every version. */
static void alignment(struct tei *t, const emc_doc *doc, xmlNodePtr body)
{
  const xmlNode *al = child_named(xmlDocGetRootElement(emc_doc_tree(doc)), "alignment");
  if (!al || !child_named(al, "link"))
    return;
  xmlNodePtr grp = el(t, body, "linkGrp");
  set(t, grp, "type", "translation");
  for (const xmlNode *l = child_named(al, "link"); l && !t->oom; l = l->next) {
    if (!emc_ir_is(l, "link"))
      continue;
    xmlChar *targets = xmlGetProp(l, BAD_CAST "targets");
    xmlChar *uris = NULL;
    char *save = NULL;
    for (char *id = targets ? strtok_r((char *)targets, " \t\r\n", &save) : NULL; id;
         id = strtok_r(NULL, " \t\r\n", &save)) {
      uris = xmlStrcat(uris, BAD_CAST(uris ? " #" : "#"));
      uris = xmlStrcat(uris, BAD_CAST id);
    }
    if (uris)
      set(t, el(t, grp, "link"), "target", (const char *)uris);
    xmlFree(uris);
    xmlFree(targets);
  }
}

/* A title the filters made up from the text (<title derived="true">)
 * keeps that mark: subtype="derived" (att.typed) on the main title. */
static void title_derived_mark(struct tei *t, xmlNodePtr meta, xmlNodePtr tt)
{
  for (xmlNodePtr m = meta->children; m; m = m->next)
    if (emc_ir_is(m, "title")) {
      xmlChar *d = xmlGetProp(m, BAD_CAST "derived");
      if (d && (xmlStrEqual(d, BAD_CAST "true") || xmlStrEqual(d, BAD_CAST "1")))
        set(t, tt, "subtype", "derived");
      xmlFree(d);
      return;
    }
}

static void header(struct tei *t, emc_ctx *ctx, const emc_doc *doc, xmlNodePtr root)
{
  xmlNodePtr meta = emc_doc_meta(doc);
  xmlNodePtr hdr = el(t, root, "teiHeader");
  xmlNodePtr fd = el(t, hdr, "fileDesc");
  xmlNodePtr ts = el(t, fd, "titleStmt");
  char *title = emc_doc_meta_get(doc, "title");
  xmlNodePtr tt = el_text(t, ts, "title", BAD_CAST(title && *title ? title : "Untitled document"));
  set(t, tt, "type", "main");
  free(title);
  title_derived_mark(t, meta, tt);
  char *subtitle = emc_doc_meta_get(doc, "subtitle");
  if (subtitle)
    set(t, el_text(t, ts, "title", BAD_CAST subtitle), "type", "sub");
  free(subtitle);
  for (xmlNodePtr m = meta->children; m; m = m->next)
    if (emc_ir_is(m, "author")) {
      xmlChar *a = xmlNodeGetContent(m);
      el_text(t, ts, "author", a);
      xmlFree(a);
    }
  translation_titles(t, doc, ts);
  for (xmlNodePtr m = meta->children; m; m = m->next)
    if (emc_ir_is(m, "editor"))
      copy_meta(t, m, ts, "editor");
  /* an official document's signer (IR field signer, signer-role) */
  char *signer = emc_doc_meta_get(doc, "signer");
  if (signer) {
    char *role = emc_doc_meta_get(doc, "signer-role");
    xmlNodePtr rs = el(t, ts, "respStmt");
    el_text(t, rs, "resp", BAD_CAST(role ? role : "signed by"));
    el_text(t, rs, "name", BAD_CAST signer);
    free(role);
  }
  free(signer);

  /* publicationStmt: <p> alone is valid when nothing is known; with a
   * publisher, publisher then date and idno. */
  xmlNodePtr ps = el(t, fd, "publicationStmt");
  char *publisher = emc_doc_meta_get(doc, "publisher");
  char *date = emc_doc_meta_get(doc, "date");
  char *rights = emc_doc_meta_get(doc, "rights");
  int ids = 0;
  for (xmlNodePtr m = meta->children; m; m = m->next)
    ids += emc_ir_is(m, "identifier");
  if (publisher || ids || rights) {
    el_text(t, ps, publisher ? "publisher" : "authority",
            BAD_CAST(publisher ? publisher : "unknown"));
    char *place = emc_doc_meta_get(doc, "place"); /* where it was issued */
    if (place)
      el_text(t, ps, "pubPlace", BAD_CAST place);
    free(place);
    if (date)
      el_text(t, ps, "date", BAD_CAST date);
    for (xmlNodePtr m = meta->children; m; m = m->next)
      if (emc_ir_is(m, "identifier")) {
        xmlChar *v = xmlNodeGetContent(m);
        xmlNodePtr idno = el_text(t, ps, "idno", v);
        copy_attr(t, m, "scheme", idno, "type");
        xmlFree(v);
      }
    if (rights) /* the licence, as the Guidelines put it (2.2.4) */
      el_text(t, el(t, ps, "availability"), "licence", BAD_CAST rights);
  } else
    el_text(t, ps, "p", BAD_CAST "No publication statement in the source; "
                                 "converted to TEI by emuconv.");
  free(publisher);
  free(rights);

  xmlNodePtr series = NULL;
  for (xmlNodePtr m = meta->children; m && !series; m = m->next)
    if (emc_ir_is(m, "series"))
      series = m;
  if (series) {
    xmlNodePtr ss = el(t, fd, "seriesStmt");
    copy_meta(t, series, ss, "title");
    xmlChar *pos = xmlGetProp(series, BAD_CAST "position");
    if (pos)
      set(t, el_text(t, ss, "biblScope", pos), "unit", "volume");
    xmlFree(pos);
  }

  xmlNodePtr sd = el(t, fd, "sourceDesc");
  char *source = emc_doc_meta_get(doc, "source");
  if (next_translation(doc, NULL))
    translation_sources(t, doc, sd);
  else if (source || date) {
    xmlNodePtr bibl = el(t, sd, "bibl");
    if (date)
      el_text(t, bibl, "date", BAD_CAST date);
    if (source) {
      xmlNodePtr ref = el_text(t, bibl, "ref", BAD_CAST source);
      if (emc_url_is_safe(source))
        set(t, ref, "target", source);
    }
  } else
    el_text(t, sd, "p", BAD_CAST "No source recorded.");
  free(source);
  free(date);

  xmlNodePtr ed = el(t, hdr, "encodingDesc");
  xmlNodePtr ai = el(t, ed, "appInfo");
  xmlNodePtr app = el(t, ai, "application");
  set(t, app, "ident", "emuconv");
  set(t, app, "version", emc_version());
  el_text(t, app, "label", BAD_CAST "emuconv");
  (void)ctx;
}

/* W3C date syntax (YYYY, YYYY-MM, YYYY-MM-DD, a time after it), which
 * TEI's @when takes. */
static int iso_date(const char *s)
{
  size_t n = 0;
  while (s[n] >= '0' && s[n] <= '9')
    n++;
  if (n != 4)
    return 0;
  for (int part = 0; part < 2 && s[n] == '-'; part++) {
    if (!(s[n + 1] >= '0' && s[n + 1] <= '9' && s[n + 2] >= '0' && s[n + 2] <= '9'))
      return 0;
    n += 3;
  }
  return s[n] == '\0' || (s[n] == 'T' && n == 10);
}

/* profileDesc: the abstract (description), the creation date, the
 * keywords and subjects (textClass), the languages used; revisionDesc:
 * the modified date. */
static void profile(struct tei *t, const emc_doc *doc, xmlNodePtr hdr)
{
  xmlNodePtr meta = emc_doc_meta(doc);
  int has[4] = { 0 }; /* description, created, subject|keyword, modified */
  for (xmlNodePtr m = meta->children; m; m = m->next) {
    has[0] |= emc_ir_is(m, "description");
    has[1] |= emc_ir_is(m, "created");
    has[2] |= emc_ir_is(m, "subject") || emc_ir_is(m, "keyword");
    has[3] |= emc_ir_is(m, "modified");
  }
  if (!t->n_langs && !has[0] && !has[1] && !has[2] && !has[3])
    return;
  xmlNodePtr pd = t->n_langs || has[0] || has[1] || has[2] ? el(t, hdr, "profileDesc") : NULL;
  for (xmlNodePtr m = meta->children; m; m = m->next)
    if (emc_ir_is(m, "description"))
      copy_meta(t, m, el(t, pd, "abstract"), "p");
  for (xmlNodePtr m = meta->children; m; m = m->next)
    if (emc_ir_is(m, "created")) {
      xmlChar *v = xmlNodeGetContent(m);
      xmlNodePtr d = el_text(t, el(t, pd, "creation"), "date", v);
      if (v && iso_date((const char *)v))
        set(t, d, "when", (const char *)v);
      xmlFree(v);
    }
  if (t->n_langs) {
    xmlNodePtr lu = el(t, pd, "langUsage");
    for (size_t i = 0; i < t->n_langs; i++) {
      xmlNodePtr l = el_text(t, lu, "language", t->langs[i]);
      set(t, l, "ident", (const char *)t->langs[i]);
    }
  }
  if (has[2]) {
    xmlNodePtr kw = el(t, el(t, pd, "textClass"), "keywords");
    for (xmlNodePtr m = meta->children; m; m = m->next)
      if (emc_ir_is(m, "subject") || emc_ir_is(m, "keyword"))
        set(t, copy_meta(t, m, kw, "term"), "type", (const char *)m->name);
  }
  for (xmlNodePtr m = meta->children; m; m = m->next)
    if (emc_ir_is(m, "modified")) {
      xmlChar *v = xmlNodeGetContent(m);
      xmlNodePtr ch = el(t, el(t, hdr, "revisionDesc"), "change");
      if (v && iso_date((const char *)v))
        set(t, ch, "when", (const char *)v);
      el_text(t, ch, "date", v);
      xmlFree(v);
    }
}

/* The revisionDesc: one <change> per distinct author and date of the
 * tracked changes kept, the author's name its text. */
static void revision_desc(struct tei *t, xmlNodePtr hdr)
{
  if (t->changes_listed == t->n_changes)
    return;
  /* one revisionDesc: profile() may have made it for the modified date */
  xmlNodePtr rd = xmlGetLastChild(hdr);
  if (!rd || !xmlStrEqual(rd->name, BAD_CAST "revisionDesc"))
    rd = el(t, hdr, "revisionDesc");
  size_t from = t->changes_listed;
  t->changes_listed = t->n_changes;
  for (size_t i = from; i < t->n_changes && !t->oom; i++) {
    const xmlChar *key = t->change_keys[i];
    const xmlChar *sep = xmlStrchr(key, 0x1f);
    xmlChar *author = sep ? xmlStrndup(key, (int)(sep - key)) : NULL;
    xmlNodePtr c = el_text(t, rd, "change", author);
    xmlFree(author);
    if (!c)
      return;
    if (!xmlSetNsProp(c, xmlSearchNsByHref(t->out, c, XML_XML_NAMESPACE), BAD_CAST "id",
                      xmlHashLookup(t->changes, key)))
      t->oom = 1;
    if (sep && sep[1])
      set(t, c, "when", (const char *)sep + 1);
  }
}

/* ---- streaming the body ----
 *
 * The header is small and built as a tree; the body is written as it is
 * made: the TEI of one block (a section's own blocks, recursively) is
 * serialised and freed before the next is built.  The writer's peak memory
 * is then the IR plus one block, not the IR plus a TEI copy of the whole
 * document (issue 6: RSS within 6x of a 2 MB page).  The bytes are those
 * of xmlSaveDoc() with indenting: each element is dumped at its depth by
 * emc_output_dump_xml(). */

struct sink {
  emc_output *out;
  emc_error *err;
  int rc;
  struct tei *t;
  size_t not_global; /* elements written that are not model.global */
};

/* A failed write is recorded once (ERR says it) and stops the stream. */
static void put(struct sink *s, const char *data, size_t len)
{
  if (s->rc == EMC_OK && (s->rc = emc_output_write(s->out, data, len, s->err)))
    s->t->write_failed = 1;
}

static void put_indent(struct sink *s, int level)
{
  static const char spaces[] = "                                ";
  for (; level > 0; level -= 16)
    put(s, spaces, 2 * (size_t)(level < 16 ? level : 16));
}

static int name_in(const xmlNode *n, const char *const *names)
{
  for (; *names; names++)
    if (strcmp((const char *)n->name, *names) == 0)
      return 1;
  return 0;
}

/* Elements that hold only other elements: pretty-printing inside them
 * adds white space no reader takes for text. */
static const char *const block_only[] = {
  "TEI", "teiHeader", "fileDesc", "titleStmt", "publicationStmt", "sourceDesc", "encodingDesc",
  "appInfo", "application", "profileDesc", "langUsage", "text", "body", "div", "list",
  "listBibl", "table", "row", "figure", "graphic", "linkGrp", "availability", "seriesStmt",
  "abstract", "creation", "textClass", "keywords", "revisionDesc", "front", "titlePage",
  "docTitle", NULL
};
/* Elements that hold either blocks or inline content, and the blocks
 * they may hold. */
static const char *const either[] = { "item", "cell", "note", "quote", NULL };
static const char *const block_children[] = { "p", "list", "table", "figure", "head", "quote", "eg",
                                              "listBibl", "div", NULL };

/* Keeps the serialiser from indenting inside mixed content (issue 31:
 * <p><code>m</code><hi>2</hi></p> written over three lines read as
 * "m 2").  libxml2, and core's dump after it, indent the children of an
 * element only when none of them is text; an element that holds inline
 * content but no text of its own is given an empty first text child, which
 * writes nothing and turns the indenting off inside it. */
static void keep_inline_unindented(struct tei *t, xmlNodePtr n)
{
  for (; n && !t->oom; n = n->next) {
    if (n->type != XML_ELEMENT_NODE || !n->children)
      continue;
    keep_inline_unindented(t, n->children);
    if (name_in(n, block_only))
      continue;
    int has_text = 0, has_inline = 0;
    for (const xmlNode *c = n->children; c; c = c->next)
      if (c->type == XML_TEXT_NODE || c->type == XML_CDATA_SECTION_NODE ||
          c->type == XML_ENTITY_REF_NODE)
        has_text = 1;
      else if (c->type == XML_ELEMENT_NODE && !(name_in(n, either) && name_in(c, block_children)))
        has_inline = 1;
    if (has_text || !has_inline)
      continue;
    xmlNodePtr empty = xmlNewDocText(n->doc, BAD_CAST "");
    if (!empty || !xmlAddPrevSibling(n->children, empty)) {
      xmlFreeNode(empty);
      t->oom = 1;
    }
  }
}

/* Writes node N (and its subtree) at LEVEL, on its own line. */
static void put_node(struct sink *s, xmlNodePtr n, int level)
{
  if (!n) { /* el() failed */
    s->t->oom = 1;
    return;
  }
  if (n->type == XML_ELEMENT_NODE) {
    xmlNodePtr next = n->next; /* this node's subtree only */
    n->next = NULL;
    keep_inline_unindented(s->t, n);
    n->next = next;
    if (s->t->oom)
      return;
  }
  put_indent(s, level);
  if (s->rc == EMC_OK && (s->rc = emc_output_dump_xml(s->out, n, level, 1, s->err)))
    s->t->write_failed = 1;
  put(s, "\n", 1);
}

/* Writes the start tag of the element N, which must have no children yet:
 * its dump, "<x a='b'/>", without the "/>". */
static void put_start_tag(struct sink *s, xmlNodePtr n, int level)
{
  xmlBufferPtr b = xmlBufferCreate();
  if (!b || xmlNodeDump(b, s->t->out, n, 0, 0) < 2) {
    s->t->oom = 1;
    xmlBufferFree(b);
    return;
  }
  put_indent(s, level);
  put(s, (const char *)xmlBufferContent(b), (size_t)xmlBufferLength(b) - 2);
  put(s, ">\n", 2);
  xmlBufferFree(b);
}

static void put_end_tag(struct sink *s, const char *name, int level)
{
  put_indent(s, level);
  put(s, "</", 2);
  put(s, name, strlen(name));
  put(s, ">\n", 2);
}

/* TEI's model.global elements that may be written at the body's level:
 * tei_all wants at least one other element in a body besides them
 * (issue 31: a picture-only document's body was "incomplete"). */
static const char *const body_global[] = { "figure", "note", "milestone", "pb", "lb", "anchor",
                                           "link", "linkGrp", "gap", "fw", "cb", NULL };

/* Writes and frees the children of PARENT (a childless element once done);
 * counts in S the ones that are not model.global. */
static size_t flush_children(struct sink *s, xmlNodePtr parent, int level)
{
  size_t n = 0;
  while (parent->children) {
    xmlNodePtr c = parent->children;
    if (c->type == XML_ELEMENT_NODE && !name_in(c, body_global))
      s->not_global++;
    if (!s->t->oom)
      put_node(s, c, level);
    xmlUnlinkNode(c);
    xmlFreeNode(c);
    n++;
  }
  return n;
}

/* The blocks from FIRST on, as children of PARENT (written at LEVEL).
 * Returns how many elements were written. */
static size_t stream_blocks(struct sink *s, const xmlNode *first, xmlNodePtr parent, int level)
{
  struct tei *t = s->t;
  size_t written = 0;
  for (const xmlNode *n = first; n && !t->oom && !t->write_failed; n = n->next) {
    if (!emc_ir_is(n, "section")) {
      block(t, n, parent);
      written += flush_children(s, parent, level);
      continue;
    }
    xmlNodePtr div = section_div(t, n, parent); /* its blocks streamed */
    if (t->oom)
      break;
    put_start_tag(s, div, level);
    size_t outer_not_global = s->not_global;
    stream_blocks(s, n->children, div, level + 1);
    s->not_global = outer_not_global + 1; /* a div is not model.global */
    put_end_tag(s, "div", level);
    xmlUnlinkNode(div);
    xmlFreeNode(div);
    written++;
  }
  return written;
}

/* A tracked change's key, taken once (its xml:id is given later). */
static void note_change(struct tei *t, const xmlNode *n)
{
  xmlChar *key = change_key(n);
  if (!key || (t->changes && xmlHashLookup(t->changes, key))) {
    xmlFree(key);
    return;
  }
  xmlChar **grown = NULL;
  if ((!t->changes && !(t->changes = xmlHashCreate(16))) ||
      !(grown = xmlRealloc(t->change_keys, (t->n_changes + 1) * sizeof *grown)) ||
      xmlHashAddEntry(t->changes, key, (void *)"") != 0) {
    if (grown)
      t->change_keys = grown;
    xmlFree(key);
    t->oom = 1;
    return;
  }
  t->change_keys = grown;
  t->change_keys[t->n_changes++] = key;
}

/* Every xml:lang and tracked change of the body, in document order:
 * langUsage and revisionDesc are in the header, written before the body
 * is made.  The body's xml:ids go in t->ids. */
static void collect_langs(struct tei *t, const xmlNode *n)
{
  for (; n && !t->oom; n = n->next) {
    if (n->type != XML_ELEMENT_NODE)
      continue;
    for (const xmlAttr *a = n->properties; a; a = a->next)
      if (a->ns && xmlStrEqual(a->ns->href, XML_XML_NAMESPACE) && a->children &&
          a->children->type == XML_TEXT_NODE) {
        if (xmlStrEqual(a->name, BAD_CAST "lang"))
          note_lang(t, a->children->content);
        else if (xmlStrEqual(a->name, BAD_CAST "id")) {
          if (!t->ids && !(t->ids = xmlHashCreate(16)))
            t->oom = 1;
          else /* (fails on a repeated id too: one entry is enough) */
            xmlHashAddEntry(t->ids, a->children->content, (void *)"");
        }
      }
    if (emc_ir_is(n, "ins") || emc_ir_is(n, "del"))
      note_change(t, n);
    collect_langs(t, n->children);
  }
}

/* The title page (TEI Guidelines 4.6, "Title Pages"): docTitle with its
 * titleParts, byline/docAuthor, docDate (human-readable, @when the ISO
 * date), docImprint (publisher, document number, source link). */
static void front(struct tei *t, const emc_doc *doc, const char *lang, xmlNodePtr text)
{
  char *title = emc_doc_meta_get(doc, "title");
  fm_list fm;
  if (fm_collect(emc_doc_meta(doc), title, lang, &fm) != EMC_OK) {
    free(title);
    t->oom = 1;
    return;
  }
  free(title);
  if (!fm.n)
    return;
  xmlNodePtr tp = el(t, el(t, text, "front"), "titlePage");
  xmlNodePtr doc_title = NULL, byline = NULL, imprint = NULL;
  for (size_t i = 0; i < fm.n && !t->oom; i++) {
    const fm_line *l = &fm.v[i];
    xmlNodePtr e = NULL;
    switch (l->kind) {
    case FM_TITLE:
    case FM_SUBTITLE:
      if (!doc_title)
        doc_title = el(t, tp, "docTitle");
      e = el_text(t, doc_title, "titlePart", BAD_CAST l->text);
      set(t, e, "type", l->kind == FM_TITLE ? "main" : "sub");
      break;
    case FM_AUTHOR:
      if (!byline)
        byline = el(t, tp, "byline");
      else /* the names apart, as the other writers show them */
        xmlNodeAddContent(byline, BAD_CAST ", ");
      e = el_text(t, byline, "docAuthor", BAD_CAST l->text);
      break;
    case FM_EDITOR:
      e = el_text(t, tp, "byline", BAD_CAST l->text);
      break;
    case FM_DATE: {
      e = el_text(t, tp, "docDate", BAD_CAST l->text);
      char *iso = emc_doc_meta_get(doc, "date");
      if (iso && iso_date(iso))
        set(t, e, "when", iso);
      free(iso);
      break;
    }
    case FM_PUBLISHER:
    case FM_NUMBER:
    case FM_SOURCE:
      if (!imprint)
        imprint = el(t, tp, "docImprint");
      if (l->kind == FM_PUBLISHER)
        e = el_text(t, imprint, "publisher", BAD_CAST l->text);
      else if (l->kind == FM_NUMBER)
        e = el_text(t, imprint, "idno", BAD_CAST l->text);
      else {
        e = el_text(t, imprint, "ref", BAD_CAST l->text);
        if (emc_url_is_safe(l->text))
          set(t, e, "target", l->text);
      }
      break;
    }
    if (e && l->lang)
      xmlNodeSetLang(e, BAD_CAST l->lang);
  }
  fm_list_release(&fm);
}

/* Forgets the languages noted so far: each TEI of a corpus has its own
 * langUsage. */
static void forget_langs(struct tei *t)
{
  for (size_t i = 0; i < t->n_langs; i++)
    xmlFree(t->langs[i]);
  xmlFree(t->langs);
  t->langs = NULL;
  t->n_langs = 0;
}

/* The language of DOC (its metadata's, else its root's), given to ROOT
 * and noted. */
static void doc_language(struct tei *t, const emc_doc *doc, xmlNodePtr root)
{
  const xmlNode *ir_root = xmlDocGetRootElement(emc_doc_tree(doc));
  char *lang = emc_doc_meta_get(doc, "language");
  xmlChar *root_lang = lang ? NULL : xmlGetNsProp(ir_root, BAD_CAST "lang", XML_XML_NAMESPACE);
  const char *doc_lang = lang ? lang : (const char *)root_lang;
  if (doc_lang) {
    xmlNodeSetLang(root, BAD_CAST doc_lang);
    note_lang(t, BAD_CAST doc_lang);
  }
  free(lang);
  xmlFree(root_lang);
}

/* Gives each change not yet named an xml:id, "change-K" with the
 * smallest K not taken by the body nor by an earlier change (a corpus's
 * documents are named one after another, in one file). */
static void name_changes(struct tei *t)
{
  for (size_t i = t->changes_named; i < t->n_changes && !t->oom; i++) {
    char id[32];
    do
      snprintf(id, sizeof id, "change-%zu", ++t->change_k);
    while (t->ids && xmlHashLookup(t->ids, BAD_CAST id));
    xmlChar *copy = xmlStrdup(BAD_CAST id);
    if (!copy || xmlHashUpdateEntry(t->changes, t->change_keys[i], copy, NULL) != 0) {
      xmlFree(copy);
      t->oom = 1;
    }
  }
  t->changes_named = t->n_changes;
}

static void free_change_id(void *payload, const xmlChar *name)
{
  (void)name;
  if (payload && *(const char *)payload)
    xmlFree(payload);
}

/* DOC as the element ROOT (a TEI, childless, made by the caller) written
 * at LEVEL: its teiHeader, its text. */
static void tei_element(struct tei *t, emc_ctx *ctx, const emc_doc *doc, xmlNodePtr root,
                        struct sink *sink, int level)
{
  doc_language(t, doc, root);
  xmlNodePtr ir_body = emc_doc_body(doc);
  collect_langs(t, ir_body);
  name_changes(t);
  put_start_tag(sink, root, level);
  header(t, ctx, doc, root);
  profile(t, doc, xmlFirstElementChild(root));
  revision_desc(t, xmlFirstElementChild(root));
  flush_children(sink, root, level + 1);

  xmlNodePtr text = el(t, root, "text");
  if (text)
    put_start_tag(sink, text, level + 1);
  if (text && fm_enabled(ctx)) {
    xmlChar *lang = xmlNodeGetLang(root); /* the document's, doc_language's */
    front(t, doc, (const char *)lang, text);
    xmlFree(lang);
    flush_children(sink, text, level + 2);
  }
  xmlNodePtr body = text ? el(t, text, "body") : NULL;
  copy_common(t, ir_body, body);
  if (!t->oom) {
    put_start_tag(sink, body, level + 2);
    sink->not_global = 0; /* the header's elements do not count */
    stream_blocks(sink, ir_body->children, body, level + 3);
    alignment(t, doc, body);
    flush_children(sink, body, level + 3);
    if (!sink->not_global) /* TEI needs more than a figure or nothing in the body */
      put_node(sink, el(t, body, "p"), level + 3);
    put_end_tag(sink, "body", level + 2);
    put_end_tag(sink, "text", level + 1);
    put_end_tag(sink, "TEI", level);
  }
}

/* A section one level up (the part's level 1 goes); other nodes are left. */
static int level_up(xmlNodePtr n)
{
  int level = emc_ir_section_level(n);
  char lv[2] = { (char)('0' + (level > 1 ? level - 1 : 1)), 0 };
  return level && !xmlSetProp(n, BAD_CAST "level", BAD_CAST lv) ? -1 : 0;
}

/* A document of a collection (IR type="document") as a document of its own,
 * for its TEI: its <meta>, its blocks with their sections one level up,
 * its language.  NULL when out of memory. */
static emc_doc *part_doc(const xmlNode *part)
{
  emc_doc *d = emc_doc_new();
  if (!d)
    return NULL;
  xmlDocPtr tree = emc_doc_tree(d);
  xmlChar *lang = xmlGetNsProp(part, BAD_CAST "lang", XML_XML_NAMESPACE);
  if (lang)
    xmlNodeSetLang(xmlDocGetRootElement(tree), lang);
  xmlFree(lang);
  int oom = 0;
  for (const xmlNode *c = part->children; c && !oom; c = c->next) {
    if (c->type != XML_ELEMENT_NODE || emc_ir_is(c, "heading")) /* the title is the header's */
      continue;
    int meta = emc_ir_is(c, "meta");
    xmlNodePtr parent = meta ? emc_doc_meta(d) : emc_doc_body(d);
    for (const xmlNode *k = meta ? c->children : c; k && !oom; k = meta ? k->next : NULL) {
      xmlNodePtr copy = NULL;
      if (k->type != XML_ELEMENT_NODE)
        continue;
      if (xmlDOMWrapCloneNode(NULL, k->doc, (xmlNodePtr)k, &copy, tree, parent, 1, 0) != 0 ||
          !copy || !xmlAddChild(parent, copy)) {
        oom = 1;
        break;
      }
      if (meta)
        continue;
      oom = level_up(copy) != 0;
      for (xmlNodePtr n = copy->children; n && !oom; n = emc_ir_next(n, copy, 1))
        oom = level_up(n) != 0;
    }
  }
  if (oom) {
    emc_doc_free(d);
    return NULL;
  }
  return d;
}

static int is_part(const xmlNode *n)
{
  xmlChar *type = emc_ir_is(n, "section") ? xmlGetProp(n, BAD_CAST "type") : NULL;
  int part = type && xmlStrEqual(type, BAD_CAST "document");
  xmlFree(type);
  return part;
}

/* A collection (IR parts) is a teiCorpus, as the TEI Guidelines make
 * one (15.1): its own teiHeader (the book's metadata; the parts' titles
 * and sources, as a parallel text has them), then one TEI per part with
 * the part's header and text, its xml:id the part's. */
static void tei_corpus(struct tei *t, emc_ctx *ctx, const emc_doc *doc, xmlNodePtr root,
                       struct sink *sink)
{
  doc_language(t, doc, root);
  collect_langs(t, emc_doc_body(doc));
  put_start_tag(sink, root, 0);
  header(t, ctx, doc, root);
  profile(t, doc, xmlFirstElementChild(root));
  flush_children(sink, root, 1);
  for (const xmlNode *p = emc_doc_body(doc)->children; p && !t->oom && !t->write_failed;
       p = p->next) {
    if (!is_part(p))
      continue;
    emc_doc *pd = part_doc(p);
    xmlNodePtr te = pd ? el(t, root, "TEI") : NULL;
    if (!te) {
      t->oom = 1;
      emc_doc_free(pd);
      break;
    }
    copy_common(t, p, te); /* xml:id, xml:lang */
    forget_langs(t);
    tei_element(t, ctx, pd, te, sink, 1);
    xmlUnlinkNode(te);
    xmlFreeNode(te);
    emc_doc_free(pd);
  }
  if (!t->oom)
    put_end_tag(sink, "teiCorpus", 0);
}

static int tei_write(emc_ctx *ctx, const emc_doc *doc, emc_output *out,
                     emc_error *err)
{
  struct tei t = { 0 };
  t.out = xmlNewDoc(BAD_CAST "1.0");
  if (!t.out)
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  const xmlNode *first = xmlFirstElementChild(emc_doc_body(doc));
  int corpus = first && is_part(first);
  xmlNodePtr root = xmlNewDocNode(t.out, NULL, BAD_CAST(corpus ? "teiCorpus" : "TEI"), NULL);
  xmlDocSetRootElement(t.out, root);
  t.ns = xmlNewNs(root, BAD_CAST TEI_NS, NULL);
  xmlSetNs(root, t.ns);

  struct sink sink = { out, err, EMC_OK, &t, 0 };
  static const char decl[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  put(&sink, decl, sizeof decl - 1);
  if (corpus)
    tei_corpus(&t, ctx, doc, root, &sink);
  else
    tei_element(&t, ctx, doc, root, &sink, 0);
  int rc = sink.rc != EMC_OK ? sink.rc
           : t.oom           ? emc_error_set(err, EMC_ENOMEM, "out of memory")
                             : EMC_OK;
  forget_langs(&t);
  for (size_t i = 0; i < t.n_changes; i++)
    xmlFree(t.change_keys[i]);
  xmlFree(t.change_keys);
  xmlHashFree(t.changes, free_change_id);
  xmlHashFree(t.ids, NULL);
  xmlFreeDoc(t.out);
  return rc;
}

static const char *const tei_extensions[] = { "tei", "tei.xml", NULL };
static const char *const tei_mime_types[] = { "application/tei+xml", NULL };

EMC_PLUGIN_DEFINE(tei, "tei", PACKAGE_VERSION, "TEI P5 XML (read and write)",
                  .extensions = tei_extensions, .mime_types = tei_mime_types,
                  .probe = tei_probe, .read = tei_read, .write = tei_write)
