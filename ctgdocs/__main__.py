"""`python -m ctgdocs`."""

from .cli import main

main()
