"""The reference convention with as many signature blocks as asked, for the signature pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .conftest import REFERENCE

# Its avenant n° 1 adds these two communes (and their two blocks): no other commune of the
# perimeter is a party.
_JOINING = ("61214", "61342")
FEWEST, MOST = 2, 34  # the blocks a convention of the reference can have


def with_blocks(folder: Path, blocks: int) -> Path:
    """A convention of the reference with `blocks` signature blocks (its avenant, two more):
    the Caf (one or two representatives), the communauté de communes, the MSA and then
    communes of the perimeter, each by its maire."""
    assert FEWEST <= blocks <= MOST, blocks
    data: dict[str, Any] = yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))
    data["convention"]["reference"] = f"CTG-61-2018-S{blocks:02d}"
    caf, epci, msa = data["parties"]
    if blocks == 2:
        caf["representants"] = caf["representants"][:1]
    parties = [caf, epci] + ([msa] if blocks >= 4 else [])
    communes = [c for c in data["territoire"]["communes"] if c["insee"] not in _JOINING]
    for index, commune in enumerate(communes[: max(0, blocks - 4)]):
        parties.append(
            {
                "id": f"commune-{commune['insee']}",
                "type": "commune",
                "insee": commune["insee"],
                "representants": [
                    {
                        "civilite": ("Monsieur", "Madame")[index % 2],
                        "prenom": "Claude",
                        "nom": f"Maire {index + 1}",
                        "qualite": "Maire",
                    }
                ],
                "habilitation": {
                    "instance": "Conseil municipal",
                    "date": "2018-06-04",
                    "avenants": "oui",
                },
            }
        )
    data["parties"] = parties
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"signataires-{blocks:02d}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path
