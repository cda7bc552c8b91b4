"""Reading: bilingual text into typed requests and claims (symbols, metric and parameters, period).

Pure: no I/O library is imported here (an import-linter contract says so)."""
