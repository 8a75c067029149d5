"""Draw images/icon.png (128x128): three stacked stage blocks narrowing towards the final one.

python3 scripts/make_icon.py
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

SIZE = 128
BACKGROUND = (22, 58, 94, 255)
BLOCKS = (  # (top, height, left, right, colour): builder stages wide, the final stage small
    (18, 26, 14, 114, (86, 156, 214, 255)),
    (51, 26, 26, 102, (78, 201, 176, 255)),
    (84, 26, 44, 84, (255, 204, 102, 255)),
)


def pixel(x: int, y: int) -> tuple[int, int, int, int]:
    corner = 18  # rounded background
    cx = min(max(x, corner), SIZE - 1 - corner)
    cy = min(max(y, corner), SIZE - 1 - corner)
    if (x - cx) ** 2 + (y - cy) ** 2 > corner**2:
        return (0, 0, 0, 0)
    for top, height, left, right, colour in BLOCKS:
        if top <= y < top + height and left <= x < right:
            return colour
    return BACKGROUND


def png(width: int, height: int) -> bytes:
    rows = b"".join(b"\x00" + b"".join(bytes(pixel(x, y)) for x in range(width)) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")


if __name__ == "__main__":
    target = Path(__file__).resolve().parent.parent / "images" / "icon.png"
    target.write_bytes(png(SIZE, SIZE))
    print(target)
