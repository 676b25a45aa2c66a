"""xlcoop: one standard, formula-driven Excel business case for Dutch housing cooperatives."""

from xlcoop.layout import TEMPLATE_VERSION

__version__ = "0.1.0"
__all__ = ["TEMPLATE_VERSION", "__version__"]
