"""Where an issuer or an agency stands, in the units printed at the time and in today's units.

Since 1 July 2025 Vietnam has 34 provinces and no district level; communes were merged and renamed. An
archive spans both sides, so each issuer is placed in its units as printed (province, district, commune:
from its own name, the governing body above it, and the place of the date line, which Nghị định 30/2020
(Điều 8) makes the place where the issuing body sits) and mapped to today's with the official mapping
underthesea ships offline (``underthesea.convert_address`` and its data: every old commune with its old
district and province, and its new commune and province).

A unit the text does not name is left empty: a district's province is filled in only when the mapping
knows one district of that name; a bare place name only when it names a province.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from models import AdminPlacement

from .agencies import fold_key

LEVELS = ("tỉnh", "thành phố", "huyện", "quận", "thị xã", "xã", "phường", "thị trấn")
_UNIT = re.compile(
    r"(?<![\wÀ-ỹ])(tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn)\s+"
    r"((?:[A-ZĐÀ-Ỹ0-9][\wÀ-ỹđĐ'’-]*)(?:\s+[A-ZĐÀ-Ỹ0-9][\wÀ-ỹđĐ'’-]*)*)",
    re.IGNORECASE,
)
# bodies of the central government: no unit of their own
_CENTRAL = re.compile(
    r"^(?:Bộ|Chính phủ|Thủ tướng|Văn phòng Chính phủ|Quốc hội|Ủy ban Thường vụ Quốc hội|Văn phòng Quốc hội|"
    r"Tòa án nhân dân tối cao|Viện kiểm sát nhân dân tối cao|Kiểm toán nhà nước|Ngân hàng Nhà nước|"
    r"Bảo hiểm xã hội Việt Nam|Thanh tra Chính phủ|Ban Chấp hành Trung ương|Ban Bí thư|Bộ Chính trị)(?!\w)"
)


@dataclass(frozen=True)
class Placement:
    """An issuer's or an agency's units: as printed then, and today's (with the mapping's status)."""

    province: str | None = None  # "Tỉnh Yên Bái"
    district: str | None = None  # "Huyện Mù Cang Chải"
    commune: str | None = None  # "Xã Chế Cu Nha"
    province_now: str | None = None  # "Tỉnh Lào Cai"
    commune_now: str | None = None  # "Xã Mù Cang Chải"
    # the commune's mapping (merged, renamed, unchanged, divided), else the province's (province merged,
    # province kept); "central" for a body of the central government; "not named" when no unit is printed
    status: str | None = None

    @property
    def label_now(self) -> str | None:
        """ "nay thuộc Tỉnh Lai Châu", "nay là Xã Phong Thổ, Tỉnh Lai Châu" (None for central bodies)."""
        if self.commune_now and self.province_now:
            return f"nay là {self.commune_now}, {self.province_now}"
        if self.province_now:
            return f"nay thuộc {self.province_now}"
        return None


@cache
def _spelled(name: str) -> str:
    """A name compared with its tone marks (Tam Đường in Lai Châu is not Tam Dương in Vĩnh Phúc), in the
    modern placement of marks and in lower case. Cached: the mapping repeats each district's name for
    every one of its communes."""
    import unicodedata

    from underthesea import text_normalize

    return " ".join(text_normalize(unicodedata.normalize("NFC", name)).lower().split())


def _lookup(table: dict, name: str) -> set:
    """The entries of ``table`` for a name: spelled as printed ("Tam Đường" is not "Tam Dương"), else,
    for a name the mapping spells another way ("Mù Cang Chải" / "Mù Căng Chải"), folded."""
    return table.get(_spelled(name)) or table.get("~" + fold_key(name), set())


def _title(level: str, name: str) -> str:
    return f"{level[:1].upper()}{level[1:]} {name}"


@dataclass(frozen=True)
class _Index:
    provinces: dict[str, str]  # folded name or short name -> "Tỉnh Lai Châu"
    districts: dict[str, set[str]]  # district name (no level) -> provinces it exists in
    province_now: dict[str, str]  # old province display -> new province display

    @property
    def communes(self) -> dict[str, set[tuple[str, str]]]:
        """Commune name (no level) -> (province, district) it exists in: built on first need (a commune
        named without its district or province is rare, and spelling 10,000 names costs 0.6 s)."""
        return _communes()


@cache
def _mapping() -> dict:
    import underthesea.address as address

    return json.loads((Path(address.__file__).parent / "data" / "mapping.json").read_text(encoding="utf-8"))


@cache
def _communes() -> dict[str, set[tuple[str, str]]]:
    communes: dict[str, set[tuple[str, str]]] = {}
    for record in _mapping()["ward_mapping"]:
        ward = _spelled(re.sub(r"^(?:Xã|Phường|Thị trấn)\s+", "", record["old_ward"]))
        communes.setdefault(ward, set()).add((record["old_province"], record["old_district"]))
        communes.setdefault("~" + fold_key(ward), set()).add((record["old_province"], record["old_district"]))
    return communes


@cache
def _index() -> _Index:
    """The official mapping, read once from underthesea's data."""
    data = _mapping()
    provinces: dict[str, str] = {}
    for info in data["old_province_names"].values():
        provinces[fold_key(info["name"])] = info["name"]
        provinces[fold_key(info["short"])] = info["name"]
    districts: dict[str, set[str]] = {}
    province_now: dict[str, str] = {}
    names = {k: v["name"] for k, v in data["province_names"].items()}
    for old_key, new_key in data["province_mapping"].items():
        old = data["old_province_names"].get(old_key)
        if old and new_key in names:
            province_now[old["name"]] = names[new_key]
    for record in data["ward_mapping"]:
        bare = _spelled(re.sub(r"^(?:Huyện|Quận|Thị xã|Thành phố)\s+", "", record["old_district"]))
        districts.setdefault(bare, set()).add(record["old_province"])
        districts.setdefault("~" + fold_key(bare), set()).add(record["old_province"])
    return _Index(provinces, districts, province_now)


def units_in(name: str | None) -> list[tuple[str, str]]:
    """The (level, name) pairs a name prints: "Ủy ban nhân dân xã Mường So, huyện Phong Thổ" gives
    ("xã", "Mường So") and ("huyện", "Phong Thổ")."""
    if not name:
        return []
    return [(m.group(1).lower(), " ".join(m.group(2).split())) for m in _UNIT.finditer(name)]


def place(issuer: str | None, parent: str | None = None, place_name: str | None = None) -> Placement:
    """The units of an issuer (or agency) as printed, and today's."""
    from underthesea import convert_address

    if issuer and _CENTRAL.match(issuer) and not units_in(issuer):
        return Placement(status="central")
    index = _index()
    province = district = commune = None
    for level, name in units_in(issuer) + units_in(parent):
        if level == "tỉnh" or level == "thành phố" and fold_key(name) in index.provinces and not district:
            province = province or index.provinces.get(fold_key(name), _title(level, name))
        elif level in ("huyện", "quận", "thị xã", "thành phố"):
            district = district or _title(level, name)
        else:
            commune = commune or _title(level, name)
    if province is None and district is not None and re.fullmatch(r"Quận \d{1,2}", district):
        province = "Thành phố Hồ Chí Minh"  # the one city whose districts were numbered (Quận 1 to 12)
    if province is None and district is not None:
        homes = _lookup(index.districts, re.sub(r"^(?:Huyện|Quận|Thị xã|Thành phố)\s+", "", district))
        if len(homes) == 1:  # the one province with a district of that name
            province = next(iter(homes))
    if province is None and district is None and commune is not None:
        found = _lookup(index.communes, re.sub(r"^(?:Xã|Phường|Thị trấn)\s+", "", commune))
        if len(found) == 1:  # the one commune of that name in the country
            province, district = next(iter(found))
    if province is None and place_name:
        # the place of the date line is where the body sits (Nghị định 30/2020, Điều 8): a province's
        # name, or a city or district found in one province only
        if fold_key(place_name) in index.provinces:
            province = index.provinces[fold_key(place_name)]
        else:
            homes = _lookup(index.districts, place_name)
            if len(homes) == 1:
                province = next(iter(homes))
    if province is None:
        return Placement(district=district, commune=commune, status="not named" if not (district or commune) else None)
    address = ", ".join(p for p in (commune, district, province) if p)
    result = convert_address(address)
    new = result.new
    province_now = new.province or index.province_now.get(province)
    status = result.mapping_type.value if result.mapping_type is not None else None
    if status is None:  # no commune to map (or the mapping does not know it): the province's fate
        status = "province merged" if province_now and fold_key(province_now) != fold_key(province) else "province kept"
    return Placement(
        province=province,
        district=district,
        commune=commune,
        province_now=province_now,
        commune_now=new.ward or None,
        status=status,
    )


def warm() -> None:
    """Read the mapping now (the index and underthesea's own), not on the first document: forked workers
    inherit them. The communes' index is left to the rare document that needs it."""
    from underthesea import convert_address

    _index()
    convert_address("Tỉnh Lào Cai")


def as_record(placement: Placement) -> AdminPlacement:
    """The placement as the record's model: the extractor's result and the agency registry's alike."""
    return AdminPlacement(**{name: getattr(placement, name) for name in AdminPlacement.model_fields})
