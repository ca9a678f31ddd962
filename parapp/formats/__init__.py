"""File formats the program reads and writes (each documented in docs/)."""
