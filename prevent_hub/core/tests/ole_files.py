"""Building OLE2 compound files for upload tests (no real Office file is
committed; this is the smallest file that carries a VBA project)."""

import struct

FREE, END, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
SECTOR = 512


def _entry(name, kind, *, left=NOSTREAM, right=NOSTREAM, child=NOSTREAM, start=END, size=0):
    encoded = (name + "\0").encode("utf-16-le") if name else b""
    return (encoded.ljust(64, b"\0") + struct.pack("<HBB3I", len(encoded), kind, 1, left, right, child)
            + b"\0" * 16 + b"\0" * 4 + b"\0" * 16 + struct.pack("<IQ", start, size))


def ole_with_vba_project() -> bytes:
    """A minimal OLE2 compound file holding a VBA project (PROJECT, VBA/dir,
    VBA/_VBA_PROJECT), as a macro-enabled Office file carries one."""
    stream = 4096  # at the mini-stream cutoff, so every stream sits in plain sectors
    per = stream // SECTOR
    project, vba_project, dir_ = 3, 3 + per, 3 + 2 * per
    entries = [
        _entry("Root Entry", 5, child=1),
        _entry("PROJECT", 2, left=2, start=project, size=stream),
        _entry("VBA", 1, child=3),
        _entry("_VBA_PROJECT", 2, left=4, start=vba_project, size=stream),
        _entry("dir", 2, start=dir_, size=stream),
    ]
    entries += [_entry("", 0)] * (8 - len(entries))
    fat = [FATSECT, 2, END]
    for first in (project, vba_project, dir_):
        fat += [first + n + 1 for n in range(per - 1)] + [END]
    fat += [FREE] * (SECTOR // 4 - len(fat))
    header = (bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, END, 0, END, 0)
              + struct.pack("<I", 0) + struct.pack("<I", FREE) * 108)
    body = struct.pack(f"<{len(fat)}I", *fat) + b"".join(entries)
    for name in (b"ID=\"{00000000-0000-0000-0000-000000000000}\"\r\n", b"\xcc\x61", b"\x01\x00"):
        body += name.ljust(stream, b"\0")
    return header + body
