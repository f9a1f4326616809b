from yuanqu.registry import register_search as register

from .models import KeyProject

register(KeyProject, ["code", "name", "liaison"])
