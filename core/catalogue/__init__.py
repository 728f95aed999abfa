"""The catalogue's shared domain: packages and what hangs off them.

Several functionalities work on the same packages: F004 (the supplier manages
them), F005 (services on them), F011 (the public catalogue), F007 (export and
import), F013 (usage) and F006 (insights). Plugins never import each other, so
the models live here, in core; each plugin brings its own pages, API and rules.
"""
