"""The ground floor: what every app of the portal uses and that uses no app."""
