"""UK postcodes and postcode districts: where they are, and how far apart things are."""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

OUTCODES_CSV = Path(__file__).resolve().parent.parent / "data" / "uk-outcodes.csv"
EARTH_RADIUS_KM = 6371.0088
# An outward code (district), optionally followed by an inward code: "SW1A", "SW1A 1AA", "m11aa".
_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})?$")


class PostcodeError(ValueError):
    """Why a postcode could not be used: `kind` is "invalid" or "unknown"."""

    def __init__(self, kind: str, text: str):
        super().__init__(f"{kind} postcode: {text!r}")
        self.kind = kind
        self.text = text


@dataclass(frozen=True)
class Place:
    outcode: str
    latitude: float
    longitude: float


@cache
def _outcodes() -> dict[str, tuple[float, float]]:
    with OUTCODES_CSV.open(encoding="utf-8", newline="") as handle:
        return {row["outcode"]: (float(row["latitude"]), float(row["longitude"])) for row in csv.DictReader(handle)}


def normalise_outcode(text: str) -> str:
    """The district of a full postcode or district ("sw1a 1aa" -> "SW1A"); raises PostcodeError("invalid")."""
    cleaned = " ".join(text.upper().split())
    match = _POSTCODE.match(cleaned)
    if not match:
        raise PostcodeError("invalid", text)
    return match.group(1)


def locate(text: str) -> Place:
    """Where a postcode or district is (its district's centroid); raises PostcodeError."""
    outcode = normalise_outcode(text)
    position = _outcodes().get(outcode)
    if position is None:
        raise PostcodeError("unknown", text)
    return Place(outcode=outcode, latitude=position[0], longitude=position[1])


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))
