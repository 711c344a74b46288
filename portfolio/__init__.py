"""GPC Portfolio: evidence of the GMC Generic Professional Capabilities, kept offline."""

__version__ = "0.1.0"
