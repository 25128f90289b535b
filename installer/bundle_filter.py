"""What the PyInstaller bundle keeps of Qt: pure functions over PyInstaller TOC entries (dest, src, typecode).

Used by installer/nocdesk.spec and tested without PyInstaller (tests/test_installer.py). Qt is cut down to
what QtWidgets/QtGui/QtSvg need: platforms offscreen + xcb (windows on Windows), the SVG image format and
icon engine, compose input; Qt translations for Indonesian and English only; no QML, type stubs or tools.
Libraries that only dropped plugins link to (the GTK theme brings cairo, gio, pango, ...) and Qt
libraries no kept binary links to (Quick, Wayland, EGLFS, ...) are dropped too.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable

Entry = tuple[str, str, str]  # PyInstaller TOC entry: destination name, source path, typecode
ImportsOf = Callable[[str], Iterable[tuple[str, str | None]]]  # like PyInstaller's bindepend.get_imports

KEEP_PLUGINS: dict[str, set[str]] = {
    "platforms": {"libqxcb.so", "libqoffscreen.so", "libqminimal.so", "qwindows.dll", "qoffscreen.dll",
                  "qminimal.dll"},
    "imageformats": {"libqsvg.so", "qsvg.dll"},
    "iconengines": {"libqsvgicon.so", "qsvgicon.dll"},
    "platforminputcontexts": {"libcomposeplatforminputcontextplugin.so"},
}
PLUGIN_RE = re.compile(r"^PySide6[/\\](?:Qt[/\\])?plugins[/\\]([^/\\]+)[/\\]([^/\\]+)$")
QT_TRANSLATION_RE = re.compile(r"^PySide6[/\\](?:Qt[/\\])?translations[/\\]")
KEEP_TRANSLATION_RE = re.compile(r"^(qt|qtbase)_(id|en)\.qm$")
QT_DATA_DROP_RE = re.compile(r"^PySide6[/\\](?:Qt[/\\])?(qml|metatypes|libexec|include|typesystems|glue)[/\\]")
QT_LIB_RE = re.compile(r"^(lib)?Qt6\w+\.(so\.6|dll)$")


def basename(dest: str) -> str:
    """File name of a TOC destination, whatever the separator."""
    return os.path.basename(dest.replace("\\", "/"))


def keep_plugin(dest: str) -> bool:
    """False for a Qt plugin the app does not use; True for everything that is not a Qt plugin."""
    match = PLUGIN_RE.match(dest)
    if not match:
        return True
    kind, name = match.groups()
    return name in KEEP_PLUGINS.get(kind, set())


def keep_data(dest: str) -> bool:
    """False for Qt data the app does not use (other languages, QML, metatypes, headers)."""
    if QT_TRANSLATION_RE.match(dest):
        return bool(KEEP_TRANSLATION_RE.match(basename(dest)))
    if QT_DATA_DROP_RE.match(dest):
        return False
    return keep_plugin(dest)


def closure(roots: Iterable[str], available: dict[str, str], imports_of: ImportsOf) -> set[str]:
    """Names of `available` libraries (name -> source path) reached by link-time dependencies from `roots`."""
    todo, seen = list(roots), set()
    while todo:
        for name, _path in imports_of(todo.pop()):
            base = basename(name)
            if base in available and base not in seen:
                seen.add(base)
                todo.append(available[base])
    return seen


def prune_binaries(binaries: list[Entry], imports_of: ImportsOf) -> list[Entry]:
    """Drop unused Qt plugins, and the libraries only they (or nothing kept) link to.

    Candidates for dropping are the Qt libraries and whatever the dropped plugins pulled in; a candidate
    stays when a kept binary (extension module, kept plugin, other library) links to it.
    """
    kept = [e for e in binaries if keep_plugin(e[0])]
    dropped_plugins = [src for dest, src, _kind in binaries if not keep_plugin(dest)]
    libs = {basename(dest): src for dest, src, _kind in kept}
    candidates = closure(dropped_plugins, libs, imports_of) | {b for b in libs if QT_LIB_RE.match(b)}
    roots = [src for dest, src, _kind in kept if basename(dest) not in candidates]
    needed = closure(roots, libs, imports_of)
    return [e for e in kept if basename(e[0]) not in candidates or basename(e[0]) in needed]


def drop_dangling_symlinks(datas: list[Entry], binaries: list[Entry]) -> list[Entry]:
    """PyInstaller adds top-level SYMLINK entries to shared libraries; keep those whose target ships."""
    shipped = {os.path.normpath(dest) for dest, _src, kind in [*binaries, *datas] if kind != "SYMLINK"}
    return [(dest, src, kind) for dest, src, kind in datas
            if kind != "SYMLINK" or os.path.normpath(os.path.join(os.path.dirname(dest), src)) in shipped]
