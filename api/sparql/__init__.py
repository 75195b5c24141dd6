"""The public, read-only SPARQL 1.1 endpoint at ``/sparql``."""
