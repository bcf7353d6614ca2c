"""The read-only public JSON API (/api/v1/) and its OpenAPI description.

It shows what an anonymous visitor sees on the site, never more: published ideas through the
ideas package's own list query, published rounds, results once published.
"""
