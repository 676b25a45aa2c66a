"""Recalculation engines for .xlsx workbooks (LibreOffice headless, Python `formulas`)."""
