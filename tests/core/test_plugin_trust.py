"""Plugin folders are trusted the way ssh trusts its configuration: absolute, owned by
the user (or root) and written by nobody else; anything else is refused, out loud."""

import logging
import os
import sys
import textwrap

import pytest

from workbench.cli import main
from workbench.core import plugins
from workbench.core.registry import Registry, reset_default_registry

pytestmark = pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX owners and modes")

_PLUGIN = textwrap.dedent("""
    from pathlib import Path
    Path(__file__).with_suffix(".ran").write_text("ran")
    def register(registry):
        pass
""")


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("WORKBENCH_PLUGIN_PATH", raising=False)
    reset_default_registry()
    yield tmp_path
    reset_default_registry()


def _plugin_in(folder, name="probe"):
    folder.mkdir(mode=0o755, parents=True, exist_ok=True)
    path = folder / f"{name}.py"
    path.write_text(_PLUGIN)
    path.chmod(0o644)
    return path


def _load(monkeypatch, entry):
    monkeypatch.setenv("WORKBENCH_PLUGIN_PATH", entry)
    registry = Registry()
    plugins.load_plugins(registry)
    return registry


def test_a_relative_entry_is_ignored_with_a_warning_saying_how(home, monkeypatch, capsys):
    """The README's own example was WORKBENCH_PLUGIN_PATH=plugins: every command then ran
    the *.py of ./plugins in whatever folder the user was in."""
    plugin = _plugin_in(home / "download" / "plugins")
    monkeypatch.chdir(home / "download")
    registry = _load(monkeypatch, "plugins")
    assert not plugin.with_suffix(".ran").exists()
    assert registry.sources == []
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "'plugins' is relative and was ignored" in err
    assert "WORKBENCH_PLUGIN_PATH=$PWD/plugins" in err


def test_an_absolute_entry_owned_by_the_user_loads_and_is_logged(home, monkeypatch,
                                                                  caplog, capsys):
    plugin = _plugin_in(home / "mine")
    with caplog.at_level(logging.INFO, logger="workbench"):
        registry = _load(monkeypatch, str(home / "mine"))
    assert plugin.with_suffix(".ran").exists()
    assert [s.ok for s in registry.sources] == [True]
    assert [r.getMessage() for r in caplog.records] == [f"loaded plugin {plugin}"]
    assert capsys.readouterr().err == ""   # normal output stays clean


def _groups(monkeypatch, *, name="learner", group="learner", members=(), others=()):
    """Pretend the user is ``name`` whose primary group is the test folder's group,
    called ``group`` with ``members`` listed, and ``others`` (names) share it as their
    primary group: whether group write is safe depends on who else is in the group."""
    import grp
    import pwd

    uid, gid = os.geteuid(), os.getegid()   # new files get the egid

    def account(who, number):
        return pwd.struct_passwd((who, "x", number, gid, "", f"/home/{who}", "/bin/sh"))

    accounts = [account(name, uid)] + [account(o, 5000 + i) for i, o in enumerate(others)]
    monkeypatch.setattr(pwd, "getpwuid", lambda u: accounts[0] if u == uid else
                        pwd.struct_passwd(("x", "x", u, u, "", "/", "/bin/sh")))
    monkeypatch.setattr(pwd, "getpwall", lambda: accounts)
    monkeypatch.setattr(grp, "getgrgid", lambda g: grp.struct_group(
        (group if g == gid else "other", "x", g, list(members))))


@pytest.mark.parametrize("mode", [0o777, 0o775, 0o757])
def test_a_folder_others_can_write_is_refused(home, monkeypatch, capsys, mode):
    _groups(monkeypatch, group="staff", members=["alice", "bob"])
    plugin = _plugin_in(home / "shared")
    (home / "shared").chmod(mode)
    registry = _load(monkeypatch, str(home / "shared"))
    assert not plugin.with_suffix(".ran").exists()
    assert any("was not loaded" in p and "can be written by" in p and "chmod go-w" in p
               for p in registry.problems)
    assert "was not loaded" in capsys.readouterr().err


def test_a_plugin_file_others_can_write_is_refused(home, monkeypatch):
    plugin = _plugin_in(home / "mine")
    plugin.chmod(0o666)
    registry = _load(monkeypatch, str(home / "mine"))
    assert not plugin.with_suffix(".ran").exists()
    assert any(f"{plugin} can be written by others" in p for p in registry.problems)


def test_a_folder_above_others_can_write_is_refused_unless_sticky(home, monkeypatch):
    plugin = _plugin_in(home / "open" / "mine")
    (home / "open").chmod(0o777)
    registry = _load(monkeypatch, str(home / "open" / "mine"))
    assert not plugin.with_suffix(".ran").exists()
    assert any(f"{home / 'open'} can be written by others" in p for p in registry.problems)
    (home / "open").chmod(0o1777)   # as /tmp: others cannot rename what is in it
    registry = _load(monkeypatch, str(home / "open" / "mine"))
    assert plugin.with_suffix(".ran").exists()


class _Owned:
    """A stat result that reports another owner and is otherwise the real one."""

    def __init__(self, real, uid):
        self._real, self.st_uid = real, uid

    def __getattr__(self, name):
        return getattr(self._real, name)


def _owned_by_another_user(monkeypatch, path, uid=65534, *, link=False):
    """Make ``os.stat`` (or ``os.lstat`` for a link) say that ``path`` belongs to
    ``uid``: what another user's file looks like to the loader, without root to chown
    it, so that a CI runner that is not root checks the refusal too. Every other path,
    and every other field, stays the real one."""
    name = "lstat" if link else "stat"
    real_stat = getattr(os, name)

    def faked(target, *args, **kwargs):
        info = real_stat(target, *args, **kwargs)
        if isinstance(target, (str, os.PathLike)) and os.fspath(target) == os.fspath(path):
            return _Owned(info, uid)
        return info

    monkeypatch.setattr(os, name, faked)


def test_a_plugin_file_owned_by_another_user_is_refused_as_any_user(home, monkeypatch):
    plugin = _plugin_in(home / "mine")
    _owned_by_another_user(monkeypatch, plugin)
    registry = _load(monkeypatch, str(home / "mine"))
    assert not plugin.with_suffix(".ran").exists()
    assert any(f"plugin {plugin} was not loaded: {plugin} is owned by another user "
               f"(uid 65534)" in p for p in registry.problems)


def test_a_folder_owned_by_another_user_is_refused_as_any_user(home, monkeypatch):
    """A folder on the way that another user owns: they could swap what is in it."""
    plugin = _plugin_in(home / "theirs" / "mine")
    _owned_by_another_user(monkeypatch, home / "theirs")
    registry = _load(monkeypatch, str(home / "theirs" / "mine"))
    assert not plugin.with_suffix(".ran").exists()
    assert any(f"{home / 'theirs'} is owned by another user (uid 65534)" in p
               for p in registry.problems)


def test_a_plugin_file_owned_by_root_is_accepted(home, monkeypatch):
    """Root owns the system's files (a plugin installed by the administrator): not
    another user. The twin of the refusal above, so that it cannot pass by refusing
    whatever the faked stat touches."""
    plugin = _plugin_in(home / "mine")
    _owned_by_another_user(monkeypatch, plugin, uid=0)
    registry = _load(monkeypatch, str(home / "mine"))
    assert plugin.with_suffix(".ran").exists()
    assert registry.problems == []


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="changing a file's owner needs root")
def test_a_plugin_file_owned_by_another_user_is_refused(home, monkeypatch):
    """The same refusal with a real chown: the owner the kernel reports, no fake."""
    plugin = _plugin_in(home / "mine")
    os.chown(plugin, 65534, 65534)
    registry = _load(monkeypatch, str(home / "mine"))
    assert not plugin.with_suffix(".ran").exists()
    assert any("owned by another user (uid 65534)" in p for p in registry.problems)


def test_workbench_plugins_says_which_entries_were_not_searched(home, monkeypatch, capsys):
    monkeypatch.setenv("WORKBENCH_PLUGIN_PATH", "plugins")
    assert main(["plugins"]) == 0
    out = capsys.readouterr().out
    assert "not searched: WORKBENCH_PLUGIN_PATH entry 'plugins' is relative" in out


@pytest.mark.parametrize("group", [
    {"group": "staff"},                           # not named after the user
    {"members": ["learner", "alice"]},            # another member listed
    {"others": ["backup"]},                       # another account's primary group
])
def test_a_folder_a_shared_group_can_write_is_refused(home, monkeypatch, group):
    plugin = _plugin_in(home / "mine")
    (home / "mine").chmod(0o775)
    _groups(monkeypatch, **group)
    registry = _load(monkeypatch, str(home / "mine"))
    assert not plugin.with_suffix(".ran").exists()
    assert any("can be written by its group" in p and "not your own private group" in p
               for p in registry.problems)


def test_group_write_by_the_users_own_private_group_is_accepted(home, monkeypatch):
    """umask 002 systems (Debian's and Fedora's user private groups) make every new
    folder and file group-writable; the group is the user alone, so it is safe."""
    plugin = _plugin_in(home / "mine")
    (home / "mine").chmod(0o775)
    plugin.chmod(0o664)
    _groups(monkeypatch, members=["learner"])
    registry = _load(monkeypatch, str(home / "mine"))
    assert plugin.with_suffix(".ran").exists()
    assert registry.problems == []


# A plugin folder reached through a symbolic link -----------------------------------------

def _evil_in(folder, marker):
    folder.mkdir(mode=0o755, parents=True, exist_ok=True)
    path = folder / "probe.py"
    path.write_text(f"open({str(marker)!r}, 'w').write('evil')\ndef register(r):\n    pass\n")
    path.chmod(0o644)
    return path


def _swap_after_the_file_check(monkeypatch, swap):
    """Run ``swap`` right after the check of a plugin file, as another user racing the
    load would: whatever function the loader checks files with."""
    for name in ("check", "untrusted"):
        original = getattr(plugins, name, None)
        if original is None:
            continue

        def wrapped(path, *, folder, _original=original):
            result = _original(path, folder=folder)
            if not folder:
                swap()
            return result

        monkeypatch.setattr(plugins, name, wrapped)


def test_a_link_in_a_folder_others_can_write_is_refused_before_it_can_be_re_pointed(
        home, monkeypatch):
    """Reproduces the review's attack: /shared (777) holds plugins -> good/; the link is
    re-pointed to evil/ between the check and the load. Checking only where the link
    led (good/ and its parents) let evil/ run."""
    marker = home / "evil.ran"
    good = _plugin_in(home / "good")
    _evil_in(home / "evil", marker)
    (home / "shared").mkdir()
    (home / "shared").chmod(0o777)
    link = home / "shared" / "plugins"
    link.symlink_to(home / "good")

    def re_point():
        link.unlink()
        link.symlink_to(home / "evil")

    _swap_after_the_file_check(monkeypatch, re_point)
    registry = _load(monkeypatch, str(link))
    assert not marker.exists()
    assert not good.with_suffix(".ran").exists()
    assert any(f"{home / 'shared'} can be written by others" in p for p in registry.problems)


@pytest.mark.parametrize("swap", ["moved over", "link"])
def test_the_file_run_is_the_file_that_was_checked(home, monkeypatch, swap):
    """Even where only the user could swap it, the loader runs the bytes of the file it
    checked or nothing: a file moved over it (another inode) or a link put in its place
    is refused."""
    marker = home / "evil.ran"
    plugin = _plugin_in(home / "mine")
    evil = _evil_in(home / "elsewhere", marker)

    def replace():
        if swap == "link":
            plugin.unlink()
            plugin.symlink_to(evil)
        else:
            os.replace(evil, plugin)

    _swap_after_the_file_check(monkeypatch, replace)
    registry = _load(monkeypatch, str(home / "mine"))
    assert not marker.exists()
    assert any("was not loaded" in p for p in registry.problems)


def test_a_plugin_folder_reached_through_safe_links_loads_from_where_they_lead(
        home, monkeypatch):
    """A link the user owns, in a folder only the user can write (or a sticky one such
    as /tmp), cannot be re-pointed by anyone else: it is followed."""
    plugin = _plugin_in(home / "real" / "plugins")
    (home / "links").mkdir(mode=0o755)
    (home / "links" / "plugins").symlink_to("../real/plugins")
    (home / "sticky").mkdir()
    (home / "sticky").chmod(0o1777)
    (home / "sticky" / "to-links").symlink_to(home / "links")
    registry = _load(monkeypatch, str(home / "sticky" / "to-links" / "plugins"))
    assert plugin.with_suffix(".ran").exists()
    assert [s.ok for s in registry.sources] == [True]
    assert any(s.origin.startswith("plugin ") for s in registry.sources)


def test_a_link_owned_by_another_user_in_a_sticky_folder_is_refused_as_any_user(
        home, monkeypatch):
    """In /tmp the owner of a link may replace it: another user's link is not trusted."""
    plugin = _plugin_in(home / "good")
    (home / "sticky").mkdir()
    (home / "sticky").chmod(0o1777)
    link = home / "sticky" / "plugins"
    link.symlink_to(home / "good")
    _owned_by_another_user(monkeypatch, link, link=True)
    registry = _load(monkeypatch, str(link))
    assert not plugin.with_suffix(".ran").exists()
    assert any(f"{link} is a link owned by another user (uid 65534)" in p
               for p in registry.problems)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="changing a link's owner needs root")
def test_a_link_owned_by_another_user_in_a_sticky_folder_is_refused(home, monkeypatch):
    """The same refusal with a real lchown."""
    plugin = _plugin_in(home / "good")
    (home / "sticky").mkdir()
    (home / "sticky").chmod(0o1777)
    link = home / "sticky" / "plugins"
    link.symlink_to(home / "good")
    os.lchown(link, 65534, 65534)
    registry = _load(monkeypatch, str(link))
    assert not plugin.with_suffix(".ran").exists()
    assert any(f"{link} is a link owned by another user (uid 65534)" in p
               for p in registry.problems)


def test_a_plugin_reads_its_own_data_and_source_through_its_loader(home, monkeypatch):
    """Run from the checked bytes, a plugin still has a loader: pkgutil.get_data found
    nothing (None) and inspect no source once the module had none (review 3)."""
    folder = home / "mine"
    folder.mkdir(mode=0o755, parents=True)
    (folder / "words.txt").write_text("hello\n")
    plugin = folder / "reader.py"
    plugin.write_text("import inspect, pkgutil, pathlib\n"
                      "DATA = pkgutil.get_data(__name__, 'words.txt')\n"
                      "SOURCE = __loader__.get_source(__name__)\n"
                      "pathlib.Path(__file__).with_suffix('.ran').write_bytes(DATA)\n")
    plugin.chmod(0o644)
    _load(monkeypatch, str(folder))
    assert plugin.with_suffix(".ran").read_bytes() == b"hello\n"
    module = sys.modules["workbench_plugin_reader"]
    assert plugin.read_text() == module.SOURCE
