output "identifier" {
  description = "RDS instance identifier (CloudWatch dimension)."
  value       = aws_db_instance.this.identifier
}

output "address" {
  description = "Host name of the instance."
  value       = aws_db_instance.this.address
}

output "url_secret_arn" {
  description = "Secret holding the app's DATABASE_URL."
  value       = aws_secretsmanager_secret.url.arn
}
