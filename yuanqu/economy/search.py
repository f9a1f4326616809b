from yuanqu.registry import register_search as register

from .models import Indicator

register(Indicator, ["code", "name"])
