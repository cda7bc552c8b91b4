"""Footnote's benchmarks: `footnote bench [NAME]` runs them."""
