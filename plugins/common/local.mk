# SPDX-License-Identifier: MIT
# Shared by the zip-package writers (epub, odt): a convenience library,
# not part of the plugin ABI.  A streaming ZIP writer on zlib alone: libzip
# (and what it pulls in: libcrypto, libbz2, liblzma) is for the docx
# reader, which reads untrusted archives.
if HAVE_ZLIB
noinst_LTLIBRARIES += plugins/common/libzippkg.la
plugins_common_libzippkg_la_SOURCES = plugins/common/zippkg.c plugins/common/zippkg.h
plugins_common_libzippkg_la_CFLAGS = $(AM_CFLAGS) $(ZLIB_CFLAGS)
plugins_common_libzippkg_la_LIBADD = $(ZLIB_LIBS)
endif

# Image type, soundness and natural size from the bytes, for the writers
# that embed images (epub, odt): zlib for PNG's CRCs, libxml2 for SVG.
if HAVE_ZLIB
noinst_LTLIBRARIES += plugins/common/libimgcheck.la
plugins_common_libimgcheck_la_SOURCES = plugins/common/imgcheck.c plugins/common/imgcheck.h
plugins_common_libimgcheck_la_CFLAGS = $(AM_CFLAGS) $(ZLIB_CFLAGS) $(LIBXML2_CFLAGS)
plugins_common_libimgcheck_la_LIBADD = $(ZLIB_LIBS) $(LIBXML2_LIBS)
endif

# Dot segments out of relative paths from untrusted input (docx part
# names, html local images).
noinst_LTLIBRARIES += plugins/common/libpathnorm.la
plugins_common_libpathnorm_la_SOURCES = plugins/common/pathnorm.c plugins/common/pathnorm.h

# BCP 47 tags and checker-proof URLs, for the writers of web formats
# (epub, html).
noinst_LTLIBRARIES += plugins/common/libwebtext.la
plugins_common_libwebtext_la_SOURCES = plugins/common/webtext.c plugins/common/webtext.h

# Untrusted XML (no DTD, no network, bounded depth): the odt and tei
# readers.
noinst_LTLIBRARIES += plugins/common/libxmlsafe.la
plugins_common_libxmlsafe_la_SOURCES = plugins/common/xmlsafe.c plugins/common/xmlsafe.h
plugins_common_libxmlsafe_la_CFLAGS = $(AM_CFLAGS) $(LIBXML2_CFLAGS)
plugins_common_libxmlsafe_la_LIBADD = $(LIBXML2_LIBS)

# An untrusted zip package under the limits (libzip): the odt reader.
if HAVE_LIBZIP
noinst_LTLIBRARIES += plugins/common/libzipread.la
plugins_common_libzipread_la_SOURCES = plugins/common/zipread.c plugins/common/zipread.h
plugins_common_libzipread_la_CFLAGS = $(AM_CFLAGS) $(LIBZIP_CFLAGS)
plugins_common_libzipread_la_LIBADD = $(LIBZIP_LIBS)
endif

# The visible front matter (title block) and the metadata warnings of the
# writers (tei, epub, odt): localised dates, language names.
noinst_LTLIBRARIES += plugins/common/libfrontmatter.la
plugins_common_libfrontmatter_la_SOURCES = plugins/common/frontmatter.c plugins/common/frontmatter.h
plugins_common_libfrontmatter_la_LIBADD = $(LIBXML2_LIBS)
# What the writers carry of the metadata and show of it (issue 30): every
# key in each writer, localised dates, the derived-title line.
if HAVE_ZLIB
TESTS += tests/cli/t3500-metadata.tap
EXTRA_DIST += tests/cli/t3500-metadata.tap
endif

# Header-only: the date and time every writer takes (tracked changes).
EXTRA_DIST += plugins/common/datetime.h
