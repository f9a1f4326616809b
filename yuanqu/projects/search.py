from yuanqu.core.search import register

from .models import KeyProject

register(KeyProject, ["code", "name", "liaison"])
