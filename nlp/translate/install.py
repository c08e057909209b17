"""Installs a model into the models directory from an `.argosmodel` file (a zip) or a folder."""

import shutil
import tempfile
import zipfile
from pathlib import Path

from nlp.translate.catalog import METADATA_FILE, ModelFormatError, ModelInfo, read_model


class InstallError(ValueError):
    pass


def _model_root(tree: Path) -> Path:
    """The folder holding metadata.json: the tree itself or its only top-level folder (zips)."""
    if (tree / METADATA_FILE).is_file():
        return tree
    candidates = [p.parent for p in tree.glob(f"*/{METADATA_FILE}")]
    if len(candidates) != 1:
        raise InstallError(
            f"{tree}: expected exactly one folder with {METADATA_FILE}, found {len(candidates)}")
    return candidates[0]


def _safe_extract(archive: zipfile.ZipFile, dest: Path) -> None:
    # Refuse members that would land outside dest ("zip slip"): packages come from users.
    root = dest.resolve()
    for member in archive.namelist():
        target = (dest / member).resolve()
        if target != root and root not in target.parents:
            raise InstallError(f"unsafe path in archive: {member!r}")
    archive.extractall(dest)


def install_model(source: Path, models_dir: Path, *, force: bool = False) -> ModelInfo:
    """Copies a validated model into `models_dir/<name>`; returns its description there."""
    if not source.exists():
        raise InstallError(f"{source}: no such file or folder")
    models_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=models_dir, prefix=".install-") as tmp:
        staging = Path(tmp)
        if source.is_dir():
            root = _model_root(source)
            name = root.name
        elif zipfile.is_zipfile(source):
            with zipfile.ZipFile(source) as archive:
                _safe_extract(archive, staging / "unpacked")
            root = _model_root(staging / "unpacked")
            name = root.name if root != staging / "unpacked" else source.stem
        else:
            raise InstallError(f"{source}: neither a folder nor a zip (.argosmodel) file")
        try:
            read_model(root)
        except ModelFormatError as exc:
            raise InstallError(f"not a usable model: {exc}") from exc
        dest = models_dir / name
        if dest.exists():
            if not force:
                raise InstallError(f"{dest} already exists (use --force to replace it)")
            shutil.rmtree(dest)
        # Copy next to the destination then rename, so a half-copied model is never scanned.
        partial = staging / "complete"
        shutil.copytree(root, partial)
        partial.rename(dest)
    return read_model(dest)
