# SPDX-License-Identifier: MIT
# The epub writer (EPUB 3 with an EPUB 2 NCX) and reader (EPUB 2 and 3); built only with zlib
# (plugins/common/zippkg.c).
if HAVE_ZLIB
plugin_LTLIBRARIES += plugins/epub.la
plugins_epub_la_SOURCES = plugins/epub/epub.c plugins/epub/epub-body.c \
  plugins/epub/epub-util.c plugins/epub/epub-css.c plugins/epub/epub-a11y.c \
  plugins/epub/epub.h
plugins_epub_la_CFLAGS = $(AM_CFLAGS) $(ZLIB_CFLAGS)
plugins_epub_la_LDFLAGS = $(EMC_MODULE_FLAGS)
plugins_epub_la_LIBADD = plugins/common/libzippkg.la plugins/common/libimgcheck.la \
  plugins/common/libwebtext.la plugins/common/libfrontmatter.la \
  core/libemuconv.la \
  $(LIBXML2_LIBS) $(ZLIB_LIBS)
# The reader (epub-read.c): the package through zipread (libzip), the
# documents through the html reader's stages (plugins/html/libhtmlread).
if HAVE_LIBZIP
plugins_epub_la_SOURCES += plugins/epub/epub-read.c
plugins_epub_la_CFLAGS += -DEPUB_READER $(LIBZIP_CFLAGS) $(JSONC_CFLAGS)
plugins_epub_la_LIBADD += plugins/html/libhtmlread.la plugins/common/libzipread.la \
  plugins/common/libxmlsafe.la $(LIBZIP_LIBS) $(JSONC_LIBS)
TESTS += tests/cli/t2400-epub-read.tap
endif
TESTS += tests/cli/t2100-epub.tap tests/cli/t0610-parallel.tap tests/cli/t2150-ace.tap tests/cli/t2160-epub-a11y.tap
EXTRA_DIST += tests/cli/t2100-epub.tap tests/data/rich.ir.xml tests/cli/t2150-ace.tap \
  tests/cli/t2160-epub-a11y.tap
endif
EXTRA_DIST += tests/cli/t2400-epub-read.tap
