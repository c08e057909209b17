"""docker-compose.yml cannot run here (no Docker engine), so check it against the project."""

from pathlib import Path

import yaml

from runtime.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
LINGODESK_SERVICES = {"migrate", "worker-tickets", "worker-nlp", "console"}


def _settings_env_names() -> set[str]:
    return {field.alias for field in Settings.model_fields.values() if field.alias}


def test_every_lingodesk_command_exists_in_the_project() -> None:
    from cli.main import COMMAND_MODULES

    subcommands = {m.rsplit(".", 1)[1] for m in COMMAND_MODULES}
    for name in LINGODESK_SERVICES:
        command = COMPOSE["services"][name]["command"]
        if command[0] == "python":
            assert (ROOT / command[1]).is_file(), command
        elif command[0] == "lingodesk":
            assert command[1] in subcommands, command
        elif command[0] == "streamlit":
            assert (ROOT / command[2]).is_file(), command
        else:
            raise AssertionError(f"unknown command {command}")


def test_every_variable_set_for_lingodesk_is_read_by_the_settings() -> None:
    known = _settings_env_names()
    for name in LINGODESK_SERVICES:
        env = COMPOSE["services"][name]["environment"]
        unknown = set(env) - known
        assert not unknown, f"{name}: {unknown}"


def test_workers_scale_per_task_queue_and_search_attributes_are_registered() -> None:
    from workflows.search_attributes import REGISTRATION

    services = COMPOSE["services"]
    assert services["worker-nlp"]["command"][-1] == "nlp"
    assert services["worker-tickets"]["command"][-1] == "tickets"
    setup = " ".join(services["temporal-setup"]["command"])
    for attr, kind in REGISTRATION.items():
        assert f"--name {attr} --type {kind}" in setup
