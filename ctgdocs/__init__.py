"""ctgdocs: the documents of a convention territoriale globale, from one YAML file."""

__version__ = "0.1.0"
