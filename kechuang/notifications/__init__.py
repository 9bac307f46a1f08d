"""In-app notifications with e-mail copies."""
