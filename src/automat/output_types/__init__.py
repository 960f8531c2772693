"""Output types, render templates and camera positions: what a tenant can order."""
