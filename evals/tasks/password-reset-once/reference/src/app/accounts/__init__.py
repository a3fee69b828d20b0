"""User accounts, login, password resets and the outbox of sent e-mails."""
