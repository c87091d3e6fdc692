"""deploy/local by job: the modules behind stack.py, services.py and mirror.py.

Standard library only (it runs before any virtualenv exists). Not installed: stack.py and
services.py import it from beside them, also when a fixture loads them by path.
"""
