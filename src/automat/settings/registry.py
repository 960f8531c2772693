"""System settings: every key with its type, default, limits and who may override it.

A value is looked up tenant override -> installation value -> typed default. The registry is the
only place a setting is declared; unknown keys are refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from automat.kit.errors import NotFound, Unprocessable
from automat.rendering.spec import MIN_MODEL_COVERAGE


class InvalidSetting(Unprocessable):
    """The value is not valid for this setting."""

    code = "invalid_setting"


# Units by the suffix of a key; the help registry and the settings screen show them.
UNITS = {"_mb": "MB", "_s": "s", "_minutes": "min", "_hours": "h", "_days": "days", "_percent": "%"}


@dataclass(frozen=True)
class SettingDef:
    key: str
    type: type
    default: Any
    description: str
    choices: tuple[Any, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    tenant_overridable: bool = True

    @property
    def type_name(self) -> str:
        return self.type.__name__

    @property
    def unit(self) -> str | None:
        """The unit its key ends in (``_mb`` -> MB), as the help registry shows it."""
        return next((unit for suffix, unit in UNITS.items() if self.key.endswith(suffix)), None)

    @property
    def step(self) -> float | None:
        """The step of a number input: whole numbers go by 1; decimals (and the rest) have none."""
        return 1 if self.type is int else None

    def invalid(self, message: str) -> InvalidSetting:
        """The 422 for a bad value, with the limits in ``details`` (the UI shows it at the field)."""
        return InvalidSetting(
            message,
            details={
                "key": self.key,
                "minimum": self.minimum,
                "maximum": self.maximum,
                "choices": list(self.choices) if self.choices else None,
            },
        )

    def validate(self, value: Any) -> Any:
        """Return the value coerced to the setting's type, or raise ``InvalidSetting``."""
        if self.type is bool:
            if not isinstance(value, bool):
                raise self.invalid(f"{self.key} must be true or false.")
            return value
        if self.type in (int, float):
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise self.invalid(f"{self.key} must be a number.")
            if self.type is int and not float(value).is_integer():
                raise self.invalid(f"{self.key} must be a whole number.")
            value = self.type(value)
            if self.minimum is not None and value < self.minimum:
                raise self.invalid(f"{self.key} must be at least {self.minimum:g}.")
            if self.maximum is not None and value > self.maximum:
                raise self.invalid(f"{self.key} must be at most {self.maximum:g}.")
            return value
        if not isinstance(value, self.type):
            raise self.invalid(f"{self.key} must be a {self.type_name}.")
        if self.choices is not None and value not in self.choices:
            raise self.invalid(f"{self.key} must be one of {', '.join(map(str, self.choices))}.")
        return value


_DEFS = [
    SettingDef("max_upload_mb", int, 200, "Largest accepted upload, in MB.", minimum=1, maximum=10_000),
    SettingDef(
        "gltf_preview_linear_deflection",
        float,
        0.1,
        "Viewer GLB tessellation for a ~50 mm part, in mm; scaled with the part's size.",
        minimum=0.001,
        maximum=10,
    ),
    SettingDef(
        "gltf_production_linear_deflection",
        float,
        0.01,
        "Production GLB tessellation, in mm.",
        minimum=0.0005,
        maximum=5,
    ),
    SettingDef(
        "conversion_timeout_s", int, 300, "Wall-clock limit of one STEP conversion.", minimum=5, maximum=7200
    ),
    SettingDef(
        "conversion_memory_mb", int, 4096, "Memory cap of one STEP conversion.", minimum=256, maximum=65_536
    ),
    SettingDef(
        "excel_max_rows",
        int,
        500_000,
        "Most rows the first sheet of an imported workbook may reach (counting from row 1); a larger "
        "workbook is refused before it is read (422 workbook_too_large).",
        minimum=10,
        maximum=1_048_576,
        tenant_overridable=False,
    ),
    SettingDef(
        "excel_max_columns",
        int,
        500,
        "Most columns the first sheet of an imported workbook may reach (column A = 1).",
        minimum=5,
        maximum=16_384,
        tenant_overridable=False,
    ),
    SettingDef(
        "excel_max_cells",
        int,
        20_000_000,
        "Most cells (rows x columns of the used area) of an imported sheet. The reader keeps the sheet "
        "as a rectangle of about 32 bytes a cell: 20 million cells ≈ 640 MB of the reading process.",
        minimum=1_000,
        maximum=200_000_000,
        tenant_overridable=False,
    ),
    SettingDef(
        "excel_max_inflated_mb",
        int,
        512,
        "Most MB an imported workbook may inflate to (an .xlsx is a zip of XML; a small upload can "
        "unpack to gigabytes).",
        minimum=1,
        maximum=8_192,
        tenant_overridable=False,
    ),
    SettingDef(
        "excel_parse_memory_mb",
        int,
        2_048,
        "Memory cap of the child process that reads one workbook; a workbook needing more is refused "
        "as too large, and the API and workers are unaffected.",
        minimum=256,
        maximum=65_536,
        tenant_overridable=False,
    ),
    SettingDef(
        "excel_parse_timeout_s",
        int,
        300,
        "Wall-clock limit of reading one workbook (checking it at upload, parsing it in the import step).",
        minimum=5,
        maximum=7_200,
        tenant_overridable=False,
    ),
    SettingDef(
        "cycles_device",
        str,
        "gpu",
        "Cycles device: gpu (fall back to CPU with a warning), cpu, or auto (GPU if present, quietly).",
        choices=("gpu", "cpu", "auto"),
    ),
    SettingDef(
        "render_default_samples",
        int,
        64,
        "Cycles samples when an output type names none.",
        minimum=1,
        maximum=4096,
    ),
    SettingDef(
        "render_min_coverage_percent",
        float,
        MIN_MODEL_COVERAGE * 100,
        "A thumbnail, still or turntable whose model covers less than this share of the frame (in % of "
        "the pixels, measured with a small mask render before the real one; a turntable's first frame) "
        "fails with a message saying what to check, instead of delivering an (almost) empty picture. "
        "A part placed far away from the rest shrinks the model to a dot; 0 turns the check off.",
        minimum=0,
        maximum=50,
    ),
    SettingDef(
        "render_cancel_grace_s",
        int,
        10,
        "Seconds between SIGTERM and SIGKILL on cancel.",
        minimum=1,
        maximum=120,
    ),
    SettingDef(
        "render_stall_timeout_minutes",
        int,
        30,
        "A running render silent this long is recovered.",
        minimum=1,
        maximum=1440,
    ),
    SettingDef(
        "task_retry_attempts",
        int,
        3,
        "How many times a step runs when it fails for a reason that may pass (a lost database or "
        "broker connection, a crashed render host); 1 runs it once. Permanent failures (an invalid "
        "CAD file, a missing template) are never retried.",
        minimum=1,
        maximum=10,
    ),
    SettingDef(
        "task_retry_backoff_s",
        int,
        10,
        "Wait before the first retry of such a step; it doubles with each retry, up to the cap.",
        minimum=1,
        maximum=3600,
    ),
    SettingDef(
        "task_retry_backoff_cap_s",
        int,
        300,
        "Longest wait between two retries of a step.",
        minimum=1,
        maximum=86_400,
    ),
    SettingDef(
        "worker_blocklist_threshold",
        int,
        3,
        "A worker that fails this many jobs of one step in a row (a permanent failure, or a crash "
        "of the attempt on that worker) is blocklisted for that step: it hands such jobs back to "
        "the queue for other workers and an alert is raised, until an admin clears it on the "
        "Workers page. A success on that worker resets its count. The only worker that could run the "
        "step is not blocklisted (the step would stop); an alert says it keeps failing. 0 turns the "
        "blocklist off.",
        minimum=0,
        maximum=100,
        tenant_overridable=False,
    ),
    SettingDef(
        "admin_job_stall_timeout_minutes",
        int,
        10,
        "A running admin job (maintenance action) whose worker gave no sign of life this long is "
        "marked failed as stalled, and its action may be started again.",
        minimum=1,
        maximum=1440,
    ),
    SettingDef(
        "notification_batch_minutes",
        int,
        15,
        "Window in which render notifications are summarised.",
        minimum=1,
        maximum=1440,
    ),
    SettingDef(
        "pipeline_event_retention_days",
        int,
        90,
        "Pipeline log lines older than this are deleted.",
        minimum=1,
        maximum=3650,
        tenant_overridable=False,
    ),
    SettingDef(
        "media_zip_async_mb",
        int,
        2_048,
        "A bulk media download whose files add up to more than this many MB is built by a worker into "
        "storage and offered by an expiring link (with its progress); smaller ones stream at once.",
        minimum=1,
        maximum=10_000_000,
        tenant_overridable=False,
    ),
    SettingDef(
        "media_zip_async_files",
        int,
        5_000,
        "A bulk media download of more than this many files is built by a worker (as above).",
        minimum=1,
        maximum=1_000_000,
        tenant_overridable=False,
    ),
    SettingDef(
        "media_zip_max_files",
        int,
        100_000,
        "Most files one bulk media download may hold (422 download_too_large above it): the archive "
        "keeps a directory record per file in memory while it is written.",
        minimum=1,
        maximum=1_000_000,
        tenant_overridable=False,
    ),
    SettingDef(
        "media_zip_keep_hours",
        int,
        24,
        "How long a worker-built media archive can be downloaded; then it is deleted (hourly).",
        minimum=1,
        maximum=720,
        tenant_overridable=False,
    ),
    SettingDef(
        "temp_max_age_hours",
        int,
        6,
        "Temporary files of processes that have ended (a killed worker's render folder, an aborted "
        "upload) are deleted once they are this many hours old, at worker start and hourly; files of "
        "running processes are never deleted, whatever their age.",
        minimum=1,
        maximum=720,
        tenant_overridable=False,
    ),
]

SETTINGS: dict[str, SettingDef] = {d.key: d for d in _DEFS}


def definition(key: str) -> SettingDef:
    try:
        return SETTINGS[key]
    except KeyError:
        raise NotFound(f"There is no setting called {key!r}.", code="unknown_setting") from None
