"""The openpyxl writer (and reader) of the standard workbook."""
