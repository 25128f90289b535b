"""The installer files: spec, Qt trimming, icons, desktop entry, systemd unit, install/uninstall scripts.

Fast checks run everywhere. The real build (PyInstaller, minutes) runs only with NOCDESK_BUILD_TEST=1:
    NOCDESK_BUILD_TEST=1 python -m pytest tests/test_installer.py -k real_build
"""

from __future__ import annotations

import ast
import configparser
import importlib.util
import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
INSTALLER = ROOT / "installer"
SCRIPTS = ["install.sh", "uninstall.sh", "build_linux.sh", "smoke_test.sh", "stage.sh"]


def _load(name: str):
    spec = importlib.util.spec_from_file_location(name, INSTALLER / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _missing_tool(what: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is missing, and CI=true must not skip")
    pytest.skip(f"{what} is missing")


# --- spec and Qt trimming ----------------------------------------------------------------------------------

def test_spec_is_python_and_names_its_entry_point() -> None:
    source = (INSTALLER / "nocdesk.spec").read_text(encoding="utf-8")
    tree = ast.parse(source, filename="nocdesk.spec")
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    assert {"Analysis", "PYZ", "EXE", "COLLECT"} <= names
    assert (INSTALLER / "nocdesk_main.py").is_file() and '"nocdesk_main.py"' in source
    main = (INSTALLER / "nocdesk_main.py").read_text(encoding="utf-8")
    assert "from nocdesk.cli import main" in main  # the same entry point as the console script


def test_spec_collects_what_is_loaded_by_name() -> None:
    source = (INSTALLER / "nocdesk.spec").read_text(encoding="utf-8")
    for needed in ('collect_submodules("nocdesk")', 'collect_data_files("nocdesk.resources")',
                   '"pysnmp.smi.mibs", include_py_files=True', '"PySide6.QtOpenGL"'):
        assert needed in source, needed


def test_qt_plugins_kept_are_exactly_the_ones_the_app_needs() -> None:
    bf = _load("bundle_filter")
    prefix = "PySide6/Qt/plugins/"
    keep = ["platforms/libqxcb.so", "platforms/libqoffscreen.so", "imageformats/libqsvg.so",
            "iconengines/libqsvgicon.so"]
    drop = ["platforms/libqwayland-egl.so", "platformthemes/libqgtk3.so", "imageformats/libqwebp.so",
            "sqldrivers/libqsqlite.so", "tls/libqopensslbackend.so", "egldeviceintegrations/libqeglfs-kms.so"]
    assert all(bf.keep_plugin(prefix + p) for p in keep)
    assert not any(bf.keep_plugin(prefix + p) for p in drop)
    assert bf.keep_plugin("PySide6\\plugins\\platforms\\qwindows.dll")  # Windows wheel layout
    assert bf.keep_plugin("numpy/core/_multiarray_umath.so")  # not a Qt plugin
    assert bf.keep_data("PySide6/Qt/translations/qtbase_en.qm")
    assert not bf.keep_data("PySide6/Qt/translations/qtbase_de.qm")
    assert not bf.keep_data("PySide6/Qt/qml/QtQuick/qmldir")
    assert bf.keep_data("nocdesk/resources/profiles/cisco_ios.yaml")


def test_libraries_only_dropped_plugins_need_are_dropped() -> None:
    bf = _load("bundle_filter")
    binaries = [
        ("PySide6/QtGui.abi3.so", "/w/QtGui.abi3.so", "EXTENSION"),
        ("PySide6/Qt/lib/libQt6Gui.so.6", "/w/libQt6Gui.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6XcbQpa.so.6", "/w/libQt6XcbQpa.so.6", "BINARY"),
        ("PySide6/Qt/lib/libQt6WaylandClient.so.6", "/w/libQt6WaylandClient.so.6", "BINARY"),
        ("PySide6/Qt/plugins/platforms/libqxcb.so", "/w/libqxcb.so", "BINARY"),
        ("PySide6/Qt/plugins/platforms/libqwayland.so", "/w/libqwayland.so", "BINARY"),
        ("PySide6/Qt/plugins/platformthemes/libqgtk3.so", "/w/libqgtk3.so", "BINARY"),
        ("libcairo.so.2", "/usr/lib/libcairo.so.2", "BINARY"),
        ("libfontconfig.so.1", "/usr/lib/libfontconfig.so.1", "BINARY"),
        ("libsqlite3.so.0", "/usr/lib/libsqlite3.so.0", "BINARY"),  # loaded by _sqlite3, no Qt relation
    ]
    links = {
        "/w/QtGui.abi3.so": ["libQt6Gui.so.6"],
        "/w/libQt6Gui.so.6": ["libfontconfig.so.1"],
        "/w/libqxcb.so": ["libQt6XcbQpa.so.6", "libQt6Gui.so.6"],
        "/w/libqwayland.so": ["libQt6WaylandClient.so.6"],
        "/w/libqgtk3.so": ["libcairo.so.2", "libfontconfig.so.1", "libQt6Gui.so.6"],
    }
    kept = bf.prune_binaries(binaries, lambda src: [(name, None) for name in links.get(src, [])])
    names = {bf.basename(dest) for dest, _src, _kind in kept}
    assert names == {"QtGui.abi3.so", "libQt6Gui.so.6", "libQt6XcbQpa.so.6", "libqxcb.so",
                     "libfontconfig.so.1", "libsqlite3.so.0"}


def test_symlinks_to_dropped_libraries_are_dropped() -> None:
    bf = _load("bundle_filter")
    binaries = [("PySide6/Qt/lib/libQt6Gui.so.6", "/w/libQt6Gui.so.6", "BINARY")]
    datas = [("libQt6Gui.so.6", "PySide6/Qt/lib/libQt6Gui.so.6", "SYMLINK"),
             ("libQt6Quick.so.6", "PySide6/Qt/lib/libQt6Quick.so.6", "SYMLINK"),
             ("nocdesk/resources/icons/nocdesk.svg", "/src/nocdesk.svg", "DATA")]
    assert [d for d, _s, _k in bf.drop_dangling_symlinks(datas, binaries)] == [
        "libQt6Gui.so.6", "nocdesk/resources/icons/nocdesk.svg"]


# --- icons -------------------------------------------------------------------------------------------------

def _png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_icons_for_hicolor_and_windows(tmp_path: Path, qapp) -> None:
    # qapp: pytest-qt's QApplication, so make_icons does not leave a bare QGuiApplication for later UI tests
    icons = _load("make_icons")
    icons.make_icons(tmp_path)
    for size in icons.PNG_SIZES:
        png = (tmp_path / "hicolor" / f"{size}x{size}" / "apps" / "nocdesk.png").read_bytes()
        assert _png_size(png) == (size, size)
    assert (tmp_path / "hicolor/scalable/apps/nocdesk.svg").read_bytes() == icons.SVG.read_bytes()
    ico = (tmp_path / "nocdesk.ico").read_bytes()
    reserved, kind, count = struct.unpack("<HHH", ico[:6])
    assert (reserved, kind, count) == (0, 1, len(icons.ICO_SIZES))
    sizes = []
    for i in range(count):
        width, _h, _c, _r, _planes, bits, length, offset = struct.unpack("<BBBBHHII", ico[6 + 16 * i:22 + 16 * i])
        width = width or 256
        sizes.append(width)
        blob = ico[offset:offset + length]
        assert bits == 32 and len(blob) == length
        if width <= icons.ICO_BMP_MAX_PX:
            assert struct.unpack("<Iii", blob[:12]) == (40, width, 2 * width)  # DIB header, height doubled
            # the centre pixel is the icon's opaque tile colour, not transparent
            row = width // 2
            bgra = blob[40 + (width - 1 - row) * width * 4 + (width // 2) * 4:][:4]
            assert bgra[3] == 255
        else:
            assert _png_size(blob) == (width, width)
    assert sizes == list(icons.ICO_SIZES)


# --- desktop entry and systemd unit ------------------------------------------------------------------------

def _desktop(path: Path) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser


def test_desktop_entry_starts_the_console_script_with_our_icon() -> None:
    entry = _desktop(INSTALLER / "nocdesk.desktop")["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Exec"].split()[0] == "nocdesk" == entry["TryExec"]
    assert 'nocdesk = "nocdesk.cli:main"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert entry["Icon"] == "nocdesk" and _load("make_icons").SVG.name == "nocdesk.svg"
    assert entry["Categories"].endswith(";") and "Network" in entry["Categories"].split(";")
    assert entry["Terminal"] == "false"
    assert entry["StartupWMClass"] == "nocdesk"  # Qt's WM_CLASS for this app
    assert "Comment[id]" in entry and "GenericName[id]" in entry


def test_desktop_entry_validates() -> None:
    tool = shutil.which("desktop-file-validate")
    if tool is None:
        _missing_tool("desktop-file-validate (apt install desktop-file-utils)")
    result = subprocess.run([tool, str(INSTALLER / "nocdesk.desktop")], capture_output=True, text=True)
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_systemd_unit_runs_the_headless_engine() -> None:
    unit = configparser.ConfigParser(interpolation=None, strict=False)
    unit.optionxform = str
    unit.read(INSTALLER / "nocdesk-poll.service", encoding="utf-8")
    service = unit["Service"]
    argv = service["ExecStart"].split()
    assert argv[0] == "/opt/nocdesk/nocdesk" and argv[1] == "poll"
    assert argv[argv.index("--db") + 1].startswith("/var/lib/nocdesk/")
    assert service["User"] == "nocdesk" and service["StateDirectory"] == "nocdesk"
    assert "CAP_NET_RAW" in service["AmbientCapabilities"].split()
    assert "NOCDESK_DATA_DIR=/var/lib/nocdesk" in service["Environment"]
    assert unit["Install"]["WantedBy"] == "multi-user.target"


# --- scripts -----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("script", SCRIPTS)
def test_shell_scripts_parse(script: str) -> None:
    result = subprocess.run(["bash", "-n", str(INSTALLER / script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def _fake_release(tmp_path: Path) -> Path:
    """A tarball folder laid out by stage.sh around a stand-in app (a shell script) and two icons."""
    app = tmp_path / "app"
    app.mkdir()
    (app / "nocdesk").write_text("#!/bin/sh\necho 'nocdesk 9.9.9'\n")
    (app / "nocdesk").chmod(0o755)
    (app / "_internal").mkdir()
    (app / "_internal" / "data.txt").write_text("x")
    for size in ("16x16", "scalable"):
        icon = tmp_path / "icons" / "hicolor" / size / "apps" / "nocdesk.png"
        icon.parent.mkdir(parents=True)
        icon.write_bytes(b"png")
    out = tmp_path / "nocdesk-9.9.9-linux-x86_64"
    subprocess.run(["bash", str(INSTALLER / "stage.sh"), str(app), str(tmp_path / "icons"), str(out), "9.9.9", "2.31"],
                   check=True)
    return out


def _run(args: list[str], destdir: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "DESTDIR": str(destdir)}
    return subprocess.run(["bash", *args], env=env, capture_output=True, text=True)


def test_install_and_uninstall_into_a_staging_root(tmp_path: Path) -> None:
    release = _fake_release(tmp_path)
    root = tmp_path / "root"
    result = _run([str(release / "install.sh")], root)
    assert result.returncode == 0, result.stderr
    prefix = root / "opt/nocdesk"
    assert subprocess.run([str(prefix / "nocdesk")], capture_output=True, text=True).stdout.strip() == "nocdesk 9.9.9"
    assert (prefix / "_internal/data.txt").is_file() and (prefix / "uninstall.sh").is_file()
    link = root / "usr/local/bin/nocdesk"
    assert link.is_symlink() and os.readlink(link) == "/opt/nocdesk/nocdesk"
    desktop = _desktop(root / "usr/share/applications/nocdesk.desktop")
    assert desktop["Desktop Entry"]["Exec"] == "/opt/nocdesk/nocdesk"
    assert desktop["Desktop Action demo"]["Exec"] == "/opt/nocdesk/nocdesk --demo"
    assert (root / "usr/share/icons/hicolor/16x16/apps/nocdesk.png").is_file()
    assert "ExecStart=/opt/nocdesk/nocdesk poll" in (root / "etc/systemd/system/nocdesk-poll.service").read_text()
    manifest = (prefix / ".nocdesk-installed").read_text().splitlines()
    assert "/usr/local/bin/nocdesk" in manifest and "/usr/share/applications/nocdesk.desktop" in manifest

    again = _run([str(release / "install.sh")], root)  # an upgrade over our own installation is fine
    assert again.returncode == 0, again.stderr

    gone = _run([str(prefix / "uninstall.sh")], root)
    assert gone.returncode == 0, gone.stderr
    left = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file() or p.is_symlink())
    assert left == [], left


def test_install_with_another_prefix_rewrites_every_path(tmp_path: Path) -> None:
    release = _fake_release(tmp_path)
    root = tmp_path / "root"
    result = _run([str(release / "install.sh"), "--prefix", "/srv/nd", "--bindir", "/usr/bin"], root)
    assert result.returncode == 0, result.stderr
    assert os.readlink(root / "usr/bin/nocdesk") == "/srv/nd/nocdesk"
    assert "/opt/nocdesk" not in (root / "etc/systemd/system/nocdesk-poll.service").read_text()
    assert _desktop(root / "usr/share/applications/nocdesk.desktop")["Desktop Entry"]["Exec"] == "/srv/nd/nocdesk"


def test_install_refuses_a_folder_it_did_not_create(tmp_path: Path) -> None:
    release = _fake_release(tmp_path)
    root = tmp_path / "root"
    (root / "opt/nocdesk").mkdir(parents=True)
    (root / "opt/nocdesk/precious.txt").write_text("keep me")
    result = _run([str(release / "install.sh")], root)
    assert result.returncode != 0 and "was not installed by this script" in result.stderr
    assert (root / "opt/nocdesk/precious.txt").read_text() == "keep me"


def test_windows_installer_uses_the_programs_the_spec_builds() -> None:
    iss = (INSTALLER / "windows" / "nocdesk.iss").read_text(encoding="utf-8")
    spec = (INSTALLER / "nocdesk.spec").read_text(encoding="utf-8")
    assert 'name="nocdesk-gui"' in spec and 'name="nocdesk"' in spec
    assert "{app}\\nocdesk-gui.exe" in iss and "{app}\\nocdesk.exe" in iss
    assert (INSTALLER / "windows" / "nocdesk-poll.cmd").is_file() and 'Source: "nocdesk-poll.cmd"' in iss
    assert "poll --db" in iss and "[UninstallRun]" in iss


# --- the real build (minutes): NOCDESK_BUILD_TEST=1 ---------------------------------------------------------

@pytest.mark.slow
@pytest.mark.timeout(3600)
@pytest.mark.skipif(os.environ.get("NOCDESK_BUILD_TEST") != "1", reason="set NOCDESK_BUILD_TEST=1 (builds for minutes)")
def test_real_build_and_smoke_test() -> None:
    if sys.platform != "linux":
        pytest.skip("the Linux build runs on Linux")
    build = subprocess.run(["bash", str(INSTALLER / "build_linux.sh")], cwd=ROOT, capture_output=True, text=True)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    assert (ROOT / "dist" / "nocdesk" / "nocdesk").is_file()
    assert list((ROOT / "dist").glob("nocdesk-*-linux-*.tar.gz"))
    smoke = subprocess.run(["bash", str(INSTALLER / "smoke_test.sh")], cwd=ROOT, capture_output=True, text=True)
    print(build.stdout[-800:], smoke.stdout, sep="\n")
    assert smoke.returncode == 0, smoke.stdout + smoke.stderr
    assert " 0 failed" in smoke.stdout
