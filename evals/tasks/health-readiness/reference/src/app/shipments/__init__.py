"""Shipments: what the service stores."""
