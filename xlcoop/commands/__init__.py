"""Sub-commands of `xlcoop` beyond new/calc/docs: each module has `register(subparsers)`.

A command's handler returns the exit status; it raises ScenarioError for a user error (the CLI
prints it and exits 2).
"""
