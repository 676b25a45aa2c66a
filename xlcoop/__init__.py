"""xlcoop: one standard, formula-driven Excel business case for Dutch housing cooperatives.

Importing the package loads nothing else (the template version is ``xlcoop.layout``'s)."""

__version__ = "0.1.0"
__all__ = ["__version__"]
