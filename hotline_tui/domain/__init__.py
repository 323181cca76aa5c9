"""Pure domain rules: states and transitions, validation, text handling. No I/O, no UI."""
