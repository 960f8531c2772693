"""Keeping storage and database consistent: the temp sweep (worker start and beat) and
``automat storage check`` (files with no row, rows with no file)."""
