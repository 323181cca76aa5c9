"""Near-duplicate orders (可能重复): the index of recent orders and the lookups on it."""
