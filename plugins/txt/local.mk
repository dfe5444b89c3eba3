# SPDX-License-Identifier: MIT
plugin_LTLIBRARIES += plugins/txt.la
plugins_txt_la_SOURCES = plugins/txt/txt.c plugins/txt/layout.c plugins/txt/layout.h \
  plugins/txt/layout-tables.c
plugins_txt_la_LDFLAGS = $(EMC_MODULE_FLAGS)
plugins_txt_la_LIBADD = filters/common/libfilterutil.la core/libemuconv.la $(LIBXML2_LIBS)
