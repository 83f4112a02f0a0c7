"""Derive ctgdocs' compact reference data from @etalab/decoupage-administratif.

Usage:
    npm pack @etalab/decoupage-administratif@6.0.0
    python scripts/build_referentiel.py etalab-decoupage-administratif-6.0.0.tgz

Writes ctgdocs/data/referentiel.json.gz (deterministic: same tarball, same
bytes) and ctgdocs/data/LICENCE-decoupage-administratif.txt.
"""

from __future__ import annotations

import gzip
import io
import json
import sys
import tarfile
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent.parent / "ctgdocs" / "data"
# Insee code of the COG vintage each package version carries (see the package README).
MILLESIMES = {"6.0.0": "COG 2026"}
RATTACHEMENT_KIND = {
    "commune-deleguee": "deleguee",
    "commune-associee": "associee",
    "arrondissement-municipal": "arrondissement",
}


def read_member(archive: tarfile.TarFile, name: str) -> Any:
    member = archive.extractfile(f"package/{name}")
    if member is None:
        raise SystemExit(f"{name} absent de l'archive")
    return member.read()


def compact(archive: tarfile.TarFile) -> tuple[dict[str, Any], bytes]:
    package = json.loads(read_member(archive, "package.json"))
    version = package["version"]
    communes_raw = json.loads(read_member(archive, "data/communes.json"))
    epci_raw = json.loads(read_member(archive, "data/epci.json"))
    departements_raw = json.loads(read_member(archive, "data/departements.json"))

    departements = {d["code"]: [d["nom"], d["typeLiaison"]] for d in departements_raw}
    communes: dict[str, list[Any]] = {}
    rattachees: dict[str, list[Any]] = {}
    for c in communes_raw:
        if c["type"] == "commune-actuelle":
            communes[c["code"]] = [c["nom"], c.get("typeLiaison"), c.get("siren", "")]
        else:
            parent = c.get("chefLieu") or c.get("commune") or ""
            rattachees[c["code"]] = [
                c["nom"],
                c.get("typeLiaison"),
                RATTACHEMENT_KIND[c["type"]],
                parent,
            ]
    epci = {e["code"]: [e["nom"], e["type"], [m["code"] for m in e["membres"]]] for e in epci_raw}
    data = {
        "source": package["name"],
        "version": version,
        "millesime": MILLESIMES.get(version, f"version {version}"),
        "departements": dict(sorted(departements.items())),
        "communes": dict(sorted(communes.items())),
        "rattachees": dict(sorted(rattachees.items())),
        "epci": dict(sorted(epci.items())),
    }
    return data, read_member(archive, "LICENSE")


def main(tarball: str) -> None:
    with tarfile.open(tarball) as archive:
        data, licence = compact(archive)
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    buffer = io.BytesIO()
    # mtime=0 and no file name: the archive depends on the data only.
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, mtime=0, compresslevel=9) as gz:
        gz.write(payload)
    (DATA_DIR / "referentiel.json.gz").write_bytes(buffer.getvalue())
    header = (
        f"Données : {data['source']} {data['version']} ({data['millesime']}),\n"
        "issues du Code officiel géographique de l'Insee et de la DGCL.\n\n"
    ).encode()
    (DATA_DIR / "LICENCE-decoupage-administratif.txt").write_bytes(header + licence)
    print(
        f"{len(data['communes'])} communes, {len(data['rattachees'])} rattachées, "
        f"{len(data['epci'])} EPCI, {len(data['departements'])} départements"
    )


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    main(sys.argv[1])
