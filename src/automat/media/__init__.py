"""Media assets: the files orders produce, published once per order line and role."""
