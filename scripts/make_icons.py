"""Render the navigation icons (resources/icons/<screen>.svg) to PNG at 24 and 48 px.

    python scripts/make_icons.py

The program loads the PNGs: they need no SVG image plugin (an installer may leave it out)
and load in a fraction of the time. Run this again after changing an SVG and commit the
PNGs. The app icon (parapp.png / parapp.ico) is made by installer/make_icon.py, not here.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
SCREENS = (
    "overview",
    "self_assessment",
    "evidence",
    "plan",
    "documents",
    "sync",
    "appraisal",
    "result",  # the "appraisal" entry as a commune's office sees it
    "settings",
)
SIZES = ((24, ""), (48, "@2x"))


def render(svg: Path, size: int, out: Path) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg}: not a valid SVG")
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    if not image.save(str(out), "PNG"):
        raise SystemExit(f"cannot write {out}")


def main() -> int:
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 (kept alive)
    for name in SCREENS:
        svg = ICONS / f"{name}.svg"
        for size, suffix in SIZES:
            out = ICONS / f"{name}{suffix}.png"
            render(svg, size, out)
            print(out.relative_to(ICONS.parents[1]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
