from yuanqu.core.search import register

from .models import Lead

register(Lead, ["name", "investor"])
