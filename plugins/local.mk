# SPDX-License-Identifier: MIT
# Format modules: one directory each, all built flat into plugins/.
include plugins/common/local.mk
include plugins/txt/local.mk
include plugins/docx/local.mk
include plugins/ir/local.mk
include plugins/html/local.mk
include plugins/tei/local.mk
include plugins/epub/local.mk
include plugins/odt/local.mk
