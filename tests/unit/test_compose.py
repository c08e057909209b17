"""docker-compose.yml cannot run here (no Docker engine), so check it against the project itself.

Every Lingodesk service's command is parsed by the project's own argument parsers (so a renamed
subcommand or option fails here), every variable it sets is one runtime/settings.py reads, and the
stack has what docs/scaling.md promises: separate scalable worker services per task queue, health
checks, volumes, secrets, the codec endpoint wired into the Web UI.
"""

import argparse
from pathlib import Path
from typing import Any

import pytest
import yaml

from runtime.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE: dict[str, Any] = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]
# Services built from this repository (the Dockerfile); the others are upstream images.
APP_SERVICES = sorted(name for name, svc in SERVICES.items() if svc.get("build"))
LONG_RUNNING = sorted(name for name, svc in SERVICES.items() if svc.get("restart") == "unless-stopped")


def _settings_env_names() -> set[str]:
    return {field.alias for field in Settings.model_fields.values() if field.alias}


def _parse(parser: argparse.ArgumentParser, args: list[str]) -> argparse.Namespace:
    try:
        return parser.parse_args(args)
    except SystemExit as exc:  # argparse exits on an unknown subcommand or option
        raise AssertionError(f"does not parse: {args}") from exc


def test_the_stack_has_every_component() -> None:
    assert {"postgres", "temporal", "temporal-setup", "temporal-ui", "migrate", "worker-tickets",
            "worker-nlp", "console", "web", "codec"} <= set(SERVICES)
    assert APP_SERVICES and "postgres" not in APP_SERVICES


@pytest.mark.parametrize("name", APP_SERVICES)
def test_every_lingodesk_command_parses_against_the_project(name: str) -> None:
    from cli.main import build_parser

    command = SERVICES[name]["command"]
    if command[0] == "python":
        assert command[1] == "worker.py" and (ROOT / command[1]).is_file(), command
        import worker

        _parse(worker.build_parser(), command[2:])
    elif command[0] == "lingodesk":
        args = _parse(build_parser(), command[1:])
        assert callable(args.func)
    elif command[0] == "streamlit":
        assert command[1] == "run" and (ROOT / command[2]).is_file(), command
    else:
        raise AssertionError(f"unknown command {command}")


@pytest.mark.parametrize("name", APP_SERVICES)
def test_every_variable_set_for_lingodesk_is_read_by_the_settings(name: str) -> None:
    env = SERVICES[name].get("environment") or {}
    unknown = set(env) - _settings_env_names()
    assert not unknown, f"{name}: {unknown}"
    # The values must be valid for the settings too (types, not just names).
    Settings.model_validate({k: str(v) for k, v in env.items()})


def test_settings_files_point_at_declared_secrets() -> None:
    declared = set(COMPOSE["secrets"])
    for name in APP_SERVICES:
        svc = SERVICES[name]
        mounted = set(svc.get("secrets", []))
        assert mounted <= declared, name
        for key, value in (svc.get("environment") or {}).items():
            if str(value).startswith("/run/secrets/"):
                assert str(value).removeprefix("/run/secrets/") in mounted, f"{name}: {key}"


def test_workers_scale_per_task_queue_and_search_attributes_are_registered() -> None:
    from domain.ids import NLP_TASK_QUEUE, TICKETS_TASK_QUEUE
    from workflows.search_attributes import REGISTRATION

    assert SERVICES["worker-nlp"]["command"][-2:] == ["--only", NLP_TASK_QUEUE]
    assert SERVICES["worker-tickets"]["command"][-2:] == ["--only", TICKETS_TASK_QUEUE]
    for worker in ("worker-nlp", "worker-tickets"):
        assert SERVICES[worker]["deploy"]["replicas"] >= 2
        assert "ports" not in SERVICES[worker]  # replicas could not share a host port
    setup = " ".join(SERVICES["temporal-setup"]["command"])
    for attr, kind in REGISTRATION.items():
        assert f"--name {attr} --type {kind}" in setup


def test_temporal_persists_to_postgresql_and_the_ui_uses_the_codec_endpoint() -> None:
    temporal = SERVICES["temporal"]["environment"]
    assert temporal["DB"].startswith("postgres") and temporal["POSTGRES_SEEDS"] == "postgres"
    assert int(temporal["NUM_HISTORY_SHARDS"]) >= 4
    codec_port = SERVICES["codec"]["command"][SERVICES["codec"]["command"].index("--port") + 1]
    assert SERVICES["temporal-ui"]["environment"]["TEMPORAL_CODEC_ENDPOINT"].endswith(f":{codec_port}")
    assert f"{codec_port}:{codec_port}" in SERVICES["codec"]["ports"]


def test_dependencies_health_checks_and_volumes() -> None:
    volumes = set(COMPOSE["volumes"])
    for name, svc in SERVICES.items():
        deps = svc.get("depends_on", [])
        for dep in deps:
            assert dep in SERVICES, f"{name} depends on unknown {dep}"
            condition = deps[dep]["condition"] if isinstance(deps, dict) else None
            if condition == "service_healthy":
                assert "healthcheck" in SERVICES[dep], f"{name} waits for {dep}, which has no health check"
        for mount in svc.get("volumes", []):
            source = mount.split(":", 1)[0]
            assert source in volumes or source.startswith((".", "/")), f"{name}: {mount}"
    for name in ("postgres", "temporal", "console", "web", "codec"):
        assert "healthcheck" in SERVICES[name], name
    assert LONG_RUNNING  # and every long-running service restarts on failure
