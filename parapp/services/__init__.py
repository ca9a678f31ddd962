"""Use cases: the only door to the data, shared by the CLI and the GUI.

Each function takes an open ``Database`` (one session per call) and returns plain result
objects. Errors a user can act on are ``ServiceError``s carrying an English msgid template
and its parameters, translated at the edge (CLI or GUI).
"""
