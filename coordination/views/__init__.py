"""Pages of the coordination app, one module per topic."""
