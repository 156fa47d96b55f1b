"""filters layer (see DESIGN.md)."""
