# SPDX-License-Identifier: MIT
filter_LTLIBRARIES += filters/normalize-space.la
filters_normalize_space_la_SOURCES = filters/normalize-space/normalize-space.c
filters_normalize_space_la_LDFLAGS = $(EMC_MODULE_FLAGS)
filters_normalize_space_la_LIBADD = core/libemuconv.la $(LIBXML2_LIBS)
