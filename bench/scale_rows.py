"""What every row `bench/scale.py` generates shares: the mark its slug or name starts with,
the words and countries it is written with, the batch size of its bulk writes, and the
generator's log (seconds since it started).
"""

import random
import time

from pilots.cycle import Stage

MARK = "bench-"  # slugs, usernames and tokens of generated rows start with it
STAGES = list(Stage)
COUNTRIES = ["EC", "PE", "BO", "GT", "HN", "NI", "SV", "CO", "MX", "IN"]
BATCH = 2000

WORDS = [
    *("microseguros", "microcrédito", "ahorro", "remesas", "pagos", "vivienda", "educación", "pensiones"),
    *("clientes", "rurales", "mujeres", "cooperativa", "piloto", "evaluación", "demanda", "oferta", "canal"),
    *("agentes", "corresponsales", "seguro", "vida", "salud", "cosecha"),
]


STARTED = time.perf_counter()


def log(message: str) -> None:
    print(f"[scale {time.perf_counter() - STARTED:6.1f} s] {message}", flush=True)


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."
