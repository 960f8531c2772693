"""Products (the tenant's catalogue) and Excel product-list imports."""
