/* SPDX-License-Identifier: MIT */
/* zipread.c - an untrusted zip package under the limits: see zipread.h.
 * First written for the docx reader, with the package type made generic;
 * the docx reader now uses it too, so that the limits live in one place. */
#include <config.h>
#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <emuconv/buf.h>
#include "zipread.h"

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

const char *zipread_shown(const char *name, char *buf, size_t size)
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

static int zip_open_error(emc_error *err, const emc_input *in, const char *kind, int zep)
{
  const unsigned char *d = in->data;
  if (in->size >= 8 && memcmp(d, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0)
    return emc_error_set(err, EMC_ENOTSUP,
                         "an OLE2 compound file (a legacy binary document, or a "
                         "password-protected one), not %s zip package", kind);
  int looks_zip = in->size >= 4 && memcmp(d, "PK\3\4", 4) == 0;
  switch (zep) {
  case ZIP_ER_NOZIP:
    if (looks_zip)
      return emc_error_set(err, EMC_EPARSE,
                           "truncated zip package: the central directory at its end is missing");
    return emc_error_set(err, EMC_EPARSE, "not %s package: not a zip archive", kind);
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
static int package_limit(zipread *p)
{
  if (p->max_total == p->lim->max_total_bytes)
    return emc_error_set(p->err, EMC_ELIMIT, "the package inflates to more than %zu bytes "
                         "(the limit for all entries)", p->max_total);
  return emc_error_set(p->err, EMC_ELIMIT, "the package inflates to more than %zu bytes, "
                       "over %zu:1 of its size (a zip bomb?)", p->max_total, p->lim->max_ratio);
}

int zipread_open(zipread *p, emc_ctx *ctx, const emc_input *in, const char *kind, emc_error *err)
{
  memset(p, 0, sizeof *p);
  p->err = err;
  p->lim = emc_ctx_limits(ctx);
  if (in->size < 22) /* the smallest zip: an empty end-of-central-directory */
    return zip_open_error(err, in, kind, ZIP_ER_NOZIP);
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
    return zip_open_error(err, in, kind, zep);
  }
  zip_error_fini(&ze);
  if (zip_entries_disagree(in->data, in->size)) {
    zipread_close(p);
    return zip_open_error(err, in, kind, ZIP_ER_INCONS);
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
                         zipread_shown(st.name, nb, sizeof nb));
      goto fail;
    }
    if (!(st.valid & ZIP_STAT_SIZE) || !(st.valid & ZIP_STAT_COMP_SIZE))
      continue;
    if (st.size > p->lim->max_entry_bytes) {
      rc = emc_error_set(err, EMC_ELIMIT,
                         "entry '%s' inflates to %llu bytes, over the limit of %zu per entry",
                         zipread_shown(st.name, nb, sizeof nb), (unsigned long long)st.size,
                         p->lim->max_entry_bytes);
      goto fail;
    }
    if (st.size > RATIO_FLOOR && p->lim->max_ratio &&
        st.size / (st.comp_size ? st.comp_size : 1) > p->lim->max_ratio) {
      rc = emc_error_set(err, EMC_ELIMIT,
                         "entry '%s' has a compression ratio of %llu:1, over the limit of "
                         "%zu:1 (a zip bomb?)", zipread_shown(st.name, nb, sizeof nb),
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
  zipread_close(p);
  return rc;
}

void zipread_close(zipread *p)
{
  if (p->za)
    zip_discard(p->za); /* frees the source too */
  else if (p->src)
    zip_source_free(p->src);
  p->za = NULL;
  p->src = NULL;
}

zip_int64_t zipread_find(zipread *p, const char *name)
{
  zip_int64_t i = zip_name_locate(p->za, name, 0);
  if (i < 0)
    i = zip_name_locate(p->za, name, ZIP_FL_NOCASE);
  return i;
}

/* The directory's sizes are checked again here, as the bytes really come,
 * because a hostile header may lie. */
int zipread_inflate(zipread *p, const char *name, zip_int64_t idx, zipread_sink_fn sink,
                    void *user)
{
  emc_error *err = p->err;
  char nb[96];
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(p->za, (zip_uint64_t)idx, 0, &st) != 0)
    return emc_error_set(err, EMC_EPARSE, "corrupt zip package: part '%s' unreadable",
                         zipread_shown(name, nb, sizeof nb));
  zip_file_t *f = zip_fopen_index(p->za, (zip_uint64_t)idx, 0);
  if (!f) {
    zip_error_t *ze = zip_get_error(p->za);
    if (zip_error_code_zip(ze) == ZIP_ER_NOPASSWD || zip_error_code_zip(ze) == ZIP_ER_WRONGPASSWD)
      return emc_error_set(err, EMC_ENOTSUP, "part '%s' is encrypted",
                           zipread_shown(name, nb, sizeof nb));
    return emc_error_set(err, EMC_EPARSE, "cannot read part '%s': %s",
                         zipread_shown(name, nb, sizeof nb), zip_error_strerror(ze));
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
                         zipread_shown(name, nb, sizeof nb), zip_file_strerror(f));
      break;
    }
    if (n == 0)
      break;
    got += (size_t)n;
    p->total += (size_t)n;
    if (got > p->lim->max_entry_bytes) {
      rc = emc_error_set(err, EMC_ELIMIT, "part '%s' inflates to more than %zu bytes (the "
                         "limit per entry)", zipread_shown(name, nb, sizeof nb),
                         p->lim->max_entry_bytes);
      break;
    }
    if (p->total > p->max_total) {
      rc = package_limit(p);
      break;
    }
    if ((st.valid & ZIP_STAT_SIZE) && got > st.size) {
      rc = emc_error_set(err, EMC_EPARSE, "part '%s' inflates to more than the %llu bytes its "
                         "zip header declares (a corrupt or hostile package)",
                         zipread_shown(name, nb, sizeof nb), (unsigned long long)st.size);
      break;
    }
    if (got > RATIO_FLOOR && p->lim->max_ratio && got / (comp ? comp : 1) > p->lim->max_ratio) {
      rc = emc_error_set(err, EMC_ELIMIT, "part '%s' inflates at more than %zu:1 (a zip bomb?)",
                         zipread_shown(name, nb, sizeof nb), p->lim->max_ratio);
      break;
    }
    if ((rc = sink(user, buf, (size_t)n)))
      break;
  }
  free(buf);
  zip_fclose(f);
  return rc;
}

/* zipread_inflate()'s sink into a part's bytes. */
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

int zipread_read(zipread *p, const char *name, unsigned char **data, size_t *len)
{
  char nb[96];
  zip_int64_t idx = zipread_find(p, name);
  if (idx < 0)
    return emc_error_set(p->err, EMC_EPARSE, "the package lacks part '%s'",
                         zipread_shown(name, nb, sizeof nb));
  struct part_bytes m = { EMC_BUF_INIT, p->err };
  int rc = zipread_inflate(p, name, idx, mem_sink, &m);
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

