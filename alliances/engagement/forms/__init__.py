"""The forms of `engagement`, one module per group of pages."""
