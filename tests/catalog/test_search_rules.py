"""The search box's text becomes quoted terms: never query syntax of either database."""

from app.catalog.rules import MOST_TERMS, Term, fts5_query, search_terms, tsquery


def test_words_are_prefix_terms_and_quotes_make_a_phrase() -> None:
    terms = search_terms('"Lot release" endotoxin')
    assert terms == [Term(("lot", "release"), phrase=True), Term(("endotoxin",), phrase=False)]
    assert fts5_query(terms) == '"lot release" "endotoxin"*'
    assert tsquery(terms) == "('lot' <-> 'release') & 'endotoxin':*"


def test_operators_and_punctuation_are_only_words_or_nothing() -> None:
    terms = search_terms('mRNA NEAR(lot) -release * "" OR col:title ^x \'drop\'')
    assert [t.words for t in terms] == [("mrna",), ("near",), ("lot",), ("release",), ("or",),
                                        ("col",), ("title",), ("x",), ("drop",)]
    query = fts5_query(terms)
    # Every term is one quoted string: FTS5 reads NEAR, OR and the rest as plain words.
    assert query.count('"') == 2 * len(terms)
    assert "'" not in fts5_query(terms) and '"' not in tsquery(terms)


def test_an_unclosed_quote_runs_to_the_end_and_nothing_is_no_term() -> None:
    assert search_terms('"lot release') == [Term(("lot", "release"), phrase=True)]
    assert search_terms('*** - "" :') == []
    assert search_terms("Côte d'Ivoire") == [Term(("côte",), False), Term(("d",), False),
                                             Term(("ivoire",), False)]


def test_a_long_search_keeps_its_first_terms() -> None:
    assert len(search_terms(" ".join(f"w{n}" for n in range(40)))) == MOST_TERMS
