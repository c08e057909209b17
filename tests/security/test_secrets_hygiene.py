"""Secrets only from the environment or files: never in the repository, settings reprs or workflow inputs."""

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

from pydantic import BaseModel, SecretStr

import domain
from runtime.settings import Settings
from security.keys import new_key
from security.secret_scan import scan, scan_text

SECRET_NAME = re.compile(r"(?i)(password|secret|api_?key|token|credential|payload_keys)")


def test_the_repository_holds_no_hard_coded_secrets() -> None:
    findings = scan()
    assert findings == [], "\n".join(f"{f.path}:{f.line}: {f.kind}" for f in findings)


def test_the_scanner_finds_each_kind_of_secret() -> None:
    # Built at run time so that no secret-looking literal sits in this file either.
    samples = {
        "private key": "-----BEGIN " + "RSA PRIVATE KEY-----\nMIIE...",
        "AWS access key": "aws_id = " + "AKIA" + "ABCDEFGHIJKLMNOP",
        "GitHub token": "gh" + "p_" + "a1" * 18,
        "credential assignment": 'SMTP_PASSWORD = "' + "hunter2hunter2" + '"',
        "credentials in a URL": "postgresql://app:" + "s3cr3tpass" + "@db/app",
        "payload key literal": "prod-1:" + new_key(),
    }
    for kind, text in samples.items():
        assert [f.kind for f in scan_text("x.py", text)] == [kind], kind
    for placeholder in (
        'password = "<your password>"',
        "postgresql://app:${DB_PASSWORD}@db/app",
        'token: "changeme"',
    ):
        assert scan_text("x.py", placeholder) == [], placeholder


def test_findings_never_print_the_secret() -> None:
    value = "zq" * 12
    [finding] = scan_text("x.py", f'api_key = "{value}"')
    assert value not in finding.excerpt


def test_workflow_boundary_models_carry_no_secrets() -> None:
    """Inputs land in workflow history: no field of a domain model may be a credential."""
    offenders = []
    for info in pkgutil.walk_packages(domain.__path__, "domain."):
        module = importlib.import_module(info.name)
        for name, cls in vars(module).items():
            if inspect.isclass(cls) and issubclass(cls, BaseModel) and cls.__module__ == module.__name__:
                offenders += [
                    f"{module.__name__}.{name}.{f}" for f in cls.model_fields if SECRET_NAME.search(f)
                ]
    assert offenders == []


def test_secret_settings_are_masked_or_file_paths(tmp_path: Path) -> None:
    key = new_key()
    settings = Settings.model_validate(
        {"LINGODESK_PAYLOAD_KEYS": f"k1:{key}", "LINGODESK_SMTP_PASSWORD": "hunter2hunter2"}
    )
    assert (
        key not in repr(settings)
        and "hunter2" not in repr(settings)
        and key not in str(settings.model_dump())
    )
    for name, field in Settings.model_fields.items():
        if SECRET_NAME.search(name) and not name.endswith("_file"):
            assert field.annotation in (SecretStr | None, SecretStr), name
