/* SPDX-License-Identifier: MIT */
/* fuzz-docx-xml.c - WordprocessingML, not the zip (issue 31): the fuzzer's
 * bytes become the XML parts of a fixed, valid package built here with
 * libzip in memory, which the docx reader reads; the default filters run
 * and every registered writer writes the document to memory.
 *
 * Mutating a whole .docx (fuzz-docx) almost always breaks a CRC or the
 * zip directory, so the XML walker behind it is barely reached; here every
 * input is a well-formed package and only the XML varies.
 *
 * Input: parts separated by a form feed (0x0C, which XML 1.0 forbids, so
 * no well-formed part loses anything to the split), in this order:
 *   word/document.xml, word/styles.xml, word/numbering.xml,
 *   word/footnotes.xml, word/comments.xml, word/header1.xml,
 *   word/diagrams/data1.xml
 * A missing or empty part is left out of the package with its
 * relationship.  The document's relationships are fixed (see RELS below):
 * rIdImg1 an embedded PNG, rIdImgExt a linked image, rIdLink an external
 * hyperlink, rIdHdr1 the header, rIdDm1 the diagram data; fuzz/docx.dict
 * holds these names.  The reader's options follow the input length mod 4,
 * so every option is reached without taking bytes from the XML. */
#include <config.h>
#include <zip.h>
#include "fuzz-common.h"

#define N_PARTS 7
static const char *const part_names[N_PARTS] = {
  "word/document.xml", "word/styles.xml", "word/numbering.xml",
  "word/footnotes.xml", "word/comments.xml", "word/header1.xml",
  "word/diagrams/data1.xml",
};
#define REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
/* The relationship of part I (0: the document's own, in _rels/.rels). */
static const char *const part_rels[N_PARTS] = {
  NULL,
  "<Relationship Id=\"rIdStyles\" Type=\"" REL "styles\" Target=\"styles.xml\"/>",
  "<Relationship Id=\"rIdNum\" Type=\"" REL "numbering\" Target=\"numbering.xml\"/>",
  "<Relationship Id=\"rIdFoot\" Type=\"" REL "footnotes\" Target=\"footnotes.xml\"/>",
  "<Relationship Id=\"rIdCmt\" Type=\"" REL "comments\" Target=\"comments.xml\"/>",
  "<Relationship Id=\"rIdHdr1\" Type=\"" REL "header\" Target=\"header1.xml\"/>",
  "<Relationship Id=\"rIdDm1\" Type=\"" REL "diagramData\" Target=\"diagrams/data1.xml\"/>",
};
static const char content_types[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
  "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
  "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
  "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
  "<Default Extension=\"png\" ContentType=\"image/png\"/>"
  "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
  "</Types>";
static const char package_rels[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
  "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
  "<Relationship Id=\"rId1\" Type=\"" REL "officeDocument\" Target=\"word/document.xml\"/>"
  "</Relationships>";
static const char rels_head[] =
  "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
  "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
  "<Relationship Id=\"rIdImg1\" Type=\"" REL "image\" Target=\"media/image1.png\"/>"
  "<Relationship Id=\"rIdImgExt\" Type=\"" REL "image\" Target=\"http://example.org/linked.png\" TargetMode=\"External\"/>"
  "<Relationship Id=\"rIdLink\" Type=\"" REL "hyperlink\" Target=\"http://example.org/\" TargetMode=\"External\"/>";
static const char rels_tail[] = "</Relationships>";
/* A 1x1 grey PNG, for rIdImg1. */
static const unsigned char png[] = {
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49,
  0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x00,
  0x00, 0x00, 0x00, 0x3a, 0x7e, 0x9b, 0x55, 0x00, 0x00, 0x00, 0x0a, 0x49, 0x44,
  0x41, 0x54, 0x78, 0x9c, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01, 0x48,
  0xaf, 0xa4, 0x71, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42,
  0x60, 0x82,
};

static const emc_plugin **writer_plugins;
static size_t n_writers;
static char **filters;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
  (void)argc;
  (void)argv;
  fuzz_setup_writing();
  fuzz_plugin("docx", EMC_ROLE_READER);
  /* Every writer the build has, not a fixed list. */
  writer_plugins = fuzz_all_writers(&n_writers);
  filters = fuzz_default_filters();
  return 0;
}

/* Adds NAME with LEN bytes at DATA (not copied: it must outlive
 * zip_close) to ZA, stored uncompressed (deflating is not what is fuzzed). */
static void add_entry(zip_t *za, const char *name, const void *data, size_t len)
{
  zip_source_t *src = zip_source_buffer(za, data, len, 0);
  if (!src)
    fuzz_die("zip_source_buffer", NULL);
  zip_int64_t idx = zip_file_add(za, name, src, ZIP_FL_ENC_UTF_8);
  if (idx < 0) {
    zip_source_free(src);
    fuzz_die(zip_strerror(za), NULL);
  }
  if (zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0) < 0)
    fuzz_die(zip_strerror(za), NULL);
}

/* The package of PARTS (LENS bytes each; 0: absent) in a new malloc'd
 * buffer, its length in *SIZE. */
static unsigned char *build_package(const uint8_t *const *parts,
                                    const size_t *lens, size_t *size)
{
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t *buf = zip_source_buffer_create(NULL, 0, 0, &ze);
  if (!buf)
    fuzz_die("zip_source_buffer_create", NULL);
  zip_source_keep(buf);
  zip_t *za = zip_open_from_source(buf, ZIP_TRUNCATE, &ze);
  if (!za)
    fuzz_die("zip_open_from_source", NULL);
  char rels[4096];
  size_t rl = strlen(rels_head);
  memcpy(rels, rels_head, rl);
  for (size_t i = 1; i < N_PARTS; i++)
    if (lens[i]) {
      size_t l = strlen(part_rels[i]);
      memcpy(rels + rl, part_rels[i], l);
      rl += l;
    }
  memcpy(rels + rl, rels_tail, sizeof rels_tail);
  rl += sizeof rels_tail - 1;
  /* [Content_Types].xml first, as Word writes it (the content probe
   * looks for its name in the first local headers). */
  add_entry(za, "[Content_Types].xml", content_types, sizeof content_types - 1);
  add_entry(za, "_rels/.rels", package_rels, sizeof package_rels - 1);
  add_entry(za, "word/_rels/document.xml.rels", rels, rl);
  add_entry(za, "word/media/image1.png", png, sizeof png);
  for (size_t i = 0; i < N_PARTS; i++)
    if (i == 0 || lens[i])
      add_entry(za, part_names[i], lens[i] ? parts[i] : (const uint8_t *)"", lens[i]);
  if (zip_close(za) < 0)
    fuzz_die("zip_close", NULL);
  zip_stat_t st;
  if (zip_source_open(buf) < 0 || zip_source_stat(buf, &st) < 0 ||
      !(st.valid & ZIP_STAT_SIZE))
    fuzz_die("zip_source_open", NULL);
  unsigned char *out = malloc(st.size ? st.size : 1);
  if (!out || zip_source_read(buf, out, st.size) != (zip_int64_t)st.size)
    fuzz_die("zip_source_read", NULL);
  zip_source_close(buf);
  zip_source_free(buf);
  *size = st.size;
  return out;
}

/* The reader's options for this input (see the head comment). */
static void set_options(size_t size)
{
  unsigned k = (unsigned)(size % 4);
  emc_ctx_set_option(fuzz_ctx, "keep-comments", k & 1 ? "1" : NULL);
  emc_ctx_set_option(fuzz_ctx, "keep-headers", k & 1 ? "1" : NULL);
  emc_ctx_set_option(fuzz_ctx, "track-changes", k == 2 ? "reject" : k == 3 ? "all" : NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  const uint8_t *parts[N_PARTS] = { 0 };
  size_t lens[N_PARTS] = { 0 };
  size_t np = 0, start = 0;
  for (size_t i = 0; i <= size && np < N_PARTS; i++)
    if (i == size || data[i] == '\f') {
      parts[np] = data + start;
      lens[np++] = i - start;
      start = i + 1;
    }
  size_t pkg_size = 0;
  unsigned char *pkg = build_package(parts, lens, &pkg_size);
  set_options(size);

  emc_doc *doc = NULL;
  emc_error err = EMC_ERROR_INIT;
  int rc = emc_read_memory(fuzz_ctx, "fuzz-input.docx", pkg, pkg_size, "docx",
                           &doc, &err);
  free(pkg);
  fuzz_check_error(rc, &err);
  emc_error_release(&err);
  if (rc != EMC_OK)
    return 0;
  if (!doc)
    fuzz_die("reader succeeded without a document", NULL);
  /* What the reader made must be valid IR: the writers rely on it. */
  rc = emc_doc_validate(doc, &err);
  if (rc != EMC_OK)
    fuzz_die("the docx reader made invalid IR", &err);
  fuzz_run_filters(doc, filters);
  fuzz_write_all(doc, writer_plugins, n_writers);
  emc_doc_free(doc);
  return 0;
}
