/* SPDX-License-Identifier: MIT */
/* imgcheck.c - image type, soundness and natural size from the bytes
 * (see imgcheck.h).  Written from the format specifications: PNG (W3C,
 * 3rd edition), JPEG (ITU T.81 annex B, JFIF 1.02), GIF89a, the Windows
 * BMP headers, SVG 1.1 (width, height, viewBox). */
#include <config.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include "imgcheck.h"

static uint32_t be32(const unsigned char *p)
{
  return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static unsigned be16(const unsigned char *p) { return (unsigned)p[0] << 8 | p[1]; }
static unsigned le16(const unsigned char *p) { return (unsigned)p[1] << 8 | p[0]; }
static uint32_t le32(const unsigned char *p)
{
  return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
}

/* Whether a resolution a file states is one to believe: files written
 * with "1 x 1 dpi" (a JFIF default of some tools) mean "unknown". */
static int dpi_ok(double dpi)
{
  return dpi >= 10 && dpi <= 100000;
}

/* Pixels at DPI to 1/1000 cm. */
static long px_to_mcm(double px, double dpi)
{
  return (long)(px / dpi * 2540 + 0.5);
}

/* A PNG whose chunks are whole with right CRCs, IHDR first with a valid
 * size and depth/colour pair, a palette before the data when indexed, and
 * IDAT before IEND (PNG spec 5.3, 11.2); the resolution from pHYs when it
 * is in pixels per metre. */
static img_verdict png(const unsigned char *d, size_t n, img_facts *f)
{
  int color = -1, plte = 0, idat = 0;
  double w = 0, h = 0, dpi_x = 96, dpi_y = 96;
  for (size_t i = 8; i + 12 <= n;) {
    uint32_t len = be32(d + i);
    const unsigned char *type = d + i + 4, *data = d + i + 8;
    if (len > 0x7FFFFFFFu || len > n - i - 12 ||
        crc32(0, type, len + 4) != be32(data + len))
      return IMG_DAMAGED;
    if (color < 0) {
      static const unsigned char depths[7] = { 0x1F, 0, 0x18, 0x0F, 0x18, 0, 0x18 };
      if (memcmp(type, "IHDR", 4) != 0 || len != 13)
        return IMG_DAMAGED;
      uint32_t pw = be32(data), ph = be32(data + 4);
      unsigned depth = data[8];
      color = data[9];
      /* depths 1, 2, 4, 8, 16 are bits 0-4 of depths[colour type] */
      int bit = depth == 1 ? 0 : depth == 2 ? 1 : depth == 4 ? 2 : depth == 8 ? 3 : depth == 16 ? 4 : -1;
      if (!pw || !ph || pw > 0x7FFFFFFFu || ph > 0x7FFFFFFFu || color > 6 || bit < 0 ||
          !(depths[color] >> bit & 1) || data[10] || data[11] || data[12] > 1)
        return IMG_DAMAGED;
      w = pw;
      h = ph;
    } else if (memcmp(type, "PLTE", 4) == 0)
      plte = 1;
    else if (memcmp(type, "pHYs", 4) == 0 && len == 9 && data[8] == 1 && !idat) {
      double x = be32(data) * 0.0254, y = be32(data + 4) * 0.0254; /* from per metre */
      if (dpi_ok(x) && dpi_ok(y)) {
        dpi_x = x;
        dpi_y = y;
      }
    } else if (memcmp(type, "IDAT", 4) == 0) {
      if (color == 3 && !plte)
        return IMG_DAMAGED;
      idat = 1;
    } else if (memcmp(type, "IEND", 4) == 0) {
      if (!idat)
        return IMG_DAMAGED;
      f->width = px_to_mcm(w, dpi_x);
      f->height = px_to_mcm(h, dpi_y);
      return IMG_SOUND;
    }
    i += 12 + (size_t)len;
  }
  return IMG_DAMAGED;
}

/* A JPEG whose marker segments are whole up to its frame header, with the
 * resolution from a JFIF APP0 segment.  Baseline, extended and
 * progressive 8-bit frames with a size and 1-4 components are what
 * reading systems show; lossless, hierarchical, arithmetic-coded and
 * 12-bit frames are JPEGs this does not judge. */
static img_verdict jpeg(const unsigned char *d, size_t n, img_facts *f)
{
  double dpi_x = 96, dpi_y = 96;
  for (size_t i = 2; i < n;) {
    if (d[i] != 0xFF)
      return IMG_DAMAGED;
    while (i < n && d[i] == 0xFF) /* fill bytes */
      i++;
    if (i >= n)
      return IMG_DAMAGED;
    unsigned m = d[i++];
    if (m == 0x01 || (m >= 0xD0 && m <= 0xD7)) /* no length */
      continue;
    if (m == 0xD8 || m == 0xD9 || m == 0xDA || i + 2 > n)
      return IMG_DAMAGED; /* a second image, the end or the data before a frame */
    size_t len = be16(d + i);
    if (len < 2 || len > n - i)
      return IMG_DAMAGED;
    const unsigned char *s = d + i + 2;
    if (m == 0xE0 && len >= 16 && memcmp(s, "JFIF", 5) == 0) {
      double x = be16(s + 8), y = be16(s + 10);
      if (s[7] == 2) { /* dots per cm */
        x *= 2.54;
        y *= 2.54;
      }
      if ((s[7] == 1 || s[7] == 2) && dpi_ok(x) && dpi_ok(y)) {
        dpi_x = x;
        dpi_y = y;
      }
    } else if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
      if (m > 0xC2 || (len >= 3 && s[0] != 8))
        return IMG_OTHER;
      unsigned comps = len >= 8 ? s[5] : 0;
      unsigned h = len >= 8 ? be16(s + 1) : 0, w = len >= 8 ? be16(s + 3) : 0;
      if (!w || !h || comps < 1 || comps > 4 || len != 8 + 3 * (size_t)comps)
        return IMG_DAMAGED;
      f->width = px_to_mcm(w, dpi_x);
      f->height = px_to_mcm(h, dpi_y);
      return IMG_SOUND;
    }
    i += len;
  }
  return IMG_DAMAGED;
}

/* A GIF's logical screen size (GIF89a sec. 18); no resolution. */
static img_verdict gif(const unsigned char *d, size_t n, img_facts *f)
{
  if (n < 13 || !le16(d + 6) || !le16(d + 8))
    return IMG_DAMAGED;
  f->width = px_to_mcm(le16(d + 6), 96);
  f->height = px_to_mcm(le16(d + 8), 96);
  return IMG_SOUND;
}

/* A BMP whose file header and DIB header fit: BITMAPCOREHEADER (12
 * bytes, 16-bit sizes) or BITMAPINFOHEADER and its successors (40 bytes
 * and up, 32-bit sizes, height negative when top-down). */
static img_verdict bmp(const unsigned char *d, size_t n, img_facts *f)
{
  if (n < 26)
    return IMG_DAMAGED;
  uint32_t dib = le32(d + 14), pixels = le32(d + 10);
  long w, h;
  if (dib == 12) {
    w = le16(d + 18);
    h = le16(d + 20);
  } else if (dib >= 40 && dib <= 124 && n >= 14 + (size_t)dib) {
    w = (long)(int32_t)le32(d + 18);
    h = (long)(int32_t)le32(d + 22);
    if (h < 0)
      h = -h;
  } else
    return IMG_DAMAGED;
  if (w <= 0 || h <= 0 || pixels < 14 + dib || pixels > n)
    return IMG_DAMAGED;
  f->width = px_to_mcm((double)w, 96);
  f->height = px_to_mcm((double)h, 96);
  return IMG_SOUND;
}

/* An SVG length ("120", "3cm", "2in") in 1/1000 cm; 0 when it is
 * relative (%, em) or unreadable. */
static long svg_length(const xmlChar *value)
{
  if (!value)
    return 0;
  const char *v = (const char *)value;
  char *end;
  double x = strtod(v, &end); /* SVG lengths: ASCII digits, '.', 'e' */
  if (end == v || !(x > 0) || x > 1e6)
    return 0;
  while (*end == ' ')
    end++;
  double cm = !*end || !strcmp(end, "px") ? x * 2.54 / 96
            : !strcmp(end, "pt") ? x * 2.54 / 72
            : !strcmp(end, "pc") ? x * 2.54 / 6
            : !strcmp(end, "mm") ? x / 10
            : !strcmp(end, "cm") ? x
            : !strcmp(end, "in") ? x * 2.54 : 0;
  return (long)(cm * 1000 + 0.5);
}

/* An SVG document: well-formed XML (no network, no entity expansion)
 * whose root is svg in the SVG namespace; its size from width and height,
 * the viewBox's aspect ratio filling in the one missing, or the viewBox
 * alone at 96 dpi. */
static img_verdict svg(const unsigned char *d, size_t n, img_facts *f)
{
  if (n > INT_MAX)
    return IMG_DAMAGED;
  xmlDocPtr doc = xmlReadMemory((const char *)d, (int)n, NULL, NULL,
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
  xmlNodePtr root = doc ? xmlDocGetRootElement(doc) : NULL;
  if (!root || !xmlStrEqual(root->name, BAD_CAST "svg") || !root->ns ||
      !xmlStrEqual(root->ns->href, BAD_CAST "http://www.w3.org/2000/svg")) {
    xmlFreeDoc(doc);
    return IMG_DAMAGED;
  }
  xmlChar *vw = xmlGetNoNsProp(root, BAD_CAST "width");
  xmlChar *vh = xmlGetNoNsProp(root, BAD_CAST "height");
  xmlChar *vb = xmlGetNoNsProp(root, BAD_CAST "viewBox");
  long w = svg_length(vw), h = svg_length(vh);
  double x, y, bw, bh;
  if ((!w || !h) && vb &&
      sscanf((const char *)vb, "%lf%*[ ,]%lf%*[ ,]%lf%*[ ,]%lf", &x, &y, &bw, &bh) == 4 &&
      bw > 0 && bh > 0 && bw < 1e6 && bh < 1e6) {
    if (w && !h)
      h = (long)(w * bh / bw);
    else if (h && !w)
      w = (long)(h * bw / bh);
    else {
      w = (long)(bw * 2540 / 96);
      h = (long)(bh * 2540 / 96);
    }
  }
  if (w > 0 && h > 0) {
    f->width = w;
    f->height = h;
  }
  xmlFree(vw);
  xmlFree(vh);
  xmlFree(vb);
  xmlFreeDoc(doc);
  return IMG_SOUND;
}

/* Whether D looks like SVG: XML (after a BOM and white space) with an
 * <svg element in its first 4 kB, past any prolog, comment or doctype. */
static int svg_magic(const unsigned char *d, size_t n)
{
  size_t i = 0;
  if (n >= 3 && d[0] == 0xEF && d[1] == 0xBB && d[2] == 0xBF)
    i = 3;
  while (i < n && (d[i] == ' ' || d[i] == '\t' || d[i] == '\r' || d[i] == '\n'))
    i++;
  if (i >= n || d[i] != '<')
    return 0;
  size_t lim = n < 4096 ? n : 4096;
  for (size_t k = i; k + 4 <= lim; k++)
    if (memcmp(d + k, "<svg", 4) == 0 && (k + 4 == lim || strchr(" \t\r\n>/", d[k + 4])))
      return 1;
  return 0;
}

img_verdict img_check(const unsigned char *d, size_t n, img_facts *facts)
{
  img_facts f = { NULL, 0, 0 };
  img_verdict v = IMG_OTHER;
  if (n >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0) {
    f.media_type = "image/png";
    v = png(d, n, &f);
  } else if (n >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF) {
    f.media_type = "image/jpeg";
    v = jpeg(d, n, &f);
  } else if (n >= 6 && (memcmp(d, "GIF87a", 6) == 0 || memcmp(d, "GIF89a", 6) == 0)) {
    f.media_type = "image/gif";
    v = gif(d, n, &f);
  } else if (n >= 2 && d[0] == 'B' && d[1] == 'M') {
    f.media_type = "image/bmp";
    v = bmp(d, n, &f);
  } else if (svg_magic(d, n)) {
    f.media_type = "image/svg+xml";
    v = svg(d, n, &f);
  }
  if (v == IMG_OTHER)
    f.media_type = NULL;
  if (v != IMG_SOUND)
    f.width = f.height = 0;
  if (facts)
    *facts = f;
  return v;
}
