"""Torch7 serialization: File objects (file.py) and the .t7 object grammar (t7.py)."""
