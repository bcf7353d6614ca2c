"""An idea's optional place: an address as typed and/or a point (WGS84 latitude, longitude)
inside Espoo. Shown as text and as a link to the city's map service, never as map tiles."""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _

from ..core.exceptions import ServiceError
from ..core.formats import format_number
from ..core.geo import ESPOO_LAT, ESPOO_LON, in_espoo
from .models import PLACE_ADDRESS_MAX

DECIMALS = 5  # about a metre
NUMBER = re.compile(r"[+-]?\d{1,3}(?:[.,]\d{1,12})?")


@dataclass(frozen=True)
class Place:
    address: str = ""
    lat: float | None = None
    lon: float | None = None


def _degrees(text: str, field: str) -> float | None:
    text = (text or "").strip().replace("°", "").strip()
    if not text:
        return None
    if not NUMBER.fullmatch(text):
        raise ServiceError(_("Write the coordinate as decimal degrees, for example 60.2055."),
                           field)
    return round(float(text.replace(",", ".")), DECIMALS)


def parse_place(address: str, lat_text: str, lon_text: str) -> Place:
    """The place a form describes, checked: ServiceError (with its field) when it is wrong."""
    address = " ".join((address or "").split())
    if len(address) > PLACE_ADDRESS_MAX:
        raise ServiceError(_("Use at most %(max)d characters in the address.",
                             max=PLACE_ADDRESS_MAX), "place_address")
    lat, lon = _degrees(lat_text, "place_lat"), _degrees(lon_text, "place_lon")
    if (lat is None) != (lon is None):
        raise ServiceError(_("Give both the latitude and the longitude, or leave both empty."),
                           "place_lon" if lon is None else "place_lat")
    if lat is not None and not in_espoo(lat, lon):
        raise ServiceError(_(
            "This point is not in Espoo. The latitude must be between %(lat_min)s and "
            "%(lat_max)s and the longitude between %(lon_min)s and %(lon_max)s.",
            lat_min=format_number(ESPOO_LAT[0], 2), lat_max=format_number(ESPOO_LAT[1], 2),
            lon_min=format_number(ESPOO_LON[0], 2), lon_max=format_number(ESPOO_LON[1], 2)),
            "place_lat")
    return Place(address, lat, lon)


def degrees_field(value: float | None) -> str:
    """A stored coordinate as the form shows it to be edited: '60.2055' (empty if none)."""
    if value is None:
        return ""
    return f"{value:.{DECIMALS}f}".rstrip("0").rstrip(".")


def coordinates_text(lat: float | None, lon: float | None) -> str:
    """'60,20550° N, 24,65590° E' in the page's language and number style."""
    if lat is None or lon is None:
        return ""
    return _("%(lat)s° N, %(lon)s° E", lat=format_number(lat, DECIMALS),
             lon=format_number(lon, DECIMALS))
