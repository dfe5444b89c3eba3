# SPDX-License-Identifier: MIT
# The odt writer (OpenDocument Text 1.3); built only with zlib
# (plugins/common/zippkg.c).
if HAVE_ZLIB
plugin_LTLIBRARIES += plugins/odt.la
plugins_odt_la_SOURCES = plugins/odt/odt.c plugins/odt/odtbuf.c \
  plugins/odt/odtstyles.c plugins/odt/odtfonts.c plugins/odt/odtrefdoc.c plugins/odt/odt.h
plugins_odt_la_CFLAGS = $(AM_CFLAGS) $(ZLIB_CFLAGS)
plugins_odt_la_LDFLAGS = $(EMC_MODULE_FLAGS)
plugins_odt_la_LIBADD = plugins/common/libzippkg.la plugins/common/libimgcheck.la plugins/common/libfrontmatter.la \
  core/libemuconv.la \
  $(LIBXML2_LIBS)
# The reader: libzip for the package (plugins/common/zipread), xmlsafe for
# its parts; --reference-doc reads the template with libzip too.
if HAVE_LIBZIP
plugins_odt_la_SOURCES += plugins/odt/odt-read.c
plugins_odt_la_CFLAGS += -DODT_READER -DODT_HAVE_LIBZIP $(LIBZIP_CFLAGS)
plugins_odt_la_LIBADD += plugins/common/libzipread.la plugins/common/libxmlsafe.la $(LIBZIP_LIBS)
TESTS += tests/cli/t1310-odt-libreoffice.tap tests/cli/t1320-hostile-odt-tei.tap \
  tests/cli/t1330-odt-tei-to-epub.tap
endif
EXTRA_DIST += tests/cli/t1310-odt-libreoffice.tap tests/cli/t1320-hostile-odt-tei.tap \
  tests/cli/t1330-odt-tei-to-epub.tap
# A document with images and odd white space, which no reader makes yet.
check_PROGRAMS += plugins/odt/odt-sample
plugins_odt_odt_sample_SOURCES = plugins/odt/odt-sample.c
plugins_odt_odt_sample_LDADD = core/libemuconv.la $(LIBXML2_LIBS)
TESTS += tests/cli/t2200-odt.tap tests/cli/t2210-odt-fonts.tap
EXTRA_DIST += tests/cli/t2200-odt.tap tests/cli/t2210-odt-fonts.tap
if HAVE_LIBZIP
TESTS += tests/cli/t2220-odt-reference-doc.tap
endif
EXTRA_DIST += tests/cli/t2220-odt-reference-doc.tap
endif
