from yuanqu.registry import register_search as register

from .models import Lead

register(Lead, ["name", "investor"])
