# SPDX-License-Identifier: MIT
# The html reader (HTML, XHTML, tag soup; the article, not the page).
plugin_LTLIBRARIES += plugins/html.la
plugins_html_la_SOURCES = plugins/html/html.c plugins/html/html-decode.c \
  plugins/html/html-analyse.c plugins/html/html-meta.c plugins/html/html-build.c \
  plugins/html/html-url.c plugins/html/html-jsonld.c plugins/html/html-date.c \
  plugins/html/html-score.c \
  plugins/html/html.h
plugins_html_la_LDFLAGS = $(EMC_MODULE_FLAGS)
plugins_html_la_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS)
plugins_html_la_LIBADD = plugins/common/libpathnorm.la core/libemuconv.la $(LIBXML2_LIBS) $(JSONC_LIBS)
TESTS += tests/cli/t1100-html.tap tests/cli/t1110-html-extract.tap
EXTRA_DIST += tests/cli/t1100-html.tap tests/cli/t1110-html-extract.tap
