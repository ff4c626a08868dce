"""Import pipeline for published reference files: read → pure mapper → atomic bulk save."""
