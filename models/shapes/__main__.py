"""`python -m shapes <subcommand>`: the shapes subcommands without the rest of the toolchain."""

import argparse

from shapes.commands import register

parser = argparse.ArgumentParser(prog="shapes", description="the shapes demo model")
register(parser.add_subparsers(dest="command", required=True))
args = parser.parse_args()
args.func(args)
