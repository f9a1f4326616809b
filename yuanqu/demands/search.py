from yuanqu.core.search import register

from .models import Demand

register(Demand, ["number", "title", "external_number"])
