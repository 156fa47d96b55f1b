"""classifiers layer (see DESIGN.md)."""
