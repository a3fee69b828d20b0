"""Room bookings, stored as UTC instants and shown in any time zone."""
