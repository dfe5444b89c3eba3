/* SPDX-License-Identifier: MIT */
/* zippkg.c - the streaming ZIP writer (plugins/common/zippkg.c), read back
 * with libzip as an independent reader, plus its raw bytes where the
 * EPUB/ODF packaging rules say what they must be. */
#include <config.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>
#include <zlib.h>
#include <libxml/parser.h>
#include <emuconv/emuconv.h>
#include "../tap.h"
#include "../../plugins/common/zippkg.h"

#define TS 946782246LL /* 2000-01-02 03:04:06 UTC */

static const char mimetype[] = "application/epub+zip";
static const char xml_src[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<html xmlns=\"http://www.w3.org/1999/xhtml\"><body><p>Thi\xe1\xbb\x83 "
    "\xe0\xa4\xb9\xe0\xa4\xbf\xe0\xa4\x82\xe0\xa4\xa6\xe0\xa5\x80</p></body></html>\n";

static unsigned char *big;   /* compressible text, larger than one buffer */
static size_t big_len;
static unsigned char noise[70000]; /* incompressible */
static char words[60000];    /* words drawn at random: matches of every length */
static char *xml_text;       /* what the XML part must contain */
static size_t xml_len;

struct part {
  const char *name;
  const void *data;
  size_t len;
  int store;
  int xml;
  int headed;       /* zippkg_add_headed(): the first HEAD_LEN bytes the */
  size_t head_len;  /* head, the rest written to the body first, in pieces */
};

static struct part parts[11];

static void make_parts(void)
{
  big_len = 400000;
  big = malloc(big_len);
  for (size_t i = 0; i < big_len; i++)
    big[i] = (unsigned char)("emulation reward work\n"[i % 22] + (i / 4096 % 3));
  uint32_t x = 12345;
  for (size_t i = 0; i < sizeof noise; i++) {
    x = x * 1103515245u + 12345u;
    noise[i] = (unsigned char)(x >> 16);
  }
  static const char *const vocabulary[] = {
    "emulation", "movement", "province", "the", "of", "and", "people", "emulate",
    "movements", "Son La", "provincial", "reward", "work", "in", "ethnic", "affairs",
    "cluster", "development", "rural", "new", "a", "to", "patriotic", "pro", "vince"
  };
  for (size_t at = 0; at + 16 < sizeof words;) {
    x = x * 1103515245u + 12345u;
    const char *w = vocabulary[(x >> 16) % (sizeof vocabulary / sizeof *vocabulary)];
    size_t n = strlen(w);
    memcpy(words + at, w, n);
    words[at + n] = (x >> 12) % 7 ? ' ' : '\n';
    at += n + 1;
  }
  struct part p[] = {
    { "mimetype", mimetype, sizeof mimetype - 1, 1, 0, 0, 0 },
    { "EPUB/chap\xc3\xa9.xhtml", NULL, 0, 0, 1, 0, 0 },
    { "EPUB/big.txt", big, big_len, 0, 0, 0, 0 },
    { "EPUB/empty", "", 0, 0, 0, 0, 0 },
    { "EPUB/noise.png", noise, sizeof noise, 1, 0, 0, 0 },
    { "EPUB/noise.bin", noise, sizeof noise, 0, 0, 0, 0 },
    /* the body longer than deflate's window, written in 7,777-byte pieces */
    { "content.xml", big, big_len, 0, 0, 1, 1000 },
    { "headed/empty", "", 0, 0, 0, 1, 0 },
    { "headed/no-body", noise, 3000, 0, 0, 1, 3000 },
    { "headed/no-head", noise + 3000, 20000, 0, 0, 1, 0 },
    { "EPUB/words.txt", words, strlen(words), 0, 0, 0, 0 },
  };
  memcpy(parts, p, sizeof p);
}

/* Adds the headed part P through Z: its body first, in pieces. */
static int add_headed(zippkg *z, const struct part *p, emc_error *err)
{
  zippkg_body *body = zippkg_body_new(err);
  if (!body)
    return EMC_ENOMEM;
  const unsigned char *d = p->data;
  int rc = EMC_OK;
  for (size_t at = p->head_len; !rc && at < p->len; at += 7777)
    rc = zippkg_body_write(body, d + at, p->len - at < 7777 ? p->len - at : 7777, err);
  if (!rc)
    rc = zippkg_add_headed(z, p->name, d, p->head_len, body, err);
  zippkg_body_free(body);
  return rc;
}

/* Builds the package through Z; returns the first failure. */
static int build(zippkg *z, xmlDocPtr doc, emc_error *err)
{
  int rc = EMC_OK;
  for (size_t i = 0; !rc && i < sizeof parts / sizeof *parts; i++)
    rc = parts[i].xml      ? zippkg_add_xml(z, parts[i].name, doc, err)
         : parts[i].headed ? add_headed(z, &parts[i], err)
                           : zippkg_add(z, parts[i].name, parts[i].data, parts[i].len,
                                        parts[i].store, err);
  return rc ? rc : zippkg_finish(z, err);
}

static unsigned char *package(xmlDocPtr doc, long long ts, size_t *len)
{
  emc_error err = EMC_ERROR_INIT;
  emc_output *out = emc_output_memory_new();
  zippkg *z = zippkg_new(ts, out, &err);
  int rc = z ? build(z, doc, &err) : EMC_ERROR;
  zippkg_free(z);
  unsigned char *copy = NULL;
  if (rc == EMC_OK) {
    const unsigned char *data = emc_output_memory_data(out, len);
    copy = malloc(*len);
    memcpy(copy, data, *len);
  } else {
    printf("# package: %s\n", err.message ? err.message : "?");
  }
  emc_output_free(out);
  emc_error_release(&err);
  return copy;
}

static unsigned get16(const unsigned char *p) { return p[0] | (unsigned)p[1] << 8; }
static uint32_t get32(const unsigned char *p) { return get16(p) | (uint32_t)get16(p + 2) << 16; }

/* The data of the entry whose central directory record is at CD, in the
 * package ZIP: after its local header, name and extra field. */
static const unsigned char *entry_data(const unsigned char *zip, const unsigned char *cd)
{
  const unsigned char *lh = zip + get32(cd + 42);
  return lh + 30 + get16(lh + 26) + get16(lh + 28);
}

/* The central directory record after the one at CD. */
static const unsigned char *next_entry(const unsigned char *cd)
{
  return cd + 46 + get16(cd + 28) + get16(cd + 30) + get16(cd + 32);
}

/* A writer failing once FAIL_AT bytes are written. */
struct failing {
  size_t written, fail_at;
  int calls_after; /* writes attempted after the failure */
};

static int failing_write(void *user, const void *data, size_t len, emc_error *err)
{
  struct failing *f = user;
  (void)data;
  if (f->written >= f->fail_at || f->written + len > f->fail_at) {
    if (f->written > f->fail_at)
      f->calls_after++;
    f->written = f->fail_at + 1;
    return emc_error_set(err, EMC_EIO, "out.epub: write failed: No space left on device");
  }
  f->written += len;
  return EMC_OK;
}

static int counting_write(void *user, const void *data, size_t len, emc_error *err)
{
  (void)data;
  (void)err;
  *(size_t *)user += len;
  return EMC_OK;
}

int main(void)
{
  plan(44);
  make_parts();
  xmlDocPtr doc = xmlReadMemory(xml_src, (int)sizeof xml_src - 1, "x.xhtml", NULL, 0);
  {
    emc_error err = EMC_ERROR_INIT;
    emc_output *mem = emc_output_memory_new();
    emc_output_save_xml(mem, doc, 0, &err);
    const unsigned char *d = emc_output_memory_data(mem, &xml_len);
    xml_text = malloc(xml_len);
    memcpy(xml_text, d, xml_len);
    emc_output_free(mem);
    parts[1].data = xml_text;
    parts[1].len = xml_len;
  }

  size_t len = 0, len2 = 0;
  unsigned char *zipped = package(doc, TS, &len);
  unsigned char *again = package(doc, TS, &len2);
  ok(zipped != NULL, "a package is written");
  ok(again && len == len2 && memcmp(zipped, again, len) == 0,
     "two runs give byte-identical packages (%zu bytes)", len);

  /* Read back with libzip, checking its consistency on open. */
  zip_error_t ze;
  zip_error_init(&ze);
  zip_source_t *src = zip_source_buffer_create(zipped, len, 0, &ze);
  zip_t *za = src ? zip_open_from_source(src, ZIP_CHECKCONS | ZIP_RDONLY, &ze) : NULL;
  ok(za != NULL, "libzip opens it with ZIP_CHECKCONS (%s)", za ? "ok" : zip_error_strerror(&ze));
  size_t n_parts = sizeof parts / sizeof *parts;
  is_int(za ? zip_get_num_entries(za, 0) : -1, (long long)n_parts, "entry count");
  for (size_t i = 0; za && i < n_parts; i++) {
    zip_stat_t st;
    zip_stat_init(&st);
    int s = zip_stat_index(za, i, 0, &st);
    int good = s == 0 && strcmp(st.name, parts[i].name) == 0 &&
               st.size == parts[i].len &&
               st.comp_method == (parts[i].store ? ZIP_CM_STORE : ZIP_CM_DEFLATE) &&
               st.crc == (uint32_t)crc32(0, parts[i].data, (uInt)parts[i].len);
    unsigned char *back = malloc(parts[i].len + 1);
    zip_file_t *f = zip_fopen_index(za, i, 0);
    zip_int64_t got = f ? zip_fread(f, back, parts[i].len + 1) : -1;
    good = good && got == (zip_int64_t)parts[i].len &&
           memcmp(back, parts[i].data, parts[i].len) == 0;
    if (f)
      good = zip_fclose(f) == 0 && good; /* libzip checks the CRC here */
    free(back);
    ok(good, "entry %zu: %s, %s, CRC and %zu bytes read back", i, parts[i].name,
       parts[i].store ? "stored" : "deflated", parts[i].len);
  }
  int opened = za != NULL;
  if (za)
    zip_close(za);
  else
    zip_source_free(src);
  zip_error_fini(&ze);
  for (size_t i = opened ? n_parts : 0; i < n_parts; i++)
    ok(0, "entry %zu", i);
  ok(len > 0 && len < 2 * (big_len / 4) + 3 * sizeof noise, "text deflated (%zu bytes in all)",
     len);

  /* The raw bytes: OCF 3.3 sec. 4.2 / ODF Packages sec. 3.3. */
  const unsigned char *p = zipped;
  ok(p && get32(p) == 0x04034b50, "starts with a local file header");
  is_int(p ? (long long)get16(p + 8) : -1, 0, "mimetype: stored");
  is_int(p ? (long long)get16(p + 28) : -1, 0, "mimetype: no extra field");
  ok(p && get16(p + 26) == 8 && memcmp(p + 30, "mimetype", 8) == 0 &&
     memcmp(p + 38, mimetype, sizeof mimetype - 1) == 0,
     "mimetype: first, its contents at offset 38");
  is_int(p ? (long long)get16(p + 4) : -1, 20, "version needed 2.0");
  is_int(p ? (long long)get16(p + 6) : -1, 1 << 11, "general purpose flags: UTF-8 names only");
  is_int(p ? (long long)get16(p + 10) : -1, 3 << 11 | 4 << 5 | 3, "DOS time 03:04:06 (UTC)");
  is_int(p ? (long long)get16(p + 12) : -1, 20 << 9 | 1 << 5 | 2, "DOS date 2000-01-02");
  const unsigned char *end = p ? p + len - 22 : NULL;
  ok(end && get32(end) == 0x06054b50 && get16(end + 20) == 0, "end record, no comment");
  is_int(end ? (long long)get16(end + 10) : -1, (long long)n_parts, "end record: entry count");
  const unsigned char *c = end ? p + get32(end + 16) : NULL;
  int all_ok = c != NULL;
  for (size_t i = 0; all_ok && i < n_parts; i++) {
    size_t nl = strlen(parts[i].name);
    all_ok = get32(c) == 0x02014b50 && get16(c + 8) == 1 << 11 && get16(c + 28) == nl &&
             get16(c + 30) == 0 && get16(c + 32) == 0 && memcmp(c + 46, parts[i].name, nl) == 0 &&
             get16(p + get32(c + 42) + 28) == 0;
    c += 46 + nl;
  }
  ok(all_ok && c == end, "central directory: in order, UTF-8 flag, no extra fields or comments");
  /* One walk of the central directory, two checks per deflated entry.
   * Whole: each is one whole raw deflate stream, its final block ending
   * at its last byte (libzip reads the size given, and would not notice a
   * stream without an end).  Tuned: each plain part (not XML, not headed)
   * is deflated with zippkg's tuned settings, the parts after the first
   * too: deflateReset() restores the level's own, so a tuning set once
   * would be lost from the second part on.  The reference is zlib itself,
   * given the settings zippkg.c states. */
  c = end ? p + get32(end + 16) : NULL;
  int whole = c != NULL, tuned = c != NULL;
  size_t compared = 0;
  for (size_t i = 0; c && i < n_parts; i++, c = next_entry(c)) {
    if (get16(c + 10) != 8)
      continue;
    const unsigned char *data = entry_data(p, c);
    uint32_t csize = get32(c + 20), usize = get32(c + 24);
    if (whole) {
      unsigned char *out = malloc(usize + 1);
      z_stream zs;
      memset(&zs, 0, sizeof zs);
      whole = inflateInit2(&zs, -MAX_WBITS) == Z_OK;
      zs.next_in = (Bytef *)(uintptr_t)data;
      zs.avail_in = csize;
      zs.next_out = out;
      zs.avail_out = usize + 1;
      whole = whole && inflate(&zs, Z_FINISH) == Z_STREAM_END && zs.avail_in == 0 &&
              zs.total_out == usize;
      inflateEnd(&zs);
      free(out);
      if (!whole)
        printf("# %s: not one whole deflate stream\n", parts[i].name);
    }
    if (tuned && !parts[i].xml && !parts[i].headed) {
      size_t cap = compressBound(parts[i].len) + 64;
      unsigned char *ref = malloc(cap);
      z_stream zs;
      memset(&zs, 0, sizeof zs);
      tuned = deflateInit2(&zs, 6, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK &&
              deflateTune(&zs, 4, 8, 128, 128) == Z_OK;
      zs.next_in = (Bytef *)(uintptr_t)parts[i].data;
      zs.avail_in = (uInt)parts[i].len;
      zs.next_out = ref;
      zs.avail_out = (uInt)cap;
      tuned = tuned && deflate(&zs, Z_FINISH) == Z_STREAM_END && zs.total_out == csize &&
              memcmp(ref, data, csize) == 0;
      if (!tuned)
        printf("# %s: %u bytes, zlib with the tuned settings makes %lu\n", parts[i].name,
               (unsigned)csize, (unsigned long)zs.total_out);
      deflateEnd(&zs);
      free(ref);
      compared++;
    }
  }
  ok(whole, "every deflated entry is one raw deflate stream, ending at its last byte");
  ok(tuned && compared == 4, "the %zu plain deflated entries are zlib's level 6 as tuned "
     "(good 4, lazy 8, nice 128, chain 128), byte for byte", compared);
  free(again);

  /* Timestamps before 1980 are clamped. */
  unsigned char *old = package(doc, 0, &len2);
  ok(old && get16(old + 10) == 0 && get16(old + 12) == (0 << 9 | 1 << 5 | 1),
     "timestamp 0 is stamped 1980-01-01 00:00:00");
  free(old);

  /* Output write failures, at every stage: the header, the mimetype, a
   * deflated part, the central directory, the end record. */
  size_t fail_at[] = { 0, 10, 40, 200, len - 100, len - 10 };
  for (size_t i = 0; i < sizeof fail_at / sizeof *fail_at; i++) {
    emc_error err = EMC_ERROR_INIT;
    struct failing f = { 0, fail_at[i], 0 };
    zippkg *z = zippkg_new_to(TS, failing_write, &f, &err);
    int rc = build(z, doc, &err);
    ok(rc == EMC_EIO && err.message &&
           strcmp(err.message, "out.epub: write failed: No space left on device") == 0 &&
           f.calls_after == 0,
       "write failing at byte %zu: EMC_EIO with the output's message, no write after it",
       fail_at[i]);
    if (i == 2) {
      emc_error e2 = EMC_ERROR_INIT;
      ok(zippkg_add(z, "more", "x", 1, 0, &e2) == EMC_EIO &&
             zippkg_finish(z, &e2) == EMC_EIO && f.calls_after == 0,
         "... and the package refuses more parts and finishing");
      emc_error_release(&e2);
    }
    zippkg_free(z);
    emc_error_release(&err);
  }

  {
    emc_error err = EMC_ERROR_INIT;
    size_t n = 0;
    zippkg *z = zippkg_new_to(TS, counting_write, &n, &err);
    is_int(zippkg_finish(z, &err), EMC_OK, "an empty package");
    is_int((long long)n, 22, "... is an end record alone");
    ok(zippkg_finish(z, &err) == EMC_EINVAL && zippkg_add(z, "x", "", 0, 1, &err) == EMC_EINVAL,
       "a finished package refuses finishing and adding");
    zippkg_free(z);
    emc_error_release(&err);
  }

  {
    /* A body is spent once added; one that failed (here: more than 4 GiB,
     * refused before a byte is read) fails its part and the package. */
    emc_error err = EMC_ERROR_INIT;
    size_t n = 0;
    zippkg *z = zippkg_new_to(TS, counting_write, &n, &err);
    zippkg_body *b = zippkg_body_new(&err);
    int added = zippkg_body_write(b, "abc", 3, &err) == EMC_OK &&
                zippkg_add_headed(z, "one", "h", 1, b, &err) == EMC_OK;
    int refused = added && zippkg_add_headed(z, "two", "h", 1, b, &err) == EMC_EINVAL;
    ok(refused && err.message && strcmp(err.message, "zip: two: its body was added already") == 0,
       "a body added once is refused the second time (%s)", err.message ? err.message : "-");
    zippkg_body_free(b);
    zippkg_free(z);
    z = zippkg_new_to(TS, counting_write, &n, &err);
    b = zippkg_body_new(&err);
    int huge = zippkg_body_write(b, big, (size_t)1 << 32 | 1, &err) == EMC_ERROR;
    ok(huge && zippkg_body_write(b, "x", 1, &err) != EMC_OK &&
           zippkg_add_headed(z, "content.xml", "h", 1, b, &err) == EMC_ERROR &&
           err.message && strcmp(err.message, "zip: content.xml: part too large (4 GiB; no ZIP64)") == 0 &&
           zippkg_finish(z, &err) != EMC_OK,
       "a body over 4 GiB is refused, and so are its later writes, its part (saying why) and "
       "the package");
    zippkg_body_free(b);
    zippkg_free(z);
    emc_error_release(&err);
  }

  {
    /* No ZIP64: 65534 entries at most. */
    emc_error err = EMC_ERROR_INIT;
    size_t n = 0;
    zippkg *z = zippkg_new_to(TS, counting_write, &n, &err);
    int rc = EMC_OK;
    char name[16];
    for (unsigned i = 0; !rc && i < 65534; i++) {
      snprintf(name, sizeof name, "%u", i);
      rc = zippkg_add(z, name, "", 0, 1, &err);
    }
    is_int(rc, EMC_OK, "65534 entries");
    rc = zippkg_add(z, "one-more", "", 0, 1, &err);
    ok(rc == EMC_ERROR && err.message && strstr(err.message, "one-more") &&
           strstr(err.message, "ZIP64"),
       "the 65535th is refused: %s", err.message ? err.message : "(none)");
    zippkg_free(z);
    emc_error_release(&err);
  }

  free(zipped);
  free(xml_text);
  free(big);
  xmlFreeDoc(doc);
  return done_testing();
}
