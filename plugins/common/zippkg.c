/* SPDX-License-Identifier: MIT */
/* zippkg.c - see zippkg.h.  Record layouts: PKWARE APPNOTE.TXT sec. 4.3.7
 * (local file header), 4.3.12 (central directory header), 4.3.16 (end of
 * central directory record); all fields little-endian. */
#include <config.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zlib.h>
#include <libxml/xmlsave.h>
#include <libxml/xmlerror.h>
#include <emuconv/buf.h>
#include "zippkg.h"

enum {
  LOCAL_SIG = 0x04034b50, CENTRAL_SIG = 0x02014b50, END_SIG = 0x06054b50,
  LOCAL_LEN = 30, CENTRAL_LEN = 46, END_LEN = 22,
  VERSION_NEEDED = 20,             /* 2.0: deflate */
  VERSION_MADE_BY = 3 << 8 | 20,   /* Unix, 2.0 */
  FLAG_UTF8 = 1 << 11,             /* general purpose bit 11 */
  METHOD_STORE = 0, METHOD_DEFLATE = 8,
  MAX_ENTRIES = 0xfffe,            /* 0xffff in the end record means ZIP64 */
  DEFLATE_LEVEL = 6
};
/* Level 6's match search (nice_length 128, max_chain 128), but a shorter
 * lazy search: it is cut to a quarter once the match in hand is 4 bytes
 * (level 6: 8), and skipped from 8 bytes (level 6: 16).  On the 2 MB
 * page's XHTML, its ODT content.xml and a DOCX's document.xml deflate
 * then takes 16-35% less time for 0.45-0.6% more bytes (zlib 1.2.13; see
 * doc/design.md).  deflateReset() restores the level's own values, so
 * deflater_start() sets these on every stream. */
enum { TUNE_GOOD = 4, TUNE_LAZY = 8, TUNE_NICE = 128, TUNE_CHAIN = 128 };
#define MAX_SIZE 0xfffffffeULL     /* 0xffffffff means ZIP64 */

/* A raw deflate stream and the compressed bytes it made so far. */
struct deflater {
  z_stream zs;
  int ready;
  emc_buf comp;
};

struct zippkg {
  zippkg_write_fn write;
  void *user;
  uint16_t dos_time, dos_date;
  uint64_t offset;          /* bytes written so far */
  emc_buf central;          /* the central directory, built as we go */
  unsigned entries;
  struct deflater d;        /* one stream for all deflated parts */
  int rc;                   /* sticky: the first failure */
  int finished;
};

static void put16(unsigned char *p, unsigned v)
{
  p[0] = (unsigned char)(v & 0xff);
  p[1] = (unsigned char)(v >> 8 & 0xff);
}

static void put32(unsigned char *p, uint32_t v)
{
  put16(p, v & 0xffff);
  put16(p + 2, v >> 16);
}

/* Sets ERR and makes the failure sticky. */
#define fail(z, err, code, ...) ((z)->rc = emc_error_set((err), (code), __VA_ARGS__))

static int oom(zippkg *z, emc_error *err)
{
  return fail(z, err, EMC_ENOMEM, "out of memory");
}

static int emit(zippkg *z, const void *data, size_t len, emc_error *err)
{
  if (len == 0)
    return EMC_OK;
  int rc = z->write(z->user, data, len, err);
  if (rc) {
    z->rc = rc;
    return rc;
  }
  z->offset += len;
  return EMC_OK;
}

static int to_output(void *user, const void *data, size_t len, emc_error *err)
{
  return emc_output_write(user, data, len, err);
}

/* MS-DOS date and time of T in UTC, clamped to what they can hold. */
static void dos_time(long long t, uint16_t *time_out, uint16_t *date_out)
{
  const long long lo = 315532800LL;   /* 1980-01-01 00:00:00 */
  const long long hi = 4354819198LL;  /* 2107-12-31 23:59:58 */
  time_t tt = (time_t)(t < lo ? lo : t > hi ? hi : t);
  struct tm tm;
  if (!gmtime_r(&tt, &tm)) {          /* a 32-bit time_t past 2038 */
    *time_out = 0;
    *date_out = 1 << 5 | 1;
    return;
  }
  *time_out = (uint16_t)(tm.tm_hour << 11 | tm.tm_min << 5 | tm.tm_sec / 2);
  *date_out = (uint16_t)((tm.tm_year - 80) << 9 | (tm.tm_mon + 1) << 5 | tm.tm_mday);
}

zippkg *zippkg_new_to(long long timestamp, zippkg_write_fn write, void *user,
                      emc_error *err)
{
  zippkg *z = calloc(1, sizeof *z);
  if (!z) {
    emc_error_set(err, EMC_ENOMEM, "out of memory");
    return NULL;
  }
  z->write = write;
  z->user = user;
  dos_time(timestamp, &z->dos_time, &z->dos_date);
  return z;
}

zippkg *zippkg_new(long long timestamp, emc_output *out, emc_error *err)
{
  return zippkg_new_to(timestamp, to_output, out, err);
}

/* Checks that another entry called NAME may be added. */
static int can_add(zippkg *z, const char *name, emc_error *err)
{
  if (z->rc)
    return emc_error_set(err, z->rc, "zip: %s: the package failed earlier", name);
  if (z->finished)
    return emc_error_set(err, EMC_EINVAL, "zip: %s: the package is finished", name);
  size_t n = strlen(name);
  if (n == 0 || n > 0xffff)
    return fail(z, err, EMC_EINVAL, "zip: bad entry name \"%.40s\"", name);
  if (z->entries >= MAX_ENTRIES)
    return fail(z, err, EMC_ERROR, "zip: %s: more than 65534 entries (no ZIP64)", name);
  return EMC_OK;
}

/* Writes the local header of NAME and records its central one; the data
 * follows. */
static int entry(zippkg *z, const char *name, int method, uint32_t crc,
                 uint64_t csize, uint64_t usize, emc_error *err)
{
  size_t n = strlen(name);
  if (csize > MAX_SIZE || usize > MAX_SIZE)
    return fail(z, err, EMC_ERROR, "zip: %s: part too large (4 GiB; no ZIP64)", name);
  if (z->offset + LOCAL_LEN + n + csize > MAX_SIZE)
    return fail(z, err, EMC_ERROR, "zip: %s: package too large (4 GiB; no ZIP64)", name);
  if (emc_buf_reserve(&z->central, CENTRAL_LEN + n))
    return oom(z, err);
  unsigned char *c = (unsigned char *)z->central.data + z->central.len;
  put32(c, CENTRAL_SIG);
  put16(c + 4, VERSION_MADE_BY);
  put16(c + 6, VERSION_NEEDED);
  put16(c + 8, FLAG_UTF8);
  put16(c + 10, (unsigned)method);
  put16(c + 12, z->dos_time);
  put16(c + 14, z->dos_date);
  put32(c + 16, crc);
  put32(c + 20, (uint32_t)csize);
  put32(c + 24, (uint32_t)usize);
  put16(c + 28, (unsigned)n);
  put16(c + 30, 0);                          /* extra field length */
  put16(c + 32, 0);                          /* comment length */
  put16(c + 34, 0);                          /* disk number */
  put16(c + 36, 0);                          /* internal attributes */
  put32(c + 38, (uint32_t)0100644 << 16);    /* regular file, rw-r--r-- */
  put32(c + 42, (uint32_t)z->offset);
  memcpy(c + CENTRAL_LEN, name, n);

  unsigned char h[LOCAL_LEN];
  put32(h, LOCAL_SIG);
  memcpy(h + 4, c + 6, 26);                  /* version needed .. extra length */
  int rc = emit(z, h, sizeof h, err);
  if (!rc)
    rc = emit(z, name, n, err);
  if (!rc) {
    z->central.len += CENTRAL_LEN + n;
    z->central.data[z->central.len] = '\0';
    z->entries++;
  }
  return rc;
}

enum { DEFLATE_OOM = -1, DEFLATE_FAILED = -2 };

/* Deflates LEN bytes of DATA into D->comp; FLUSH is Z_NO_FLUSH,
 * Z_SYNC_FLUSH or Z_FINISH.  Returns 0, DEFLATE_OOM or DEFLATE_FAILED. */
static int deflater_run(struct deflater *d, const void *data, size_t len, int flush)
{
  d->zs.next_in = (Bytef *)(uintptr_t)data;
  for (;;) {
    /* zlib counts in uInt: feed huge inputs in slices. */
    size_t slice = len > 1u << 30 ? 1u << 30 : len;
    d->zs.avail_in = (uInt)slice;
    len -= slice;
    int f = len ? Z_NO_FLUSH : flush;
    for (;;) {
      /* at least 64 bytes of room (64 KiB at first); emc_buf doubles */
      if (d->comp.cap - d->comp.len < 65 &&
          emc_buf_reserve(&d->comp, d->comp.cap ? 64 : (1 << 16) - 1))
        return DEFLATE_OOM;
      size_t room = d->comp.cap - d->comp.len - 1; /* the NUL's byte kept */
      if (room > 1u << 30)
        room = 1u << 30;
      d->zs.next_out = (Bytef *)d->comp.data + d->comp.len;
      d->zs.avail_out = (uInt)room;
      int r = deflate(&d->zs, f);
      d->comp.len += room - d->zs.avail_out;
      d->comp.data[d->comp.len] = '\0';
      if (r == Z_STREAM_END)
        break;
      if (r != Z_OK && r != Z_BUF_ERROR)
        return DEFLATE_FAILED;
      if (f != Z_FINISH && d->zs.avail_in == 0 && d->zs.avail_out != 0)
        break;                               /* all taken (and flushed) */
    }
    if (len == 0)
      return 0;
  }
}

/* Readies D for a new stream: reset, its buffer emptied. */
static int deflater_start(struct deflater *d)
{
  int r = d->ready ? deflateReset(&d->zs)
                   : deflateInit2(&d->zs, DEFLATE_LEVEL, Z_DEFLATED, -MAX_WBITS, 8,
                                  Z_DEFAULT_STRATEGY);
  if (r == Z_OK) {
    d->ready = 1;
    r = deflateTune(&d->zs, TUNE_GOOD, TUNE_LAZY, TUNE_NICE, TUNE_CHAIN);
  }
  if (r != Z_OK)
    return r == Z_MEM_ERROR ? DEFLATE_OOM : DEFLATE_FAILED;
  emc_buf_clear(&d->comp);
  return 0;
}

/* Frees D's zlib state; its compressed bytes stay. */
static void deflater_end(struct deflater *d)
{
  if (d->ready)
    deflateEnd(&d->zs);
  d->ready = 0;
}

static void deflater_release(struct deflater *d)
{
  deflater_end(d);
  emc_buf_release(&d->comp);
  memset(d, 0, sizeof *d);
}

/* A deflater's failure as the package's (sticky). */
static int deflate_failed(zippkg *z, int r, emc_error *err)
{
  return r == DEFLATE_OOM ? oom(z, err) : fail(z, err, EMC_ERROR, "zip: deflate failed");
}

/* Deflates LEN bytes of DATA into z->d.comp; FLUSH as deflater_run(). */
static int deflate_into(zippkg *z, const void *data, size_t len, int flush,
                        emc_error *err)
{
  int r = deflater_run(&z->d, data, len, flush);
  return r ? deflate_failed(z, r, err) : EMC_OK;
}

/* Starts a deflated part: the stream reset, the buffer emptied. */
static int deflate_start(zippkg *z, emc_error *err)
{
  int r = deflater_start(&z->d);
  return r ? deflate_failed(z, r, err) : EMC_OK;
}

/* Lets one huge part's buffer go rather than keep it to the end. */
static void deflate_trim(zippkg *z)
{
  if (z->d.comp.cap > 1 << 22)
    emc_buf_release(&z->d.comp);
  emc_buf_clear(&z->d.comp);
}

/* Writes the part deflated into z->d.comp. */
static int deflate_end(zippkg *z, const char *name, uint32_t crc, uint64_t usize,
                       emc_error *err)
{
  int rc = entry(z, name, METHOD_DEFLATE, crc, z->d.comp.len, usize, err);
  if (!rc)
    rc = emit(z, z->d.comp.data, z->d.comp.len, err);
  deflate_trim(z);
  return rc;
}

static uint32_t crc_of(uint32_t crc, const void *data, size_t len)
{
  const unsigned char *p = data;
  while (len) {
    size_t slice = len > 1u << 30 ? 1u << 30 : len;
    crc = (uint32_t)crc32(crc, p, (uInt)slice);
    p += slice;
    len -= slice;
  }
  return crc;
}

int zippkg_add(zippkg *z, const char *name, const void *data, size_t len,
               int store, emc_error *err)
{
  int rc = can_add(z, name, err);
  if (rc)
    return rc;
  if ((uint64_t)len > MAX_SIZE)
    return fail(z, err, EMC_ERROR, "zip: %s: part too large (4 GiB; no ZIP64)", name);
  uint32_t crc = crc_of((uint32_t)crc32(0, NULL, 0), data, len);
  if (store) {
    rc = entry(z, name, METHOD_STORE, crc, len, len, err);
    return rc ? rc : emit(z, data, len, err);
  }
  if ((rc = deflate_start(z, err)) || (rc = deflate_into(z, data, len, Z_FINISH, err)))
    return rc;
  return deflate_end(z, name, crc, len, err);
}

/* The part's sink (emc_output_sink_new): its CRC and size, and straight
 * into deflate. */
struct xml_part {
  zippkg *z;
  uint32_t crc;
  uint64_t size;
};

static int xml_part_write(void *user, const void *data, size_t len, emc_error *err)
{
  struct xml_part *p = user;
  p->crc = (uint32_t)crc32(p->crc, data, (uInt)len);
  p->size += len;
  return deflate_into(p->z, data, len, Z_NO_FLUSH, err);
}

int zippkg_add_xml(zippkg *z, const char *name, xmlDocPtr doc, emc_error *err)
{
  int rc = can_add(z, name, err);
  if (rc || (rc = deflate_start(z, err)))
    return rc;
  struct xml_part p = { z, (uint32_t)crc32(0, NULL, 0), 0 };
  emc_output *part = emc_output_sink_new(xml_part_write, &p);
  rc = part ? emc_output_save_xml(part, doc, 0, err)
            : emc_error_set(err, EMC_ENOMEM, "zip: %s: out of memory", name);
  emc_output_free(part);
  if (rc)
    return z->rc ? z->rc : (z->rc = rc); /* deflate's failures are sticky already */
  if (p.size > MAX_SIZE)
    return fail(z, err, EMC_ERROR, "zip: %s: part too large (4 GiB; no ZIP64)", name);
  if ((rc = deflate_into(z, NULL, 0, Z_FINISH, err)))
    return rc;
  return deflate_end(z, name, p.crc, p.size, err);
}

/* ----------------------------------------------- a part's body, first */

struct zippkg_body {
  struct deflater d;
  uint32_t crc;
  uint64_t size;
  int rc;                   /* sticky: the first failure */
  const char *why;          /* ... and what it was, for zippkg_add_headed() */
};

zippkg_body *zippkg_body_new(emc_error *err)
{
  zippkg_body *b = calloc(1, sizeof *b);
  if (!b || deflater_start(&b->d)) {
    zippkg_body_free(b);
    emc_error_set(err, EMC_ENOMEM, "out of memory");
    return NULL;
  }
  b->crc = (uint32_t)crc32(0, NULL, 0);
  return b;
}

static int body_failed(zippkg_body *b, int r, emc_error *err)
{
  b->why = r == DEFLATE_OOM ? "out of memory" : "deflate failed";
  return b->rc = r == DEFLATE_OOM ? emc_error_set(err, EMC_ENOMEM, "out of memory")
                                  : emc_error_set(err, EMC_ERROR, "zip: deflate failed");
}

int zippkg_body_write(zippkg_body *b, const void *data, size_t len, emc_error *err)
{
  if (b->rc)
    return emc_error_set(err, b->rc, "zip: the part failed earlier");
  if (len > MAX_SIZE - b->size) {
    b->why = "part too large (4 GiB; no ZIP64)";
    return b->rc = emc_error_set(err, EMC_ERROR, "zip: %s", b->why);
  }
  int r = deflater_run(&b->d, data, len, Z_NO_FLUSH);
  if (r)
    return body_failed(b, r, err);
  b->crc = crc_of(b->crc, data, len);
  b->size += len;
  return EMC_OK;
}

int zippkg_add_headed(zippkg *z, const char *name, const void *head, size_t head_len,
                      zippkg_body *body, emc_error *err)
{
  int rc = can_add(z, name, err);
  if (rc)
    return rc;
  if (body->rc)
    return fail(z, err, body->rc, "zip: %s: %s", name, body->why);
  if ((uint64_t)head_len > MAX_SIZE - body->size)
    return fail(z, err, EMC_ERROR, "zip: %s: part too large (4 GiB; no ZIP64)", name);
  int r = deflater_run(&body->d, NULL, 0, Z_FINISH);
  if (r) {
    body_failed(body, r, NULL);
    return deflate_failed(z, r, err);
  }
  body->rc = EMC_EINVAL; /* spent */
  body->why = "its body was added already";
  deflater_end(&body->d); /* its 256 kB of state go before the head's come */
  if ((rc = deflate_start(z, err)) ||
      (rc = deflate_into(z, head, head_len, Z_SYNC_FLUSH, err)))
    return rc;
  uint32_t crc = crc_of((uint32_t)crc32(0, NULL, 0), head, head_len);
  crc = (uint32_t)crc32_combine(crc, body->crc, (z_off_t)body->size);
  uint64_t csize = (uint64_t)z->d.comp.len + body->d.comp.len;
  rc = entry(z, name, METHOD_DEFLATE, crc, csize, head_len + body->size, err);
  if (!rc)
    rc = emit(z, z->d.comp.data, z->d.comp.len, err);
  if (!rc)
    rc = emit(z, body->d.comp.data, body->d.comp.len, err);
  deflate_trim(z);
  return rc;
}

void zippkg_body_free(zippkg_body *body)
{
  if (!body)
    return;
  deflater_release(&body->d);
  free(body);
}

int zippkg_finish(zippkg *z, emc_error *err)
{
  if (z->rc)
    return emc_error_set(err, z->rc, "zip: the package failed earlier");
  if (z->finished)
    return emc_error_set(err, EMC_EINVAL, "zip: the package is finished");
  z->finished = 1;
  if (z->offset + z->central.len + END_LEN > MAX_SIZE)
    return fail(z, err, EMC_ERROR, "zip: package too large (4 GiB; no ZIP64)");
  unsigned char e[END_LEN];
  put32(e, END_SIG);
  put16(e + 4, 0);                      /* this disk */
  put16(e + 6, 0);                      /* the central directory's disk */
  put16(e + 8, z->entries);             /* entries on this disk */
  put16(e + 10, z->entries);            /* entries */
  put32(e + 12, (uint32_t)z->central.len);
  put32(e + 16, (uint32_t)z->offset);
  put16(e + 20, 0);                     /* comment length */
  int rc = emit(z, z->central.data, z->central.len, err);
  return rc ? rc : emit(z, e, sizeof e, err);
}

void zippkg_free(zippkg *z)
{
  if (!z)
    return;
  deflater_release(&z->d);
  emc_buf_release(&z->central);
  free(z);
}
