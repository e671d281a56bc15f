"""Plugins: passes and dialects from installed packages and from modules on disk.

- Entry points in the group `tflc.passes` (name = pass name, value = a ModulePass
  subclass or a function returning one) and `tflc.dialects` (name = dialect name,
  value = a Dialect or a function returning one).
- xDSL's `xdsl.universe` entry points (a `Universe` with `all_passes` and
  `all_dialects`), so a package written for xdsl-opt works in tflc-opt unchanged;
  xDSL's own universe is left out (tflc registers the xDSL passes it uses).
- `load_plugin("my_passes")` / `load_plugin("path/to/my_passes.py")` (tflc-opt
  `--load-pass-plugin`): imports the module and registers the ModulePass subclasses
  and Dialects it defines, plus any `xdsl.universe.Universe` at its top level.

Entry points are read once per process, when a pass or dialect is first looked up.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tflc.errors import TflcError

PASS_GROUP = "tflc.passes"
DIALECT_GROUP = "tflc.dialects"
XDSL_GROUP = "xdsl.universe"
_XDSL_OWN = "xdsl"

_loaded = False
BROKEN: list[str] = []
"""Plugins whose entry point failed to load (listed by `tflc-opt --list-passes`)."""


class PluginError(TflcError):
    """A plugin that cannot be loaded (missing module, nothing to register, name clash)."""


def _pass_factory(obj: Any, where: str) -> Callable[[], type]:
    """A lazy factory for a pass given as a class or as a function returning the class."""
    from xdsl.passes import ModulePass

    def factory() -> type:
        value = obj.load() if hasattr(obj, "load") and hasattr(obj, "group") else obj
        if not (isinstance(value, type) and issubclass(value, ModulePass)):
            value = value() if callable(value) else value
        if not (isinstance(value, type) and issubclass(value, ModulePass)):
            raise PluginError(f"{where}: expected a ModulePass subclass (or a function returning one), got {value!r}")
        return value

    return factory


def _dialect_factory(obj: Any, where: str) -> Callable[[], Any]:
    from xdsl.ir import Dialect

    def factory() -> Any:
        value = obj.load() if hasattr(obj, "load") and hasattr(obj, "group") else obj
        if not isinstance(value, Dialect):
            value = value() if callable(value) else value
        if not isinstance(value, Dialect):
            raise PluginError(f"{where}: expected an xDSL Dialect (or a function returning one), got {value!r}")
        return value

    return factory


def _register_universe(universe: Any, where: str) -> None:
    from tflc.dialects import DIALECTS
    from tflc.passes import PASSES

    for name, factory in getattr(universe, "all_passes", {}).items():
        PASSES.setdefault(name, factory)
    for name, factory in getattr(universe, "all_dialects", {}).items():
        DIALECTS.setdefault(name, factory)


def load_entry_points() -> None:
    """Register the passes and dialects installed packages declare (once per process)."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    from importlib.metadata import entry_points

    from tflc.dialects import DIALECTS
    from tflc.passes import PASSES

    for ep in entry_points(group=PASS_GROUP):
        PASSES.setdefault(ep.name, _pass_factory(ep, f"entry point {ep.name} = {ep.value}"))
    for ep in entry_points(group=DIALECT_GROUP):
        DIALECTS.setdefault(ep.name, _dialect_factory(ep, f"entry point {ep.name} = {ep.value}"))
    for ep in entry_points(group=XDSL_GROUP):
        if ep.name == _XDSL_OWN and ep.value.startswith("xdsl."):
            continue
        try:
            universe = ep.load()
        except Exception as err:  # a broken third-party package must not break tflc: note it
            BROKEN.append(f"xdsl.universe entry point {ep.name} = {ep.value}: {type(err).__name__}: {err}")
            continue
        _register_universe(universe, f"xdsl.universe entry point {ep.name}")


def _import(spec: str) -> Any:
    path = Path(spec)
    if spec.endswith(".py") or path.is_file():
        if not path.is_file():
            raise PluginError(f"--load-pass-plugin {spec}: no such file")
        name = f"tflc_plugin_{path.stem}"
        module_spec = importlib.util.spec_from_file_location(name, path)
        assert module_spec is not None and module_spec.loader is not None
        module = importlib.util.module_from_spec(module_spec)
        sys.modules[name] = module
        module_spec.loader.exec_module(module)
        return module
    try:
        return importlib.import_module(spec)
    except ModuleNotFoundError as err:
        raise PluginError(
            f"--load-pass-plugin {spec}: no module named '{err.name}' (give an importable module or a .py file)"
        ) from None


def load_plugin(spec: str) -> list[str]:
    """Import a plugin module (name or .py path) and register what it defines; the names registered."""
    from xdsl.ir import Dialect
    from xdsl.passes import ModulePass
    from xdsl.universe import Universe

    from tflc.dialects import DIALECTS
    from tflc.passes import PASSES

    load_entry_points()
    before = set(PASSES) | set(DIALECTS)
    module = _import(spec)
    for _, value in inspect.getmembers(module):
        if isinstance(value, type) and issubclass(value, ModulePass) and value.__module__ == module.__name__:
            name = getattr(value, "name", None)
            if isinstance(name, str) and name not in PASSES:
                PASSES[name] = (lambda cls: lambda: cls)(value)
        elif isinstance(value, Dialect) and value.name not in DIALECTS:
            DIALECTS[value.name] = (lambda d: lambda: d)(value)
        elif isinstance(value, Universe):
            _register_universe(value, spec)
    added = sorted((set(PASSES) | set(DIALECTS)) - before)
    if not added:
        raise PluginError(f"--load-pass-plugin {spec}: the module defines no new pass or dialect")
    return added
