"""What a search box's text asks for, in each database's query language.

A learner's text is never passed through as query syntax: it is cut into words (letters and
digits only, as both databases' tokenizers cut the indexed text), words in double quotes make
a phrase, and every word is then written back quoted. Operators (`AND`, `OR`, `NOT`, `NEAR`),
`*`, `-`, `:` and brackets are therefore only ever words or nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PART = re.compile(r'"([^"]*)"?|([^\s"]+)')
_WORD = re.compile(r"[^\W_]+")
# A search is a handful of words; more adds nothing but work for the database.
MOST_TERMS = 12


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]
    phrase: bool  # written in double quotes: the words next to each other, each whole


def search_terms(text: str) -> list[Term]:
    """The terms of a search, in order: "lot release" endotoxin -> a phrase and a word.
    A bare word matches the words it begins ("endotoxin" finds "endotoxins")."""
    terms: list[Term] = []
    for quoted, bare in _PART.findall(text):
        words = tuple(word.lower() for word in _WORD.findall(quoted or bare))
        if not words:
            continue
        if quoted:
            terms.append(Term(words, phrase=True))
        else:
            terms.extend(Term((word,), phrase=False) for word in words)
    return terms[:MOST_TERMS]


def fts5_query(terms: list[Term]) -> str:
    """SQLite FTS5 MATCH text: every term must match; `"w"*` is a prefix, `"a b"` a phrase."""
    return " ".join(f'"{" ".join(t.words)}"' if t.phrase else f'"{t.words[0]}"*'
                    for t in terms)


def tsquery(terms: list[Term]) -> str:
    """PostgreSQL to_tsquery text: `'w':*` a prefix, `('a' <-> 'b')` a phrase, all ANDed."""
    return " & ".join("(" + " <-> ".join(f"'{w}'" for w in t.words) + ")" if t.phrase
                      else f"'{t.words[0]}':*" for t in terms)
