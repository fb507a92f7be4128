"""What every feature shares; knows no feature."""
