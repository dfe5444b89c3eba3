/* SPDX-License-Identifier: MIT */
/* imgcheck.c - plugins/common/imgcheck.c on images written by real tools
 * (tests/data/img, CPython's imghdr test pictures: 16 x 16 pixels), on
 * copies of them damaged where a reader looks first, and on SVG. */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../tap.h"
#include "../../plugins/common/imgcheck.h"

#define PX16 423 /* 16 px at 96 dpi in 1/1000 cm: 16 / 96 * 2540 */

static unsigned char *slurp(const char *name, size_t *len)
{
  const char *top = getenv("top_srcdir");
  char path[4096];
  snprintf(path, sizeof path, "%s/tests/data/img/%s", top ? top : ".", name);
  FILE *f = fopen(path, "rb");
  if (!f) {
    printf("Bail out! %s: cannot open\n", path);
    exit(1);
  }
  unsigned char *d = malloc(1 << 16);
  *len = d ? fread(d, 1, 1 << 16, f) : 0;
  fclose(f);
  if (!d || !*len) {
    printf("Bail out! %s: cannot read\n", path);
    exit(1);
  }
  return d;
}

static void sound(const char *name, const char *type, long w, long h)
{
  size_t n;
  unsigned char *d = slurp(name, &n);
  img_facts f;
  is_int(img_check(d, n, &f), IMG_SOUND, "%s: sound", name);
  is_str(f.media_type, type, "%s: media type", name);
  ok(f.width == w && f.height == h, "%s: %ld x %ld (1/1000 cm), got %ld x %ld", name, w, h,
     f.width, f.height);
  free(d);
}

static void verdict(const char *what, const void *d, size_t n, img_verdict want,
                    const char *type)
{
  img_facts f;
  is_int(img_check(d, n, &f), want, "%s: verdict", what);
  ok(type ? f.media_type && !strcmp(f.media_type, type) : !f.media_type, "%s: media type %s",
     what, type ? type : "none");
  ok((f.width == 0 && f.height == 0) || want == IMG_SOUND, "%s: no size unless sound", what);
}

/* The PNG's chunk at offset OFF, as (offset, whole length). */
static size_t chunk_len(const unsigned char *d, size_t off)
{
  return 12 + ((size_t)d[off] << 24 | (size_t)d[off + 1] << 16 | (size_t)d[off + 2] << 8 | d[off + 3]);
}

int main(void)
{
  plan(63);
  sound("python.png", "image/png", PX16, PX16);
  sound("python.jpg", "image/jpeg", PX16, PX16); /* JFIF says 1 x 1 dpi: not believed */
  sound("python.gif", "image/gif", PX16, PX16);
  sound("python.bmp", "image/bmp", PX16, PX16);

  size_t n;
  unsigned char *d = slurp("python.tiff", &n);
  verdict("TIFF (a type not judged)", d, n, IMG_OTHER, NULL);
  free(d);
  verdict("text", "Son La province", 15, IMG_OTHER, NULL);
  verdict("nothing", "", 0, IMG_OTHER, NULL);
  is_int(img_check((const unsigned char *)"GIF89a", 6, NULL), IMG_DAMAGED,
         "facts may be NULL (a GIF header alone: damaged)");

  /* PNG: cut, a CRC wrong, the palette of an indexed image missing. */
  unsigned char *png = slurp("python.png", &n);
  verdict("PNG cut after 40 bytes", png, 40, IMG_DAMAGED, "image/png");
  verdict("PNG without its last byte", png, n - 1, IMG_DAMAGED, "image/png");
  png[8 + 8 + 5] ^= 1; /* IHDR's height: its CRC no longer matches */
  verdict("PNG with a wrong CRC", png, n, IMG_DAMAGED, "image/png");
  png[8 + 8 + 5] ^= 1;
  size_t ihdr = chunk_len(png, 8), chrm = chunk_len(png, 8 + ihdr);
  size_t plte_at = 8 + ihdr + chrm, plte = chunk_len(png, plte_at);
  ok(!memcmp(png + plte_at + 4, "PLTE", 4), "the fixture is indexed, PLTE third");
  unsigned char *nopal = malloc(n);
  memcpy(nopal, png, plte_at);
  memcpy(nopal + plte_at, png + plte_at + plte, n - plte_at - plte);
  verdict("indexed PNG without its palette", nopal, n - plte, IMG_DAMAGED, "image/png");
  free(nopal);
  /* a pHYs chunk of 300 dpi (11811 px/m, CRC computed for this test) */
  static const unsigned char phys[21] = { 0, 0, 0, 9, 'p', 'H', 'Y', 's', 0, 0, 0x2e, 0x23,
                                          0, 0, 0x2e, 0x23, 1, 0x78, 0xa5, 0x3f, 0x76 };
  unsigned char *dpi = malloc(n + sizeof phys);
  memcpy(dpi, png, 8 + ihdr);
  memcpy(dpi + 8 + ihdr, phys, sizeof phys);
  memcpy(dpi + 8 + ihdr + sizeof phys, png + 8 + ihdr, n - 8 - ihdr);
  img_facts f;
  is_int(img_check(dpi, n + sizeof phys, &f), IMG_SOUND, "PNG with pHYs: sound");
  ok(f.width == 135 && f.height == 135, "PNG at 300 dpi: 16 px is 0.135 cm (got %ld x %ld)",
     f.width, f.height);
  free(dpi);
  free(png);

  /* JPEG: cut before its frame header; a 12-bit frame (not judged). */
  unsigned char *jpg = slurp("python.jpg", &n);
  verdict("JPEG cut after 30 bytes", jpg, 30, IMG_DAMAGED, "image/jpeg");
  size_t sof = 2;
  while (sof + 4 < n && jpg[sof + 1] != 0xC0)
    sof += 2 + ((size_t)jpg[sof + 2] << 8 | jpg[sof + 3]);
  ok(sof + 4 < n && jpg[sof + 4] == 8, "the fixture has an 8-bit baseline frame at %zu", sof);
  jpg[sof + 5] = jpg[sof + 6] = 0; /* height 0 */
  verdict("JPEG with a height of 0", jpg, n, IMG_DAMAGED, "image/jpeg");
  jpg[sof + 4] = 12;
  verdict("12-bit JPEG", jpg, n, IMG_OTHER, NULL);
  free(jpg);

  /* GIF with no screen size; BMP whose headers are cut. */
  unsigned char *gif = slurp("python.gif", &n);
  memset(gif + 6, 0, 2);
  verdict("GIF of width 0", gif, n, IMG_DAMAGED, "image/gif");
  free(gif);
  unsigned char *bmp = slurp("python.bmp", &n);
  verdict("BMP cut after 60 bytes", bmp, 60, IMG_DAMAGED, "image/bmp");
  free(bmp);

  /* SVG */
  static const char svg_cm[] = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"4cm\" "
                               "viewBox=\"0 0 200 100\"><rect width=\"200\" height=\"100\"/></svg>";
  is_int(img_check((const unsigned char *)svg_cm, strlen(svg_cm), &f), IMG_SOUND, "SVG: sound");
  ok(f.width == 4000 && f.height == 2000, "SVG 4cm wide, viewBox 2:1: 4 x 2 cm (got %ld x %ld)",
     f.width, f.height);
  static const char svg_vb[] = "<?xml version=\"1.0\"?>\n<!-- a map -->\n<svg version=\"1.1\" "
                               "xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0,0,96,48\"/>";
  is_int(img_check((const unsigned char *)svg_vb, strlen(svg_vb), &f), IMG_SOUND,
         "SVG after a prolog and a comment: sound");
  ok(f.width == 2540 && f.height == 1270, "SVG viewBox alone at 96 dpi (got %ld x %ld)", f.width,
     f.height);
  static const char svg_broken[] = "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect></svg>";
  verdict("SVG not well-formed", svg_broken, strlen(svg_broken), IMG_DAMAGED, "image/svg+xml");
  static const char svg_nons[] = "<svg width=\"60\" height=\"80\"/>";
  verdict("svg root outside the SVG namespace", svg_nons, strlen(svg_nons), IMG_DAMAGED,
          "image/svg+xml");
  return done_testing();
}
