"""Proving the mocks against the vendor (issue 27): cassettes in VCR.py's format, a
recording proxy, structural comparison of answers, and the drift report."""
