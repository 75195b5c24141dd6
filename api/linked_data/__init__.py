"""Linked data: instance IRIs dereferenced with content negotiation, collections, pages and charts."""
