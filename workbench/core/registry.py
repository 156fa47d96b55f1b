"""The one list of components that the CLI, the Explorer's choosers and the palette read.

Built-ins register exactly as plugins do (DESIGN.md rule 4): a package or module exposes
``register(registry)`` and calls ``registry.add(...)`` for each component. The built-in
packages are named here as strings and imported only when the registry is first asked
for, so importing ``workbench.core`` stays cheap and no lower layer imports a higher one.

Built-ins (and the flow nodes derived from them) register before any plugin, so a plugin
can add names but never take one: a clash fails the plugin, not the built-in. A plugin
registers all or nothing, and what it raises, its ``sys.exit()`` included, is recorded
as that plugin's failure and goes no further. Ctrl-C (``KeyboardInterrupt``) is the
exception: pressed while a plugin imports, it stops the command, as it would anywhere
else. A built-in's ``SystemExit`` stops it too: that is our bug, never to be hidden.

A registry is an ordinary object: tests build their own, and nothing is remembered
globally except the lazily built default one.
"""

from __future__ import annotations

import builtins
import difflib
import importlib
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from workbench.core.errors import WorkbenchError, exception_line
from workbench.core.params import Param

_log = logging.getLogger(__name__)

# Packages whose ``register(registry)`` adds the built-in components, lowest layer first.
BUILTIN_PACKAGES: tuple[str, ...] = (
    "workbench.data.formats",
    "workbench.filters",
    "workbench.classifiers",
)
# Packages that derive components from the others (a flow node per classifier and filter):
# registered before the plugins, so a plugin cannot take a built-in's node name, and run
# again after them (adding only what is new) so plugin components get their nodes too.
DERIVED_PACKAGES: tuple[str, ...] = ("workbench.flow.nodes",)

# What is registered: data file formats (``data.formats``: a loader reads, a saver writes),
# filters, classifiers and flow node types. Viewers are the GUI's (``gui/viewers.py``).
KINDS: tuple[str, ...] = ("loader", "saver", "filter", "classifier", "flow")


@dataclass(frozen=True)
class ComponentInfo:
    """What the choosers show about a component and how to make one."""

    kind: str
    name: str
    factory: Callable[..., Any]
    display_name: str
    category: str
    description: str
    aliases: tuple[str, ...] = ()
    origin: str = "built-in"

    @property
    def params(self) -> tuple[Param[Any], ...]:
        return tuple(getattr(self.factory, "params", ()))

    def create(self, **params: Any) -> Any:
        return self.factory(**params)


@dataclass(frozen=True)
class SourceStatus:
    """How registering one built-in package or plugin went, for ``workbench plugins``."""

    origin: str
    module: str
    ok: bool
    problem: str = ""
    seconds: float = 0.0   # importing and registering: a slow plugin slows every command


class UnknownComponentError(WorkbenchError):
    """No component of that kind has that name or alias."""


class Registry:
    """Components by kind and name; names and aliases are matched case-insensitively.

    Two spellings may differ in case only where WEKA's class name is our plain name in
    capitals (WEKA's ``Logistic`` beside scikit-learn's ``logistic``): the exact spelling
    then decides, and any other casing finds the one registered first.
    """

    def __init__(self) -> None:
        self._by_kind: dict[str, dict[str, ComponentInfo]] = {}
        self._lookup: dict[tuple[str, str], ComponentInfo] = {}
        self._exact: dict[tuple[str, str], ComponentInfo] = {}
        self.sources: list[SourceStatus] = []
        self._origin = "built-in"

    @property
    def problems(self) -> list[str]:
        """One line per plugin or package that failed, for warnings and the GUI."""
        return [s.problem for s in self.sources if not s.ok]

    def record(self, origin: str, module: str, problem: str = "",
               seconds: float = 0.0) -> None:
        self.sources.append(SourceStatus(origin, module, not problem, problem, seconds))

    def add(self, factory: Callable[..., Any], *, kind: str | None = None,
            name: str | None = None, display_name: str | None = None,
            category: str | None = None, description: str | None = None,
            aliases: Iterable[str] | None = None, origin: str | None = None) -> ComponentInfo:
        """Register a component; metadata defaults to the class attributes of ``factory``.

        A component class usually carries ``kind``, ``name``, ``display_name``,
        ``category`` and ``aliases`` as class attributes and its docstring's first
        paragraph as description, so registering it is one line. ``origin`` defaults to
        the plugin (or "built-in") whose ``register`` is running.
        """
        origin = origin or self._origin
        kind = kind or getattr(factory, "kind", None)
        name = name or getattr(factory, "name", None)
        if not kind or not name:
            raise WorkbenchError(f"{factory!r} needs a kind and a name to be registered")
        doc = (getattr(factory, "__doc__", None) or "").strip().split("\n\n")[0]
        info = ComponentInfo(
            kind=kind,
            name=name,
            factory=factory,
            display_name=display_name or getattr(factory, "display_name", None) or name,
            category=category or getattr(factory, "category", None) or "other",
            description=description or " ".join(doc.split()),
            aliases=tuple(aliases if aliases is not None else getattr(factory, "aliases", ())),
            origin=origin,
        )
        for key in (info.name, *info.aliases):
            existing = self._lookup.get((kind, key.lower()))
            if (existing is not None and existing.factory is not factory
                    and key in (existing.name, *existing.aliases)):
                raise WorkbenchError(
                    f"{kind} name '{key}' from {origin} is already taken by "
                    f"'{existing.name}' ({existing.origin})")
        self._by_kind.setdefault(kind, {})[info.name] = info
        for key in (info.name, *info.aliases):
            self._exact[(kind, key)] = info
            self._lookup.setdefault((kind, key.lower()), info)
        return info

    def find(self, kind: str, name: str) -> ComponentInfo | None:
        """The component of that kind with that name or alias, or None.

        WEKA's full class names work too (``weka.classifiers.lazy.IBk``): WEKA users
        paste them from WEKA's own command lines and from papers.
        """
        info = self._exact.get((kind, name)) or self._lookup.get((kind, name.lower()))
        if info is None and name.lower().startswith("weka.") and not _supervised(name):
            short = name.rsplit(".", 1)[-1]
            info = self._exact.get((kind, short)) or self._lookup.get((kind, short.lower()))
        return info

    def get(self, kind: str, name: str) -> ComponentInfo:
        info = self.find(kind, name)
        if info is None:
            known = ", ".join(sorted(self._by_kind.get(kind, {}))) or "none registered"
            spellings = {key: info for (k, key), info in self._lookup.items() if k == kind}
            close = difflib.get_close_matches(name.rsplit(".", 1)[-1].lower(), spellings,
                                              n=1, cutoff=0.6)
            hint = ""
            if _supervised(name):
                # WEKA's supervised twin of a filter is not the filter by its short
                # name (supervised Resample stratifies; plain resample does not)
                short = name.rsplit(".", 1)[-1]
                twin = self._lookup.get((kind, short.lower()))
                ours = twin.name if twin is not None else short.lower()
                hint = (f"; WEKA's supervised {short} is '{ours} --stratified true' "
                        f"with -c (see 'workbench filter {ours} --help')")
                close = []
            if close:
                match = spellings[close[0]]
                shown = next((a for a in (*match.aliases, match.name)
                              if a.lower() == close[0]), match.name)
                hint = f"; did you mean '{shown}'?"
            raise UnknownComponentError(f"no {kind} called '{name}'{hint} (known: {known})")
        return info

    def create(self, kind: str, name: str, **params: Any) -> Any:
        return self.get(kind, name).create(**params)

    def list(self, kind: str | None = None) -> list[ComponentInfo]:
        """Components of one kind (or all), sorted by category then name."""
        kinds = [kind] if kind else list(self._by_kind)
        found = [info for k in kinds for info in self._by_kind.get(k, {}).values()]
        return sorted(found, key=lambda i: (i.kind, i.category, i.name))

    def kinds(self) -> builtins.list[str]:
        return sorted(self._by_kind)

    def register_module(self, module_name: str, origin: str = "built-in",
                        seconds: float = 0.0) -> bool:
        """Import a module and call its ``register(self)``; failures become ``problems``.

        A broken plugin is reported and skipped: it must never stop the application, so
        everything it raises is caught here, and whatever it registered before failing
        is taken back. ``seconds`` is time already spent on it (loading its file).
        """
        started = time.perf_counter() - seconds

        def fail(problem: str, error: BaseException | None = None) -> bool:
            self.record(origin, module_name, problem, time.perf_counter() - started)
            if error is not None:  # the whole story, for ``workbench --debug``
                _log.info("%s", problem, exc_info=error)
            return False

        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as error:
            return fail(f"{origin} '{module_name}' could not be imported: {error}", error)
        except BaseException as error:  # a plugin's bug, or its sys.exit(), must not stop us
            if _stops_the_command(error, origin):   # but Ctrl-C does
                raise
            return fail(f"{origin} '{module_name}' failed to import: "
                        f"{exception_line(error)}", error)
        register = getattr(module, "register", None)
        if register is None:
            return fail(f"{origin} '{module_name}' has no register(registry)")
        saved = ({kind: dict(names) for kind, names in self._by_kind.items()},
                 dict(self._lookup), dict(self._exact))
        self._origin = origin
        try:
            register(self)
        except BaseException as error:
            self._by_kind, self._lookup, self._exact = saved  # all or nothing
            if _stops_the_command(error, origin):
                raise
            return fail(f"{origin} '{module_name}' failed to register: "
                        f"{exception_line(error, getattr(module, '__file__', None))}", error)
        finally:
            self._origin = "built-in"
        self.record(origin, module_name, seconds=time.perf_counter() - started)
        return True


def _stops_the_command(error: BaseException, origin: str) -> bool:
    """Whether ``error``, raised while a module imports or registers, must end the
    command rather than be recorded as that module's problem: Ctrl-C always (it was
    recorded as "failed to import", and the command went on with no classifiers or
    finished as if never stopped), and a built-in package's ``SystemExit`` and other
    signals that are not ``Exception``s. A plugin's ``sys.exit()`` is its bug, reported
    and skipped like any other."""
    if isinstance(error, KeyboardInterrupt):
        return True
    return origin == "built-in" and not isinstance(error, Exception)


_default: Registry | None = None


def default_registry(*, plugins: bool = True) -> Registry:
    """The registry of built-ins (and plugins), built on first use."""
    global _default
    if _default is None:
        registry = Registry()
        for package in (*BUILTIN_PACKAGES, *DERIVED_PACKAGES):
            registry.register_module(package)
        if plugins:
            from workbench.core.plugins import load_plugins

            load_plugins(registry)
            # Derive the nodes of what the plugins added; existing names are kept.
            for package in DERIVED_PACKAGES:
                importlib.import_module(package).register(registry)
        _default = registry
    return _default


def reset_default_registry() -> None:
    """Forget the default registry (tests, or after installing a plugin)."""
    global _default
    _default = None


# WEKA filters with a supervised and an unsupervised class of one short name whose
# results differ where ours by that short name is the unsupervised one (supervised
# Discretize is registered under its full name; supervised NominalToBinary gives the
# same attributes as ours for a nominal class)
_TWINS = {"resample"}


def _supervised(name: str) -> bool:
    """WEKA's class name of the supervised twin of a filter (supervised Resample
    stratifies, ours by the short name does not), which the short name must not take."""
    lower = name.lower()
    return ".supervised." in lower and lower.rsplit(".", 1)[-1] in _TWINS
