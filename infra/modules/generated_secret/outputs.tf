output "arn" {
  description = "ARN of the secret (for ECS task definition secrets)."
  value       = aws_secretsmanager_secret.this.arn
}
