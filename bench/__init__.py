"""Performance benchmark (`python -m core.cli bench`); see bench/README.md."""
