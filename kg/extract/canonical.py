"""Canonical names: the key that folds surface forms of one thing into one node.

"Llama 2", "LLaMA-2" and "Llama2" share a key; so do "LLM" and "LLMs". The key
is what the graph and the evaluation compare; the display name is the
gazetteer's canonical form where there is one, else the first form seen.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_CAPITAL_S = re.compile(r"[A-Z]S\W*$")
#: what a key drops; a point between digits stays, since OPT-1.3B is no OPT-13B (nor GPT-3.5 a GPT-35)
_NON_WORD = re.compile(r"(?:[\s\-‐‑–—_/,:;'’\"()\[\]{}]|(?<!\d)\.|\.(?!\d))+")
_PARAMS = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)\s*([BMT])\b")
_SCALE = {"m": 1e-3, "b": 1.0, "t": 1e3}


#: a corpus asks for the keys of the same few thousand words over and over (the gazetteer's
#: lookups, the ranker's features): cached, extraction runs about a third faster
@lru_cache(maxsize=1 << 16)
def normalize_key(text: str) -> str:
    """Fold case, hyphens, spaces, punctuation (not a point between digits) and a trailing plural
    ``s``; a capital S after a capital is part of a name, no plural ("EAGLES" is not two EAGLEs,
    nor DARTS two DARTs; "LLMs" is two LLMs)."""
    return _unfolded_key(text) if _CAPITAL_S.search(text) else plural_folded_key(text)


@lru_cache(maxsize=1 << 16)
def plural_folded_key(text: str) -> str:
    """`normalize_key` folding any trailing ``s``: how a name in lower case ("tts") is found
    again under its capitals ("TTS")."""
    key = _unfolded_key(text)
    return key[:-1] if len(key) > 3 and key.endswith("s") and not key.endswith("ss") else key


def _unfolded_key(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _NON_WORD.sub("", re.sub(r"^(?:the|a|an)\s+", "", folded))


def parameters_in_billions(name: str) -> float | None:
    """The parameter count a model name states ("Llama-2-7B" -> 7.0, "OPT-350M" -> 0.35)."""
    matches = _PARAMS.findall(name)
    if not matches:
        return None
    value, scale = matches[-1]
    return round(float(value) * _SCALE[scale.lower()], 6)


def strip_size(name: str) -> str:
    """A model name without its parameter count ("Llama-2-7B-Instruct" -> "Llama-2-Instruct")."""
    stripped = _PARAMS.sub("", name)
    return re.sub(r"[\s\-]{2,}", "-", stripped).strip(" -")
