# SPDX-License-Identifier: MIT
# The docx reader (Office Open XML WordprocessingML); built only with libzip.
if HAVE_LIBZIP
plugin_LTLIBRARIES += plugins/docx.la
plugins_docx_la_SOURCES = plugins/docx/docx.c plugins/docx/docx-pkg.c \
  plugins/docx/docx-styles.c plugins/docx/docx-body.c plugins/docx/docx.h
plugins_docx_la_CFLAGS = $(AM_CFLAGS) $(LIBZIP_CFLAGS)
plugins_docx_la_LDFLAGS = $(EMC_MODULE_FLAGS)
plugins_docx_la_LIBADD = plugins/common/libzipread.la plugins/common/libxmlsafe.la \
  plugins/common/libpathnorm.la core/libemuconv.la $(LIBXML2_LIBS) $(LIBZIP_LIBS)
TESTS += tests/cli/t1200-docx.tap tests/cli/t1210-docx-oom.tap tests/cli/t1220-docx-word.tap
EXTRA_DIST += tests/cli/t1210-docx-oom.tap tests/cli/t1220-docx-word.tap \
  tests/data/docx/make-word-cases.py
EXTRA_DIST += tests/cli/t1200-docx.tap tests/data/docx/make-fixtures.py \
  tests/data/docx/make-bench.py \
  tests/data/docx/lo-structure.docx tests/data/docx/lo-hindi.docx \
  tests/data/docx/lo-indonesian.docx tests/data/docx/pd-localized.docx \
  tests/data/docx/pd-revisions.docx
endif
