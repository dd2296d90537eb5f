"""``python -m chipexport`` runs the command line."""

from chipexport.cli import main

main()
