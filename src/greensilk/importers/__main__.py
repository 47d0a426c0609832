"""`python -m greensilk.importers`: check the snapshots, then (re)write every derived table (used by `make data`)."""

from greensilk.importers import main

raise SystemExit(main())
