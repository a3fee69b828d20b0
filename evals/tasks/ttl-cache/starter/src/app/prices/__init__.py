"""Prices: the pricing service's answers, cached."""
