"""Build the vendored world outline (static/world-110m-1.json) from Natural Earth 110m countries.

Run once by a developer, never at serve time:
``python -m dateline.web.build_world naturalearth_lowres.shp OUT.json``. The input is the
Natural Earth 1:110m admin-0 countries shapefile (public domain) as shipped inside the
geopandas 0.14.4 wheel (geopandas/datasets/naturalearth_lowres/).
"""

from __future__ import annotations

import json
import struct
import sys
from pathlib import Path

# Natural Earth leaves ISO_A3 at -99 for a few sovereign states; these are their ISO codes.
_ISO_FIXES = {"France": "FRA", "Norway": "NOR", "Kosovo": "XKX", "N. Cyprus": "CYN",
              "Somaliland": "SOL"}


def read_dbf(path: Path) -> list[dict[str, str]]:
    """Read the attribute rows of a dBase III file (enough for Natural Earth's .dbf)."""
    data = path.read_bytes()
    n_records, header_len, record_len = struct.unpack("<IHH", data[4:12])
    fields: list[tuple[str, int]] = []
    pos = 32
    while data[pos] != 0x0D:
        name = data[pos:pos + 11].split(b"\0")[0].decode("ascii")
        fields.append((name, data[pos + 16]))
        pos += 32
    rows = []
    for i in range(n_records):
        rec = data[header_len + i * record_len: header_len + (i + 1) * record_len]
        off, row = 1, {}
        for name, length in fields:
            row[name] = rec[off:off + length].decode("utf-8", "replace").strip()
            off += length
        rows.append(row)
    return rows


def read_polygons(path: Path) -> list[list[list[tuple[float, float]]]]:
    """Read polygon shapes (type 5) of an ESRI shapefile: per record, its rings of (lon, lat)."""
    data = path.read_bytes()
    pos, shapes = 100, []
    while pos < len(data):
        _, words = struct.unpack(">ii", data[pos:pos + 8])
        body = data[pos + 8: pos + 8 + words * 2]
        pos += 8 + words * 2
        if struct.unpack("<i", body[:4])[0] != 5:
            shapes.append([])
            continue
        n_parts, n_points = struct.unpack("<ii", body[36:44])
        parts = list(struct.unpack(f"<{n_parts}i", body[44:44 + 4 * n_parts])) + [n_points]
        pts_off = 44 + 4 * n_parts
        pts = [struct.unpack("<dd", body[pts_off + 16 * k: pts_off + 16 * k + 16])
               for k in range(n_points)]
        shapes.append([pts[parts[j]:parts[j + 1]] for j in range(n_parts)])
    return shapes


def ring_path(ring: list[tuple[float, float]], tolerance: float = 0.25) -> str:
    """SVG path of one ring in equirectangular map units (x = lon + 180, y = 90 - lat)."""
    kept: list[tuple[float, float]] = []
    for lon, lat in ring:
        x, y = round(lon + 180, 1), round(90 - lat, 1)
        if kept and abs(x - kept[-1][0]) < tolerance and abs(y - kept[-1][1]) < tolerance:
            continue
        kept.append((x, y))
    if len(kept) < 3:
        return ""
    return "M" + "L".join(f"{x:g} {y:g}" for x, y in kept) + "Z"


def build(shp: Path, out: Path) -> int:
    """Write [{"iso3", "name", "d"}] for every country; return how many were written."""
    rows = read_dbf(shp.with_suffix(".dbf"))
    countries = []
    for row, rings in zip(rows, read_polygons(shp), strict=True):
        iso = row.get("iso_a3") or ""
        if iso == "-99":
            iso = _ISO_FIXES.get(row.get("name", ""), "")
        d = "".join(ring_path(r) for r in rings)
        if d:
            countries.append({"iso3": iso or None, "name": row.get("name"), "d": d})
    header = {"source": "Natural Earth 1:110m Cultural Vectors, Admin 0 - Countries "
                        "(via geopandas 0.14.4 datasets/naturalearth_lowres)",
              "licence": "public domain (Natural Earth terms of use)",
              "projection": "equirectangular, viewBox 0 0 360 180: x = lon + 180, y = 90 - lat",
              "built_by": "python -m dateline.web.build_world"}
    out.write_text(json.dumps({"about": header, "countries": countries},
                              separators=(",", ":")), "utf-8")
    return len(countries)


if __name__ == "__main__":
    print(build(Path(sys.argv[1]), Path(sys.argv[2])), "countries written")
