#!/usr/bin/env python3
"""An X window dump (xwd -root) as a PNG, and whether it shows anything.

    xwd2png.py shot.xwd shot.png   prints "WxH, N colours, the commonest covers P %";
                                    exit 1 when the picture is blank (fewer than 16
                                    colours, or one colour over 97 % of it)

Plain Python (struct and zlib), so the packages' test needs no image library: XWD is a
big-endian header, a colour map, then the pixels (ZPixmap, 24 or 32 bits a pixel).
"""
import struct
import sys
import zlib
from collections import Counter


def read_xwd(path):
    data = open(path, "rb").read()
    (header_size, _version, pixmap_format, _depth, width, height, _xoffset, byte_order,
     _unit, _bit_order, _pad, bits_per_pixel, bytes_per_line, _visual, red_mask,
     green_mask, blue_mask, _bits_rgb, _map_entries, ncolors) = struct.unpack(">20I", data[:80])
    if pixmap_format != 2 or bits_per_pixel not in (24, 32):
        raise SystemExit(f"{path}: not a 24/32-bit ZPixmap dump (format {pixmap_format}, {bits_per_pixel} bits)")
    start = header_size + ncolors * 12
    step = bits_per_pixel // 8
    endian = "little" if byte_order == 0 else "big"
    shifts = [(m, (m & -m).bit_length() - 1) for m in (red_mask, green_mask, blue_mask)]
    rows = []
    for y in range(height):
        line = data[start + y * bytes_per_line: start + y * bytes_per_line + width * step]
        row = bytearray()
        for x in range(0, width * step, step):
            p = int.from_bytes(line[x:x + step], endian)
            row += bytes((p & m) >> s for m, s in shifts)
        rows.append(bytes(row))
    return width, height, rows


def write_png(path, width, height, rows):
    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    raw = b"".join(b"\x00" + r for r in rows)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b"")
    open(path, "wb").write(png)


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: xwd2png.py shot.xwd shot.png")
    width, height, rows = read_xwd(sys.argv[1])
    write_png(sys.argv[2], width, height, rows)
    colours = Counter(r[i:i + 3] for r in rows for i in range(0, len(r), 3))
    share = colours.most_common(1)[0][1] / (width * height)
    print(f"{width}x{height}, {len(colours)} colours, the commonest covers {share:.1%}")
    sys.exit(0 if len(colours) >= 16 and share <= 0.97 else 1)


if __name__ == "__main__":
    main()
