"""Wording of the demo appeals: title, description and answer per matter and kind of ask
(`labour`, `civil`, `housing`, `city`, filled in by `wording`), and what handlers write
at the steps of an appeal's life (`steps`)."""
