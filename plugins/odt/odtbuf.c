/* SPDX-License-Identifier: MIT */
/* odtbuf.c - the odt writer's output buffer and XML escaping. */
#include <config.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "odt.h"

void odt_buf_release(odt_buf *b)
{
  emc_buf_release(&b->buf);
}

int odt_buf_reserve(odt_buf *b, size_t more)
{
  if (b->oom)
    return -1;
  if (more < b->buf.cap - b->buf.len) /* the NUL needs one more */
    return 0;
  if (b->sink && b->buf.len >= ODT_SINK_AT) {
    if (odt_buf_flush(b))
      return -1;
    if (more < b->buf.cap)
      return 0;
  }
  if (emc_buf_reserve(&b->buf, more)) {
    b->oom = 1;
    return -1;
  }
  return 0;
}

void odt_put(odt_buf *b, const char *s, size_t len)
{
  if (len && !odt_buf_reserve(b, len))
    emc_buf_append(&b->buf, s, len); /* fits: reserved */
}

void odt_puts(odt_buf *b, const char *s)
{
  odt_put(b, s, strlen(s));
}

void odt_printf(odt_buf *b, const char *fmt, ...)
{
  char small[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(small, sizeof small, fmt, ap);
  va_end(ap);
  if (n < 0) {
    b->oom = 1;
    return;
  }
  if ((size_t)n < sizeof small) {
    odt_put(b, small, (size_t)n);
    return;
  }
  if (odt_buf_reserve(b, (size_t)n))
    return;
  va_start(ap, fmt);
  if (emc_buf_vprintf(&b->buf, fmt, ap))
    b->oom = 1;
  va_end(ap);
}

int odt_buf_flush(odt_buf *b)
{
  if (b->oom)
    return -1;
  if (b->sink && b->buf.len) {
    if (b->sink(b->sink_user, b->buf.data, b->buf.len)) {
      b->oom = b->sink_failed = 1;
      return -1;
    }
    emc_buf_clear(&b->buf);
  }
  return 0;
}

/* Length of the run at S that needs no escaping: stops at markup
 * characters, at C0 controls and at 0xEF (the lead byte of U+FFFE and
 * U+FFFF, which XML forbids). */
static size_t plain_run(const unsigned char *s, size_t len, int attr)
{
  size_t i = 0;
  for (; i < len; i++) {
    unsigned char c = s[i];
    if (c < 0x20 || c == '&' || c == '<' || c == '>' || c == 0xEF || (attr && c == '"'))
      break;
  }
  return i;
}

static void escape(odt_buf *b, const char *str, size_t len, int attr)
{
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0;
  while (i < len) {
    size_t run = plain_run(s + i, len - i, attr);
    odt_put(b, (const char *)s + i, run);
    i += run;
    if (i >= len)
      break;
    unsigned char c = s[i];
    switch (c) {
    case '&': odt_put(b, "&amp;", 5); break;
    case '<': odt_put(b, "&lt;", 4); break;
    case '>': odt_put(b, "&gt;", 4); break;
    case '"': odt_put(b, "&quot;", 6); break;
    case '\t': attr ? odt_put(b, "&#9;", 4) : odt_put(b, "\t", 1); break;
    case '\n': attr ? odt_put(b, "&#10;", 5) : odt_put(b, "\n", 1); break;
    case '\r': attr ? odt_put(b, "&#13;", 5) : odt_put(b, "\r", 1); break;
    case 0xEF:
      if (i + 2 < len && s[i + 1] == 0xBF && (s[i + 2] == 0xBE || s[i + 2] == 0xBF)) {
        i += 3; /* U+FFFE, U+FFFF: not XML characters */
        continue;
      }
      odt_put(b, (const char *)s + i, 1);
      break;
    default: /* other C0 controls: not XML 1.0 characters */
      break;
    }
    i++;
  }
}

void odt_text(odt_buf *b, const char *s, size_t len)
{
  escape(b, s, len, 0);
}

void odt_attr(odt_buf *b, const char *name, const char *value)
{
  odt_put(b, " ", 1);
  odt_puts(b, name);
  odt_put(b, "=\"", 2);
  escape(b, value, strlen(value), 1);
  odt_put(b, "\"", 1);
}
