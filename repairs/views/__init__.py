"""Repair pages, one module per audience or part: desk.py (intake, register, detail, dispatch),
engineer.py (the engineer's phone worklist), portal.py (tenants), quotes.py (paid repairs),
feedback.py (sign-off, ratings). repairs/urls.py imports the modules directly."""
