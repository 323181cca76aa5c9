"""The measures: the daily roll-up kept from the change feed (:mod:`.rollup`), the orders as
the facts read them (:mod:`.orders`), and the figures ``hotline kpi`` shows (:mod:`.figures`)."""
