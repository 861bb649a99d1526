"""TopoJSON (world-atlas, us-atlas) to planar lon/lat rings; used by scripts/build-world and
scripts/build-regions. Standard library only."""


def decode_arcs(topo):
    """Quantized, delta-encoded TopoJSON arcs -> lists of (lon, lat)."""
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)
    return arcs

def ring_points(arcs, idxs):
    """Concatenate arcs (negative index ~i = arc i reversed), dropping the shared joints."""
    pts = []
    for i in idxs:
        a = arcs[i] if i >= 0 else arcs[~i][::-1]
        pts.extend(a if not pts else a[1:])
    return pts

def polygons(geom):
    if geom["type"] == "Polygon":
        return [geom["arcs"]]
    if geom["type"] == "MultiPolygon":
        return geom["arcs"]
    return []

def fmt_ring(pts, nd):
    """Rounded "lon,lat" strings, consecutive duplicates dropped, closed."""
    out = []
    for lon, lat in pts:
        s = "%.*f,%.*f" % (nd, lon, nd, lat)
        if not out or out[-1] != s:
            out.append(s)
    if out and out[0] != out[-1]:
        out.append(out[0])
    return out

# world-atlas rings are spherical: a few (Russia, Fiji, Antarctica) cross the
# antimeridian or wind around a pole. The TSV rings are planar lon/lat, so such
# rings are unwrapped to continuous longitudes, closed through the pole when
# they wind around it, and cut at +-180 into pieces (Sutherland-Hodgman).

def unwrap(pts):
    out = [pts[0]]
    for lon, lat in pts[1:]:
        prev = out[-1][0]
        d = (lon - prev + 180.0) % 360.0 - 180.0
        out.append((prev + d, lat))
    return out

def clip_half(pts, x, keep_less):
    """Clip a closed ring to x' <= x (keep_less) or x' >= x."""
    inside = (lambda p: p[0] <= x) if keep_less else (lambda p: p[0] >= x)
    out = []
    n = len(pts)
    for i in range(n):
        a, b = pts[i - 1], pts[i]
        if inside(b):
            if not inside(a):
                t = (x - a[0]) / (b[0] - a[0])
                out.append((x, a[1] + t * (b[1] - a[1])))
            out.append(b)
        elif inside(a):
            t = (x - a[0]) / (b[0] - a[0])
            out.append((x, a[1] + t * (b[1] - a[1])))
    return out

def planar_pieces(ring):
    """One spherical ring -> list of planar rings inside [-180, 180]."""
    if all(abs(lat) >= 89.99 for _, lat in ring):
        return []  # the degenerate ring along a pole
    u = unwrap(ring)
    if abs(u[-1][0] - u[0][0]) > 180.0:
        # winds around a pole: close through it
        pole = -90.0 if sum(lat for _, lat in u) < 0 else 90.0
        u = u[:-1] + [(u[-1][0], pole), (u[0][0], pole)]
    else:
        u = u[:-1]
    lo = min(p[0] for p in u)
    hi = max(p[0] for p in u)
    if lo >= -180.0 and hi <= 180.0:
        return [u + [u[0]]]
    pieces = []
    for k in (-1, 0, 1):
        s = 360.0 * k
        c = clip_half(u, -180.0 + s, False)
        c = clip_half(c, 180.0 + s, True) if c else c
        if len(c) >= 3:
            c = [(lon - s, lat) for lon, lat in c]
            area = sum(c[i - 1][0] * c[i][1] - c[i][0] * c[i - 1][1] for i in range(len(c)))
            if abs(area) > 1e-9:
                pieces.append(c + [c[0]])
    return pieces

def inside_ring(pt, ring):
    x, y = pt
    c = False
    for i in range(len(ring) - 1):
        (x1, y1), (x2, y2) = ring[i], ring[i + 1]
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            c = not c
    return c

def planar_polygons(rings):
    """Spherical polygon (rings) -> planar polygons [exterior, holes...]."""
    rings = [r for r in rings if not all(abs(lat) >= 89.99 for _, lat in r)]
    if not rings:
        return []
    polys = [[p] for p in planar_pieces(rings[0])]
    for hole in rings[1:]:
        for h in planar_pieces(hole):
            for poly in polys:
                if inside_ring(h[0], poly[0]):
                    poly.append(h)
                    break
    return polys
