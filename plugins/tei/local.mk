# SPDX-License-Identifier: MIT
plugin_LTLIBRARIES += plugins/tei.la
plugins_tei_la_SOURCES = plugins/tei/tei.c plugins/tei/tei-read.c plugins/tei/tei-read.h
plugins_tei_la_LDFLAGS = $(EMC_MODULE_FLAGS)
plugins_tei_la_LIBADD = plugins/common/libxmlsafe.la plugins/common/libfrontmatter.la \
  core/libemuconv.la $(LIBXML2_LIBS)
