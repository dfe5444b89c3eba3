/* SPDX-License-Identifier: MIT */
/* html-url.c - links and images.
 *
 * URLs are resolved with libxml2's RFC 3986 resolver (xmlBuildURI) and
 * escaped so that they are valid URI references.  Nothing is fetched.
 *
 * Local images: a relative src is looked up under the directory of the
 * input file (never for standard input).  The path is percent-decoded,
 * "." and ".." are resolved lexically, and the real path of the file
 * (symbolic links followed) must still lie inside the input's directory:
 * "../../etc/passwd", absolute paths, file: URLs and links pointing out
 * are refused.  Only regular files whose bytes are PNG, JPEG, GIF or WebP
 * are embedded; data: URIs with those types are decoded and embedded too.
 */
#include <config.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libxml/uri.h>
#include "../common/pathnorm.h"
#include "html.h"

int html_url_has_scheme(const char *s)
{
  if (!s || !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
    return 0;
  for (s++; *s; s++) {
    if (*s == ':')
      return 1;
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
          *s == '+' || *s == '-' || *s == '.'))
      return 0;
  }
  return 0;
}

static int hexval(int c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

char *html_url_escape(const char *s)
{
  static const char hex[] = "0123456789ABCDEF";
  size_t n = strlen(s);
  if (n > SIZE_MAX / 3 - 1)
    return NULL;
  char *r = malloc(n * 3 + 1), *o = r;
  if (!r)
    return NULL;
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    unsigned char c = *p;
    int esc = c <= 0x20 || c >= 0x7F || strchr("\"<>\\^`{|}[]", c) != NULL;
    if (c == '%' && !(hexval(p[1]) >= 0 && hexval(p[2]) >= 0))
      esc = 1;
    if (esc) {
      *o++ = '%';
      *o++ = hex[c >> 4];
      *o++ = hex[c & 15];
    } else
      *o++ = (char)c;
  }
  *o = '\0';
  return r;
}

/* HREF without surrounding white space and without tabs and newlines
 * inside (what browsers do), escaped. */
static char *clean_href(const xmlChar *href)
{
  while (html_is_ws(*href))
    href++;
  size_t n = strlen((const char *)href);
  while (n && html_is_ws(href[n - 1]))
    n--;
  char *t = malloc(n + 1);
  if (!t)
    return NULL;
  size_t k = 0;
  for (size_t i = 0; i < n; i++)
    if (href[i] != '\t' && href[i] != '\n' && href[i] != '\r')
      t[k++] = (char)href[i];
  t[k] = '\0';
  char *e = html_url_escape(t);
  free(t);
  return e;
}

char *html_url_resolve(const char *base, const xmlChar *href)
{
  if (!href)
    return NULL;
  char *h = clean_href(href);
  if (!h || !*h) {
    free(h);
    return NULL;
  }
  char *r = h;
  if (base && *base) {
    xmlChar *b = xmlBuildURI(BAD_CAST h, BAD_CAST base);
    if (b) {
      r = strdup((const char *)b);
      xmlFree(b);
      free(h);
      if (!r)
        return NULL;
    }
  }
  /* what the IR schema's anyURI check will accept */
  xmlURIPtr u = xmlParseURI(r);
  if (!u) {
    free(r);
    return NULL;
  }
  xmlFreeURI(u);
  return r;
}

/* ------------------------------------------------------------ images */

struct cached {
  char *key;   /* real path, or NULL for data: URIs */
  char name[32];
};

struct html_images {
  struct cached *v;
  size_t n, cap;
  unsigned counter;
};

void html_images_free(html_images *c)
{
  if (!c)
    return;
  for (size_t i = 0; i < c->n; i++)
    free(c->v[i].key);
  free(c->v);
  free(c);
}

static const char *sniff(const unsigned char *d, size_t n, const char **ext)
{
  if (n >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0) {
    *ext = "png";
    return "image/png";
  }
  if (n >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF) {
    *ext = "jpg";
    return "image/jpeg";
  }
  if (n >= 6 && (memcmp(d, "GIF87a", 6) == 0 || memcmp(d, "GIF89a", 6) == 0)) {
    *ext = "gif";
    return "image/gif";
  }
  if (n >= 12 && memcmp(d, "RIFF", 4) == 0 && memcmp(d + 8, "WEBP", 4) == 0) {
    *ext = "webp";
    return "image/webp";
  }
  return NULL;
}

static int add_image(html_images *c, emc_doc *doc, const char *key,
                     const unsigned char *data, size_t size, const char **name,
                     emc_error *err)
{
  const char *ext;
  const char *mt = sniff(data, size, &ext);
  if (!mt)
    return EMC_ENOTSUP;
  if (emc_array_grow(&c->v, &c->cap, c->n + 1, sizeof *c->v))
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  struct cached *e = &c->v[c->n];
  e->key = NULL;
  if (key && !(e->key = strdup(key)))
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  /* a name not taken yet (another reader stage could have added some) */
  do
    snprintf(e->name, sizeof e->name, "image%u.%s", ++c->counter, ext);
  while (emc_doc_resource_find(doc, e->name));
  int rc = emc_doc_add_resource(doc, e->name, mt, data, size, err);
  if (rc) {
    free(e->key);
    return rc;
  }
  c->n++;
  *name = e->name;
  return EMC_OK;
}

static int b64(int c)
{
  if (c >= 'A' && c <= 'Z')
    return c - 'A';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 26;
  if (c >= '0' && c <= '9')
    return c - '0' + 52;
  if (c == '+' || c == '-')
    return 62;
  if (c == '/' || c == '_')
    return 63;
  return -1;
}

/* data:[type][;base64],payload */
static int data_uri(html_images *c, emc_ctx *ctx, emc_doc *doc, const char *s,
                    const char **name, emc_error *err)
{
  const char *comma = strchr(s, ',');
  if (!comma)
    return EMC_ENOTSUP;
  int is64 = 0;
  for (const char *p = s + 5; p < comma; p++)
    if (strncasecmp(p, ";base64", 7) == 0)
      is64 = 1;
  size_t n = strlen(comma + 1);
  if (n > emc_ctx_limits(ctx)->max_input_bytes)
    return EMC_ENOTSUP;
  unsigned char *d = malloc(n + 1);
  if (!d)
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  size_t k = 0;
  if (is64) {
    unsigned acc = 0;
    int bits = 0;
    for (const char *p = comma + 1; *p; p++) {
      if (*p == '%' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) { /* %2B etc. */
        char ch = (char)(hexval(p[1]) * 16 + hexval(p[2]));
        p += 2;
        int v = b64(ch);
        if (v < 0)
          continue;
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
      } else {
        int v = b64((unsigned char)*p);
        if (v < 0)
          continue; /* white space, '=' padding */
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
      }
      if (bits >= 8) {
        bits -= 8;
        d[k++] = (unsigned char)(acc >> bits);
        acc &= (1u << bits) - 1;
      }
    }
  } else
    for (const char *p = comma + 1; *p; p++) {
      if (*p == '%' && hexval(p[1]) >= 0 && hexval(p[2]) >= 0) {
        d[k++] = (unsigned char)(hexval(p[1]) * 16 + hexval(p[2]));
        p += 2;
      } else
        d[k++] = (unsigned char)*p;
    }
  int rc = add_image(c, doc, NULL, d, k, name, err);
  free(d);
  return rc;
}

/* SRC's path, percent-decoded and with "." and ".." resolved, or NULL
 * when it is absolute, holds a NUL or a backslash, or climbs out. */
static char *safe_relative_path(const char *src)
{
  size_t n = strcspn(src, "?#");
  char *p = malloc(n + 1);
  if (!p)
    return NULL;
  size_t k = 0;
  for (size_t i = 0; i < n; i++) {
    if (src[i] == '%' && i + 2 < n && hexval((unsigned char)src[i + 1]) >= 0 &&
        hexval((unsigned char)src[i + 2]) >= 0) {
      p[k++] = (char)(hexval((unsigned char)src[i + 1]) * 16 + hexval((unsigned char)src[i + 2]));
      i += 2;
    } else
      p[k++] = src[i];
  }
  p[k] = '\0';
  if (k == 0 || p[0] == '/' || memchr(p, '\0', k) || strchr(p, '\\')) {
    free(p);
    return NULL;
  }
  char *out = pathnorm_remove_dots(p);
  free(p);
  return out;
}

int html_image_add(html_images **cache, emc_doc *doc, const char *key,
                   const unsigned char *data, size_t len, const char **name,
                   emc_error *err)
{
  if (!*cache && !(*cache = calloc(1, sizeof **cache)))
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  html_images *c = *cache;
  for (size_t i = 0; i < c->n; i++)
    if (c->v[i].key && strcmp(c->v[i].key, key) == 0) {
      *name = c->v[i].name;
      return EMC_OK;
    }
  return add_image(c, doc, key, data, len, name, err);
}

int html_image_local(html_images **cache, emc_ctx *ctx, emc_doc *doc, const char *dir,
                     const xmlChar *src_raw, const char **name, emc_error *err)
{
  if (!*cache && !(*cache = calloc(1, sizeof **cache)))
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  html_images *c = *cache;
  const char *src = (const char *)src_raw;
  while (html_is_ws((unsigned char)*src))
    src++;
  if (strncasecmp(src, "data:", 5) == 0)
    return data_uri(c, ctx, doc, src, name, err);
  if (!dir || !*src || html_url_has_scheme(src) || src[0] == '/')
    return EMC_ENOTSUP;
  char *rel = safe_relative_path(src);
  if (!rel) {
    emc_ctx_warn(ctx, "image-omitted", "html: image '%s' is outside the input's directory; "
                "not embedded", src);
    return EMC_ENOTSUP;
  }
  size_t need = strlen(dir) + strlen(rel) + 2;
  char *full = malloc(need);
  if (!full) {
    free(rel);
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  }
  snprintf(full, need, "%s/%s", dir, rel);
  free(rel);
  char real[PATH_MAX], realdir[PATH_MAX];
  int ok = realpath(full, real) != NULL && realpath(dir, realdir) != NULL;
  free(full);
  if (!ok)
    return EMC_ENOTSUP; /* not there: the caller tries the base URL */
  size_t dl = strlen(realdir);
  if (!(strncmp(real, realdir, dl) == 0 && (real[dl] == '/' || (dl == 1 && realdir[0] == '/')))) {
    emc_ctx_warn(ctx, "image-omitted", "html: image '%s' leads outside the input's directory; "
                "not embedded", src);
    return EMC_ENOTSUP;
  }
  for (size_t i = 0; i < c->n; i++)
    if (c->v[i].key && strcmp(c->v[i].key, real) == 0) {
      *name = c->v[i].name;
      return EMC_OK;
    }
  /* O_NONBLOCK: opening a FIFO (or a device) for reading would wait for
   * a writer for ever; only after fstat() says "regular file" does the
   * descriptor go back to blocking reads (issue 32). */
  int fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
  if (fd < 0)
    return EMC_ENOTSUP;
  struct stat st;
  size_t max = emc_ctx_limits(ctx)->max_input_bytes;
  int flags;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
      (unsigned long long)st.st_size > max || (flags = fcntl(fd, F_GETFL)) < 0 ||
      fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) < 0) {
    close(fd);
    emc_ctx_warn(ctx, "image-omitted", "html: image '%s' is not a regular file of a usable size; "
                "not embedded", src);
    return EMC_ENOTSUP;
  }
  size_t size = (size_t)st.st_size, got = 0;
  unsigned char *data = malloc(size);
  if (!data) {
    close(fd);
    return emc_error_set(err, EMC_ENOMEM, "out of memory");
  }
  while (got < size) {
    ssize_t r = read(fd, data + got, size - got);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      break;
    got += (size_t)r;
  }
  close(fd);
  int rc = got == size ? add_image(c, doc, real, data, size, name, err) : EMC_ENOTSUP;
  free(data);
  if (rc == EMC_ENOTSUP)
    emc_ctx_warn(ctx, "image-omitted", "html: image '%s' is not PNG, JPEG, GIF or WebP; "
                "not embedded", src);
  return rc;
}
