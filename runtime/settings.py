"""Configuration from the environment (never from activity inputs, which land in history)."""

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _default_database_url() -> str:
    return f"sqlite:///{PROJECT_ROOT / 'data' / 'lingodesk.db'}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore", populate_by_name=True)

    temporal_address: str = Field("localhost:7233", alias="TEMPORAL_ADDRESS")
    temporal_namespace: str = Field("default", alias="TEMPORAL_NAMESPACE")
    temporal_ui_url: str = Field("http://localhost:8233", alias="TEMPORAL_UI_URL")
    database_url: str = Field(default_factory=_default_database_url, alias="DATABASE_URL")
    models_dir: Path | None = Field(None, alias="LINGODESK_MODELS_DIR")
    lid_model: Path | None = Field(None, alias="LINGODESK_LID_MODEL")
    # --- request classifier (docs/language-id.md): the model is trained on first use if missing;
    # defaults: data_dir/models/request_domain.bin and the YAML files in nlp/classify/rules/ ---
    classifier_model: Path | None = Field(None, alias="LINGODESK_CLASSIFIER_MODEL")
    classifier_rules_dir: Path | None = Field(None, alias="LINGODESK_CLASSIFIER_RULES_DIR")
    glossaries_dir: Path = Field(PROJECT_ROOT / "glossaries", alias="LINGODESK_GLOSSARIES_DIR")
    # Reply-template catalog (docs/templates.md); None: the catalog shipped in templates/catalog/.
    templates_dir: Path | None = Field(None, alias="LINGODESK_TEMPLATES_DIR")
    internal_language: str = Field("zh", alias="LINGODESK_INTERNAL_LANGUAGE")
    ct2_inter_threads: int = Field(1, alias="LINGODESK_CT2_INTER_THREADS")
    # 1, not OpenMP's "all cores": waiting OpenMP threads spin, which on a small machine costs more
    # CPU and wall time than the second thread saves (bench/ct2_threads_bench.py). Scale with
    # LINGODESK_CT2_INTER_THREADS or more nlp workers instead.
    ct2_intra_threads: int = Field(1, alias="LINGODESK_CT2_INTRA_THREADS")
    ct2_device: str = Field("cpu", alias="LINGODESK_CT2_DEVICE")
    # "default" keeps each model's own weight type (int8 for Argos packages); "float32" etc. override.
    ct2_compute_type: str = Field("default", alias="LINGODESK_CT2_COMPUTE_TYPE")
    translate_beam_size: int = Field(2, alias="LINGODESK_TRANSLATE_BEAM_SIZE")
    # "sqlite" (data_dir/translation_memory.sqlite3 behind an in-process LRU), "memory" or "off".
    translation_memory: str = Field("sqlite", alias="LINGODESK_TRANSLATION_MEMORY")
    data_dir: Path = Field(PROJECT_ROOT / "data", alias="LINGODESK_DATA_DIR")
    log_bodies: bool = Field(False, alias="LINGODESK_LOG_BODIES")
    # --- e-mail and web channels (docs/email.md, docs/status-page.md); secrets only from env or file ---
    mailboxes_file: Path | None = Field(None, alias="LINGODESK_MAILBOXES_FILE")  # YAML list of mailboxes
    mail_domain: str = Field("lingodesk.local", alias="LINGODESK_MAIL_DOMAIN")  # right side of Message-IDs
    mail_ticket_prefix: str = Field("E", alias="LINGODESK_MAIL_TICKET_PREFIX")  # ids of mail-started tickets
    mail_store_dir: Path | None = Field(None, alias="LINGODESK_MAIL_STORE_DIR")  # default: data_dir/mail
    mail_max_bytes: int = Field(25 * 1024 * 1024, alias="LINGODESK_MAIL_MAX_BYTES")
    attachment_max_bytes: int = Field(20 * 1024 * 1024, alias="LINGODESK_ATTACHMENT_MAX_BYTES")
    smtp_host: str | None = Field(None, alias="LINGODESK_SMTP_HOST")  # unset: replies recorded, not mailed
    smtp_port: int = Field(587, alias="LINGODESK_SMTP_PORT")
    smtp_security: str = Field("starttls", alias="LINGODESK_SMTP_SECURITY")  # starttls | ssl | none
    smtp_username: str | None = Field(None, alias="LINGODESK_SMTP_USERNAME")
    smtp_password: SecretStr | None = Field(None, alias="LINGODESK_SMTP_PASSWORD")
    smtp_password_file: Path | None = Field(None, alias="LINGODESK_SMTP_PASSWORD_FILE")
    smtp_from: str = Field("support@lingodesk.local", alias="LINGODESK_SMTP_FROM")
    smtp_from_name: str = Field("Customer Service", alias="LINGODESK_SMTP_FROM_NAME")
    public_url: str = Field("http://localhost:8080", alias="LINGODESK_PUBLIC_URL")  # base of status links
    status_secret: SecretStr | None = Field(None, alias="LINGODESK_STATUS_SECRET")
    status_secret_file: Path | None = Field(None, alias="LINGODESK_STATUS_SECRET_FILE")
    status_link_days: int = Field(90, alias="LINGODESK_STATUS_LINK_DAYS")
    status_show_agent_names: bool = Field(False, alias="LINGODESK_STATUS_SHOW_AGENT_NAMES")
    # --- console (docs/console.md): sessions end after the TTL, or earlier when idle ---
    console_session_ttl_s: int = Field(8 * 3600, alias="LINGODESK_CONSOLE_SESSION_TTL_S")
    console_idle_timeout_s: int = Field(3600, alias="LINGODESK_CONSOLE_IDLE_TIMEOUT_S")
    console_demo: bool = Field(False, alias="LINGODESK_CONSOLE_DEMO")  # show the demo sign-in hint
    # --- workers (docs/scaling.md): "passthrough" loads workflows/ and domain/ once per process instead
    # of once per workflow run (bench/pipeline_bench.py: about a fifth less worker CPU per ticket when
    # NLP is cheap); "strict" re-imports them in every run's sandbox. Tests run workflows strictly. ---
    workflow_sandbox: str = Field("passthrough", alias="LINGODESK_WORKFLOW_SANDBOX")
    # A worker process that runs both queues keeps its tickets' NLP activities on the `tickets`
    # queue, where they dispatch eagerly (workflows/nlp_dispatch.py); false sends them to the `nlp`
    # queue anyway, e.g. so that extra `--only nlp` processes share the work.
    nlp_local: bool = Field(True, alias="LINGODESK_NLP_LOCAL")
    # Threads run the activities; slots are how many activity tasks a worker holds at once, queued
    # for a thread. The SDK's 100 slots run out in a burst: a task then comes back from the server
    # instead of eagerly, and the SDK serves eager tasks first, so it waited until the burst ended
    # (docs/scaling.md, "Current figures": pending throughput 0.58x -> 0.87x the bare workflow's).
    activity_threads: int = Field(16, ge=1, alias="LINGODESK_ACTIVITY_THREADS")
    activity_slots: int = Field(400, ge=1, alias="LINGODESK_ACTIVITY_SLOTS")
    # --- security (docs/security.md): payload keys `id:base64` (env or file); none: plain histories ---
    payload_keys: SecretStr | None = Field(None, alias="LINGODESK_PAYLOAD_KEYS")
    payload_keys_file: Path | None = Field(None, alias="LINGODESK_PAYLOAD_KEYS_FILE")
    payload_key_id: str | None = Field(None, alias="LINGODESK_PAYLOAD_KEY_ID")  # default: last key listed
    # Codec endpoint: `engineer:sha256(token)` per line; CORS origins (comma-separated) of the Web UI.
    codec_tokens_file: Path | None = Field(None, alias="LINGODESK_CODEC_TOKENS_FILE")
    codec_cors_origins: str = Field("http://localhost:8233", alias="LINGODESK_CODEC_CORS_ORIGINS")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
