"""The built web UI at ``/``: files, client-side routes, cache headers, and the API untouched."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from automat.app import create_app
from automat.config import Settings

INDEX = "<!doctype html><title>Automat</title><div id=root></div>"


@pytest.fixture
def dist(tmp_path: Path) -> Path:
    root = tmp_path / "dist"
    (root / "assets").mkdir(parents=True)
    (root / "index.html").write_text(INDEX)
    (root / "assets" / "index-3f2a1b.js").write_text("console.log('app')")
    (root / "favicon.svg").write_text("<svg/>")
    (tmp_path / "secret.txt").write_text("outside the web root")
    return root


def _client(web_dist: Path) -> TestClient:
    # No `with`: the lifespan (database, Redis) is not needed to serve files.
    return TestClient(create_app(Settings(web_dist=web_dist, secret_key="test-web")))


def test_index_and_client_side_routes_are_index_html_revalidated(dist: Path) -> None:
    client = _client(dist)
    for path in ("/", "/orders", "/cad/0b6f3c1e-2d1f-4c55-9d0e-1a2b3c4d5e6f", "/login?next=/orders"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.text == INDEX
        assert response.headers["content-type"].startswith("text/html")
        assert response.headers["cache-control"] == "no-cache"


def test_hashed_assets_are_cached_for_a_year(dist: Path) -> None:
    response = _client(dist).get("/assets/index-3f2a1b.js")
    assert response.status_code == 200
    assert response.text == "console.log('app')"
    assert "javascript" in response.headers["content-type"]
    assert response.headers["cache-control"] == "public, max-age=31536000, immutable"


def test_other_files_of_the_build_are_served_revalidated(dist: Path) -> None:
    response = _client(dist).get("/favicon.svg")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert response.headers["cache-control"] == "no-cache"


def test_missing_asset_is_a_404_not_the_page(dist: Path) -> None:
    response = _client(dist).get("/assets/index-old.js")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_nothing_outside_the_web_root_is_served(dist: Path) -> None:
    client = _client(dist)
    for path in ("/../secret.txt", "/%2e%2e/secret.txt", "/assets/..%2f..%2fsecret.txt"):
        response = client.get(path)
        assert "outside the web root" not in response.text, path


def test_api_paths_keep_their_own_errors(dist: Path) -> None:
    client = _client(dist)
    for method in ("GET", "POST", "DELETE"):
        response = client.request(method, "/api/no-such-endpoint")
        assert response.status_code == 404, method
        assert response.json()["error"]["code"] == "not_found"
    assert client.get("/health/live").json() == {"status": "ok"}
    assert client.get("/health/nope").status_code == 404
    assert client.get("/openapi.json").json()["info"]["title"] == "Automat"
    assert "swagger" in client.get("/docs").text.lower()


def test_web_route_is_not_in_the_schema(dist: Path) -> None:
    paths = _client(dist).get("/openapi.json").json()["paths"]
    assert all(p.startswith(("/api", "/health", "/metrics")) for p in paths)


def test_without_a_build_the_root_says_how_to_build_it(tmp_path: Path) -> None:
    client = _client(tmp_path / "not-built")
    response = client.get("/")
    assert response.status_code == 200
    assert "make up" in response.text
    assert client.get("/orders").status_code == 404
    assert client.get("/health/live").json() == {"status": "ok"}
