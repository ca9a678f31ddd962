"""Draw parapp's application icon (made for this project) and write it as PNG and ICO.

    python installer/make_icon.py [OUT_DIR]        # default: resources/icons

A blue rounded square, a white check mark and "CCHC" (cải cách hành chính). The ICO holds
16, 32 and 48 px as 32-bit DIBs (what every Windows version and makensis read) and 256 px as
PNG (the Vista+ form). Existing files are never overwritten. Needs PySide6 (any platform,
runs offscreen).
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ROOT = Path(__file__).resolve().parents[1]
SIZES = (16, 32, 48, 256)
BLUE = "#1f5fbf"

LICENSE_TEXT = """\
parapp.png and parapp.ico were drawn for parapp by its developers with
installer/make_icon.py (Qt QPainter: a rounded square, a check mark and the
letters "CCHC"). They contain no third-party artwork and are distributed under
the same terms as parapp itself.
"""


def draw(size: int):  # -> QImage
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPainterPath, QPen

    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = float(size)
    margin = max(0.5, s * 0.03)
    box = QRectF(margin, margin, s - 2 * margin, s - 2 * margin)
    path = QPainterPath()
    path.addRoundedRect(box, s * 0.2, s * 0.2)
    p.fillPath(path, QColor(BLUE))

    pen = QPen(QColor("white"))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    small = size < 32
    pen.setWidthF(s * (0.14 if small else 0.1))
    p.setPen(pen)
    if small:  # no room for letters: a large check mark alone
        corners = [(0.22, 0.52), (0.42, 0.72), (0.78, 0.3)]
    else:
        corners = [(0.26, 0.36), (0.43, 0.52), (0.76, 0.17)]
    p.drawPolyline([QPointF(s * x, s * y) for x, y in corners])

    if not small:
        font = QFont("DejaVu Sans")
        font.setBold(True)
        font.setPixelSize(max(8, round(s * 0.26)))
        p.setFont(font)
        p.setPen(QColor("white"))
        p.drawText(QRectF(0, s * 0.56, s, s * 0.34), Qt.AlignmentFlag.AlignCenter, "CCHC")
    p.end()
    return image


def png_bytes(image) -> bytes:
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice

    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buf, "PNG")
    buf.close()
    return bytes(data.data())


def dib_bytes(image) -> bytes:
    """A 32-bit BGRA device-independent bitmap as ICO stores it: header with double height,
    rows bottom-up, then a 1-bit AND mask (all zero: the alpha channel decides)."""
    size = image.width()
    header = struct.pack("<IiiHHIIiiII", 40, size, size * 2, 1, 32, 0, 0, 0, 0, 0, 0)
    rows = []
    for y in range(size - 1, -1, -1):
        row = bytearray()
        for x in range(size):
            argb = image.pixel(x, y)
            row += struct.pack("<I", argb)  # little-endian ARGB is B, G, R, A in memory
        rows.append(bytes(row))
    mask_row = b"\0" * (((size + 31) // 32) * 4)
    return header + b"".join(rows) + mask_row * size


def ico_bytes(images: dict[int, object]) -> bytes:
    blobs = [
        (size, png_bytes(img) if size >= 256 else dib_bytes(img)) for size, img in images.items()
    ]
    out = struct.pack("<HHH", 0, 1, len(blobs))
    offset = 6 + 16 * len(blobs)
    directory, data = b"", b""
    for size, blob in blobs:
        dim = 0 if size >= 256 else size
        directory += struct.pack("<BBBBHHII", dim, dim, 0, 0, 1, 32, len(blob), offset)
        offset += len(blob)
        data += blob
    return out + directory + data


def main(argv: list[str]) -> int:
    from PySide6.QtGui import QGuiApplication

    out = Path(argv[0]) if argv else ROOT / "resources" / "icons"
    out.mkdir(parents=True, exist_ok=True)
    app = QGuiApplication.instance() or QGuiApplication([])  # fonts need an application
    images = {size: draw(size) for size in SIZES}
    wanted = {
        "parapp.png": lambda: png_bytes(images[256]),
        "parapp.ico": lambda: ico_bytes(images),
        "LICENSE.txt": lambda: LICENSE_TEXT.encode(),
    }
    for name, make in wanted.items():
        target = out / name
        if target.exists():
            print(f"kept existing {target}")
            continue
        target.write_bytes(make())
        print(f"wrote {target} ({target.stat().st_size} bytes)")
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
