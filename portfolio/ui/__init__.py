"""The window (PySide6). Importing this package imports PySide6 without shiboken's feature layer.

Importing PySide6 replaces ``builtins.__import__`` with ``__feature_import__``, which serves
``from __feature__ import snake_case, true_property`` (opt-in renamings of Qt's API that this
app never uses): after every import it reads the source of the module imported
(``inspect.getsource``, into ``linecache``) to see whether it mentions PySide6. The import it
replaced stays in ``builtins.__orig_import__`` (PySide6's own lazy loading of Qt classes);
putting that back leaves PySide6 as it runs on PyPy, where the layer is never installed: later
imports cost what they did before Qt and no module's source is held in memory.
``tests/ui/test_startup.py`` holds that nothing here selects a feature.
"""

import builtins

import PySide6  # noqa: F401  (installs the layer)

if getattr(builtins.__import__, "__name__", "") == "__feature_import__":
    builtins.__import__ = getattr(builtins, "__orig_import__", builtins.__import__)
