"""Motion papers in the window: Papers… for a motion and for a court list, and the office's
paper templates in Office settings."""
