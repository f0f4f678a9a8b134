"""Tools for developers and demos: fake offices, fake lists and benchmarks.

Shipped because `main.py demo` and `main.py bench` use them; nothing in the app proper imports
from here.
"""
