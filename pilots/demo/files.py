"""Where the demo's data lives: one TOML document per case in `cases/`, Spanish and English
side by side, and `shared.toml` for what the cases share. Read with the standard library, by
paths relative to this package, so that the files travel with the app."""

import tomllib
from functools import cache
from pathlib import Path

HERE = Path(__file__).parent
# The five cases of DESIGN.md, in the order they are loaded.
CASES = ("redcamif", "rfr", "rmc", "finca", "kgfs")


@cache
def case(name: str) -> dict:
    with (HERE / "cases" / f"{name}.toml").open("rb") as file:
        return tomllib.load(file)


def cases() -> list[dict]:
    return [case(name) for name in CASES]


@cache
def shared() -> dict:
    with (HERE / "shared.toml").open("rb") as file:
        return tomllib.load(file)
