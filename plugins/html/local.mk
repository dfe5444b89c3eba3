# SPDX-License-Identifier: MIT
# The html reader (HTML, XHTML, tag soup; the article, not the page) and
# the html writer (one standalone HTML5 page; html-write.c).
# The reading stages, shared with the epub reader (a book's documents go
# through the same builder): a convenience library linked into both.
noinst_LTLIBRARIES += plugins/html/libhtmlread.la
plugins_html_libhtmlread_la_SOURCES = plugins/html/html-page.c plugins/html/html-decode.c \
  plugins/html/html-analyse.c plugins/html/html-meta.c plugins/html/html-build.c \
  plugins/html/html-url.c plugins/html/html-jsonld.c plugins/html/html-date.c \
  plugins/html/html-score.c plugins/html/html.h
plugins_html_libhtmlread_la_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS)
plugins_html_libhtmlread_la_LIBADD = plugins/common/libpathnorm.la $(LIBXML2_LIBS) $(JSONC_LIBS)

plugin_LTLIBRARIES += plugins/html.la
plugins_html_la_SOURCES = plugins/html/html.c plugins/html/html.h \
  plugins/html/html-write.c plugins/html/html-write-css.c plugins/html/html-write.h
plugins_html_la_LDFLAGS = $(EMC_MODULE_FLAGS)
plugins_html_la_CFLAGS = $(AM_CFLAGS) $(JSONC_CFLAGS)
plugins_html_la_LIBADD = plugins/html/libhtmlread.la plugins/common/libwebtext.la \
  core/libemuconv.la $(LIBXML2_LIBS) $(JSONC_LIBS)
# the writer judges images by their bytes where zlib is (PNG CRCs);
# without it, by the media type the reader gave
if HAVE_ZLIB
plugins_html_la_CFLAGS += -DHTML_WRITE_IMGCHECK
plugins_html_la_LIBADD += plugins/common/libimgcheck.la $(ZLIB_LIBS)
endif
TESTS += tests/cli/t1100-html.tap tests/cli/t1110-html-extract.tap
EXTRA_DIST += tests/cli/t1100-html.tap tests/cli/t1110-html-extract.tap
