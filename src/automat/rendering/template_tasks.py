"""Render template validation on the render queue: open the .blend in a render host."""
