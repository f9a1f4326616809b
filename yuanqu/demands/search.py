from yuanqu.registry import register_search as register

from .models import Demand

register(Demand, ["number", "title", "external_number"])
