# SPDX-License-Identifier: MIT
# Filter modules: one directory each, all built flat into filters/.
include filters/normalize-space/local.mk
include filters/common/local.mk
include filters/govtext/local.mk
include filters/references/local.mk
include filters/language/local.mk
