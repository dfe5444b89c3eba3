/* SPDX-License-Identifier: MIT */
/* pathnorm.c - plugins/common/pathnorm: dot segments out of relative
 * paths (the docx reader's part names, the html reader's local images). */
#include <config.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../tap.h"
#include "../../plugins/common/pathnorm.h"

static const struct {
  const char *in, *want; /* WANT NULL: refused */
} cases[] = {
  { "word/document.xml", "word/document.xml" },
  { "word/../word/media/image1.png", "word/media/image1.png" },
  { "word/./media//image1.png", "word/media/image1.png" },
  { "word/media/../../customXml/item1.xml", "customXml/item1.xml" },
  { "a/b/c/../../d/", "a/d" },
  { "...", "..." },
  { "..x/.y", "..x/.y" },
  { "../secret", NULL },
  { "a/../../secret", NULL },
  { "a/..", NULL },
  { "./", NULL },
  { "", NULL },
  { "/a/b", "a/b" },
};

int main(void)
{
  size_t n = sizeof cases / sizeof cases[0];
  plan((int)n);
  for (size_t i = 0; i < n; i++) {
    char *got = pathnorm_remove_dots(cases[i].in);
    if (cases[i].want)
      is_str(got, cases[i].want, "\"%s\" -> \"%s\"", cases[i].in, cases[i].want);
    else
      ok(!got, "\"%s\" refused (got \"%s\")", cases[i].in, got ? got : "NULL");
    free(got);
  }
  return done_testing();
}
