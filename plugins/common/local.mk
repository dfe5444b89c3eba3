# Shared by the zip-package writers (epub, odt): a convenience library,
# not part of the plugin ABI.
if HAVE_LIBZIP
noinst_LTLIBRARIES += plugins/common/libzippkg.la
plugins_common_libzippkg_la_SOURCES = plugins/common/zippkg.c plugins/common/zippkg.h
plugins_common_libzippkg_la_CFLAGS = $(AM_CFLAGS) $(LIBZIP_CFLAGS)
plugins_common_libzippkg_la_LIBADD = $(LIBZIP_LIBS)
endif
