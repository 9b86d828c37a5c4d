"""Thin views of complaints: desk and department pages, the tenant's portal, the statistics."""
