"""Pure logic: no I/O, no boto3, docker or subprocess."""
