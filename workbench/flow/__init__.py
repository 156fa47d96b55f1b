"""flow layer (see DESIGN.md)."""
