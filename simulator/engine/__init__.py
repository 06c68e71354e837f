"""The discrete-event engine: virtual clock, timeline, audience evaluation."""
