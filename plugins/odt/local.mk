# SPDX-License-Identifier: MIT
# The odt writer (OpenDocument Text 1.3); built only with zlib
# (plugins/common/zippkg.c).
if HAVE_ZLIB
plugin_LTLIBRARIES += plugins/odt.la
plugins_odt_la_SOURCES = plugins/odt/odt.c plugins/odt/odtbuf.c \
  plugins/odt/odtstyles.c plugins/odt/odtfonts.c plugins/odt/odtrefdoc.c plugins/odt/odt.h
plugins_odt_la_CFLAGS = $(AM_CFLAGS) $(ZLIB_CFLAGS)
plugins_odt_la_LDFLAGS = $(EMC_MODULE_FLAGS)
plugins_odt_la_LIBADD = plugins/common/libzippkg.la plugins/common/libimgcheck.la \
  core/libemuconv.la \
  $(LIBXML2_LIBS)
# --reference-doc reads the template with libzip when there is one.
if HAVE_LIBZIP
plugins_odt_la_CFLAGS += $(LIBZIP_CFLAGS) -DODT_HAVE_LIBZIP
plugins_odt_la_LIBADD += $(LIBZIP_LIBS)
endif
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
