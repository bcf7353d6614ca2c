"""The fragment cache: bounded, and a piece's hole filled with the request's value escaped."""

from __future__ import annotations

import pytest
from markupsafe import Markup, escape

from participation.core.fragments import (
    HOLE,
    FragmentCache,
    fill,
    fill_each,
    rendered,
    rendered_each,
)


def test_the_least_recently_used_piece_goes_first():
    cache = FragmentCache(2)
    cache.put(("a",), ("A",))
    cache.put(("b",), ("B",))
    assert cache.get(("a",)) == ("A",)  # a is now the most recent
    cache.put(("c",), ("C",))
    assert cache.get(("b",)) is None and cache.get(("a",)) == ("A",) and len(cache) == 2


def test_a_piece_is_rendered_once_and_its_holes_filled_per_request(app):
    calls = []

    def render():
        calls.append(1)
        return Markup("<input value=\"") + HOLE + Markup("\"><b>") + escape("<fragment-hole>") \
            + Markup("</b>") + HOLE

    with app.test_request_context():
        first = rendered(("piece",), render)
        second = rendered(("piece",), render)
    assert calls == [1] and first == second and len(first) == 3  # escaped text is no hole
    assert fill(first, ['one"<', "two"]) == (
        '<input value="one&#34;&lt;"><b>&lt;fragment-hole&gt;</b>two')
    with pytest.raises(ValueError):
        fill(first, ["one"])  # a value per hole


def test_no_cache_when_turned_off(app, monkeypatch):
    monkeypatch.setitem(app.config, "FRAGMENT_CACHE_ENTRIES", 0)
    monkeypatch.setitem(app.extensions, "fragments", None)  # made again from the config
    calls = []
    with app.test_request_context():
        for _ in range(2):
            rendered(("off",), lambda: calls.append(1) or "x")
    assert calls == [1, 1] and app.extensions["fragments"] is False


def test_many_pieces_at_once_share_the_cache_and_each_hole_gets_the_value_escaped(app):
    calls = []

    def render(name):
        return lambda: calls.append(name) or Markup(f"<li>{name} ") + HOLE + Markup("</li>")

    with app.test_request_context():
        rendered(("kept", "a"), render("a"))  # a piece kept by one call is found by the other
        pieces = rendered_each([(("kept", "a"), render("a")), (("kept", "b"), render("b")),
                                (None, render("c")), (None, render("c"))])
        again = rendered_each([(("kept", "b"), render("b"))])
    assert calls == ["a", "b", "c", "c"]  # None: rendered every time, never kept
    assert again == pieces[1:2]
    assert fill_each(pieces, 'x"<') == ('<li>a x&#34;&lt;</li><li>b x&#34;&lt;</li>'
                                        '<li>c x&#34;&lt;</li><li>c x&#34;&lt;</li>')
    assert fill_each([("<p>", "|", "</p>")], "&") == "<p>&amp;|&amp;</p>"  # every hole
