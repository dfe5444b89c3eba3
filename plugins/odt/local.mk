# The odt writer (see its issue); built only with libzip.
