# The epub writer (see its issue); built only with libzip.
