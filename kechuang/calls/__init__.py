"""S&T programs, calls for applications, applications and the formal check."""
