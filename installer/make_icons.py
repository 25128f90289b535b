"""Render resources/icons/nocdesk.svg into the icon files the installers need, at build time.

    python installer/make_icons.py [OUT_DIR]      # default: build/icons

Writes OUT_DIR/hicolor/<N>x<N>/apps/nocdesk.png for the freedesktop icon theme (16..256 px),
OUT_DIR/hicolor/scalable/apps/nocdesk.svg, and OUT_DIR/nocdesk.ico for Windows (16..48 px as 32-bit
bitmaps, which every Windows tool reads, 64..256 px as PNG). Uses only PySide6 (QtSvg), no extra packages.
"""

from __future__ import annotations

import os
import shutil
import struct
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SVG = ROOT / "resources" / "icons" / "nocdesk.svg"
PNG_SIZES = (16, 22, 24, 32, 48, 64, 128, 256)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
ICO_BMP_MAX_PX = 48


def render_rgba(svg: Path, size_px: int) -> tuple[bytes, bytes]:
    """(PNG bytes, raw RGBA8888 rows top-down) of the SVG drawn on a transparent size_px square."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise ValueError(f"{svg}: not a valid SVG icon; fix the file (it must open in a browser)")
    image = QImage(size_px, size_px, QImage.Format.Format_RGBA8888)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size_px, size_px))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    raw = b"".join(bytes(image.constScanLine(y))[: size_px * 4] for y in range(size_px))
    return bytes(data), raw


def _bmp_entry(size_px: int, rgba: bytes) -> bytes:
    """An ICO image as a 32-bit BGRA DIB (bottom-up rows) followed by its 1-bit AND mask (all opaque)."""
    header = struct.pack("<IiiHHIIiiII", 40, size_px, size_px * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    rows = []
    for y in range(size_px - 1, -1, -1):
        row = rgba[y * size_px * 4:(y + 1) * size_px * 4]
        bgra = bytearray(row)
        bgra[0::4], bgra[2::4] = row[2::4], row[0::4]
        rows.append(bytes(bgra))
    mask_row_bytes = ((size_px + 31) // 32) * 4
    return header + b"".join(rows) + b"\0" * (mask_row_bytes * size_px)


def pack_ico(images: list[tuple[int, bytes, bytes]]) -> bytes:
    """An .ico file from (size_px, png, rgba) tuples: small sizes as bitmaps, large ones as PNG."""
    entries = [(size, _bmp_entry(size, rgba) if size <= ICO_BMP_MAX_PX else png) for size, png, rgba in images]
    offset = 6 + 16 * len(entries)
    directory, blobs = [], []
    for size, blob in entries:
        dim = 0 if size >= 256 else size  # 0 means 256 in an ICO directory
        directory.append(struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset))
        blobs.append(blob)
        offset += len(blob)
    return struct.pack("<HHH", 0, 1, len(entries)) + b"".join(directory) + b"".join(blobs)


def make_icons(out_dir: Path, svg: Path = SVG) -> list[Path]:
    """Write the hicolor PNGs, the scalable SVG and nocdesk.ico into out_dir; returns the files written."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication

    _app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - QPainter needs one
    written: list[Path] = []
    rendered: dict[int, tuple[bytes, bytes]] = {}
    for size in sorted(set(PNG_SIZES) | set(ICO_SIZES)):
        rendered[size] = render_rgba(svg, size)
    for size in PNG_SIZES:
        path = out_dir / "hicolor" / f"{size}x{size}" / "apps" / "nocdesk.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(rendered[size][0])
        written.append(path)
    scalable = out_dir / "hicolor" / "scalable" / "apps" / "nocdesk.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(svg, scalable)
    written.append(scalable)
    ico = out_dir / "nocdesk.ico"
    ico.write_bytes(pack_ico([(size, *rendered[size]) for size in ICO_SIZES]))
    written.append(ico)
    return written


def main(argv: list[str] | None = None) -> int:
    """Command line: make_icons.py [OUT_DIR]."""
    args = sys.argv[1:] if argv is None else argv
    out_dir = Path(args[0]) if args else ROOT / "build" / "icons"
    for path in make_icons(out_dir):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
