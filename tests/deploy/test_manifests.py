"""``deploy/``: the compose file against the compose-spec JSON schema (the copy check-jsonschema
ships), the Kubernetes manifests against the Kubernetes schemas kubernetes-validate ships (strict:
unknown fields fail), KEDA's custom resources against a structural check of our own (their CRD
schemas are in neither package), and what the files promise each other and the app: the
variables they set are settings the app reads, the secrets they name are mounted, the storage
is one shared volume, the autoscaler's queue and metric are the ones the app has."""

from __future__ import annotations

import json
import os
import re
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import redis
import yaml
from kubernetes_validate.utils import latest_version

from automat.config import SECRET_FIELDS, Settings
from automat.worker.queues import QUEUES, RENDER_QUEUE

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
# The oldest Kubernetes these manifests are written for, and the newest the package knows.
K8S_VERSIONS = ("1.31", latest_version())
STORAGE_PATH = "/var/lib/automat/storage"
# Variables the files set that are not the app's settings, and who reads them.
OTHER_VARIABLES = {
    "NVIDIA_DRIVER_CAPABILITIES": "the NVIDIA container toolkit (which driver libraries to mount)",
    "PYTHONUNBUFFERED": "Python",
    "UV_PYTHON_DOWNLOADS": "uv, while the image is built",
}


# --- loading --------------------------------------------------------------------------------------


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((DEPLOY / "compose.yaml").read_text())
    return data


def k8s_documents() -> list[tuple[str, dict[str, Any]]]:
    docs = []
    for path in sorted(K8S.rglob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            if doc:
                docs.append((str(path.relative_to(K8S)), doc))
    return docs


def k8s_kind(kind: str) -> list[dict[str, Any]]:
    return [doc for _, doc in k8s_documents() if doc["kind"] == kind]


def k8s_named(kind: str, name: str) -> dict[str, Any]:
    found = [doc for doc in k8s_kind(kind) if doc["metadata"]["name"] == name]
    assert len(found) == 1, f"{kind}/{name}: {len(found)} found"
    return found[0]


def automat_services() -> dict[str, dict[str, Any]]:
    """The compose services that run the Automat image."""
    return {n: s for n, s in compose()["services"].items() if str(s.get("image", "")).startswith("automat:")}


def pod_containers() -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    """(workload name, pod spec, container) of every Deployment and Job."""
    out = []
    for _, doc in k8s_documents():
        if doc["kind"] in ("Deployment", "Job"):
            spec = doc["spec"]["template"]["spec"]
            out += [(doc["metadata"]["name"], spec, c) for c in spec["containers"]]
    return out


# --- schemas --------------------------------------------------------------------------------------


def test_compose_file_matches_the_compose_spec() -> None:
    schema_file = resources.files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json"
    schema = json.loads(schema_file.read_text())
    validator_cls = jsonschema.validators.validator_for(schema)
    validator_cls.check_schema(schema)
    errors = sorted(validator_cls(schema).iter_errors(compose()), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{'/'.join(map(str, e.path))}: {e.message}" for e in errors)


def test_the_compose_schema_check_can_fail() -> None:
    schema = json.loads(
        (resources.files("check_jsonschema.builtin_schemas.vendor") / "compose-spec.json").read_text()
    )
    broken = compose()
    broken["services"]["render"]["deploy"]["resources"]["reservations"]["devices"][0]["capabilities"] = "gpu"
    broken["services"]["api"]["healthcheck"]["interval"] = 15
    messages = [e.message for e in jsonschema.validators.validator_for(schema)(schema).iter_errors(broken)]
    assert "'gpu' is not of type 'array'" in messages
    assert "15 is not of type 'string'" in messages


@pytest.mark.parametrize("version", K8S_VERSIONS)
def test_kubernetes_manifests_match_the_kubernetes_schemas(version: str) -> None:
    checked = 0
    for name, doc in k8s_documents():
        if doc["apiVersion"].startswith("keda.sh/"):
            continue  # a CRD: test_keda_resources_are_well_formed
        try:
            kubernetes_validate.validate(doc, version, strict=True)
        except kubernetes_validate.ValidationError as exc:
            path = ".".join(str(p) for p in exc.path)
            pytest.fail(f"{name}: {doc['kind']}/{doc['metadata']['name']}: {path}: {exc.message}")
        checked += 1
    assert checked >= 9


def test_the_kubernetes_check_can_fail() -> None:
    deployment = k8s_named("Deployment", "automat-api")
    deployment["spec"]["template"]["spec"]["containers"][0]["livenessProbe"]["httpGet"]["paht"] = "/x"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, K8S_VERSIONS[0], strict=True)


KEDA_TRIGGER_TYPES = {"redis", "prometheus"}
KEDA_SPEC_FIELDS = {
    "scaleTargetRef", "minReplicaCount", "maxReplicaCount", "pollingInterval", "cooldownPeriod",
    "idleReplicaCount", "triggers", "advanced", "fallback",
}  # fmt: skip


def test_keda_resources_are_well_formed() -> None:
    """KEDA's ScaledObject and TriggerAuthentication (CRDs, in no bundled schema): the fields KEDA
    needs, pointing at things that exist."""
    deployments = {d["metadata"]["name"] for d in k8s_kind("Deployment")}
    auths = {a["metadata"]["name"]: a for a in k8s_kind("TriggerAuthentication")}
    scaled = k8s_kind("ScaledObject")
    assert scaled, "no ScaledObject"
    for obj in [*scaled, *auths.values()]:
        assert obj["apiVersion"] == "keda.sh/v1alpha1"
        assert set(obj) <= {"apiVersion", "kind", "metadata", "spec"}
        assert re.fullmatch(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?", obj["metadata"]["name"])
    for obj in scaled:
        spec = obj["spec"]
        assert set(spec) <= KEDA_SPEC_FIELDS
        assert spec["scaleTargetRef"]["name"] in deployments
        assert 0 <= spec["minReplicaCount"] <= spec["maxReplicaCount"]
        assert all(isinstance(spec[k], int) for k in ("pollingInterval", "cooldownPeriod"))
        assert spec["triggers"]
        for trigger in spec["triggers"]:
            assert trigger["type"] in KEDA_TRIGGER_TYPES
            assert all(isinstance(v, str) for v in trigger["metadata"].values()), "KEDA metadata are strings"
            if trigger["type"] == "redis":
                assert trigger["metadata"]["listName"] == RENDER_QUEUE  # kombu's list of the queue
                assert int(trigger["metadata"]["listLength"]) > 0
            if "authenticationRef" in trigger:
                assert trigger["authenticationRef"]["name"] in auths
    secret_keys_used = set()
    for auth in auths.values():
        for ref in auth["spec"]["secretTargetRef"]:
            assert set(ref) == {"parameter", "name", "key"}
            assert ref["parameter"] in {"address", "host", "port", "username", "password"}
            assert ref["name"] == "automat-secrets"
            secret_keys_used.add(ref["key"])
    assert {"redis-address", "redis-password"} <= secret_keys_used


# --- what the files promise -----------------------------------------------------------------------


INLINE_SECRETS = {f"AUTOMAT_{name.upper()}" for name in SECRET_FIELDS}


def _settings_variables() -> set[str]:
    names = {f"AUTOMAT_{name.upper()}" for name in Settings.model_fields}
    return names | {f"AUTOMAT_{name.upper()}_FILE" for name in SECRET_FIELDS}


def _dockerfile_env() -> dict[str, str]:
    text = (DEPLOY / "Dockerfile").read_text().replace("\\\n", " ")
    env: dict[str, str] = {}
    for line in text.splitlines():
        if line.startswith("ENV "):
            env.update(dict(re.findall(r"(\w+)=(\S+)", line)))
    return env


def _variables_set() -> dict[str, str]:
    """Every variable the deploy files set for Automat processes -> where."""
    found: dict[str, str] = {name: "Dockerfile" for name in _dockerfile_env()}
    for name, service in automat_services().items():
        found.update({var: f"compose.yaml service {name}" for var in service.get("environment", {})})
    for config in k8s_kind("ConfigMap"):
        found.update({var: f"ConfigMap {config['metadata']['name']}" for var in config["data"]})
    for workload, _, container in pod_containers():
        found.update({e["name"]: f"k8s {workload}" for e in container.get("env", [])})
    return found


def test_every_variable_set_is_one_the_app_reads() -> None:
    known = _settings_variables()
    unknown = {
        var: where
        for var, where in _variables_set().items()
        if var not in known and var not in OTHER_VARIABLES
    }
    assert not unknown, f"not a setting of src/automat/config.py: {unknown}"


def test_compose_and_kubernetes_set_the_same_settings() -> None:
    composed = {v for s in automat_services().values() for v in s.get("environment", {})}
    configured = {v for c in k8s_kind("ConfigMap") for v in c["data"]}
    must = {"AUTOMAT_DATABASE_URL_FILE", "AUTOMAT_APP_DB_PASSWORD_FILE", "AUTOMAT_REDIS_URL_FILE",
            "AUTOMAT_SECRET_KEY_FILE", "AUTOMAT_HOME", "AUTOMAT_ENV"}  # fmt: skip
    assert must <= composed and must <= configured


def _environments() -> list[tuple[str, dict[str, str]]]:
    """(where, variables) of the ConfigMap and of each Automat service of the compose file (its
    ``${VAR:-default}`` read as the default), with the Dockerfile's ENV underneath."""
    base = _dockerfile_env()
    envs = [(f"ConfigMap {c['metadata']['name']}", {**base, **c["data"]}) for c in k8s_kind("ConfigMap")]
    for name, service in automat_services().items():
        values = {k: re.sub(r"\$\{\w+:-([^}]*)\}", r"\1", str(v)) for k, v in service["environment"].items()}
        envs.append((f"compose service {name}", {**base, **values}))
    return envs


@pytest.mark.parametrize(("where", "env"), _environments(), ids=[w for w, _ in _environments()])
def test_the_variables_are_accepted_by_the_settings(
    where: str, env: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The values load (the _FILE ones from files holding what the secret would)."""
    for var in [v for v in os.environ if v.startswith("AUTOMAT_")]:
        monkeypatch.delenv(var)
    for var, value in env.items():
        if var.endswith("_FILE"):
            secret = tmp_path / Path(value).name
            secret.write_text("postgresql://u:p@db:5432/automat\n" if "URL" in var else "s3cret\n")
            value = str(secret)
        monkeypatch.setenv(var, value)
    settings = Settings()
    assert settings.database_url == "postgresql://u:p@db:5432/automat", where
    assert settings.secret_key == "s3cret"
    assert str(settings.home) == "/var/lib/automat"


def test_compose_secrets_are_files_the_services_mount() -> None:
    data = compose()
    declared = set(data["secrets"])
    for name, service in data["services"].items():
        mounted = set(service.get("secrets", []))
        assert mounted <= declared, name
        for var, value in (service.get("environment") or {}).items():
            assert var not in INLINE_SECRETS, f"{name}: {var} given inline, use {var}_FILE"
            if var.endswith("_FILE"):
                assert value.startswith("/run/secrets/") and value.removeprefix("/run/secrets/") in mounted, (
                    name,
                    var,
                )
    assert (DEPLOY / "secrets" / ".gitignore").read_text().splitlines()[-2:] == ["*", "!.gitignore"]


def test_kubernetes_secrets_are_referenced_not_inlined() -> None:
    assert not k8s_kind("Secret"), "a Secret with values does not belong in the repository"
    assert not INLINE_SECRETS & {v for c in k8s_kind("ConfigMap") for v in c["data"]}
    config_maps = {c["metadata"]["name"]: c for c in k8s_kind("ConfigMap")}
    for workload, pod, container in pod_containers():
        volumes = {v["name"]: v for v in pod["volumes"]}
        mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
        refs = [e["configMapRef"]["name"] for e in container.get("envFrom", [])]
        assert refs and all(r in config_maps for r in refs), workload
        for env in container.get("env", []):
            assert env["name"] not in INLINE_SECRETS, workload
        for ref in refs:
            for var, path in config_maps[ref]["data"].items():
                if var.endswith("_FILE"):
                    mount = str(Path(path).parent)
                    assert mount in mounts, f"{workload}: {var} points outside its mounts"
                    assert volumes[mounts[mount]]["secret"]["secretName"] == "automat-secrets"


def test_one_shared_storage_volume() -> None:
    services = automat_services()
    for name in ("api", "worker", "render"):
        assert f"storage:{STORAGE_PATH}" in services[name]["volumes"], name
    assert "storage" in compose()["volumes"]
    claim = k8s_named("PersistentVolumeClaim", "automat-storage")
    assert claim["spec"]["accessModes"] == ["ReadWriteMany"]
    for workload in ("automat-api", "automat-worker", "automat-render"):
        pod = k8s_named("Deployment", workload)["spec"]["template"]["spec"]
        claims = {
            v["name"]: v["persistentVolumeClaim"]["claimName"]
            for v in pod["volumes"]
            if "persistentVolumeClaim" in v
        }
        (container,) = pod["containers"]
        mounted = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
        assert claims[mounted[STORAGE_PATH]] == "automat-storage", workload
        assert pod["securityContext"]["fsGroup"] == 10001  # the image's user may write the volume


def test_render_workers_get_a_gpu() -> None:
    render = compose()["services"]["render"]
    (device,) = render["deploy"]["resources"]["reservations"]["devices"]
    assert device["driver"] == "nvidia" and device["capabilities"] == ["gpu"]
    assert f"--queue {RENDER_QUEUE} --concurrency 1" in render["command"][-1]  # one Blender per GPU
    pod = k8s_named("Deployment", "automat-render")["spec"]["template"]["spec"]
    (container,) = pod["containers"]
    assert container["resources"]["limits"]["nvidia.com/gpu"] == 1
    assert pod["nodeSelector"]
    assert any(t["key"] == "nvidia.com/gpu" and t["effect"] == "NoSchedule" for t in pod["tolerations"])
    assert "--require-gpu" in container["command"][-1]


def test_every_role_checks_its_host_before_it_starts() -> None:
    roles = {"api": "api", "worker": "worker", "render": "render", "beat": "beat"}
    for name, role in roles.items():
        command = automat_services()[name]["command"][-1]
        assert command.startswith(f"automat check --role {role}") and " && exec automat " in command
    for workload, _, container in pod_containers():
        if workload != "automat-migrate":
            assert container["command"][-1].startswith("automat check --role "), workload
    queues = re.findall(r"--queue (\S+)", " ".join(s["command"][-1] for s in automat_services().values()))
    assert sorted(queues) == sorted(QUEUES)  # every queue has its workers


def test_probes_and_healthchecks() -> None:
    api = k8s_named("Deployment", "automat-api")["spec"]["template"]["spec"]["containers"][0]
    assert api["livenessProbe"]["httpGet"]["path"] == "/health/live"
    assert api["readinessProbe"]["httpGet"]["path"] == "/health"
    assert api["livenessProbe"]["httpGet"]["port"] == api["ports"][0]["name"]
    service = k8s_named("Service", "automat-api")
    labels = k8s_named("Deployment", "automat-api")["spec"]["template"]["metadata"]["labels"]
    assert service["spec"]["selector"].items() <= labels.items()
    assert "/health/live" in " ".join(automat_services()["api"]["healthcheck"]["test"])
    beat = k8s_named("Deployment", "automat-beat")
    assert beat["spec"]["replicas"] == 1 and beat["spec"]["strategy"]["type"] == "Recreate"


def test_the_autoscaling_metric_is_one_the_app_exports(redis_client: redis.Redis) -> None:
    from automat.workers.service import scrape_values

    exported = scrape_values(redis_client)
    (hpa,) = k8s_kind("HorizontalPodAutoscaler")
    assert hpa["spec"]["scaleTargetRef"]["name"] == "automat-render"
    (metric,) = hpa["spec"]["metrics"]
    name = metric["external"]["metric"]["name"]
    labels = metric["external"]["metric"]["selector"]["matchLabels"]
    assert name in exported
    _, label_names, values = exported[name]
    assert list(labels) == label_names and (labels["queue"],) in values
    assert labels["queue"] == RENDER_QUEUE
    assert name in (ROOT / "docs" / "deploy.md").read_text()


def test_images_name_no_registry_host() -> None:
    text = (DEPLOY / "Dockerfile").read_text()
    images = re.findall(r"^FROM\s+(\S+)", text, re.MULTILINE)
    images += [s["image"] for s in compose()["services"].values()]
    images += [c["image"] for _, _, c in pod_containers()]
    for image in images:
        first = image.split("/")[0]
        assert "/" not in image or not ("." in first or ":" in first or first == "localhost"), image
