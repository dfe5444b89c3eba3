/* SPDX-License-Identifier: MIT */
/* docx-pkg.c - the OPC package under the limits: zip directory checks,
 * inflation that counts every byte, XML parsing without DTDs, content
 * types and relationships.  See docx.h. */
#include <config.h>
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/SAX2.h>
#include "../common/pathnorm.h"
#include "docx.h"

/* Below this many inflated bytes an entry's compression ratio is not
 * checked: a small part of repeated markup may compress 500:1 and harm
 * no one. */
#define RATIO_FLOOR ((size_t)1 << 20)
/* The package as a whole is held to the ratio too, or many parts each
 * under RATIO_FLOOR inflate a few hundred kB into hundreds of MB (issue
 * 32): all inflated bytes stay under max(ratio * package size,
 * PACKAGE_FLOOR), and under the total-size limit. */
#define PACKAGE_FLOOR ((size_t)64 << 20)
#define CHUNK 65536

/* ------------------------------------------------------------ XML helpers */

static const struct {
  const char *href;
  int ns;
} ns_table[] = {
  { "http://schemas.openxmlformats.org/wordprocessingml/2006/main", NS_W },
  { "http://purl.oclc.org/ooxml/wordprocessingml/main", NS_W },
  { "http://schemas.openxmlformats.org/officeDocument/2006/relationships", NS_R },
  { "http://purl.oclc.org/ooxml/officeDocument/relationships", NS_R },
  { "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing", NS_WP },
  { "http://purl.oclc.org/ooxml/drawingml/wordprocessingDrawing", NS_WP },
  { "http://schemas.openxmlformats.org/drawingml/2006/main", NS_A },
  { "http://purl.oclc.org/ooxml/drawingml/main", NS_A },
  { "http://schemas.openxmlformats.org/drawingml/2006/picture", NS_PIC },
  { "http://schemas.openxmlformats.org/drawingml/2006/diagram", NS_DGM },
  { "http://purl.oclc.org/ooxml/drawingml/diagram", NS_DGM },
  { "http://purl.oclc.org/ooxml/drawingml/picture", NS_PIC },
  { "http://schemas.openxmlformats.org/markup-compatibility/2006", NS_MC },
  { "urn:schemas-microsoft-com:vml", NS_V },
  { "urn:schemas-microsoft-com:office:office", NS_O },
  { "http://schemas.openxmlformats.org/officeDocument/2006/math", NS_M },
  { "http://purl.oclc.org/ooxml/officeDocument/math", NS_M },
  { "http://schemas.microsoft.com/office/word/2010/wordprocessingShape", NS_WPS },
  { "http://schemas.microsoft.com/office/word/2010/wordml", NS_W14 },
  { "http://schemas.openxmlformats.org/package/2006/relationships", NS_PKGREL },
  { "http://schemas.openxmlformats.org/package/2006/content-types", NS_CT },
  { "http://schemas.openxmlformats.org/package/2006/metadata/core-properties", NS_CP },
  { "http://purl.org/dc/elements/1.1/", NS_DC },
  { "http://purl.org/dc/terms/", NS_DCTERMS },
};

int docx_ns(const xmlNs *ns)
{
  if (!ns)
    return NS_NONE;
  if (ns->_private)
    return (int)(intptr_t)ns->_private - 1;
  int v = NS_OTHER;
  for (size_t i = 0; i < sizeof ns_table / sizeof ns_table[0]; i++)
    if (ns->href && strcmp((const char *)ns->href, ns_table[i].href) == 0) {
      v = ns_table[i].ns;
      break;
    }
  ((xmlNs *)ns)->_private = (void *)(intptr_t)(v + 1);
  return v;
}

const char *docx_attr(const xmlNode *n, int ns, const char *local)
{
  if (!n || n->type != XML_ELEMENT_NODE)
    return NULL;
  for (const xmlAttr *a = n->properties; a; a = a->next)
    if (xmlStrEqual(a->name, BAD_CAST local) && docx_ns(a->ns) == ns)
      return a->children && a->children->type == XML_TEXT_NODE && a->children->content
                 ? (const char *)a->children->content
                 : "";
  return NULL;
}

xmlNodePtr docx_child(const xmlNode *n, int ns, const char *local)
{
  for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
    if (docx_is(c, ns, local))
      return c;
  return NULL;
}

int docx_onoff(const xmlNode *prop, int dflt)
{
  if (!prop)
    return dflt;
  const char *v = docx_val(prop);
  if (!v)
    return 1;
  return !(strcmp(v, "0") == 0 || strcmp(v, "false") == 0 || strcmp(v, "off") == 0 ||
           strcmp(v, "none") == 0);
}

/* xsd:language: [a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*; "x-none" says nothing. */
int docx_valid_lang(const char *tag)
{
  if (!tag || !*tag || strcmp(tag, "x-none") == 0 || strcmp(tag, "zxx") == 0)
    return 0;
  size_t run = 0;
  int first = 1;
  for (const char *c = tag;; c++) {
    if (*c == '-' || *c == '\0') {
      if (run == 0 || run > 8)
        return 0;
      if (!*c)
        return 1;
      first = 0;
      run = 0;
    } else if (isalpha((unsigned char)*c) || (!first && isdigit((unsigned char)*c)))
      run++;
    else
      return 0;
  }
}

/* A part or entry name fit for a one-line message. */
static const char *shown(const char *name, char *buf, size_t size)
{
  size_t i = 0;
  for (; name[i] && i + 4 < size; i++)
    buf[i] = (unsigned char)name[i] < 0x20 || name[i] == 0x7F ? '?' : name[i];
  if (name[i])
    memcpy(buf + i, "...", 4);
  else
    buf[i] = '\0';
  return buf;
}

/* ------------------------------------------------------------ the zip */

static int unsafe_entry_name(const char *s)
{
  if (!*s || s[0] == '/' || s[0] == '\\' || (isalpha((unsigned char)s[0]) && s[1] == ':'))
    return 1;
  for (const char *c = s; *c;) {
    const char *e = c;
    while (*e && *e != '/' && *e != '\\') {
      if ((unsigned char)*e < 0x20)
        return 1;
      e++;
    }
    if (e - c == 2 && c[0] == '.' && c[1] == '.')
      return 1;
    c = *e ? e + 1 : e;
  }
  return 0;
}

static int zip_open_error(emc_error *err, const emc_input *in, int zep)
{
  const unsigned char *d = in->data;
  if (in->size >= 8 && memcmp(d, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0)
    return emc_error_set(err, EMC_ENOTSUP,
                         "an OLE2 compound file (a legacy .doc, or a password-protected "
                         "document), not a DOCX zip package");
  int looks_zip = in->size >= 4 && memcmp(d, "PK\3\4", 4) == 0;
  switch (zep) {
  case ZIP_ER_NOZIP:
    if (looks_zip)
      return emc_error_set(err, EMC_EPARSE,
                           "truncated zip package: the central directory at its end is missing");
    return emc_error_set(err, EMC_EPARSE, "not a DOCX package: not a zip archive");
  case ZIP_ER_INCONS:
    return emc_error_set(err, EMC_EPARSE,
                         "corrupt zip package: its directory and entries disagree%s",
                         looks_zip ? " (truncated?)" : "");
  case ZIP_ER_MEMORY:
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  default: {
    zip_error_t ze;
    zip_error_init_with_code(&ze, zep);
    int rc = emc_error_set(err, EMC_EPARSE, "unreadable zip package: %s", zip_error_strerror(&ze));
    zip_error_fini(&ze);
    return rc;
  }
  }
}

static unsigned rd16(const unsigned char *b) { return (unsigned)b[0] | (unsigned)b[1] << 8; }
static uint32_t rd32(const unsigned char *b)
{
  return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

typedef struct { uint64_t start, end; } zip_span;

static int span_cmp(const void *a, const void *b)
{
  const zip_span *x = a, *y = b;
  return x->start < y->start ? -1 : x->start > y->start;
}

/* What libzip's ZIP_CHECKCONS checked, less what real writers get wrong
 * without harm (issue 31: a local header's modification time differing
 * from the directory's).  Every directory entry must have a local header
 * inside the file, before the directory, with the same name, method and
 * flags; without a data descriptor, the same CRC and sizes; and no two
 * entries' bytes may overlap.  The CRC of the bytes themselves is checked
 * by libzip as they inflate.  Zip64 directories (sizes of 0xFFFFFFFF) are
 * left to libzip: no Word document needs them.  Returns 0 if consistent. */
static int zip_entries_disagree(const unsigned char *d, size_t size)
{
  if (size < 22)
    return 1;
  size_t eocd = 0, found = 0;
  size_t lowest = size > 22 + 65535 ? size - 22 - 65535 : 0;
  for (size_t i = size - 22 + 1; i-- > lowest;)
    if (memcmp(d + i, "PK\5\6", 4) == 0) {
      eocd = i;
      found = 1;
      break;
    }
  if (!found)
    return 1;
  unsigned count = rd16(d + eocd + 10);
  uint32_t cd_size = rd32(d + eocd + 12), cd_off = rd32(d + eocd + 16);
  if (count == 0xFFFF || cd_size == 0xFFFFFFFFu || cd_off == 0xFFFFFFFFu)
    return 0;
  if ((uint64_t)cd_off + cd_size > eocd)
    return 1;
  zip_span *spans = calloc(count ? count : 1, sizeof *spans);
  if (!spans)
    return 0; /* no memory to check with: libzip's own checks remain */
  int bad = 0;
  size_t c = cd_off;
  unsigned n;
  for (n = 0; n < count && !bad; n++) {
    if (c + 46 > (size_t)cd_off + cd_size || memcmp(d + c, "PK\1\2", 4) != 0) {
      bad = 1;
      break;
    }
    const unsigned char *ce = d + c;
    unsigned flags = rd16(ce + 8), method = rd16(ce + 10);
    uint32_t crc = rd32(ce + 16), csize = rd32(ce + 20), usize = rd32(ce + 24);
    unsigned nlen = rd16(ce + 28), xlen = rd16(ce + 30), klen = rd16(ce + 32);
    uint32_t loff = rd32(ce + 42);
    if (c + 46 + nlen > (size_t)cd_off + cd_size) {
      bad = 1;
      break;
    }
    if (loff == 0xFFFFFFFFu || csize == 0xFFFFFFFFu || usize == 0xFFFFFFFFu) {
      spans[n].start = spans[n].end = 0; /* zip64: left to libzip */
    } else if ((uint64_t)loff + 30 > cd_off) {
      bad = 1;
    } else {
      const unsigned char *le = d + loff;
      unsigned lnlen = rd16(le + 26), lxlen = rd16(le + 28);
      uint64_t end = (uint64_t)loff + 30 + lnlen + lxlen + csize;
      if (memcmp(le, "PK\3\4", 4) != 0 || end > cd_off || lnlen != nlen ||
          memcmp(le + 30, ce + 46, nlen) != 0 || rd16(le + 8) != method ||
          ((rd16(le + 6) ^ flags) & 0x0001) != 0)
        bad = 1;
      else if (!(flags & 0x0008) && rd32(le + 18) != 0xFFFFFFFFu &&
               (rd32(le + 14) != crc || rd32(le + 18) != csize || rd32(le + 22) != usize))
        bad = 1;
      spans[n].start = loff;
      spans[n].end = end;
    }
    c += 46 + (size_t)nlen + xlen + klen;
  }
  if (!bad) {
    qsort(spans, count, sizeof *spans, span_cmp);
    for (unsigned i = 1; i < count && !bad; i++)
      if (spans[i - 1].end > spans[i].start && spans[i - 1].end != spans[i - 1].start)
        bad = 1;
  }
  free(spans);
  return bad;
}

/* The message for a package over p->max_total: which rule it broke. */
static int package_limit(docx_pkg *p)
{
  if (p->max_total == p->lim->max_total_bytes)
    return emc_error_set(p->err, EMC_ELIMIT, "the package inflates to more than %zu bytes "
                         "(the limit for all entries)", p->max_total);
  return emc_error_set(p->err, EMC_ELIMIT, "the package inflates to more than %zu bytes, "
                       "over %zu:1 of its size (a zip bomb?)", p->max_total, p->lim->max_ratio);
}

int docx_pkg_open(docx_pkg *p, emc_ctx *ctx, const emc_input *in, emc_error *err)
{
  memset(p, 0, sizeof *p);
  p->ctx = ctx;
  p->err = err;
  p->lim = emc_ctx_limits(ctx);
  if (in->size < 22) /* the smallest zip: an empty end-of-central-directory */
    return zip_open_error(err, in, ZIP_ER_NOZIP);
  zip_error_t ze;
  zip_error_init(&ze);
  p->src = zip_source_buffer_create(in->data, in->size, 0, &ze);
  if (!p->src) {
    zip_error_fini(&ze);
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  }
  /* Not ZIP_CHECKCONS: it also compares timestamps and extra fields,
   * which real writers let differ (issue 31); zip_entries_disagree checks
   * what matters. */
  p->za = zip_open_from_source(p->src, ZIP_RDONLY, &ze);
  if (!p->za) {
    int zep = zip_error_code_zip(&ze);
    zip_error_fini(&ze);
    zip_source_free(p->src);
    p->src = NULL;
    return zip_open_error(err, in, zep);
  }
  zip_error_fini(&ze);
  if (zip_entries_disagree(in->data, in->size)) {
    docx_pkg_close(p);
    return zip_open_error(err, in, ZIP_ER_INCONS);
  }
  p->max_total = p->lim->max_total_bytes;
  if (p->lim->max_ratio) {
    size_t by_ratio = in->size > SIZE_MAX / p->lim->max_ratio ? SIZE_MAX
                                                               : in->size * p->lim->max_ratio;
    if (by_ratio < PACKAGE_FLOOR)
      by_ratio = PACKAGE_FLOOR;
    if (by_ratio < p->max_total)
      p->max_total = by_ratio;
  }

  /* The directory: count, names, declared sizes and ratios. */
  int rc = EMC_OK;
  char nb[96];
  zip_int64_t n = zip_get_num_entries(p->za, 0);
  if (n < 0 || (zip_uint64_t)n > p->lim->max_zip_entries) {
    rc = emc_error_set(err, EMC_ELIMIT, "the package has %lld entries, over the limit of %zu",
                       (long long)n, p->lim->max_zip_entries);
    goto fail;
  }
  zip_uint64_t total = 0;
  for (zip_int64_t i = 0; i < n; i++) {
    zip_stat_t st;
    if (zip_stat_index(p->za, (zip_uint64_t)i, ZIP_FL_ENC_RAW, &st) != 0 ||
        !(st.valid & ZIP_STAT_NAME)) {
      rc = emc_error_set(err, EMC_EPARSE, "corrupt zip package: entry %lld unreadable", (long long)i);
      goto fail;
    }
    if (unsafe_entry_name(st.name)) {
      rc = emc_error_set(err, EMC_EPARSE,
                         "unsafe entry name in the package (absolute or '..' path): '%s'",
                         shown(st.name, nb, sizeof nb));
      goto fail;
    }
    if (!(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_COMP_SIZE))
      continue;
    if (st.size > p->lim->max_entry_bytes) {
      rc = emc_error_set(err, EMC_ELIMIT,
                         "entry '%s' inflates to %llu bytes, over the limit of %zu per entry",
                         shown(st.name, nb, sizeof nb), (unsigned long long)st.size,
                         p->lim->max_entry_bytes);
      goto fail;
    }
    if (st.size > RATIO_FLOOR && p->lim->max_ratio &&
        st.size / (st.comp_size ? st.comp_size : 1) > p->lim->max_ratio) {
      rc = emc_error_set(err, EMC_ELIMIT,
                         "entry '%s' has a compression ratio of %llu:1, over the limit of "
                         "%zu:1 (a zip bomb?)", shown(st.name, nb, sizeof nb),
                         (unsigned long long)(st.size / (st.comp_size ? st.comp_size : 1)),
                         p->lim->max_ratio);
      goto fail;
    }
    total += st.size;
    if (total > p->max_total) {
      rc = package_limit(p);
      goto fail;
    }
  }
  return EMC_OK;
fail:
  docx_pkg_close(p);
  return rc;
}

void docx_pkg_close(docx_pkg *p)
{
  if (p->za)
    zip_discard(p->za); /* frees the source too */
  else if (p->src)
    zip_source_free(p->src);
  p->za = NULL;
  p->src = NULL;
  for (size_t i = 0; i < p->n_defaults; i++) {
    free(p->defaults[i].key);
    free(p->defaults[i].type);
  }
  for (size_t i = 0; i < p->n_overrides; i++) {
    free(p->overrides[i].key);
    free(p->overrides[i].type);
  }
  free(p->defaults);
  free(p->overrides);
  p->defaults = p->overrides = NULL;
  p->n_defaults = p->n_overrides = 0;
}

zip_int64_t docx_pkg_find(docx_pkg *p, const char *name)
{
  zip_int64_t i = zip_name_locate(p->za, name, 0);
  if (i < 0)
    i = zip_name_locate(p->za, name, ZIP_FL_NOCASE);
  return i;
}

typedef int (*sink_fn)(void *user, const char *data, size_t len);

/* Inflates entry IDX, handing the bytes to SINK, and stops at the first
 * byte over a limit: the directory's sizes are checked again here, as the
 * bytes really come, because a hostile header may lie. */
static int pkg_inflate(docx_pkg *p, const char *name, zip_int64_t idx, sink_fn sink, void *user)
{
  emc_error *err = p->err;
  char nb[96];
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(p->za, (zip_uint64_t)idx, 0, &st) != 0)
    return emc_error_set(err, EMC_EPARSE, "corrupt zip package: part '%s' unreadable",
                         shown(name, nb, sizeof nb));
  zip_file_t *f = zip_fopen_index(p->za, (zip_uint64_t)idx, 0);
  if (!f) {
    zip_error_t *ze = zip_get_error(p->za);
    if (zip_error_code_zip(ze) == ZIP_ER_NOPASSWD || zip_error_code_zip(ze) == ZIP_ER_WRONGPASSWD)
      return emc_error_set(err, EMC_ENOTSUP, "part '%s' is encrypted", shown(name, nb, sizeof nb));
    return emc_error_set(err, EMC_EPARSE, "cannot read part '%s': %s", shown(name, nb, sizeof nb),
                         zip_error_strerror(ze));
  }
  static const size_t bufsize = CHUNK;
  char *buf = malloc(bufsize);
  if (!buf) {
    zip_fclose(f);
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  }
  size_t got = 0;
  int rc = EMC_OK;
  zip_uint64_t comp = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
  for (;;) {
    zip_int64_t n = zip_fread(f, buf, bufsize);
    if (n < 0) {
      rc = emc_error_set(err, EMC_EPARSE, "corrupt zip package: part '%s': %s",
                         shown(name, nb, sizeof nb), zip_file_strerror(f));
      break;
    }
    if (n == 0)
      break;
    got += (size_t)n;
    p->total += (size_t)n;
    if (got > p->lim->max_entry_bytes) {
      rc = emc_error_set(err, EMC_ELIMIT, "part '%s' inflates to more than %zu bytes (the "
                         "limit per entry)", shown(name, nb, sizeof nb), p->lim->max_entry_bytes);
      break;
    }
    if (p->total > p->max_total) {
      rc = package_limit(p);
      break;
    }
    if ((st.valid & ZIP_STAT_SIZE) && got > st.size) {
      rc = emc_error_set(err, EMC_EPARSE, "part '%s' inflates to more than the %llu bytes its "
                         "zip header declares (a corrupt or hostile package)",
                         shown(name, nb, sizeof nb), (unsigned long long)st.size);
      break;
    }
    if (got > RATIO_FLOOR && p->lim->max_ratio && got / (comp ? comp : 1) > p->lim->max_ratio) {
      rc = emc_error_set(err, EMC_ELIMIT, "part '%s' inflates at more than %zu:1 (a zip bomb?)",
                         shown(name, nb, sizeof nb), p->lim->max_ratio);
      break;
    }
    if ((rc = sink(user, buf, (size_t)n)))
      break;
  }
  free(buf);
  zip_fclose(f);
  return rc;
}

/* pkg_inflate()'s sink into a part's bytes. */
struct part_bytes {
  emc_buf buf;
  emc_error *err;
};

static int mem_sink(void *user, const char *data, size_t len)
{
  struct part_bytes *m = user;
  if (emc_buf_append(&m->buf, data, len))
    return emc_error_set(m->err, EMC_ENOMEM, "out of memory");
  return EMC_OK;
}

int docx_pkg_read(docx_pkg *p, const char *name, unsigned char **data, size_t *len)
{
  char nb[96];
  zip_int64_t idx = docx_pkg_find(p, name);
  if (idx < 0)
    return emc_error_set(p->err, EMC_EPARSE, "the package lacks part '%s'", shown(name, nb, sizeof nb));
  struct part_bytes m = { EMC_BUF_INIT, p->err };
  int rc = pkg_inflate(p, name, idx, mem_sink, &m);
  unsigned char *bytes = rc ? NULL : (unsigned char *)emc_buf_steal(&m.buf, len);
  if (!rc && !bytes)
    rc = emc_error_set(p->err, EMC_ENOMEM, "out of memory");
  if (rc) {
    emc_buf_release(&m.buf);
    return rc;
  }
  *data = bytes;
  return EMC_OK;
}

/* ------------------------------------------------------------ XML */

struct parse_state {
  docx_pkg *pkg;
  const char *name;
  xmlSAXHandler sax;
  xmlParserCtxtPtr pc;
  const char *container;
  docx_block_fn on_block;
  void *user;
  xmlNodePtr cont;
  size_t depth, max_depth;
  int rc, dtd;
};

static void ps_fail(struct parse_state *s, xmlParserCtxtPtr pc, int rc)
{
  if (!s->rc)
    s->rc = rc;
  xmlStopParser(pc);
}

static void ps_start(void *ctx, const xmlChar *localname, const xmlChar *prefix,
                     const xmlChar *uri, int nb_namespaces, const xmlChar **namespaces,
                     int nb_attributes, int nb_defaulted, const xmlChar **attributes)
{
  xmlParserCtxtPtr pc = ctx;
  struct parse_state *s = pc->_private;
  if (s->rc)
    return;
  if (++s->depth > s->max_depth) {
    char nb[96];
    ps_fail(s, pc, emc_error_set(s->pkg->err, EMC_ELIMIT,
                                 "part '%s' nests elements deeper than %zu (the depth limit)",
                                 shown(s->name, nb, sizeof nb), s->max_depth));
    return;
  }
  xmlSAX2StartElementNs(ctx, localname, prefix, uri, nb_namespaces, namespaces, nb_attributes,
                        nb_defaulted, attributes);
  xmlNodePtr n = pc->node;
  if (s->on_block && !s->cont && n && s->depth == 2 &&
      xmlStrEqual(localname, BAD_CAST s->container))
    s->cont = n;
}

static void ps_end(void *ctx, const xmlChar *localname, const xmlChar *prefix, const xmlChar *uri)
{
  xmlParserCtxtPtr pc = ctx;
  struct parse_state *s = pc->_private;
  if (s->rc)
    return;
  xmlNodePtr n = pc->node;
  xmlSAX2EndElementNs(ctx, localname, prefix, uri);
  s->depth--;
  if (s->cont && n && n->parent == s->cont) {
    int rc = s->on_block(s->user, n);
    xmlUnlinkNode(n);
    xmlFreeNode(n);
    if (rc)
      ps_fail(s, pc, rc);
  }
}

static void ps_chars(void *ctx, const xmlChar *ch, int len)
{
  xmlParserCtxtPtr pc = ctx;
  struct parse_state *s = pc->_private;
  if (s->rc || (s->cont && pc->node == s->cont))
    return; /* white space between the streamed blocks */
  xmlSAX2Characters(ctx, ch, len);
}

static void ps_subset(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
  (void)name;
  (void)ext;
  (void)sys;
  xmlParserCtxtPtr pc = ctx;
  struct parse_state *s = pc->_private;
  s->dtd = 1; /* before any declaration of it is read */
  xmlStopParser(pc);
}

static void ps_serror(void *user, EMC_XMLERROR e)
{
  (void)user;
  (void)e; /* kept in the context's lastError; never printed */
}

static int ps_sink(void *user, const char *data, size_t len)
{
  struct parse_state *s = user;
  if (len > INT32_MAX)
    return emc_error_set(s->pkg->err, EMC_ELIMIT, "chunk too large");
  if (!s->pc) {
    size_t head = len < 4 ? len : 4;
    s->pc = xmlCreatePushParserCtxt(&s->sax, NULL, data, (int)head, s->name);
    if (!s->pc)
      return emc_error_set(s->pkg->err, EMC_ENOMEM, "out of memory");
    s->pc->_private = s;
    xmlCtxtUseOptions(s->pc, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
                                 XML_PARSE_NOCDATA | XML_PARSE_COMPACT);
    data += head;
    len -= head;
  }
  xmlParseChunk(s->pc, data, (int)len, 0);
  if (s->rc)
    return s->rc;
  if (s->dtd || !s->pc->wellFormed || s->pc->disableSAX)
    return 1; /* stopped: reported by docx_parse_part() */
  return EMC_OK;
}

int docx_parse_part(docx_pkg *p, const char *name, const char *container,
                    docx_block_fn on_block, void *user, xmlDocPtr *out)
{
  char nb[96];
  zip_int64_t idx = docx_pkg_find(p, name);
  if (idx < 0)
    return emc_error_set(p->err, EMC_EPARSE, "the package lacks part '%s'", shown(name, nb, sizeof nb));
  struct parse_state s = { .pkg = p, .name = name, .container = container,
                           .on_block = on_block, .user = user };
  s.max_depth = p->lim->max_depth ? p->lim->max_depth : 256;
  xmlSAXVersion(&s.sax, 2);
  s.sax.startElementNs = ps_start;
  s.sax.endElementNs = ps_end;
  s.sax.characters = ps_chars;
  s.sax.ignorableWhitespace = ps_chars;
  s.sax.internalSubset = ps_subset;
  s.sax.externalSubset = NULL;
  s.sax.serror = ps_serror;
  int rc = pkg_inflate(p, name, idx, ps_sink, &s);
  if (rc >= 0) {
    if (s.pc && !s.rc && !s.dtd && s.pc->wellFormed && !s.pc->disableSAX)
      xmlParseChunk(s.pc, NULL, 0, 1);
    if (s.rc)
      rc = s.rc;
    else if (s.dtd)
      rc = emc_error_set(p->err, EMC_EPARSE, "part '%s' has a DOCTYPE: DTDs and entities are "
                         "refused (XXE, billion laughs)", shown(name, nb, sizeof nb));
    else if (!s.pc)
      rc = emc_error_set(p->err, EMC_EPARSE, "part '%s' is empty", shown(name, nb, sizeof nb));
    else if (!s.pc->wellFormed || !s.pc->myDoc) {
      const xmlError *e = &s.pc->lastError;
      char msg[200];
      snprintf(msg, sizeof msg, "%s", e->message ? e->message : "parse error");
      size_t l = strlen(msg);
      while (l && (msg[l - 1] == '\n' || msg[l - 1] == ' '))
        msg[--l] = '\0';
      rc = emc_error_set(p->err, EMC_EPARSE, "part '%s' is not well-formed XML (line %d): %s",
                         shown(name, nb, sizeof nb), e->line, msg);
    } else
      rc = EMC_OK;
  }
  if (s.pc) {
    if (rc == EMC_OK)
      *out = s.pc->myDoc;
    else if (s.pc->myDoc)
      xmlFreeDoc(s.pc->myDoc);
    s.pc->myDoc = NULL;
    xmlFreeParserCtxt(s.pc);
  }
  return rc;
}

/* ------------------------------------------------------------ content types */

static char *lower_dup(const char *s)
{
  char *d = strdup(s);
  for (char *c = d; c && *c; c++)
    *c = (char)tolower((unsigned char)*c);
  return d;
}

static int ct_add(docx_ct_entry **v, size_t *n, const char *key, const char *type)
{
  docx_ct_entry *g = realloc(*v, (*n + 1) * sizeof *g);
  if (!g)
    return -1;
  *v = g;
  g[*n].key = lower_dup(key);
  g[*n].type = strdup(type);
  if (!g[*n].key || !g[*n].type) {
    free(g[*n].key);
    free(g[*n].type);
    return -1;
  }
  (*n)++;
  return 0;
}

int docx_pkg_load_types(docx_pkg *p)
{
  if (docx_pkg_find(p, "[Content_Types].xml") < 0)
    return emc_error_set(p->err, EMC_EPARSE,
                         "not a DOCX package: a zip without [Content_Types].xml");
  xmlDocPtr d = NULL;
  int rc = docx_parse_part(p, "[Content_Types].xml", NULL, NULL, NULL, &d);
  if (rc)
    return rc;
  xmlNodePtr root = xmlDocGetRootElement(d);
  for (xmlNodePtr c = root ? root->children : NULL; c && !rc; c = c->next) {
    if (c->type != XML_ELEMENT_NODE)
      continue;
    const char *type = docx_attr(c, NS_NONE, "ContentType");
    if (!type)
      continue;
    if (xmlStrEqual(c->name, BAD_CAST "Default")) {
      const char *ext = docx_attr(c, NS_NONE, "Extension");
      if (ext && ct_add(&p->defaults, &p->n_defaults, ext, type))
        rc = emc_error_set(p->err, EMC_ENOMEM, "out of memory");
    } else if (xmlStrEqual(c->name, BAD_CAST "Override")) {
      const char *part = docx_attr(c, NS_NONE, "PartName");
      if (part && ct_add(&p->overrides, &p->n_overrides, part[0] == '/' ? part + 1 : part, type))
        rc = emc_error_set(p->err, EMC_ENOMEM, "out of memory");
    }
  }
  xmlFreeDoc(d);
  return rc;
}

const char *docx_pkg_type(const docx_pkg *p, const char *name)
{
  if (name[0] == '/')
    name++;
  for (size_t i = 0; i < p->n_overrides; i++)
    if (strcasecmp(p->overrides[i].key, name) == 0)
      return p->overrides[i].type;
  const char *dot = strrchr(name, '.');
  const char *slash = strrchr(name, '/');
  if (!dot || (slash && dot < slash))
    return NULL;
  for (size_t i = 0; i < p->n_defaults; i++)
    if (strcasecmp(p->defaults[i].key, dot + 1) == 0)
      return p->defaults[i].type;
  return NULL;
}

/* ------------------------------------------------------------ relationships */

static int hexval(int c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  c = tolower(c);
  return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* TARGET relative to SOURCE's folder as a part name; NULL if it climbs out
 * of the package or is empty. */
static char *resolve_target(const char *source, const char *target)
{
  size_t tl = strlen(target);
  const char *slash = strrchr(source, '/');
  size_t dl = target[0] == '/' ? 0 : slash ? (size_t)(slash - source) + 1 : 0;
  char *buf = malloc(dl + tl + 2);
  if (!buf)
    return NULL;
  memcpy(buf, source, dl);
  size_t o = dl;
  for (size_t i = target[0] == '/' ? 1 : 0; i < tl; i++) {
    int c = (unsigned char)target[i];
    if (c == '%' && i + 2 < tl + 1 && hexval(target[i + 1]) >= 0 && hexval(target[i + 2]) >= 0) {
      c = hexval(target[i + 1]) * 16 + hexval(target[i + 2]);
      i += 2;
    } else if (c == '\\')
      c = '/';
    else if (c == '#' || c == '?')
      break;
    if (c == 0) {
      free(buf);
      return NULL;
    }
    buf[o++] = (char)c;
  }
  buf[o] = '\0';
  char *out = pathnorm_remove_dots(buf);
  free(buf);
  return out;
}

static char *rels_name_of(const char *source)
{
  if (!*source)
    return strdup("_rels/.rels");
  const char *slash = strrchr(source, '/');
  size_t dl = slash ? (size_t)(slash - source) + 1 : 0;
  const char *base = source + dl;
  size_t n = dl + strlen("_rels/") + strlen(base) + strlen(".rels") + 1;
  char *r = malloc(n);
  if (r)
    snprintf(r, n, "%.*s_rels/%s.rels", (int)dl, source, base);
  return r;
}

int docx_rels_load(docx_pkg *p, const char *source, docx_rels *out)
{
  memset(out, 0, sizeof *out);
  char *name = rels_name_of(source);
  if (!name)
    return emc_error_set(p->err, EMC_ENOMEM, "out of memory");
  if (docx_pkg_find(p, name) < 0) {
    free(name);
    return EMC_OK;
  }
  xmlDocPtr d = NULL;
  int rc = docx_parse_part(p, name, NULL, NULL, NULL, &d);
  free(name);
  if (rc)
    return rc;
  xmlNodePtr root = xmlDocGetRootElement(d);
  size_t cap = 0;
  for (xmlNodePtr c = root ? root->children : NULL; c; c = c->next) {
    if (c->type != XML_ELEMENT_NODE || !xmlStrEqual(c->name, BAD_CAST "Relationship"))
      continue;
    const char *id = docx_attr(c, NS_NONE, "Id"), *type = docx_attr(c, NS_NONE, "Type"),
               *target = docx_attr(c, NS_NONE, "Target"),
               *mode = docx_attr(c, NS_NONE, "TargetMode");
    if (!id || !type || !target)
      continue;
    int external = mode && strcasecmp(mode, "External") == 0;
    char *t = external ? strdup(target) : resolve_target(source, target);
    if (!t) {
      if (external) {
        rc = emc_error_set(p->err, EMC_ENOMEM, "out of memory");
        break;
      }
      emc_ctx_log(p->ctx, EMC_LOG_INFO, "docx: relationship %s points outside the package; ignored", id);
      continue;
    }
    if (emc_array_grow(&out->v, &cap, out->n + 1, sizeof *out->v)) {
      free(t);
      rc = emc_error_set(p->err, EMC_ENOMEM, "out of memory");
      break;
    }
    const char *tail = strrchr(type, '/');
    docx_rel *r = &out->v[out->n];
    r->id = strdup(id);
    r->type = strdup(tail ? tail + 1 : type);
    r->target = t;
    r->external = external;
    out->n++;
    if (!r->id || !r->type) {
      rc = emc_error_set(p->err, EMC_ENOMEM, "out of memory");
      break;
    }
  }
  xmlFreeDoc(d);
  if (rc)
    docx_rels_free(out);
  return rc;
}

void docx_rels_free(docx_rels *r)
{
  for (size_t i = 0; i < r->n; i++) {
    free(r->v[i].id);
    free(r->v[i].type);
    free(r->v[i].target);
  }
  free(r->v);
  r->v = NULL;
  r->n = 0;
}

const docx_rel *docx_rels_id(const docx_rels *r, const char *id)
{
  for (size_t i = 0; id && i < r->n; i++)
    if (strcmp(r->v[i].id, id) == 0)
      return &r->v[i];
  return NULL;
}

const docx_rel *docx_rels_type(const docx_rels *r, const char *type)
{
  for (size_t i = 0; i < r->n; i++)
    if (strcasecmp(r->v[i].type, type) == 0)
      return &r->v[i];
  return NULL;
}
