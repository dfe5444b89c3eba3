/* SPDX-License-Identifier: MIT */
/* imgcheck.h - what an image resource is, judged by its bytes: its type,
 * whether it is whole, its natural size.
 *
 * Internal to the emuconv source tree: a convenience library linked into
 * the writers that embed images (epub, odt), not part of the plugin ABI.
 * A reader's media type is a claim (a DOCX content type, a data: URI's
 * label, a file name); what a reading system or LibreOffice does with the
 * file depends on its bytes.  Both writers ask here, so an image that one
 * of them leaves out as damaged is left out of the other too.
 *
 * Damaged means broken where a reader looks first: PNG chunks cut short or
 * with a wrong CRC, an IHDR that is not first or not sane, indexed data
 * before its palette, no IDAT before IEND (PNG 3rd ed. 5.3, 11.2); JPEG
 * marker segments cut short before an 8-bit baseline, extended or
 * progressive frame header, or a frame header that is not sane (ITU T.81
 * B.2); a GIF with no screen size; a BMP whose headers do not fit; SVG
 * that is not well-formed XML (no network, no entities expanded) with an
 * svg root in the SVG namespace.  epubcheck calls such files corrupted
 * (PKG-021), and reading systems and LibreOffice show an empty frame.
 * Pixel data past those headers is not decoded.
 */
#ifndef EMUCONV_IMGCHECK_H
#define EMUCONV_IMGCHECK_H

#include <stddef.h>

typedef enum img_verdict {
  IMG_OTHER,   /* none of the formats below (TIFF, EMF, text...) */
  IMG_DAMAGED, /* one of them by its magic bytes, broken behind them */
  IMG_SOUND    /* one of them, whole where a reader looks first */
} img_verdict;

typedef struct img_facts {
  /* "image/png", "image/jpeg", "image/gif", "image/bmp" or
   * "image/svg+xml" (static strings) when the verdict is not IMG_OTHER;
   * otherwise NULL. */
  const char *media_type;
  /* The natural size in 1/1000 cm when the verdict is IMG_SOUND and the
   * file tells it (pixels at the file's resolution, 96 dpi when it gives
   * none; an SVG's absolute width and height, or its viewBox at 96 dpi);
   * 0 when unknown. */
  long width, height;
} img_facts;

/* Judges the LEN bytes at DATA (not kept); fills *FACTS when FACTS is not
 * NULL.  Never fails: memory shortage while parsing an SVG counts as
 * damage. */
img_verdict img_check(const unsigned char *data, size_t len, img_facts *facts);

#endif
