"""Billing: the tenant's price list and invoices of what was actually delivered (issue 18)."""
