"""Finding plugins: modules in plugin folders and packages with an entry point.

A plugin is a Python module with a ``register(registry)`` function, exactly like a
built-in package. It is found in three places: the user's plugins folder
(``~/.workbench/plugins``, or ``$WORKBENCH_HOME/plugins``), each folder on
``WORKBENCH_PLUGIN_PATH`` (``os.pathsep``-separated), and installed packages that declare
a ``workbench.plugins`` entry point. The repository's ``plugins/`` folder holds an
example, loaded only when put on the path: a checkout then offers exactly the learners an
installed wheel does. Data files (flows, models) never name code to run.

Plugins are code the user chose to install, and every command runs them, so a folder is
trusted the way ssh trusts its configuration and git a repository:

- only absolute folders: a relative entry (``plugins``) would load the code of whatever
  folder the user happens to be in (a downloaded dataset's, say); it is ignored with a
  one-line warning that shows the absolute form;
- only folders and files owned by the user (or by root) that nobody else may write:
  the folder, the folders above it (a shared one such as /tmp counts when its sticky bit
  stops others renaming what is in it) and each plugin file; group write is fine only
  for the user's own private group (umask 002 systems). The path is checked as it is
  walked, every symbolic link on the way included, so a link others could re-point is
  refused too. Anything else is refused with a warning and listed by
  ``workbench plugins``;
- the file run is the file checked: it is opened without following links, compared
  with what was checked, and its bytes are compiled from that descriptor.

What was loaded is listed by ``workbench plugins``; each plugin file loaded is also named
once in the log (``workbench --debug``), so normal output stays clean. A plugin that fails
(an import error, a syntax error, a ``register`` that raises or is missing) is skipped and
said in one warning line on stderr by every command; ``--debug`` adds its traceback.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import logging
import os
import stat
import sys
import time
import types
from dataclasses import dataclass
from importlib.metadata import entry_points
from pathlib import Path

from workbench.core.errors import exception_line, printable
from workbench.core.registry import Registry

ENTRY_POINT_GROUP = "workbench.plugins"
_log = logging.getLogger(__name__)


def user_plugin_folder() -> Path:
    home = os.environ.get("WORKBENCH_HOME")
    return (Path(home).expanduser() if home else Path.home() / ".workbench") / "plugins"


def _candidates() -> tuple[list[Path], list[str]]:
    """The plugin folders asked for, and a warning for each entry ignored as relative."""
    folders: list[Path] = []
    ignored: list[str] = []
    user = user_plugin_folder()
    if user.is_absolute():
        folders.append(user)
    else:
        ignored.append(f"WORKBENCH_HOME '{os.environ.get('WORKBENCH_HOME')}' is a relative "
                       f"path, so its plugins folder was not searched (it would depend on "
                       f"the current folder); give an absolute one, e.g. "
                       f"WORKBENCH_HOME=$HOME/.workbench")
    for entry in os.environ.get("WORKBENCH_PLUGIN_PATH", "").split(os.pathsep):
        if not entry:
            continue
        folder = Path(entry).expanduser()
        if folder.is_absolute():
            folders.append(folder)
        else:
            ignored.append(f"WORKBENCH_PLUGIN_PATH entry '{entry}' is relative and was "
                           f"ignored: it would run the *.py files of '{entry}' in whatever "
                           f"folder you are in; give an absolute path, e.g. "
                           f"WORKBENCH_PLUGIN_PATH=$PWD/{entry}")
    return folders, ignored


def plugin_folders() -> list[Path]:
    """The plugin folders searched: the absolute ones that exist (trusted or not; a
    folder refused by the checks below is reported when plugins load)."""
    return [f for f in _candidates()[0] if f.is_dir()]


def ignored_entries() -> list[str]:
    """Why each relative plugin folder entry was ignored, one line each."""
    return _candidates()[1]


@dataclass(frozen=True)
class Checked:
    """A plugin folder or file that passed the checks: where it really is (no links
    left) and, on POSIX, its device and inode, so that the loader can make sure the
    file it opens is the very one that was checked."""

    real: Path
    device: int = 0
    inode: int = 0


class _Refused(Exception):
    """Why a path may not be run; raised while walking it."""


# The kernel's own limit on links followed in one lookup (Linux's MAXSYMLINKS).
_MAX_LINKS = 40


def untrusted(path: Path, *, folder: bool) -> str | None:
    """Why ``path`` (a plugin folder, or a plugin file) may not be run, or None.

    See :func:`check`, which also says what was checked."""
    result = check(path, folder=folder)
    return result if isinstance(result, str) else None


def check(path: Path, *, folder: bool) -> Checked | str:
    """``path`` checked as a plugin folder or file: a :class:`Checked`, or why it may
    not be run.

    The path is walked the way the kernel resolves it, name by name, so that every
    folder passed through and every symbolic link followed is checked, not only where
    the path ends up: a link that others could re-point (in a folder they can write, or
    owned by them) would let them swap the code between this check and the load.
    Refused: a folder passed through that others could write into without the sticky
    bit (``/tmp`` has it: others cannot rename what is in it); a link owned by another
    user; the folder or file itself owned by someone other than the user or root, or
    writable by others or by a group other than the user's own private one; a plugin
    file that is not a regular file."""
    me = getattr(os, "geteuid", None)
    if me is None:  # pragma: no cover - Windows has no owners and modes to compare
        return Checked(path.resolve())
    uid = me()
    try:
        real = _walk(path, uid)
        info = os.stat(real)
    except _Refused as refused:
        return str(refused)
    except OSError as error:
        return f"cannot be checked: {error.strerror or error}"
    kind = stat.S_ISDIR if folder else stat.S_ISREG
    if not kind(info.st_mode):
        return f"{real} is not a {'folder' if folder else 'regular file'}"
    problem = _bad_owner_or_mode(real, info, uid, sticky_ok=False)
    if problem:
        return problem
    return Checked(real, info.st_dev, info.st_ino)


def _walk(path: Path, uid: int) -> Path:
    """``path`` resolved like the kernel resolves it, checking each folder it passes
    through (the sticky bit allowed) and each link it follows; raises ``_Refused``.

    A link is safe when it is owned by the user or root and sits in a folder that was
    itself checked: nobody else can then replace it (in a sticky folder only a link's
    owner can)."""
    absolute = path if path.is_absolute() else Path.cwd() / path  # '..' kept: see below
    current = Path(absolute.anchor)
    _check_folder(current, uid)
    pending = list(reversed(absolute.parts[1:]))
    links = 0
    while pending:
        name = pending.pop()
        if name in ("", "."):
            continue
        if name == "..":
            current = current.parent   # current holds no links, so this is its parent
            continue
        candidate = current / name
        info = os.lstat(candidate)
        if stat.S_ISLNK(info.st_mode):
            links += 1
            if links > _MAX_LINKS:
                raise _Refused(f"cannot be checked: {path}: too many symbolic links")
            if info.st_uid not in (uid, 0):
                raise _Refused(f"{candidate} is a link owned by another user "
                               f"(uid {info.st_uid}), who could point it elsewhere")
            target = Path(os.readlink(candidate))
            if target.is_absolute():
                current = Path(target.anchor)
            pending.extend(reversed(target.parts[1:] if target.is_absolute()
                                    else target.parts))
            continue
        current = candidate
        if pending:
            _check_folder(current, uid)
    return current


def _check_folder(folder: Path, uid: int) -> None:
    """A folder the path passes through: whoever may rename what is in it could swap
    the plugin code."""
    problem = _bad_owner_or_mode(folder, os.stat(folder), uid, sticky_ok=True)
    if problem:
        raise _Refused(problem)


def _bad_owner_or_mode(path: Path, info: os.stat_result, uid: int, *,
                       sticky_ok: bool) -> str | None:
    if info.st_uid not in (uid, 0):
        return f"{path} is owned by another user (uid {info.st_uid})"
    if sticky_ok and info.st_mode & stat.S_ISVTX:
        return None
    if info.st_mode & stat.S_IWOTH:
        return f"{path} can be written by others (chmod go-w {path})"
    if info.st_mode & stat.S_IWGRP and not _own_private_group(info.st_gid, uid):
        return (f"{path} can be written by its group {_group_name(info.st_gid)}, which is "
                f"not your own private group (chmod go-w {path})")
    return None


def _own_private_group(gid: int, uid: int) -> bool:
    """Whether group ``gid`` is the user's own private group, whose write bit gives
    nobody else access: it is the user's primary group, bears the user's name and has
    no other member, neither listed nor by primary group (the user-private-group
    scheme of Debian, Ubuntu and Fedora, whose umask 002 makes new folders 775; the
    same test Debian's OpenSSH applies to ``~/.ssh``)."""
    try:
        import grp
        import pwd
    except ImportError:  # pragma: no cover - no groups to ask about
        return False
    try:
        user = pwd.getpwuid(uid)
        group = grp.getgrgid(gid)
    except KeyError:
        return False
    if user.pw_gid != gid or group.gr_name != user.pw_name:
        return False
    if any(member != user.pw_name for member in group.gr_mem):
        return False
    return not any(other.pw_gid == gid and other.pw_uid != uid for other in pwd.getpwall())


def _group_name(gid: int) -> str:
    try:
        import grp

        return f"'{grp.getgrgid(gid).gr_name}'"
    except (ImportError, KeyError):
        return f"(gid {gid})"


def load_plugins(registry: Registry) -> None:
    """Register every trusted plugin found; each failure or refusal is recorded in
    ``registry.problems`` and each refusal also said once on stderr."""
    for line in ignored_entries():
        _warn(line)
    for folder in plugin_folders():
        problem = untrusted(folder, folder=True)
        if problem:
            _refuse(registry, f"plugin folder {folder}", "(folder)",
                    f"plugin folder {folder} was not loaded: {problem}")
            continue
        for path in sorted(folder.glob("*.py")):
            if path.name.startswith("_"):
                continue
            checked = check(path, folder=False)
            if isinstance(checked, str):
                _refuse(registry, f"plugin {path}", f"workbench_plugin_{path.stem}",
                        f"plugin {path} was not loaded: {checked}")
                continue
            _load_file(registry, path, checked)
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        if registry.register_module(entry.value.split(":")[0],
                                    origin=f"plugin {entry.name}"):
            _log.info("plugin entry point %s: %s", entry.name, entry.value)
        else:
            _skipped(registry.sources[-1].problem)


def _warn(line: str) -> None:
    # A file name may hold ESC sequences: they are shown, never obeyed by the terminal.
    print(f"workbench: warning: {printable(line)}", file=sys.stderr)


def _refuse(registry: Registry, origin: str, module: str, problem: str) -> None:
    _warn(problem)
    registry.record(origin, module, problem, 0.0)


def _load_file(registry: Registry, path: Path, checked: Checked) -> None:
    """Run the plugin file that was checked, and only that one: the bytes are read from
    a descriptor opened without following a link and compared (owner, mode, inode) with
    what was checked, and importlib runs the module from those bytes, so nothing can
    swap the file in between."""
    module_name = f"workbench_plugin_{path.stem}"
    started = time.perf_counter()
    try:
        source = _read_checked(checked)
    except (OSError, _Refused) as error:
        problem = str(error) if isinstance(error, _Refused) else (
            f"cannot be read: {error.strerror or error}")
        _refuse(registry, f"plugin {path}", module_name,
                f"plugin {path} was not loaded: {problem}")
        return
    try:
        loader = _CheckedLoader(str(checked.real), source)
        spec = importlib.machinery.ModuleSpec(module_name, loader, origin=str(checked.real))
        spec.has_location = True   # sets __file__, which plugins use to find their data
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        loader.exec_module(module)   # importlib's own way of running a module's code
    except KeyboardInterrupt:
        sys.modules.pop(module_name, None)
        raise   # the user's Ctrl-C while the plugin loads stops the command
    except BaseException as error:  # a broken plugin (even its sys.exit()) is never fatal
        sys.modules.pop(module_name, None)
        problem = f"plugin {path} failed to load: {exception_line(error, str(checked.real))}"
        registry.record(f"plugin {path}", module_name, problem,
                        time.perf_counter() - started)
        _skipped(problem, error)
        return
    if not registry.register_module(module_name, origin=f"plugin {path}",
                                    seconds=time.perf_counter() - started):
        _skipped(registry.sources[-1].problem)  # register() failed, or there is none
        return
    _log.info("loaded plugin %s", path)


def _skipped(problem: str, error: BaseException | None = None) -> None:
    """Say on stderr, in one line, that a plugin was skipped and why, on every command:
    a user whose learner is missing from ``classify`` must not have to guess. The
    traceback goes to the log, which ``workbench --debug`` shows."""
    _warn(f"{problem} (skipped; 'workbench plugins' lists every plugin)")
    if error is not None:
        _log.info("traceback of the plugin that failed:", exc_info=error)



class _CheckedLoader(importlib.abc.InspectLoader):
    """A plugin's loader, holding the bytes that were checked: importlib runs the module
    from them (``exec_module``), ``inspect`` and tracebacks read them, and files beside
    the plugin are read for ``pkgutil.get_data`` as a file loader does. A plugin is code
    the user installed on purpose (see the module docstring); a data file never gets
    here."""

    def __init__(self, path: str, source: bytes) -> None:
        self.path, self.source = path, source

    def get_source(self, fullname: str) -> str:
        return importlib.util.decode_source(self.source)

    def get_code(self, fullname: str) -> types.CodeType:
        """The checked bytes compiled under the plugin's real path, with none of our
        own ``__future__`` flags."""
        return compile(self.source, self.path, "exec", dont_inherit=True)

    def get_filename(self, fullname: str) -> str:
        return self.path

    def get_data(self, path: str) -> bytes:
        with open(path, "rb") as handle:
            return handle.read()

    def is_package(self, fullname: str) -> bool:
        return False


def _read_checked(checked: Checked) -> bytes:
    """The bytes of the file that was checked; raises ``_Refused`` when what is there
    now is not it (a link, another file, or one whose owner or mode changed)."""
    flags = (os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
             | getattr(os, "O_NONBLOCK", 0))   # a FIFO put in its place must not block
    descriptor = os.open(checked.real, flags)
    with os.fdopen(descriptor, "rb") as handle:
        me = getattr(os, "geteuid", None)
        if me is not None:
            info = os.fstat(descriptor)
            if (not stat.S_ISREG(info.st_mode)
                    or (info.st_dev, info.st_ino) != (checked.device, checked.inode)):
                raise _Refused(f"{checked.real} was replaced after it was checked")
            problem = _bad_owner_or_mode(checked.real, info, me(), sticky_ok=False)
            if problem:
                raise _Refused(problem)
        return handle.read()
