"""Failed conversions in plain language: broken files made from the shared fixtures go through the
platform's conversion path (pre-checks, sandbox, OpenCASCADE) and fail with a message that says
what is wrong and what to do, the converter's own words kept apart as the detail."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from automat.cad.conversion import convert_step
from automat.cad.sandbox import ConversionError, Sandbox, SandboxLimits
from automat.models.user import Role
from tests.cad import broken_steps
from tests.cad.conftest import fixture
from tests.cad.test_endpoints import AsRole, upload, wait_done
from tests.support.factories import MadeTenant

LIMITS = SandboxLimits(timeout_s=120)


def header_only() -> bytes:
    """What an exporter writes when nothing was selected: the header, an empty DATA section."""
    data = broken_steps.bearing()
    return data[: data.index(b"DATA;")] + b"DATA;\nENDSEC;\nEND-ISO-10303-21;\n"


def points_only() -> bytes:
    data = broken_steps.bearing()
    return (
        data[: data.index(b"DATA;")]
        + b"DATA;\n#1 = CARTESIAN_POINT('',(0.,0.,0.));\nENDSEC;\nEND-ISO-10303-21;\n"
    )


def fail(sandbox: Sandbox, tmp_path: Path, data: bytes, limits: SandboxLimits = LIMITS) -> ConversionError:
    source = tmp_path / "part.step"
    source.write_bytes(data)
    with pytest.raises(ConversionError) as failed:
        convert_step(
            source,
            tmp_path / "out",
            viewer_base_mm=0.1,
            production_base_mm=0.01,
            limits=limits,
            sandbox=sandbox,
        )
    return failed.value


def test_a_header_without_geometry_says_so_and_to_export_solids(sandbox: Sandbox, tmp_path: Path) -> None:
    error = fail(sandbox, tmp_path, header_only())
    assert error.code == "no_data"
    assert error.message == (
        "The file has a header but no geometry: its DATA section is empty. Export the part again with solids "
        "(bodies) included."
    )
    assert error.detail is not None and "Fails Count" in error.detail  # what OpenCASCADE said


def test_a_syntax_error_names_its_line(sandbox: Sandbox, tmp_path: Path) -> None:
    error = fail(sandbox, tmp_path, broken_steps.garbage_at_line_11())
    assert error.code == "step_syntax_error"
    assert error.message.startswith(
        "The file has a syntax error at line 11 (unexpected QUID), so it cannot be read"
    )
    assert "Export the part again" in error.message
    assert error.detail is not None and "Undefined Parsing: Line 11" in error.detail
    assert "StepFile" not in error.message


def test_a_file_with_records_but_no_solid(sandbox: Sandbox, tmp_path: Path) -> None:
    error = fail(sandbox, tmp_path, points_only())
    assert error.code == "no_geometry"
    assert error.message.startswith("The file has 1 records but contains no solid geometry")
    assert "with solids (bodies) included" in error.message


@pytest.mark.parametrize(
    ("name", "code", "start"),
    [
        ("madehere_empty.step", "empty_file", "The file is empty. Upload it again"),
        (
            "madehere_png_renamed.step",
            "not_step",
            "This is not a STEP file (it is a PNG image). Export the part",
        ),
        ("madehere_truncated.step", "truncated_step", "The file is cut off: it ends before its end marker"),
    ],
)
def test_files_refused_before_conversion(
    sandbox: Sandbox, tmp_path: Path, name: str, code: str, start: str
) -> None:
    error = fail(sandbox, tmp_path, fixture(name).read_bytes())
    assert (error.code, error.message[: len(start)]) == (code, start)
    assert error.detail  # the pre-check's own words


def test_over_the_time_limit_says_which_limit(sandbox: Sandbox, tmp_path: Path) -> None:
    big = fixture("lower_leg_structure_base.STEP").read_bytes()
    error = fail(sandbox, tmp_path, big, SandboxLimits(timeout_s=0.05))
    assert error.code == "conversion_timeout"
    assert error.message.startswith("Converting the file took longer than the limit of 0.05 s.")
    assert "conversion_timeout_s" in error.message
    assert error.detail == "conversion timed out after 0.05 s"


@pytest.mark.usefixtures("celery_worker_process")
def test_the_api_shows_the_message_code_and_detail(
    client: TestClient, as_role: AsRole, tenant: MadeTenant
) -> None:
    pm = as_role(tenant, Role.PROJECT_MANAGER)
    created = upload(client, pm, header_only(), name="05-2RSR.stp").json()
    body = wait_done(client, pm, created["id"])
    assert body["status"] == "failed"
    assert body["error"].startswith("The file has a header but no geometry")
    assert body["error_code"] == "no_data"
    assert "Incorrect Syntax : Fails Count : 1" in body["error_detail"]
    listed = {f["id"]: f for f in client.get("/api/cad-files", headers=pm.headers).json()["items"]}
    assert listed[created["id"]]["error_detail"] == body["error_detail"]
