"""Use cases: each carries out one plan through the adapters (AWS reached as core.ports.AwsPort)."""
