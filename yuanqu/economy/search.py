from yuanqu.core.search import register

from .models import Indicator

register(Indicator, ["code", "name"])
