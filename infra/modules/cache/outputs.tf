output "replication_group_id" {
  description = "Replication group ID (CloudWatch dimension); null when not created."
  value       = var.create_replication_group ? var.name : null
}

output "url_secret_arn" {
  description = "Secret holding the app's REDIS_URL."
  value       = aws_secretsmanager_secret.url.arn
}
