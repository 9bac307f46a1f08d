"""Expert library and verifiable random draws (public draw pages under /draws/)."""
