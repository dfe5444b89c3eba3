# SPDX-License-Identifier: MIT
plugin_LTLIBRARIES += plugins/ir.la
plugins_ir_la_SOURCES = plugins/ir/ir.c
plugins_ir_la_LDFLAGS = $(EMC_MODULE_FLAGS)
plugins_ir_la_LIBADD = core/libemuconv.la $(LIBXML2_LIBS)
