from yuanqu.core.search import register

from .models import Enterprise

register(Enterprise, ["name", "short_name", "uscc", "address"])
