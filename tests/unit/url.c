/* SPDX-License-Identifier: MIT */
/* tests/unit/url.c - emc_url_is_safe: the link allow-list (issue 32). */
#include <config.h>
#include <stdio.h>
#include "emuconv/url.h"
#include "../tap.h"

static const struct {
  const char *url;
  int safe;
} cases[] = {
  { "http://example.org/", 1 },
  { "HTTPS://example.org/a?b#c", 1 },
  { "ftp://example.org/f", 1 },
  { "MailTo:someone@example.org", 1 },
  { "#section-2", 1 },
  { "chapter2.html#x", 1 },
  { "a-very-long-relative-file-name.html", 1 },
  { "../up/one", 1 },
  { "//example.org/protocol-relative", 1 },
  { "?query", 1 },
  { "", 1 },
  { "1:not-a-scheme", 1 },
  { ":colon-first", 1 },
  { "javascript:alert(1)", 0 },
  { "JaVaScRiPt:alert(1)", 0 },
  { "  \t javascript:alert(1)", 0 },
  { "\x01\x1f javascript:alert(1)", 0 },
  { "java\tscript:alert(1)", 0 },
  { "java\nscript:alert(1)", 0 },
  { "jav\r\nascript:alert(1)", 0 },
  { "vbscript:msgbox", 0 },
  { "data:text/html,<script>", 0 },
  { "file:///etc/passwd", 0 },
  { "FILE:///etc/passwd", 0 },
  { "tel:+1", 0 },
  { "averyveryverylongscheme:x", 0 },
  { "http\t:x", 1 },
  { "ht\ntp://example.org/", 1 },
  { NULL, 0 },
};

int main(void)
{
  size_t n = sizeof cases / sizeof cases[0];
  plan((int)n);
  for (size_t i = 0; i < n; i++) {
    char shown[64] = "(null)"; /* controls as '?': a newline would end the TAP line */
    if (cases[i].url) {
      snprintf(shown, sizeof shown, "%s", cases[i].url);
      for (char *c = shown; *c; c++)
        if ((unsigned char)*c < ' ')
          *c = '?';
    }
    ok(emc_url_is_safe(cases[i].url) == cases[i].safe, "%s '%s'", cases[i].safe ? "safe" : "refused",
       shown);
  }
  return done_testing();
}
