"""Front-desk pages, one module per section (duty.py, inquiries.py, notices.py, liaison.py,
requests.py)."""
