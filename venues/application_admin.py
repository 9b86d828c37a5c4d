"""The admin of public-space applications and events."""
