"""Run the ``gigpolicy`` command as ``python -m gigpolicy``."""

from gigpolicy._cli import main

raise SystemExit(main())
