/* SPDX-License-Identifier: MIT */
/* parallel.c - parallel texts: several versions of one text (its
 * translations) read, filtered, aligned by position and merged into one
 * IR document (IR 1.1, doc/ir.md "Parallel texts"):
 *
 *   <body>
 *     <section type="translation" level="1" xml:id="en" xml:lang="en">
 *       <heading>the version's title</heading>
 *       <meta>the version's metadata</meta>
 *       <p xml:id="en.p1">...</p> ...
 *     </section>
 *     <section type="translation" level="1" xml:id="id" xml:lang="id">...
 *   </body>
 *   <alignment><link targets="en.p1 id.p1 hi.p1"/>...</alignment>
 *
 * The core knows no format here either: the readers, filters and writers
 * are the usual ones, chosen as emc_convert() chooses them. */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <libxml/tree.h>
#include "core-private.h"

/* One version being merged. */
struct version {
  const emc_doc *doc;
  const char *name; /* for messages */
  char *vid;        /* the section's xml:id, the prefix of the ids in it */
  char *lang;       /* its language, or NULL */
  xmlNodePtr *units; /* its text blocks in the merged tree */
  size_t n_units;
};

/* The blocks that align: those holding a block's text. */
static int is_unit(const xmlNode *n)
{
  return emc_ir_is(n, "p") || emc_ir_is(n, "heading") || emc_ir_is(n, "pre") ||
         emc_ir_is(n, "caption") || emc_ir_is(n, "term");
}

/* Calls FN on each text block under ROOT in document order (never inside
 * one, so footnotes, which live inside text blocks, are not counted).
 * FN may be NULL.  Returns the count, or (size_t)-1 when FN failed. */
static size_t each_unit(xmlNodePtr root, int (*fn)(xmlNodePtr, void *), void *user)
{
  size_t n = 0;
  for (xmlNodePtr c = root->children; c;) {
    int unit = is_unit(c);
    if (unit) {
      if (fn && fn(c, user) != 0)
        return (size_t)-1;
      n++;
    }
    c = emc_ir_next(c, root, c->type == XML_ELEMENT_NODE && !unit);
  }
  return n;
}

/* ---------------------------------------------------------- the version */

static char *version_lang(const emc_doc *doc)
{
  char *lang = emc_doc_meta_get(doc, "language");
  if (lang && *lang)
    return lang;
  free(lang);
  xmlChar *l = xmlNodeGetLang(xmlDocGetRootElement(emc_doc_tree(doc)));
  char *copy = l && *l ? emci_strdup((const char *)l) : NULL;
  xmlFree(l);
  return copy;
}

/* An NCName from the language tag (letters, digits, '-'), unique among
 * the first I versions; "v" and the position when there is none. */
static char *make_vid(struct version *v, size_t i)
{
  char buf[64];
  size_t n = 0;
  for (const char *s = v[i].lang; s && *s && n < 32; s++)
    if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
        (n > 0 && ((*s >= '0' && *s <= '9') || *s == '-')))
      buf[n++] = *s;
  if (n == 0)
    n = (size_t)snprintf(buf, sizeof buf, "v%zu", i + 1);
  buf[n] = '\0';
  for (size_t j = 0; j < i; j++)
    if (strcmp(v[j].vid, buf) == 0) {
      snprintf(buf + n, sizeof buf - n, "-%zu", i + 1);
      break;
    }
  return emci_strdup(buf);
}

/* --------------------------------------------------------------- merging */

struct merge {
  xmlDocPtr tree;     /* the merged document's */
  struct version *v;  /* the version being copied */
  const emc_doc *src; /* its document */
  int oom;
};

static xmlNodePtr clone_into(struct merge *m, xmlNodePtr node, xmlNodePtr parent)
{
  xmlNodePtr copy = NULL;
  if (xmlDOMWrapCloneNode(NULL, node->doc, node, &copy, m->tree, parent, 1, 0) != 0 || !copy) {
    m->oom = 1;
    return NULL;
  }
  return xmlAddChild(parent, copy);
}

static void set_prop(struct merge *m, xmlNodePtr n, const char *name, const char *value)
{
  if (!xmlSetProp(n, BAD_CAST name, BAD_CAST value))
    m->oom = 1;
}

static void set_id(struct merge *m, xmlNodePtr n, const char *id)
{
  xmlNsPtr xml = xmlSearchNs(n->doc, n, BAD_CAST "xml");
  if (!xml || !xmlSetNsProp(n, xml, BAD_CAST "id", BAD_CAST id))
    m->oom = 1;
}

/* The version's ids, links to them and resource names get the version's
 * prefix, so that the versions' ids cannot clash; its sections go one
 * level down, under the translation section. */
static void rename_in(struct merge *m, xmlNodePtr root)
{
  const char *vid = m->v->vid;
  for (xmlNodePtr n = root->children; n && !m->oom; n = emc_ir_next(n, root, 1)) {
    if (n->type != XML_ELEMENT_NODE)
      continue;
    xmlChar *id = xmlGetNsProp(n, BAD_CAST "id", XML_XML_NAMESPACE);
    if (id) {
      char *nid = emci_asprintf("%s-%s", vid, (const char *)id);
      if (!nid)
        m->oom = 1;
      else
        set_id(m, n, nid);
      free(nid);
      xmlFree(id);
    }
    if (emc_ir_is(n, "section")) {
      int level = emc_ir_section_level(n) + 1;
      char lv[4] = { (char)('0' + (level > 6 ? 6 : level)), 0 };
      set_prop(m, n, "level", lv);
    } else if (emc_ir_is(n, "a")) {
      xmlChar *href = xmlGetProp(n, BAD_CAST "href");
      if (href && href[0] == '#' && href[1]) {
        char *nh = emci_asprintf("#%s-%s", vid, (const char *)href + 1);
        if (!nh)
          m->oom = 1;
        else
          set_prop(m, n, "href", nh);
        free(nh);
      }
      xmlFree(href);
    } else if (emc_ir_is(n, "image") || emc_ir_is(n, "cover")) {
      xmlChar *ref = xmlGetProp(n, BAD_CAST "ref");
      if (ref && emc_doc_resource_find(m->src, (const char *)ref)) {
        char *nr = emci_asprintf("%s-%s", vid, (const char *)ref);
        if (!nr)
          m->oom = 1;
        else
          set_prop(m, n, "ref", nr);
        free(nr);
      }
      xmlFree(ref);
    }
  }
}

struct units {
  struct merge *m;
  struct version *v;
  size_t cap; /* the count taken on the version: the copy has as many */
};

/* Gives a text block its id (unless it has one) and records it. */
static int take_unit(xmlNodePtr n, void *user)
{
  struct units *u = user;
  if (u->v->n_units >= u->cap)
    return -1;
  xmlChar *id = xmlGetNsProp(n, BAD_CAST "id", XML_XML_NAMESPACE);
  if (!id) {
    char buf[96];
    snprintf(buf, sizeof buf, "%s.p%zu", u->v->vid, u->v->n_units + 1);
    set_id(u->m, n, buf);
  }
  xmlFree(id);
  u->v->units[u->v->n_units++] = n;
  return u->m->oom;
}

/* Copies version V under BODY as a section of TYPE ("translation": its
 * text blocks recorded in V->units for the alignment; "document": a document of
 * a collection, FALLBACK its heading when it has no title); its resources
 * go to DOC under prefixed names.  The section is built in a copy of the
 * version's tree, where its ids are renamed, and only then moved into the
 * merged tree: libxml2 refuses to register an id twice in one document,
 * and the versions have the same ids as often as not. */
static int add_version(struct merge *m, emc_doc *doc, xmlNodePtr body, struct version *v,
                       size_t pos, size_t n_units, const char *type, const char *fallback,
                       emc_error *err)
{
  int part = strcmp(type, "document") == 0;
  m->v = v;
  m->src = v->doc;
  xmlDocPtr tmp = xmlCopyDoc(emc_doc_tree(v->doc), 1);
  xmlNodePtr troot = tmp ? xmlDocGetRootElement(tmp) : NULL;
  xmlNodePtr sec = troot ? emc_ir_add(troot, "section", NULL) : NULL;
  if (!sec) {
    xmlFreeDoc(tmp);
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  }
  set_prop(m, sec, "type", type);
  set_prop(m, sec, "level", "1");
  set_id(m, sec, v->vid);
  if (v->lang)
    xmlNodeSetLang(sec, BAD_CAST v->lang);
  char *title = emc_doc_meta_get(v->doc, "title");
  if (!title || !*title) { /* a heading all the same: writers show it */
    free(title);
    title = part && fallback ? emci_strdup(fallback)
            : part           ? emci_asprintf("Part %zu", pos + 1)
            : v->lang        ? emci_strdup(v->lang)
                             : emci_asprintf("Version %zu", pos + 1);
  }
  if (!title || !emc_ir_add(sec, "heading", title))
    m->oom = 1;
  free(title);
  /* the version's meta, then its body's blocks, moved into the section */
  xmlNodePtr next;
  for (xmlNodePtr c = troot->children; c && !m->oom; c = next) {
    next = c->next;
    if (emc_ir_is(c, "meta")) {
      xmlUnlinkNode(c);
      xmlAddChild(sec, c);
    }
  }
  for (xmlNodePtr b = troot->children; b && !m->oom; b = b->next)
    if (emc_ir_is(b, "body"))
      for (xmlNodePtr c = b->children; c; c = next) {
        next = c->next;
        if (c->type == XML_ELEMENT_NODE) {
          xmlUnlinkNode(c);
          xmlAddChild(sec, c);
        }
      }
  if (!m->oom)
    rename_in(m, sec);

  v->units = part ? NULL : calloc(n_units ? n_units : 1, sizeof *v->units);
  if (!part && !v->units)
    m->oom = 1;
  struct units u = { m, v, n_units };
  xmlNodePtr heading = xmlFirstElementChild(sec);
  xmlNodePtr meta = heading ? xmlNextElementSibling(heading) : NULL;
  for (xmlNodePtr c = meta && !part ? meta->next : NULL; c && !m->oom; c = c->next) {
    if (is_unit(c) ? take_unit(c, &u) != 0
                   : c->type == XML_ELEMENT_NODE && each_unit(c, take_unit, &u) == (size_t)-1)
      m->oom = 1; /* cannot be a miscount: the copy is the version */
  }
  if (!m->oom) {
    xmlUnlinkNode(sec);
    if (xmlDOMWrapAdoptNode(NULL, tmp, sec, m->tree, body, 0) != 0) {
      xmlFreeNode(sec);
      m->oom = 1;
    } else
      xmlAddChild(body, sec);
  }
  xmlFreeDoc(tmp);
  if (m->oom)
    return emc_error_set(err, EMC_ENOMEM, "out of memory");

  for (size_t i = 0; i < emc_doc_resource_count(v->doc); i++) {
    const emc_resource *r = emc_doc_resource_at(v->doc, i);
    char *name = emci_asprintf("%s-%s", v->vid, r->name);
    int rc = name ? emc_doc_add_resource(doc, name, r->media_type, r->data, r->size, err)
                  : emc_error_set(err, EMC_ENOMEM, "out of memory");
    free(name);
    if (rc)
      return rc;
  }
  return EMC_OK;
}

/* The edition's metadata: the first version's, identifiers aside (the
 * parallel text is another publication than each of its versions). */
static void edition_meta(struct merge *m, emc_doc *doc, const emc_doc *first)
{
  xmlNodePtr meta = emc_doc_meta(doc);
  for (xmlNodePtr c = emc_doc_meta(first)->children; c && !m->oom; c = c->next)
    if (c->type == XML_ELEMENT_NODE && !emc_ir_is(c, "identifier") && !emc_ir_is(c, "cover"))
      clone_into(m, c, meta);
}

static int build_alignment(struct merge *m, struct version *v, size_t n, size_t n_units,
                           emc_error *err)
{
  xmlNodePtr al = emc_ir_add(xmlDocGetRootElement(m->tree), "alignment", NULL);
  if (!al)
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  for (size_t k = 0; k < n_units && !m->oom; k++) {
    xmlChar *targets = NULL;
    for (size_t i = 0; i < n && !m->oom; i++) {
      xmlChar *id = xmlGetNsProp(v[i].units[k], BAD_CAST "id", XML_XML_NAMESPACE);
      if (targets && id)
        targets = xmlStrcat(targets, BAD_CAST " ");
      if (id)
        targets = xmlStrcat(targets, id);
      if (!targets || !id)
        m->oom = 1;
      xmlFree(id);
    }
    xmlNodePtr link = targets && !m->oom ? emc_ir_add(al, "link", NULL) : NULL;
    if (!link)
      m->oom = 1;
    else
      set_prop(m, link, "targets", (const char *)targets);
    xmlFree(targets);
  }
  return m->oom ? emc_error_set(err, EMC_ENOMEM, "out of memory") : EMC_OK;
}

/* The end of both merges: frees the N versions V; on success (RC is
 * EMC_OK) the merged DOC is *OUT, else it is freed.  Returns RC. */
static int finish_merge(struct version *v, size_t n, emc_doc *doc, int rc, emc_doc **out)
{
  for (size_t i = 0; i < n; i++) {
    free(v[i].vid);
    free(v[i].lang);
    free(v[i].units);
  }
  free(v);
  if (rc) {
    emc_doc_free(doc);
    return rc;
  }
  *out = doc;
  return EMC_OK;
}

int emc_doc_merge_parallel(const emc_doc *const *versions,
                           const char *const *names, size_t n,
                           emc_doc **out, emc_error *err)
{
  if (n < 2)
    return emc_error_set(err, EMC_EINVAL, "a parallel text needs at least two versions");
  struct version *v = calloc(n, sizeof *v);
  if (!v)
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  emc_doc *doc = NULL;
  int rc = EMC_OK;
  size_t n_units = 0;
  for (size_t i = 0; i < n && rc == EMC_OK; i++) {
    v[i].doc = versions[i];
    v[i].name = names && names[i] ? names[i] : NULL;
    size_t count = each_unit(emc_doc_body(versions[i]), NULL, NULL);
    if (i == 0)
      n_units = count;
    else if (count != n_units) {
      rc = emc_error_set(err, EMC_EPARSE, "cannot align: %zu paragraph%s, %s has %zu",
                         count, count == 1 ? "" : "s", v[0].name ? v[0].name : "the first version",
                         n_units);
      if (v[i].name)
        emc_error_set_position(err, v[i].name, 0);
      break;
    }
    v[i].lang = version_lang(versions[i]);
    if (!(v[i].vid = make_vid(v, i)))
      rc = emc_error_set(err, EMC_ENOMEM, "out of memory");
  }
  if (rc == EMC_OK && !(doc = emc_doc_new()))
    rc = emc_error_set(err, EMC_ENOMEM, "out of memory");
  struct merge m = { doc ? emc_doc_tree(doc) : NULL, NULL, NULL, 0 };
  if (rc == EMC_OK) {
    xmlNodePtr root = xmlDocGetRootElement(m.tree);
    if (v[0].lang)
      xmlNodeSetLang(root, BAD_CAST v[0].lang);
    edition_meta(&m, doc, versions[0]);
    if (m.oom)
      rc = emc_error_set(err, EMC_ENOMEM, "out of memory");
  }
  for (size_t i = 0; i < n && rc == EMC_OK; i++)
    rc = add_version(&m, doc, emc_doc_body(doc), &v[i], i, n_units, "translation", NULL, err);
  if (rc == EMC_OK)
    rc = build_alignment(&m, v, n, n_units, err);
  return finish_merge(v, n, doc, rc, out);
}

/* ------------------------------------------------------------ converting */

static int same_file(const char *a, const char *b)
{
  struct stat sa, sb;
  return strcmp(a, "-") != 0 && strcmp(b, "-") != 0 && stat(a, &sa) == 0 &&
         stat(b, &sb) == 0 && sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* How a parallel text and a collection are made differently from their
 * inputs; the rest (convert_merged) is the same. */
struct merged_kind {
  const char *whole;     /* "a parallel text", "a collection" */
  size_t min_inputs;
  const char *part;      /* what the log calls one input */
  int log_units;         /* log each input's paragraph count (to align) */
  int (*merge)(const emc_doc *const *parts, const char *const *names, size_t n,
               emc_doc **out, emc_error *err);
};

/* The drivers of emc_convert_parallel and emc_convert_collection: check
 * the INPUTS, read each, validate it (-V) and run the filters on it (with
 * its own PART_METADATA row, if any, before and after them, as
 * emc_convert() does), merge them as KIND says, then apply job->metadata
 * (the whole's own), validate and write.  One loop, so that a step added
 * to a single conversion is not forgotten in one of the two. */
static int convert_merged(emc_ctx *ctx, const emc_job *job, const struct merged_kind *kind,
                          const char *const *inputs,
                          const char *const *const *part_metadata, size_t n_inputs,
                          emc_error *err)
{
  if (n_inputs < kind->min_inputs)
    return emc_error_set(err, EMC_EINVAL, "%s needs at least %s", kind->whole,
                         kind->min_inputs == 1 ? "one input" : "two inputs");
  int stdin_seen = 0;
  for (size_t i = 0; i < n_inputs; i++) {
    if (strcmp(inputs[i], "-") == 0 && stdin_seen++)
      return emc_error_set(err, EMC_EINVAL, "standard input ('-') can be only one of the inputs");
    if (same_file(inputs[i], job->output))
      return emc_error_set(err, EMC_EINVAL, "%s: refusing to overwrite the input",
                           job->output);
  }
  emc_doc **docs = calloc(n_inputs, sizeof *docs);
  if (!docs)
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  emc_doc *merged = NULL;
  int rc = EMC_OK;
  for (size_t i = 0; i < n_inputs && rc == EMC_OK; i++) {
    emc_ctx_log(ctx, EMC_LOG_INFO, "%s: %s %zu of %zu", inputs[i], kind->part, i + 1,
                n_inputs);
    emci_progress(ctx, "reading", inputs[i]);
    rc = emc_read_path(ctx, inputs[i], job->from, &docs[i], err);
    if (rc == EMC_OK && job->validate_ir)
      rc = emc_doc_validate(docs[i], err);
    /* each document's own metadata (its catalogue row) before and after
     * its filters, as emc_convert() does; job->metadata is the whole's
     * (with no row, emci_apply_metadata does nothing) */
    emc_job part = *job;
    part.metadata = NULL;
    part.file_metadata = NULL;
    part.catalogue = part_metadata ? part_metadata[i] : NULL;
    if (rc == EMC_OK)
      rc = emci_apply_metadata(docs[i], &part, err);
    if (rc == EMC_OK)
      rc = emci_run_filters(ctx, job, docs[i], err);
    if (rc == EMC_OK)
      rc = emci_apply_metadata(docs[i], &part, err);
    if (rc && err && !err->file)
      emc_error_set_position(err, inputs[i], 0);
    if (rc == EMC_OK && kind->log_units)
      emc_ctx_log(ctx, EMC_LOG_INFO, "%s: %zu paragraphs to align", inputs[i],
                  each_unit(emc_doc_body(docs[i]), NULL, NULL));
  }
  if (rc == EMC_OK)
    rc = kind->merge((const emc_doc *const *)docs, inputs, n_inputs, &merged, err);
  for (size_t i = 0; i < n_inputs; i++)
    emc_doc_free(docs[i]);
  free(docs);
  if (rc == EMC_OK) /* the whole's own: its catalogue row, -M */
    rc = emci_apply_metadata(merged, job, err);
  if (rc == EMC_OK && job->validate_ir)
    rc = emc_doc_validate(merged, err);
  if (rc == EMC_OK) {
    emci_progress(ctx, "writing", job->output);
    rc = emc_write_path(ctx, merged, job->output, job->to, inputs[0], err);
  }
  emc_doc_free(merged);
  return rc;
}

int emc_convert_parallel(emc_ctx *ctx, const emc_job *job,
                         const char *const *inputs, size_t n_inputs,
                         emc_error *err)
{
  static const struct merged_kind parallel = {
    "a parallel text", 2, "version", 1, emc_doc_merge_parallel
  };
  return convert_merged(ctx, job, &parallel, inputs, NULL, n_inputs, err);
}

/* ------------------------------------------------------------ collections */

/* PATH's file name without its last extension, for a part with no title;
 * NULL for standard input or when out of memory. */
static char *file_title(const char *path)
{
  if (!path || strcmp(path, "-") == 0)
    return NULL;
  const char *base = strrchr(path, '/');
  base = base ? base + 1 : path;
  const char *dot = strrchr(base, '.');
  size_t len = dot && dot != base ? (size_t)(dot - base) : strlen(base);
  return len ? emci_asprintf("%.*s", (int)len, base) : NULL;
}

int emc_doc_merge_collection(const emc_doc *const *parts, const char *const *names, size_t n,
                             emc_doc **out, emc_error *err)
{
  if (n < 1)
    return emc_error_set(err, EMC_EINVAL, "a collection needs at least one document");
  struct version *v = calloc(n, sizeof *v);
  if (!v)
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  emc_doc *doc = emc_doc_new();
  int rc = doc ? EMC_OK : emc_error_set(err, EMC_ENOMEM, "out of memory");
  for (size_t i = 0; i < n && rc == EMC_OK; i++) {
    v[i].doc = parts[i];
    v[i].name = names ? names[i] : NULL;
    v[i].lang = version_lang(parts[i]);
    if (!(v[i].vid = emci_asprintf("part%zu", i + 1)))
      rc = emc_error_set(err, EMC_ENOMEM, "out of memory");
  }
  struct merge m = { doc ? emc_doc_tree(doc) : NULL, NULL, NULL, 0 };
  if (rc == EMC_OK && v[0].lang) /* the book's language: the first document's */
    xmlNodeSetLang(xmlDocGetRootElement(m.tree), BAD_CAST v[0].lang);
  for (size_t i = 0; i < n && rc == EMC_OK; i++) {
    char *fallback = file_title(v[i].name);
    rc = add_version(&m, doc, emc_doc_body(doc), &v[i], i, 0, "document", fallback, err);
    free(fallback);
  }
  return finish_merge(v, n, doc, rc, out);
}

int emc_convert_collection(emc_ctx *ctx, const emc_job *job, const char *const *inputs,
                           const char *const *const *part_metadata, size_t n_inputs,
                           emc_error *err)
{
  static const struct merged_kind collection = {
    "a collection", 1, "document", 0, emc_doc_merge_collection
  };
  return convert_merged(ctx, job, &collection, inputs, part_metadata, n_inputs, err);
}
