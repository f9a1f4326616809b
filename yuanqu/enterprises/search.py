from yuanqu.registry import register_search as register

from .models import Enterprise

register(Enterprise, ["name", "short_name", "uscc", "address"])
