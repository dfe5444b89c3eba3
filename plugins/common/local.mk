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

# Header-only: the date and time every writer takes (tracked changes).
EXTRA_DIST += plugins/common/datetime.h
