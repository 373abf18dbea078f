"""Resolution: loading a region's files, imports from stdlib/, inheritance, names and suggestions."""
