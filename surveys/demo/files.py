"""The survey demo's data, `survey.toml` beside this module (read by a path relative to it, so
that the file travels with the app)."""

import tomllib
from functools import cache
from pathlib import Path


@cache
def survey() -> dict:
    with (Path(__file__).parent / "survey.toml").open("rb") as file:
        return tomllib.load(file)
