"""Court lists."""
