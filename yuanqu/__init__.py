"""yuanqu (园区): operations platform for a development zone's administrative committee."""

__version__ = "0.1.0"
