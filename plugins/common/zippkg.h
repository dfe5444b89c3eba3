/* SPDX-License-Identifier: MIT */
/* zippkg.h - writing OCF/ODF-style zip packages (EPUB, ODT), streamed.
 *
 * Internal to the emuconv source tree: a convenience library linked into
 * the writer modules that need it, not part of the plugin ABI.  A small
 * ZIP writer on zlib alone (APPNOTE 6.3.x, no ZIP64): each part is
 * CRC-32'd and deflated (raw deflate, level 6) as it is added and written
 * out at once, local file header first (its sizes and CRC are known, so
 * there are no data descriptors); zippkg_finish() writes the central
 * directory and the end record.  Only the compressed bytes of the part
 * being added are held in memory (and of a zippkg_body being written).
 *
 * What it guarantees, as both EPUB (OCF 3.3 sec. 4.2) and ODF (Packages,
 * sec. 3.3) require: an entry added with STORE (the first, "mimetype") is
 * stored uncompressed with no extra field; no entry has an extra field;
 * every entry gets the same timestamp (the context's, SOURCE_DATE_EPOCH
 * when set, as an MS-DOS time in UTC, clamped to 1980..2107); names are
 * flagged UTF-8 (general purpose bit 11); entries stay in the order they
 * were added, so the same input gives byte-identical packages.  A package
 * that would need ZIP64 (a part or the archive at 4 GiB, more than 65 534
 * entries) is refused with an error.
 *
 * Bytes go to the output as parts are added: on an error the output holds
 * a partial archive, which the core discards (emc_output is atomic).
 */
#ifndef EMUCONV_ZIPPKG_H
#define EMUCONV_ZIPPKG_H

#include <stddef.h>
#include <emuconv/plugin.h>

typedef struct zippkg zippkg;

/* Where the archive's bytes go: appends LEN bytes of DATA.  Returns EMC_OK,
 * or a negative code with ERR set. */
typedef int (*zippkg_write_fn)(void *user, const void *data, size_t len,
                               emc_error *err);

/* A new package written to OUT (borrowed; must outlive the package),
 * stamped with TIMESTAMP (seconds since the epoch).  Returns: (transfer
 * full) free with zippkg_free(); NULL with ERR set on failure. */
zippkg *zippkg_new(long long timestamp, emc_output *out, emc_error *err);

/* The same, writing through WRITE with USER (for tests). */
zippkg *zippkg_new_to(long long timestamp, zippkg_write_fn write, void *user,
                      emc_error *err);

/* Adds NAME with LEN bytes of DATA (borrowed; not kept after the call).
 * STORE non-zero: no compression (the "mimetype" entry); otherwise
 * deflate, level 6. */
int zippkg_add(zippkg *z, const char *name, const void *data, size_t len,
               int store, emc_error *err);

/* Adds a serialised XML document (UTF-8, with declaration), deflated as it
 * is serialised. */
int zippkg_add_xml(zippkg *z, const char *name, xmlDocPtr doc, emc_error *err);

/* A part whose end is written before its beginning is known: ODF's
 * content.xml, whose automatic styles come first but are collected while
 * its body is written.  The body is deflated as it comes, so that only
 * its compressed bytes are held, and zippkg_add_headed() joins the head
 * in front of it. */
typedef struct zippkg_body zippkg_body;

/* Returns: (transfer full) free with zippkg_body_free(); NULL with ERR set
 * when out of memory. */
zippkg_body *zippkg_body_new(emc_error *err);

/* Appends LEN bytes of DATA (borrowed) to the body.  A failure is sticky:
 * every later call, and zippkg_add_headed(), fail too. */
int zippkg_body_write(zippkg_body *b, const void *data, size_t len, emc_error *err);

/* Adds NAME: HEAD_LEN bytes of HEAD (borrowed), then BODY's bytes, as one
 * deflated part.  The head is deflated on its own and ends with a sync
 * flush (an empty stored block, byte-aligned); the body's stream follows
 * as it is, since its back-references reach only within the body (how
 * pigz joins the pieces it deflates apart).  BODY is spent afterwards. */
int zippkg_add_headed(zippkg *z, const char *name, const void *head, size_t head_len,
                      zippkg_body *body, emc_error *err);

/* Frees BODY.  NULL is a no-op. */
void zippkg_body_free(zippkg_body *body);

/* Writes the central directory and the end record.  The package is spent
 * afterwards (only zippkg_free() may follow). */
int zippkg_finish(zippkg *z, emc_error *err);

/* Frees the package (finished or not).  NULL is a no-op. */
void zippkg_free(zippkg *z);

#endif
