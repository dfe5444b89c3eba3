# SPDX-License-Identifier: MIT
# Built only with libexttextcat (configure --without-textcat leaves it
# out); its test is distributed either way and skips without the filter.
if HAVE_TEXTCAT
filter_LTLIBRARIES += filters/language.la
filters_language_la_SOURCES = filters/language/language.c
filters_language_la_CPPFLAGS = $(AM_CPPFLAGS) $(EXTTEXTCAT_CFLAGS)
filters_language_la_LDFLAGS = $(EMC_MODULE_FLAGS)
filters_language_la_LIBADD = filters/common/libfilterutil.la core/libemuconv.la $(LIBXML2_LIBS) $(EXTTEXTCAT_LIBS)
endif
EXTRA_DIST += filters/language/language.c
TESTS += tests/cli/t3200-language.tap
EXTRA_DIST += tests/cli/t3200-language.tap
