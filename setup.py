"""Packaging for ctgdocs."""

from pathlib import Path

from setuptools import find_packages, setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithTemplates(build_py):
    """Ship the top-level templates/ and example conventions inside wheels."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return
        target = Path(self.build_lib) / "ctgdocs" / "bundled"
        target.mkdir(parents=True, exist_ok=True)
        for template in sorted((HERE / "templates").glob("*.docx")):
            self.copy_file(str(template), str(target / template.name))
        (target / "exemples").mkdir(exist_ok=True)
        for example in sorted((HERE / "conventions").glob("*.yaml")):
            self.copy_file(str(example), str(target / "exemples" / example.name))


setup(
    name="ctgdocs",
    version="0.1.0",
    description=(
        "Documents des conventions territoriales globales (CTG) : convention, "
        "fiches actions, comptes rendus et avenants à partir d'un fichier YAML"
    ),
    long_description=(HERE / "README.md").read_text(encoding="utf-8"),
    long_description_content_type="text/markdown",
    license="MIT",
    python_requires=">=3.11",
    packages=find_packages(include=["ctgdocs", "ctgdocs.*"]),
    package_data={
        "ctgdocs": ["data/*.gz", "data/*.txt", "data/*.mjs", "data/exemple/*.yaml", "py.typed"]
    },
    cmdclass={"build_py": BuildWithTemplates},
    install_requires=[
        "click>=8.2,<9",
        "docxtpl>=0.20,<0.21",
        "filelock>=4.2,<5",
        "Jinja2>=3.1.4,<4",
        "lxml>=5,<7",
        "pikepdf>=9,<11",
        "python-docx>=1.1,<1.3",
        "psutil>=5.9,<8",
        "PyYAML>=6.0.1,<7",
    ],
    extras_require={
        "dev": [
            # The reference the compiled schema is tested against (tests/reference_validation.py).
            "Cerberus>=1.3.5,<1.4",
            "hypothesis>=6.100,<7",
            "jsonschema>=4.20,<5",
            "mypy>=1.10,<3",
            "pytest>=8,<10",
            "ruff>=0.6,<0.18",
            "types-PyYAML>=6.0,<7",
            "types-psutil>=5.9",
            "wheel>=0.40",
            "lxml-stubs>=0.5,<0.6",
        ],
    },
    entry_points={"console_scripts": ["ctgdocs=ctgdocs.cli:main"]},
    classifiers=[
        "Programming Language :: Python :: 3.11",
        "Natural Language :: French",
        "Environment :: Console",
    ],
)
