"""Kept so `from core import demo_data; demo_data.generate()` still works: the generator is core/demo/."""

from core.demo import generate

__all__ = ["generate"]
