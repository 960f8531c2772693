"""Reading what a STEP (ISO 10303-21, "Part 21") file says about itself, without OpenCASCADE.

- ``sniff``: is this a Part-21 file? (BOM, whitespace and comments may precede the magic line)
- ``decode_string``: Part-21 string escapes (``''``, ``\\\\``, ``\\S\\``, ``\\X\\``, ``\\X2\\…\\X0\\``,
  ``\\X4\\…\\X0\\``) to text
- ``read_header``: FILE_DESCRIPTION / FILE_NAME / FILE_SCHEMA and the application protocol
- ``length_unit``: the file's length unit and its factor to millimetres
- ``product_names``: names of the PRODUCT entities (the parts and assemblies)

Bytes that are not valid UTF-8 are decoded as Windows-1252 (what CAD systems that write them
mean, in practice); nothing here raises on odd text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

MAGIC = b"ISO-10303-21;"
BOM = b"\xef\xbb\xbf"  # UTF-8 byte-order mark: OpenCASCADE refuses a file that starts with it


def sniff(head: bytes) -> bool:
    """True when ``head`` (the first few KB) starts like a Part-21 file."""
    data = head.removeprefix(BOM)
    pos = 0
    while pos < len(data):
        if data[pos : pos + 1].isspace():
            pos += 1
        elif data.startswith(b"/*", pos):
            end = data.find(b"*/", pos + 2)
            if end < 0:
                return False
            pos = end + 2
        else:
            return data.startswith(MAGIC, pos)
    return False


def to_text(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


_X2 = re.compile(r"\\X2\\((?:[0-9A-Fa-f]{4})*)\\X0\\")
_X4 = re.compile(r"\\X4\\((?:[0-9A-Fa-f]{8})*)\\X0\\")
_X = re.compile(r"\\X\\([0-9A-Fa-f]{2})")
_S = re.compile(r"\\S\\(.)", re.DOTALL)
_P = re.compile(r"\\P[A-I]\\")


def _utf16(hexdigits: str) -> str:
    raw = bytes.fromhex(hexdigits)
    return raw.decode("utf-16-be", errors="replace")


def decode_string(raw: str) -> str:
    """Decode the inside of a Part-21 string literal (without the surrounding quotes)."""
    text = raw.replace("''", "'")
    text = _X2.sub(lambda m: _utf16(m.group(1)), text)
    text = _X4.sub(lambda m: bytes.fromhex(m.group(1)).decode("utf-32-be", errors="replace"), text)
    text = _X.sub(lambda m: bytes([int(m.group(1), 16)]).decode("latin-1"), text)
    text = _S.sub(lambda m: chr(ord(m.group(1)) + 128) if ord(m.group(1)) < 128 else m.group(1), text)
    text = _P.sub("", text)
    return text.replace("\\\\", "\\")


# -- a small reader for entity parameter lists -------------------------------------------------


class Params:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def _skip(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in " \t\r\n":
            self.pos += 1

    def value(self) -> Any:
        self._skip()
        ch = self.text[self.pos]
        if ch == "'":
            return self._string()
        if ch == "(":
            return self.list()
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] not in ",)":
            if self.text[self.pos] == "(":  # typed parameter, e.g. LENGTH_MEASURE(1.)
                self.list()
            else:
                self.pos += 1
        token = self.text[start : self.pos].strip()
        return None if token in ("$", "*") else token

    def _string(self) -> str:
        self.pos += 1
        out = []
        while self.pos < len(self.text):
            ch = self.text[self.pos]
            if ch == "'":
                if self.text.startswith("''", self.pos):
                    out.append("''")
                    self.pos += 2
                    continue
                self.pos += 1
                break
            out.append(ch)
            self.pos += 1
        return decode_string("".join(out))

    def list(self) -> list[Any]:
        self._skip()
        assert self.text[self.pos] == "("
        self.pos += 1
        items: list[Any] = []
        self._skip()
        if self.pos < len(self.text) and self.text[self.pos] == ")":
            self.pos += 1
            return items
        while self.pos < len(self.text):
            items.append(self.value())
            self._skip()
            if self.pos >= len(self.text):
                break
            if self.text[self.pos] == ",":
                self.pos += 1
                continue
            if self.text[self.pos] == ")":
                self.pos += 1
                break
        return items


def _entity_params(section: str, name: str) -> list[Any] | None:
    match = re.search(rf"\b{name}\s*\(", section)
    if match is None:
        return None
    try:
        return Params(section[match.end() - 1 :]).list()
    except (AssertionError, IndexError):
        return None


# -- header ----------------------------------------------------------------------------------

_PROTOCOLS = (
    ("AP242", ("AP242", "MANAGED_MODEL_BASED_3D_ENGINEERING")),
    ("AP214", ("AUTOMOTIVE_DESIGN", "AP214")),
    ("AP203", ("CONFIG_CONTROL_DESIGN", "AP203", "CONFIGURATION_CONTROLLED_3D_DESIGN")),
)


def application_protocol(schemas: list[str]) -> str:
    joined = " ".join(schemas).upper()
    for name, markers in _PROTOCOLS:
        if any(marker in joined for marker in markers):
            return name
    return "other"


@dataclass
class StepHeader:
    schema: list[str] = field(default_factory=list)
    application_protocol: str = "other"
    description: list[str] = field(default_factory=list)
    file_name: str | None = None
    file_date: str | None = None
    authors: list[str] = field(default_factory=list)
    organizations: list[str] = field(default_factory=list)
    preprocessor: str | None = None
    originating_system: str | None = None
    authorization: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _strings(value: Any) -> list[str]:
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str) and v]
    return [value] if isinstance(value, str) and value else []


def first_text(values: list[Any], index: int) -> str | None:
    if index < len(values) and isinstance(values[index], str) and values[index]:
        return str(values[index])
    return None


def read_header(data: bytes) -> StepHeader:
    """Parse the HEADER section; missing or odd entities leave their fields empty."""
    text = to_text(data[: 64 * 1024])
    end = text.find("ENDSEC;")
    section = text[: end if end >= 0 else len(text)]
    header = StepHeader()
    if (desc := _entity_params(section, "FILE_DESCRIPTION")) is not None and desc:
        header.description = _strings(desc[0])
    if (name := _entity_params(section, "FILE_NAME")) is not None:
        header.file_name = first_text(name, 0)
        header.file_date = first_text(name, 1)
        header.authors = _strings(name[2]) if len(name) > 2 else []
        header.organizations = _strings(name[3]) if len(name) > 3 else []
        header.preprocessor = first_text(name, 4)
        header.originating_system = first_text(name, 5)
        header.authorization = first_text(name, 6)
    if (schema := _entity_params(section, "FILE_SCHEMA")) is not None and schema:
        header.schema = _strings(schema[0])
    header.application_protocol = application_protocol(header.schema)
    return header


# -- units and products ------------------------------------------------------------------------

_SI_PREFIX_MM = {
    None: 1000.0,
    "MILLI": 1.0,
    "CENTI": 10.0,
    "DECI": 100.0,
    "KILO": 1_000_000.0,
    "MICRO": 0.001,
    "NANO": 1e-6,
}
_CONVERSION_MM = {
    "INCH": 25.4,
    "FOOT": 304.8,
    "YARD": 914.4,
    "MILE": 1_609_344.0,
    "MIL": 0.0254,
    "THOU": 0.0254,
}
_SI_LENGTH = re.compile(
    r"LENGTH_UNIT\s*\(\s*\)[^;]*?SI_UNIT\s*\(\s*(\.(\w+)\.|\$)\s*,\s*\.METRE\.\s*\)", re.S
)
_SI_LENGTH_ALT = re.compile(r"SI_UNIT\s*\(\s*(\.(\w+)\.|\$)\s*,\s*\.METRE\.\s*\)[^;]*?LENGTH_UNIT", re.S)
_CONVERSION = re.compile(r"CONVERSION_BASED_UNIT\s*\(\s*'([^']*)'", re.S)


@dataclass(frozen=True)
class LengthUnit:
    name: str
    mm: float  # millimetres per unit


def length_unit(data: bytes) -> LengthUnit | None:
    """The first length unit the file declares (conversion-based units such as inch win)."""
    text = to_text(data)
    for match in _CONVERSION.finditer(text):
        name = match.group(1).strip().upper()
        if name in _CONVERSION_MM:
            return LengthUnit(name.lower(), _CONVERSION_MM[name])
    for pattern in (_SI_LENGTH, _SI_LENGTH_ALT):
        si = pattern.search(text)
        if si is not None:
            prefix = si.group(2)
            if prefix in _SI_PREFIX_MM:
                return LengthUnit(f"{(prefix or '').lower()}metre", _SI_PREFIX_MM[prefix])
    return None


_PRODUCT = re.compile(r"=\s*PRODUCT\s*\(", re.S)


def product_names(data: bytes) -> list[str]:
    """Names of the PRODUCT entities, decoded, in file order."""
    text = to_text(data)
    names = []
    for match in _PRODUCT.finditer(text):
        try:
            params = Params(text[match.end() - 1 :]).list()
        except (AssertionError, IndexError):
            continue
        name = first_text(params, 1) or first_text(params, 0)
        if name:
            names.append(name)
    return names


def count_entities(data: bytes, name: str) -> int:
    """How many instances of entity ``name`` the DATA section has (e.g. ADVANCED_FACE)."""
    return len(re.findall(rb"=\s*" + name.encode() + rb"\s*\(", data))
