"""`python -m torchlua` = the torchlua command."""
import sys

from .cli import main

sys.exit(main())
