"""Just enough PNG decoding (8-bit RGB/RGBA, non-interlaced, as Chromium writes screenshots) to count pixels of a
colour, so a test can tell that a chart was actually drawn in a screenshot."""

from __future__ import annotations

import struct
import zlib


def _paeth(a: int, b: int, c: int) -> int:
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    return a if pa <= pb and pa <= pc else (b if pb <= pc else c)


def rows(png: bytes) -> tuple[int, int, list[bytearray]]:
    """(width, bytes per pixel, unfiltered scanlines)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, width = 8, b"", 0
    while pos < len(png):
        length, kind = struct.unpack(">I4s", png[pos : pos + 8])
        data = png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", data[:10])
            assert depth == 8 and colour in (2, 6), "only 8-bit RGB/RGBA"
            bpp = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += data
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    out: list[bytearray] = []
    previous = bytearray(stride)
    for y in range(height):
        filter_type, line = raw[y * (stride + 1)], bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up, up_left = previous[i], (previous[i - bpp] if i >= bpp else 0)
            line[i] = (line[i] + (0, left, up, (left + up) // 2, _paeth(left, up, up_left))[filter_type]) & 0xFF
        out.append(line)
        previous = line
    return width, bpp, out


def count_colour(png: bytes, rgb: tuple[int, int, int], tolerance: int = 8) -> int:
    width, bpp, lines = rows(png)
    count = 0
    for line in lines:
        for x in range(0, width * bpp, bpp):
            if all(abs(line[x + k] - rgb[k]) <= tolerance for k in range(3)):
                count += 1
    return count
