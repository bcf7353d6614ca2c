"""Places in Espoo: the bounding box ideas' points must lie in, and WGS84 -> ETRS-GK25.

The city's map service (kartat.espoo.fi) takes a position as ETRS-GK25 (EPSG:3879)
northing and easting. The projection is the transverse Mercator on the GRS80 ellipsoid with
Krüger's series (as in the Finnish public-administration recommendation JHS 197):
central meridian 25° E, scale 1, false easting 25,500,000 m. Accurate to millimetres in Espoo.
"""

from __future__ import annotations

import math

# Espoo with its archipelago, generously rounded (WGS84 degrees).
ESPOO_LAT = (60.02, 60.37)
ESPOO_LON = (24.37, 24.87)

_A = 6378137.0
_F = 1 / 298.257222101
_N = _F / (2 - _F)
_E = math.sqrt(_F * (2 - _F))
_A1 = _A / (1 + _N) * (1 + _N ** 2 / 4 + _N ** 4 / 64)
_H = (
    _N / 2 - 2 / 3 * _N ** 2 + 5 / 16 * _N ** 3 + 41 / 180 * _N ** 4,
    13 / 48 * _N ** 2 - 3 / 5 * _N ** 3 + 557 / 1440 * _N ** 4,
    61 / 240 * _N ** 3 - 103 / 140 * _N ** 4,
    49561 / 161280 * _N ** 4,
)
GK25_MERIDIAN = 25.0
GK25_FALSE_EASTING = 25_500_000.0


def in_espoo(lat: float, lon: float) -> bool:
    return ESPOO_LAT[0] <= lat <= ESPOO_LAT[1] and ESPOO_LON[0] <= lon <= ESPOO_LON[1]


def to_gk25(lat: float, lon: float) -> tuple[float, float]:
    """(northing, easting) in metres, ETRS-GK25 (EPSG:3879), of a WGS84 point."""
    phi = math.radians(lat)
    q = math.asinh(math.tan(phi)) - _E * math.atanh(_E * math.sin(phi))
    beta = math.atan(math.sinh(q))
    eta0 = math.atanh(math.cos(beta) * math.sin(math.radians(lon - GK25_MERIDIAN)))
    xi0 = math.asin(math.sin(beta) * math.cosh(eta0))
    xi, eta = xi0, eta0
    for index, h in enumerate(_H, start=1):
        xi += h * math.sin(2 * index * xi0) * math.cosh(2 * index * eta0)
        eta += h * math.cos(2 * index * xi0) * math.sinh(2 * index * eta0)
    return _A1 * xi, _A1 * eta + GK25_FALSE_EASTING
