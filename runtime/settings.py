"""Configuration from the environment (never from activity inputs, which land in history)."""

from functools import lru_cache
from pathlib import Path

from pydantic import Field
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
    glossaries_dir: Path = Field(PROJECT_ROOT / "glossaries", alias="LINGODESK_GLOSSARIES_DIR")
    internal_language: str = Field("zh", alias="LINGODESK_INTERNAL_LANGUAGE")
    ct2_inter_threads: int = Field(1, alias="LINGODESK_CT2_INTER_THREADS")
    ct2_intra_threads: int = Field(0, alias="LINGODESK_CT2_INTRA_THREADS")
    ct2_device: str = Field("cpu", alias="LINGODESK_CT2_DEVICE")
    # "default" keeps each model's own weight type (int8 for Argos packages); "float32" etc. override.
    ct2_compute_type: str = Field("default", alias="LINGODESK_CT2_COMPUTE_TYPE")
    translate_beam_size: int = Field(2, alias="LINGODESK_TRANSLATE_BEAM_SIZE")
    # "sqlite" (data_dir/translation_memory.sqlite3 behind an in-process LRU), "memory" or "off".
    translation_memory: str = Field("sqlite", alias="LINGODESK_TRANSLATION_MEMORY")
    data_dir: Path = Field(PROJECT_ROOT / "data", alias="LINGODESK_DATA_DIR")
    log_bodies: bool = Field(False, alias="LINGODESK_LOG_BODIES")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
