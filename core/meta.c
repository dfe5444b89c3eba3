/* SPDX-License-Identifier: MIT */
/* meta.c - the metadata a user gives (-M, --metadata-file, a catalogue):
 * the one table of keys (lists, aliases, identifier schemes) and how one
 * source of key=value pairs applies to a document; the YAML and JSON
 * metadata files. */
#include <config.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <json.h>
#include <yaml.h>
#include <emuconv/buf.h>
#include "core-private.h"

/* ---------------------------------------------------------------- keys */

enum { KEY_PLAIN, KEY_SERIES_POSITION };

struct meta_key {
  const char *key;     /* what the user writes */
  const char *element; /* the IR <meta> child it sets */
  int list;            /* repeats; the first of a source replaces */
  const char *scheme;  /* identifier scheme an alias implies, or NULL */
  int kind;
};

/* Canonical keys first: emc_meta_key_lookup's *NAME points at them. */
static const struct meta_key keys[] = {
  { "title", "title", 0, NULL, KEY_PLAIN },
  { "subtitle", "subtitle", 0, NULL, KEY_PLAIN },
  { "author", "author", 1, NULL, KEY_PLAIN },
  { "editor", "editor", 1, NULL, KEY_PLAIN },
  { "subject", "subject", 1, NULL, KEY_PLAIN },
  { "keyword", "keyword", 1, NULL, KEY_PLAIN },
  { "rights", "rights", 0, NULL, KEY_PLAIN },
  { "description", "description", 0, NULL, KEY_PLAIN },
  { "series", "series", 0, NULL, KEY_PLAIN },
  { "series-position", "series", 0, NULL, KEY_SERIES_POSITION },
  { "date", "date", 0, NULL, KEY_PLAIN },
  { "created", "created", 0, NULL, KEY_PLAIN },
  { "modified", "modified", 0, NULL, KEY_PLAIN },
  { "language", "language", 0, NULL, KEY_PLAIN },
  { "source", "source", 0, NULL, KEY_PLAIN },
  { "publisher", "publisher", 0, NULL, KEY_PLAIN },
  { "identifier", "identifier", 1, NULL, KEY_PLAIN },
  /* aliases */
  { "authors", "author", 1, NULL, KEY_PLAIN },
  { "creator", "author", 1, NULL, KEY_PLAIN },
  { "editors", "editor", 1, NULL, KEY_PLAIN },
  { "subjects", "subject", 1, NULL, KEY_PLAIN },
  { "keywords", "keyword", 1, NULL, KEY_PLAIN },
  { "tags", "keyword", 1, NULL, KEY_PLAIN },
  { "license", "rights", 0, NULL, KEY_PLAIN },
  { "licence", "rights", 0, NULL, KEY_PLAIN },
  { "copyright", "rights", 0, NULL, KEY_PLAIN },
  { "abstract", "description", 0, NULL, KEY_PLAIN },
  { "summary", "description", 0, NULL, KEY_PLAIN },
  { "series-index", "series", 0, NULL, KEY_SERIES_POSITION },
  { "issued", "date", 0, NULL, KEY_PLAIN },
  { "lang", "language", 0, NULL, KEY_PLAIN },
  { "url", "source", 0, NULL, KEY_PLAIN },
  { "isbn", "identifier", 1, "ISBN", KEY_PLAIN },
  { "issn", "identifier", 1, "ISSN", KEY_PLAIN },
  { "doi", "identifier", 1, "DOI", KEY_PLAIN },
  { "document-number", "identifier", 1, "docnum", KEY_PLAIN },
};
#define N_KEYS (sizeof keys / sizeof keys[0])
#define N_CANONICAL 17

/* "identifier=doi:10.1000/182": the schemes a value may name first. */
static const char *const value_schemes[] = { "ISBN", "ISSN", "DOI", "docnum", NULL };

/* '_' and '-' are the same, case is not significant: series_index,
 * Series-Index. */
static int key_equal(const char *a, const char *b)
{
  for (; *a && *b; a++, b++) {
    char x = *a == '_' ? '-' : *a, y = *b == '_' ? '-' : *b;
    if ((x | 0x20) != (y | 0x20) && !(x == '-' && y == '-'))
      return 0;
  }
  return !*a && !*b;
}

static const struct meta_key *find_key(const char *key)
{
  for (size_t i = 0; i < N_KEYS; i++)
    if (key_equal(key, keys[i].key))
      return &keys[i];
  return NULL;
}

int emc_meta_key_lookup(const char *key, const char **name, int *list)
{
  const struct meta_key *k = key ? find_key(key) : NULL;
  if (!k)
    return 0;
  if (name) {
    *name = k->key;
    for (size_t i = 0; i < N_CANONICAL; i++) /* the canonical spelling */
      if (strcmp(keys[i].element, k->element) == 0 && keys[i].kind == k->kind) {
        *name = keys[i].key;
        break;
      }
  }
  if (list)
    *list = k->list;
  return 1;
}

/* A BCP 47 shaped tag: 1-8 letters, then -subtags of 1-8 alphanumerics
 * (what xsd:language accepts, so every writer's output stays valid). */
static int language_tag(const char *s)
{
  size_t n = 0;
  for (; *s && *s != '-'; s++, n++)
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
      return 0;
  if (n < 1 || n > 8)
    return 0;
  while (*s == '-') {
    n = 0;
    for (s++; *s && *s != '-'; s++, n++)
      if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9')))
        return 0;
    if (n < 1 || n > 8)
      return 0;
  }
  return *s == '\0';
}

static int decimal(const char *s)
{
  int digits = 0, dots = 0;
  for (; *s; s++)
    if (*s >= '0' && *s <= '9')
      digits++;
    else if (*s != '.' || dots++)
      return 0;
  return digits > 0;
}

/* The scheme an identifier value names ("doi:10.1/x"), with *REST after
 * the colon; NULL when it names none of value_schemes. */
static const char *value_scheme(const char *v, const char **rest)
{
  for (const char *const *s = value_schemes; *s; s++) {
    size_t n = strlen(*s);
    if (strncasecmp(v, *s, n) == 0 && v[n] == ':' && v[n + 1]) {
      *rest = v + n + 1;
      while (**rest == ' ')
        (*rest)++;
      return *s;
    }
  }
  *rest = v;
  return NULL;
}

static int same_scheme(xmlNodePtr n, const char *scheme)
{
  xmlChar *s = xmlGetProp(n, BAD_CAST "scheme");
  int same = scheme ? s && xmlStrcasecmp(s, BAD_CAST scheme) == 0 : !s;
  xmlFree(s);
  return same;
}

/* Removes the identifiers of SCHEME (NULL: those without one). */
static void drop_identifiers(emc_doc *doc, const char *scheme)
{
  xmlNodePtr next;
  for (xmlNodePtr n = emc_doc_meta(doc)->children; n; n = next) {
    next = n->next;
    if (emc_ir_is(n, "identifier") && same_scheme(n, scheme)) {
      xmlUnlinkNode(n);
      xmlFreeNode(n);
    }
  }
}

/* The schemes whose identifiers this source has replaced already. */
struct seen_schemes {
  const char *v[8];
  size_t n;
  int none; /* identifiers without a scheme */
};

static int scheme_first(struct seen_schemes *s, const char *scheme)
{
  if (!scheme) {
    int first = !s->none;
    s->none = 1;
    return first;
  }
  for (size_t i = 0; i < s->n; i++)
    if (strcmp(s->v[i], scheme) == 0)
      return 0;
  if (s->n < sizeof s->v / sizeof s->v[0])
    s->v[s->n++] = scheme;
  return 1;
}

static int apply_one(emc_doc *doc, const char *label, const char *key, const char *value,
                     unsigned long *seen, struct seen_schemes *schemes, const char **position,
                     emc_error *err)
{
  const struct meta_key *k = find_key(key);
  if (!k)
    return emc_error_set(err, EMC_EINVAL,
                         "%s: unknown metadata key '%s' (keys: title, subtitle, author, "
                         "editor, subject, keyword, rights, description, series, "
                         "series-position, date, created, modified, language, source, "
                         "publisher, identifier, isbn, issn, doi, document-number)",
                         label, key);
  if (!value)
    value = "";
  if (k->kind == KEY_SERIES_POSITION) {
    if (*value && !decimal(value))
      return emc_error_set(err, EMC_EINVAL, "%s: %s=%s: not a number (e.g. 3 or 2.5)",
                           label, key, value);
    *position = value;
    return EMC_OK;
  }
  if (strcmp(k->element, "language") == 0 && *value && !language_tag(value))
    return emc_error_set(err, EMC_EINVAL,
                         "%s: %s=%s: not a language tag (e.g. en, id, hi, pt-BR)", label, key,
                         value);
  int rc;
  if (strcmp(k->element, "identifier") == 0) {
    const char *rest = value, *scheme = k->scheme;
    if (!scheme)
      scheme = value_scheme(value, &rest);
    if (scheme_first(schemes, scheme))
      drop_identifiers(doc, scheme);
    if (!*rest)
      return EMC_OK;
    if ((rc = emc_doc_meta_add(doc, "identifier", rest)))
      return emc_error_set(err, rc, "out of memory");
    xmlNodePtr last = xmlGetLastChild(emc_doc_meta(doc));
    if (scheme && !xmlSetProp(last, BAD_CAST "scheme", BAD_CAST scheme))
      return emc_error_set(err, EMC_ENOMEM, "out of memory");
    return EMC_OK;
  }
  size_t bit = 0;
  while (bit < N_CANONICAL && strcmp(keys[bit].element, k->element) != 0)
    bit++;
  if (k->list && (*seen & (1ul << bit)))
    rc = *value ? emc_doc_meta_add(doc, k->element, value) : EMC_OK;
  else
    rc = emc_doc_meta_set(doc, k->element, *value ? value : NULL);
  *seen |= 1ul << bit;
  return rc ? emc_error_set(err, rc, "out of memory") : EMC_OK;
}

int emc_doc_meta_apply(emc_doc *doc, const char *const *keys_in, const char *const *values,
                       size_t n, const char *label, emc_error *err)
{
  unsigned long seen = 0;
  struct seen_schemes schemes = { { NULL }, 0, 0 };
  const char *position = NULL;
  if (!label)
    label = "metadata";
  for (size_t i = 0; i < n; i++) {
    int rc = apply_one(doc, label, keys_in[i], values[i], &seen, &schemes, &position, err);
    if (rc)
      return rc;
  }
  if (position) {
    xmlNodePtr series = NULL;
    for (xmlNodePtr m = emc_doc_meta(doc)->children; m && !series; m = m->next)
      if (emc_ir_is(m, "series"))
        series = m;
    if (!series && *position)
      return emc_error_set(err, EMC_EINVAL, "%s: series-position=%s without a series",
                           label, position);
    if (series && !*position)
      xmlUnsetProp(series, BAD_CAST "position");
    else if (series && !xmlSetProp(series, BAD_CAST "position", BAD_CAST position))
      return emc_error_set(err, EMC_ENOMEM, "out of memory");
  }
  return EMC_OK;
}

int emc_doc_meta_apply_pairs(emc_doc *doc, const char *const *pairs, const char *label,
                             emc_error *err)
{
  size_t n = 0;
  while (pairs && pairs[n])
    n++;
  if (!n)
    return EMC_OK;
  char **k = calloc(n, sizeof *k);
  const char **v = calloc(n, sizeof *v);
  int rc = k && v ? EMC_OK : emc_error_set(err, EMC_ENOMEM, "out of memory");
  for (size_t i = 0; i < n && rc == EMC_OK; i++) {
    const char *eq = strchr(pairs[i], '=');
    if (!eq || eq == pairs[i])
      rc = emc_error_set(err, EMC_EINVAL, "%s %s: expected KEY=VALUE", label ? label : "",
                         pairs[i]);
    else if (!(k[i] = emci_asprintf("%.*s", (int)(eq - pairs[i]), pairs[i])))
      rc = emc_error_set(err, EMC_ENOMEM, "out of memory");
    else
      v[i] = eq + 1;
  }
  if (rc == EMC_OK)
    rc = emc_doc_meta_apply(doc, (const char *const *)k, v, n, label, err);
  for (size_t i = 0; k && i < n; i++)
    free(k[i]);
  free(k);
  free(v);
  return rc;
}

/* ------------------------------------------------------- metadata files */

struct pairs {
  char **v;
  size_t n, cap;
  int oom;
};

static void pairs_add(struct pairs *p, const char *key, const char *value, size_t value_len)
{
  if (p->oom)
    return;
  if (p->n + 2 > p->cap) {
    size_t cap = p->cap ? p->cap * 2 : 16;
    char **g = realloc(p->v, cap * sizeof *g);
    if (!g) {
      p->oom = 1;
      return;
    }
    p->v = g;
    p->cap = cap;
  }
  char *s = emci_asprintf("%s=%.*s", key, (int)value_len, value ? value : "");
  if (!s) {
    p->oom = 1;
    return;
  }
  p->v[p->n++] = s;
  p->v[p->n] = NULL;
}

void emc_meta_pairs_free(char **pairs)
{
  for (char **p = pairs; p && *p; p++)
    free(*p);
  free(pairs);
}

/* The members of an object value that say what the value is: a person's
 * or series' name, an identifier's text. */
static int is_name_member(const char *m)
{
  static const char *const names[] = { "name", "text", "value", "title", "literal", "id", NULL };
  for (const char *const *n = names; *n; n++)
    if (strcasecmp(m, *n) == 0)
      return 1;
  return 0;
}

/* What the members of an object value (JSON) or mapping (YAML) say. */
struct object_value {
  const char *name;     /* is_name_member */
  const char *scheme;   /* "scheme", "type": the value becomes SCHEME:NAME */
  const char *position; /* "position", "number", "index": series-position */
};

/* Files member MK, of text S, of KEY's object value in OV. */
static int object_member(struct object_value *ov, const char *key, const char *mk,
                         const char *s, const char *label, emc_error *err)
{
  if (is_name_member(mk))
    ov->name = s;
  else if (strcasecmp(mk, "scheme") == 0 || strcasecmp(mk, "type") == 0)
    ov->scheme = s;
  else if (strcasecmp(mk, "position") == 0 || strcasecmp(mk, "number") == 0 ||
           strcasecmp(mk, "index") == 0)
    ov->position = s;
  else
    return emc_error_set(err, EMC_EINVAL, "%s: %s: unknown member '%s'", label, key, mk);
  return EMC_OK;
}

/* Adds the pairs KEY's object value OV makes: KEY=[SCHEME:]NAME, and
 * series-position=POSITION when it has one. */
static int object_value_add(struct pairs *p, const char *key, const struct object_value *ov,
                            const char *label, emc_error *err)
{
  if (!ov->name)
    return emc_error_set(err, EMC_EINVAL, "%s: %s: a name or text is missing", label, key);
  char *v = ov->scheme ? emci_asprintf("%s:%s", ov->scheme, ov->name) : emci_strdup(ov->name);
  if (v)
    pairs_add(p, key, v, strlen(v));
  else
    p->oom = 1;
  free(v);
  if (ov->position)
    pairs_add(p, "series-position", ov->position, strlen(ov->position));
  return EMC_OK;
}

/* ---- JSON (json-c) ---- */

static int json_scalar(json_object *o, const char **s, size_t *len)
{
  switch (json_object_get_type(o)) {
  case json_type_null:
    *s = "";
    *len = 0;
    return 1;
  case json_type_string:
  case json_type_int:
  case json_type_double:
  case json_type_boolean:
    *s = json_object_get_string(o);
    *len = strlen(*s);
    return 1;
  default:
    return 0;
  }
}

static int json_value(struct pairs *p, const char *key, json_object *o, const char *label,
                      emc_error *err, int depth)
{
  const char *s;
  size_t len;
  if (json_scalar(o, &s, &len)) {
    pairs_add(p, key, s, len);
    return EMC_OK;
  }
  if (json_object_get_type(o) == json_type_array && depth == 0) {
    size_t n = json_object_array_length(o);
    if (n == 0)
      pairs_add(p, key, "", 0);
    for (size_t i = 0; i < n; i++) {
      int rc = json_value(p, key, json_object_array_get_idx(o, i), label, err, 1);
      if (rc)
        return rc;
    }
    return EMC_OK;
  }
  if (json_object_get_type(o) == json_type_object) {
    struct object_value ov = { NULL, NULL, NULL };
    json_object_object_foreach(o, mk, mv) {
      if (!json_scalar(mv, &s, &len))
        return emc_error_set(err, EMC_EINVAL, "%s: %s.%s: expected a text", label, key, mk);
      int rc = object_member(&ov, key, mk, s, label, err);
      if (rc)
        return rc;
    }
    return object_value_add(p, key, &ov, label, err);
  }
  return emc_error_set(err, EMC_EINVAL, "%s: %s: expected a text, a list or an object", label,
                       key);
}

static int read_json(struct pairs *p, const char *data, size_t size, const char *label,
                     emc_error *err)
{
  json_tokener *tok = json_tokener_new();
  if (!tok)
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  json_object *root = json_tokener_parse_ex(tok, data, (int)size);
  enum json_tokener_error jerr = json_tokener_get_error(tok);
  int rc = EMC_OK;
  if (!root || jerr != json_tokener_success)
    rc = emc_error_set(err, EMC_EPARSE, "%s: not JSON: %s", label,
                       json_tokener_error_desc(jerr == json_tokener_success
                                                   ? json_tokener_error_parse_eof
                                                   : jerr));
  else if (json_object_get_type(root) != json_type_object)
    rc = emc_error_set(err, EMC_EPARSE, "%s: expected an object of KEY: VALUE", label);
  else {
    json_object_object_foreach(root, k, v) {
      if ((rc = json_value(p, k, v, label, err, 0)))
        break;
    }
  }
  json_object_put(root);
  json_tokener_free(tok);
  return rc;
}

/* ---- YAML (libyaml) ---- */

static int yaml_value(struct pairs *p, yaml_document_t *d, const char *key, yaml_node_t *node,
                      const char *label, emc_error *err, int depth)
{
  if (!node)
    return EMC_OK;
  if (node->type == YAML_SCALAR_NODE) {
    const char *v = (const char *)node->data.scalar.value;
    size_t len = node->data.scalar.length;
    /* "key:" and "key: ~" (YAML's null) remove the key */
    if (node->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
        ((len == 1 && *v == '~') || (len == 4 && strncmp(v, "null", 4) == 0)))
      len = 0;
    if (memchr(v, '\0', len))
      return emc_error_set(err, EMC_EINVAL, "%s: %s: a NUL in the value", label, key);
    pairs_add(p, key, v, len);
    return EMC_OK;
  }
  if (node->type == YAML_SEQUENCE_NODE && depth == 0) {
    yaml_node_item_t *it = node->data.sequence.items.start;
    if (it == node->data.sequence.items.top)
      pairs_add(p, key, "", 0);
    for (; it < node->data.sequence.items.top; it++) {
      int rc = yaml_value(p, d, key, yaml_document_get_node(d, *it), label, err, 1);
      if (rc)
        return rc;
    }
    return EMC_OK;
  }
  if (node->type == YAML_MAPPING_NODE) {
    struct object_value ov = { NULL, NULL, NULL };
    for (yaml_node_pair_t *pr = node->data.mapping.pairs.start;
         pr < node->data.mapping.pairs.top; pr++) {
      yaml_node_t *k = yaml_document_get_node(d, pr->key);
      yaml_node_t *v = yaml_document_get_node(d, pr->value);
      if (!k || k->type != YAML_SCALAR_NODE || !v || v->type != YAML_SCALAR_NODE)
        return emc_error_set(err, EMC_EINVAL, "%s: %s: expected member: text", label, key);
      int rc = object_member(&ov, key, (const char *)k->data.scalar.value,
                             (const char *)v->data.scalar.value, label, err);
      if (rc)
        return rc;
    }
    return object_value_add(p, key, &ov, label, err);
  }
  return emc_error_set(err, EMC_EINVAL, "%s: %s: expected a text, a list or a mapping", label,
                       key);
}

static int read_yaml(struct pairs *p, const char *data, size_t size, const char *label,
                     emc_error *err)
{
  yaml_parser_t parser;
  yaml_document_t doc;
  if (!yaml_parser_initialize(&parser))
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  yaml_parser_set_input_string(&parser, (const unsigned char *)data, size);
  if (!yaml_parser_load(&parser, &doc)) {
    int rc = emc_error_set(err, EMC_EPARSE, "%s:%zu: not YAML: %s", label,
                           parser.problem_mark.line + 1,
                           parser.problem ? parser.problem : "syntax error");
    yaml_parser_delete(&parser);
    return rc;
  }
  int rc = EMC_OK;
  yaml_node_t *root = yaml_document_get_root_node(&doc);
  if (root && root->type != YAML_MAPPING_NODE)
    rc = emc_error_set(err, EMC_EPARSE, "%s: expected a mapping of KEY: VALUE", label);
  for (yaml_node_pair_t *pr = root ? root->data.mapping.pairs.start : NULL;
       rc == EMC_OK && pr && pr < root->data.mapping.pairs.top; pr++) {
    yaml_node_t *k = yaml_document_get_node(&doc, pr->key);
    if (!k || k->type != YAML_SCALAR_NODE)
      rc = emc_error_set(err, EMC_EPARSE, "%s: a key that is not a text", label);
    else
      rc = yaml_value(p, &doc, (const char *)k->data.scalar.value,
                      yaml_document_get_node(&doc, pr->value), label, err, 0);
  }
  yaml_document_delete(&doc);
  yaml_parser_delete(&parser);
  return rc;
}

/* Metadata files are small; this bounds what a mistaken path reads. */
#define META_FILE_MAX (1024 * 1024)

int emc_meta_file_read(const char *path, char ***out, emc_error *err)
{
  FILE *f = fopen(path, "rb");
  if (!f)
    return emc_error_set(err, EMC_EIO, "%s: cannot open: %s", path, strerror(errno));
  emc_buf buf = EMC_BUF_INIT;
  char chunk[8192];
  size_t got;
  int rc = EMC_OK;
  while (rc == EMC_OK && (got = fread(chunk, 1, sizeof chunk, f)) > 0) {
    if (buf.len + got > META_FILE_MAX)
      rc = emc_error_set(err, EMC_ELIMIT, "%s: over %d bytes: not a metadata file", path,
                         META_FILE_MAX);
    else if (emc_buf_append(&buf, chunk, got) != EMC_OK)
      rc = emc_error_set(err, EMC_ENOMEM, "out of memory");
  }
  if (rc == EMC_OK && ferror(f))
    rc = emc_error_set(err, EMC_EIO, "%s: read failed", path);
  fclose(f);
  if (rc == EMC_OK && emc_buf_append(&buf, "", 1) != EMC_OK)
    rc = emc_error_set(err, EMC_ENOMEM, "out of memory");
  struct pairs p = { NULL, 0, 0, 0 };
  if (rc == EMC_OK) {
    size_t size = buf.len - 1;
    const char *data = (const char *)buf.data;
    const char *dot = strrchr(path, '.');
    size_t lead = strspn(data, " \t\r\n");
    if (size >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
      lead = 3 + strspn(data + 3, " \t\r\n");
    /* by the extension, else by the content: JSON is an object */
    int json = dot ? strcasecmp(dot, ".json") == 0
                   : data[lead] == '{';
    if (dot && strcasecmp(dot, ".json") != 0 && strcasecmp(dot, ".yaml") != 0 &&
        strcasecmp(dot, ".yml") != 0)
      json = data[lead] == '{';
    rc = json ? read_json(&p, data + lead, size - lead, path, err)
              : read_yaml(&p, data, size, path, err);
  }
  emc_buf_release(&buf);
  if (rc == EMC_OK && p.oom)
    rc = emc_error_set(err, EMC_ENOMEM, "out of memory");
  if (rc == EMC_OK && !p.v && !(p.v = calloc(1, sizeof *p.v)))
    rc = emc_error_set(err, EMC_ENOMEM, "out of memory");
  if (rc) {
    emc_meta_pairs_free(p.v);
    return rc;
  }
  *out = p.v;
  return EMC_OK;
}
