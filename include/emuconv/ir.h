/* SPDX-License-Identifier: MIT */
/* emuconv/ir.h - the document handed between readers, filters and writers.
 *
 * An emc_doc is the intermediate representation (IR): a libxml2 tree in the
 * namespace EMC_IR_NS (vocabulary: doc/ir.md, schema: ir.rng) plus a table
 * of binary resources (images) that the tree refers to by name.
 *
 *   <document xmlns="urn:emuconv:ir:1" xml:lang="en">
 *     <meta><title>..</title><author>..</author>..</meta>
 *     <body><section level="1"><heading>..</heading><p>..</p></section></body>
 *   </document>
 *
 * Readers build it with the helpers below (or plain libxml2 calls, in the
 * IR namespace); filters change it in place; writers only read it.
 */
#ifndef EMUCONV_IR_H
#define EMUCONV_IR_H

#include <stddef.h>
#include <libxml/tree.h>
#include <emuconv/error.h>

#ifdef __cplusplus
extern "C" {
#endif

#define EMC_IR_NS "urn:emuconv:ir:1"
#define EMC_IR_VERSION "1.2" /* 1.0 and 1.1 documents are 1.2 documents */

typedef struct emc_doc emc_doc;

/* A binary resource (image).  Owned by its emc_doc. */
typedef struct emc_resource {
  char *name;          /* unique within the document, e.g. "image1.png";
                          a path-safe name: [A-Za-z0-9._-], no leading dot */
  char *media_type;    /* "image/png" */
  unsigned char *data;
  size_t size;
} emc_resource;

/* A new document with an empty <meta/> and <body/>.
 * Returns: (transfer full) free with emc_doc_free(); NULL if out of memory. */
emc_doc *emc_doc_new(void);

/* Wraps an existing IR tree.  On success the document owns TREE; on failure
 * (NULL) the caller still owns it.  The root must be IR <document>; missing
 * <meta>/<body> are added. */
emc_doc *emc_doc_wrap(xmlDocPtr tree, emc_error *err);

/* Frees the tree and the resources.  NULL is a no-op. */
void emc_doc_free(emc_doc *doc);

/* Returns: (transfer none) the tree, its <meta> and its <body>. */
xmlDocPtr emc_doc_tree(const emc_doc *doc);
xmlNodePtr emc_doc_meta(const emc_doc *doc);
xmlNodePtr emc_doc_body(const emc_doc *doc);

/* Metadata.  KEY is one of title, subtitle, author, editor, subject,
 * keyword, rights, description, series, date, created, modified, language,
 * source, publisher, identifier (elements of <meta>), or any other name,
 * which is stored as <field name="KEY">.
 * emc_doc_meta_get: Returns: (transfer full) the first value, a malloc'ed
 *   UTF-8 string to free(); NULL when absent.
 * emc_doc_meta_set: replaces every value of KEY with VALUE (copied); VALUE
 *   NULL removes them.  For "language" it also sets the root's xml:lang.
 * emc_doc_meta_add: appends one more value (authors, identifiers). */
char *emc_doc_meta_get(const emc_doc *doc, const char *key);
int emc_doc_meta_set(emc_doc *doc, const char *key, const char *value);
int emc_doc_meta_add(emc_doc *doc, const char *key, const char *value);

/* ---- metadata a user gives: -M, --metadata-file, a catalogue ----
 *
 * One table (core/meta.c) knows the keys a user may give, which of them
 * are lists and their aliases (doc/ir.md, "Metadata keys"): title,
 * subtitle, author*, editor*, subject*, keyword*, rights, description,
 * series, series-position, date (issued), created, modified, language,
 * source, publisher, identifier* (isbn, issn, doi, document-number: an
 * identifier of that scheme; "identifier=doi:10.1/x" names the scheme too);
 * authors, creator, keywords, tags, license, licence, abstract, summary,
 * issued, lang, url... are aliases.  '_' and '-' are one, case is not
 * significant.
 *
 * emc_meta_key_lookup: 1 when KEY is known, with its canonical name in
 *   *NAME (transfer none; may be NULL) and whether it repeats in *LIST
 *   (may be NULL); 0 when it is not.
 * emc_doc_meta_apply: applies one source's N pairs KEYS[i]=VALUES[i] to
 *   DOC, in order, each key overriding what DOC had: a single key replaces
 *   the value, a list key's first pair in this call replaces the list and
 *   the next ones append (-M author=A -M author=B: two authors; an
 *   identifier replaces only the identifiers of its scheme); an empty
 *   value removes the key.  Call it once per source, the weakest first.
 *   LABEL names the source in messages ("-M", a file name).  An unknown
 *   key, a language that is not a tag, a series-position that is not a
 *   number (or without a series) is EMC_EINVAL, naming the key; DOC may
 *   then hold the pairs before it.
 * emc_doc_meta_apply_pairs: the same for NULL-terminated "key=value"
 *   strings (what -M gives). */
int emc_meta_key_lookup(const char *key, const char **name, int *list);
int emc_doc_meta_apply(emc_doc *doc, const char *const *keys,
                       const char *const *values, size_t n, const char *label,
                       emc_error *err);
int emc_doc_meta_apply_pairs(emc_doc *doc, const char *const *pairs,
                             const char *label, emc_error *err);

/* Reads a metadata file at PATH: a YAML mapping (libyaml) or a JSON object
 * (json-c), told by the extension (.json, .yaml, .yml) or else by the
 * content ('{' first: JSON), into "key=value" pairs for
 * emc_doc_meta_apply_pairs(): a list value gives one pair per item; an
 * object value {name|text: ..., scheme: ..., position: ...} gives
 * "key=scheme:name" (identifiers) and "series-position=..." (series); null
 * gives "key=" (removes it).  Keys are not checked here.
 * On success *PAIRS owns a NULL-terminated array (transfer full), to free
 * with emc_meta_pairs_free(). */
int emc_meta_file_read(const char *path, char ***pairs, emc_error *err);
void emc_meta_pairs_free(char **pairs);

/* Resources.  emc_doc_add_resource copies NAME, MEDIA_TYPE and DATA; it
 * fails with EMC_EINVAL for a name that is not path-safe or is taken. */
int emc_doc_add_resource(emc_doc *doc, const char *name,
                         const char *media_type, const void *data,
                         size_t size, emc_error *err);
size_t emc_doc_resource_count(const emc_doc *doc);
/* Returns: (transfer none) the I-th resource, or NULL past the end. */
const emc_resource *emc_doc_resource_at(const emc_doc *doc, size_t i);
const emc_resource *emc_doc_resource_find(const emc_doc *doc,
                                          const char *name);
/* A resource name that is free in DOC, written to BUF (SIZE bytes): FIRST
 * when it is free, else "K-BASE" with the smallest K >= 2 that is free.
 * The names are not reserved: add the resource before asking again.
 * Amortised O(1) per call, however often one BASE repeats.  Returns EMC_OK,
 * EMC_ELIMIT when the name does not fit in BUF, or EMC_ENOMEM. */
int emc_doc_resource_free_name(emc_doc *doc, const char *first, const char *base,
                               char *buf, size_t size);

/* True when DOC's tree holds more than MAX elements (MAX 0: no limit):
 * what a reader of IR checks against emc_limits.max_nodes. */
int emc_doc_exceeds_nodes(const emc_doc *doc, size_t max);

/* Parses SIZE bytes of IR XML (NAME is only for messages) into a new
 * document: no network, no DTD (refused), no entity substitution, nesting
 * bounded by libxml2's default depth limit; white space between blocks is
 * dropped; the result is checked against the schema's grammar in linear
 * time (the same verdicts as emc_doc_validate(), which runs the RELAX NG
 * validator itself and is superlinear on long documents); a <resources>
 * element becomes the document's resource table.  On success *OUT
 * owns a new document (transfer full); on failure ERR says why (with the
 * line, for malformed XML). */
int emc_doc_parse(const void *data, size_t size, const char *name,
                  emc_doc **out, emc_error *err);

/* Writes DOC as IR XML to OUT (pretty-printed UTF-8), its resources
 * base64-encoded in a trailing <resources> element, which emc_doc_parse()
 * turns back into resources. */
int emc_doc_serialize(const emc_doc *doc, emc_output *out, emc_error *err);

/* Replaces DOC's tree with FROM's (FROM keeps DOC's old tree and is then
 * usually freed); resources stay with DOC.  For filters that rebuild the
 * tree. */
void emc_doc_swap_tree(emc_doc *doc, emc_doc *from);

/* Checks the tree against the IR RELAX NG schema compiled into the library.
 * Returns EMC_OK or EMC_EPARSE with the first problems in ERR. */
int emc_doc_validate(const emc_doc *doc, emc_error *err);

/* ---- building and reading the tree ---- */

/* True when NODE is an element in the IR namespace called NAME. */
int emc_ir_is(const xmlNode *node, const char *name);

/* Appends a new IR element NAME to PARENT, with TEXT (UTF-8, may be NULL)
 * as its text content (escaped as needed).
 * Returns: (transfer none) the new element, owned by the tree; NULL if out
 * of memory. */
xmlNodePtr emc_ir_add(xmlNodePtr parent, const char *name, const char *text);

/* Appends LEN bytes of UTF-8 TEXT to PARENT as a text node (merged with a
 * preceding text node).  Returns EMC_OK or EMC_ENOMEM. */
int emc_ir_add_text(xmlNodePtr parent, const char *text, size_t len);

/* Opens a section of LEVEL (1-6) for a heading met while adding blocks to
 * CURRENT (the <body> or a <section>): closes the sections of CURRENT's
 * ancestry whose level is >= LEVEL, appends <section level="LEVEL"> to the
 * container that remains and returns it.  Add the <heading> to it, then
 * keep adding blocks to it.  Returns: (transfer none); NULL on ENOMEM. */
xmlNodePtr emc_ir_open_section(xmlNodePtr current, int level);

/* The level of a <section> (1-6), 0 if NODE is none. */
int emc_ir_section_level(const xmlNode *node);

/* The document-order walk, the one copy every module uses: the node after
 * NODE in the subtree of ROOT (ROOT itself excluded), going into NODE's
 * children only when ENTER is non-zero; NULL when the subtree is done.
 * Start from ROOT->children:
 *   for (n = root->children; n; n = emc_ir_next(n, root, enter)) ...
 * Returns: (transfer none). */
xmlNodePtr emc_ir_next(xmlNodePtr node, const xmlNode *root, int enter);

/* Text content of NODE and its descendants, notes included.
 * Returns: (transfer full) free with xmlFree(). */
xmlChar *emc_ir_text(const xmlNode *node);

#ifdef __cplusplus
}
#endif
#endif
