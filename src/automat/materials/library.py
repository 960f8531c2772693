"""The built-in material library and the default part-name aliases.

Names follow ``SCHAEFFLER_<6 digits>_<Name>``. The render issue appends these materials from the
library ``.blend`` that ``automat.blender.build_library`` generates from this very list, so the
database, the API and Blender agree on every name and parameter.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

NAME_PATTERN = re.compile(r"^SCHAEFFLER_\d{6}_[A-Za-z0-9][A-Za-z0-9_-]*$")
FALLBACK_MATERIAL = "SCHAEFFLER_059999_FailedMaterial"
PARAM_KEYS = ("clearcoat", "clearcoat_roughness", "transmission", "ior")


@dataclass(frozen=True)
class MaterialDef:
    name: str
    description: str
    base_color: tuple[float, float, float, float]
    metallic: float = 0.0
    roughness: float = 0.5
    params: dict[str, float] = field(
        default_factory=dict
    )  # clearcoat, clearcoat_roughness, transmission, ior

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["base_color"] = list(self.base_color)
        return data


# fmt: off
BUILTIN_MATERIALS: tuple[MaterialDef, ...] = (
    MaterialDef("SCHAEFFLER_010101_Steel-Bare", "Ground bearing steel, rings and races",
                (0.56, 0.57, 0.58, 1), 1.0, 0.32),
    MaterialDef("SCHAEFFLER_010102_Steel-Polished", "Polished steel, balls and rollers",
                (0.63, 0.64, 0.65, 1), 1.0, 0.08),
    MaterialDef("SCHAEFFLER_010103_Steel-BlackOxide", "Black-oxide (burnished) steel",
                (0.045, 0.045, 0.05, 1), 0.9, 0.42),
    MaterialDef("SCHAEFFLER_010104_Steel-ZincPlated", "Zinc-plated steel, shields and fasteners",
                (0.72, 0.74, 0.77, 1), 1.0, 0.28),
    MaterialDef("SCHAEFFLER_010105_Steel-Chrome", "Hard-chromed steel, shafts",
                (0.8, 0.8, 0.82, 1), 1.0, 0.05),
    MaterialDef("SCHAEFFLER_020201_Brass-Cage", "Machined brass cage",
                (0.78, 0.57, 0.26, 1), 1.0, 0.3),
    MaterialDef("SCHAEFFLER_020202_Bronze", "Bronze bushing",
                (0.55, 0.36, 0.2, 1), 1.0, 0.38),
    MaterialDef("SCHAEFFLER_030301_Polyamide-Cage", "Glass-fibre polyamide cage (PA66-GF25)",
                (0.1, 0.1, 0.1, 1), 0.0, 0.55),
    MaterialDef("SCHAEFFLER_030302_Polyamide-Natural", "Natural polyamide",
                (0.86, 0.82, 0.68, 1), 0.0, 0.5),
    MaterialDef("SCHAEFFLER_040401_Rubber-Seal-Black", "NBR rubber seal",
                (0.02, 0.02, 0.02, 1), 0.0, 0.85),
    MaterialDef("SCHAEFFLER_040402_Rubber-Seal-Red", "FKM rubber seal",
                (0.45, 0.05, 0.04, 1), 0.0, 0.8),
    MaterialDef("SCHAEFFLER_050501_Paint-Housing-Grey", "Painted cast housing, grey",
                (0.33, 0.35, 0.38, 1), 0.0, 0.55, {"clearcoat": 0.3, "clearcoat_roughness": 0.2}),
    MaterialDef("SCHAEFFLER_050502_Paint-Housing-Green", "Painted housing, Schaeffler green",
                (0.0, 0.33, 0.2, 1), 0.0, 0.5, {"clearcoat": 0.5, "clearcoat_roughness": 0.1}),
    MaterialDef("SCHAEFFLER_050503_Cast-Iron", "Unpainted grey cast iron",
                (0.3, 0.3, 0.31, 1), 0.8, 0.65),
    MaterialDef("SCHAEFFLER_060601_Ceramic-Ball", "Silicon nitride ball (hybrid bearings)",
                (0.08, 0.08, 0.09, 1), 0.0, 0.15, {"clearcoat": 1.0, "clearcoat_roughness": 0.05}),
    MaterialDef("SCHAEFFLER_070701_Aluminium", "Anodised aluminium",
                (0.91, 0.92, 0.92, 1), 1.0, 0.4),
    MaterialDef("SCHAEFFLER_080801_Glass", "Clear glass or acrylic",
                (1.0, 1.0, 1.0, 1), 0.0, 0.0, {"transmission": 1.0, "ior": 1.5}),
    MaterialDef(FALLBACK_MATERIAL, "No material matched: magenta on purpose",
                (1.0, 0.0, 1.0, 1), 0.0, 0.5),
)
# fmt: on

BUILTIN_BY_NAME: dict[str, MaterialDef] = {m.name: m for m in BUILTIN_MATERIALS}

# -- CAD colours --------------------------------------------------------------------------------
# A tenant with ``unmatched_part_material: cad_colour`` renders a part that no alias matches in a
# plain material of the colour its STEP file gives it. Such a material is named after the colour,
# ``CAD_COLOUR_FF0000``: the sRGB hex a CAD system shows (STEP's COLOUR_RGB values x 255), outside
# the ``SCHAEFFLER_`` namespace, so it can never clash with a library or tenant material. The name
# is all the render host needs: it builds the material from it. GLB colours (baseColorFactor,
# what OpenCASCADE writes and ``CadPart.color`` keeps) are linear; the name is sRGB.
CAD_COLOUR_PREFIX = "CAD_COLOUR_"
_CAD_COLOUR = re.compile(r"^CAD_COLOUR_([0-9A-F]{6})$")


def _to_srgb(linear: float) -> float:
    c = min(max(float(linear), 0.0), 1.0)
    return 12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055


def _to_linear(srgb: float) -> float:
    return srgb / 12.92 if srgb <= 0.04045 else ((srgb + 0.055) / 1.055) ** 2.4


def cad_colour_name(linear_rgba: Sequence[float]) -> str:
    """``CAD_COLOUR_<sRGB hex>`` for a linear RGB(A) colour (alpha is ignored: the material is opaque)."""
    return CAD_COLOUR_PREFIX + "".join(f"{round(_to_srgb(c) * 255):02X}" for c in linear_rgba[:3])


def cad_colour_def(name: str) -> MaterialDef | None:
    """The plain material a ``CAD_COLOUR_…`` name stands for, or None for any other name."""
    match = _CAD_COLOUR.match(name)
    if match is None:
        return None
    hex_rgb = match.group(1)
    r, g, b = (_to_linear(int(hex_rgb[i : i + 2], 16) / 255) for i in (0, 2, 4))
    return MaterialDef(name, f"CAD colour #{hex_rgb} (no alias matched the part)", (r, g, b, 1.0), 0.0, 0.5)


@dataclass(frozen=True)
class AliasDef:
    pattern: str
    kind: str  # exact | glob | regex
    material: str
    priority: int


# Seeded into every new tenant (editable and deletable there). Higher priority wins.
DEFAULT_ALIASES: tuple[AliasDef, ...] = (
    AliasDef(r"^(inner|outer)[ _.-]*(ring|race)", "regex", "SCHAEFFLER_010101_Steel-Bare", 100),
    AliasDef(r"^(inner|outer)race|^(ir|or)[ _.-]", "regex", "SCHAEFFLER_010101_Steel-Bare", 95),
    AliasDef("*ball*", "glob", "SCHAEFFLER_010102_Steel-Polished", 90),
    AliasDef("*roller*", "glob", "SCHAEFFLER_010102_Steel-Polished", 90),
    AliasDef("*needle*", "glob", "SCHAEFFLER_010102_Steel-Polished", 90),
    AliasDef(
        r"(cage|retainer|separator).*(?<![a-z])(pa\d*|polyamid\w*|plastic)(?![a-z])",
        "regex",
        "SCHAEFFLER_030301_Polyamide-Cage",
        85,
    ),
    AliasDef("*cage*", "glob", "SCHAEFFLER_020201_Brass-Cage", 80),
    AliasDef("*retainer*", "glob", "SCHAEFFLER_020201_Brass-Cage", 80),
    AliasDef("*seal*", "glob", "SCHAEFFLER_040401_Rubber-Seal-Black", 80),
    AliasDef("*shield*", "glob", "SCHAEFFLER_010104_Steel-ZincPlated", 80),
    AliasDef("*housing*", "glob", "SCHAEFFLER_050501_Paint-Housing-Grey", 70),
    AliasDef(r"(screw|bolt|nut|washer)", "regex", "SCHAEFFLER_010104_Steel-ZincPlated", 60),
    AliasDef("*shaft*", "glob", "SCHAEFFLER_010105_Steel-Chrome", 60),
    # Any other ring or race, but not the "ring" inside "Bearing".
    AliasDef(r"(?<!bea)(ring|race)", "regex", "SCHAEFFLER_010101_Steel-Bare", 50),
)
