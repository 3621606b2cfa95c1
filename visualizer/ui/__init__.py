"""Main window and views (network, decision boundary, loss, controls)."""
