# Filter modules: one directory each, all built flat into filters/.
include filters/normalize-space/local.mk
