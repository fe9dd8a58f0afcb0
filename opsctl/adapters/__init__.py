"""I/O at the edges: AWS, Docker and external tools."""
