"""Where the bundled Word templates and the sample convention live (checkout or wheel)."""

from __future__ import annotations

from pathlib import Path

from .errors import TemplateError
from .files import not_a_file

_PACKAGE = Path(__file__).resolve().parent
# A wheel carries them inside the package; a checkout (or editable install) at the top level.
_BUNDLED = _PACKAGE / "bundled"
_CHECKOUT = _PACKAGE.parent


def bundled_templates() -> Path:
    """The folder of the templates shipped with ctgdocs."""
    return _BUNDLED if (_BUNDLED / "convention.docx").exists() else _CHECKOUT / "templates"


def template_path(name: str, custom: Path | None = None) -> Path:
    """A template from `custom` if it has one by that name, else the bundled one.

    Only a name absent from `custom` falls back: a folder, a pipe, a device or a broken link
    by that name is refused (TemplateError), never read nor silently replaced.
    """
    if custom is None:
        return bundled_templates() / name
    path = custom / name
    if not (path.exists() or path.is_symlink()):
        return bundled_templates() / name
    reason = not_a_file(path)
    if reason is not None:
        raise TemplateError(
            f"modèle {path} : {reason} ; attendu : un fichier .docx enregistré par Word "
            f"ou LibreOffice (ou aucun {name} dans ce dossier, pour le modèle de ctgdocs)"
        )
    return path


def sample_conventions() -> list[Path]:
    """Complete example conventions: their contexts give the variables templates may use."""
    bundled = sorted((_BUNDLED / "exemples").glob("*.yaml"))
    return bundled or sorted((_CHECKOUT / "conventions").glob("*.yaml"))


def commented_example() -> Path:
    """The reference convention with every key of the format commented (`ctgdocs exemple`)."""
    return _PACKAGE / "data" / "exemple" / "pays-de-laigle-2018.yaml"
