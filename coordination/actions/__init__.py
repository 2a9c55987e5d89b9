"""Writes of the coordination app: consents, referrals and SIPs, one module each."""
