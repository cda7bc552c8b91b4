"""Price sources: one interface, a Yahoo adapter, a local Parquet store, CSV import."""
