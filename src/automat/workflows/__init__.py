"""Workflows: validated DAGs of process steps, per tenant and installation-wide built-ins."""
