# SPDX-License-Identifier: MIT
# The epub writer (EPUB 3 with an EPUB 2 NCX); built only with zlib
# (plugins/common/zippkg.c).
if HAVE_ZLIB
plugin_LTLIBRARIES += plugins/epub.la
plugins_epub_la_SOURCES = plugins/epub/epub.c plugins/epub/epub-body.c \
  plugins/epub/epub-util.c plugins/epub/epub-css.c plugins/epub/epub.h
plugins_epub_la_CFLAGS = $(AM_CFLAGS) $(ZLIB_CFLAGS)
plugins_epub_la_LDFLAGS = $(EMC_MODULE_FLAGS)
plugins_epub_la_LIBADD = plugins/common/libzippkg.la plugins/common/libimgcheck.la plugins/common/libfrontmatter.la \
  core/libemuconv.la \
  $(LIBXML2_LIBS) $(ZLIB_LIBS)
TESTS += tests/cli/t2100-epub.tap tests/cli/t0610-parallel.tap
EXTRA_DIST += tests/cli/t2100-epub.tap tests/data/rich.ir.xml
endif
