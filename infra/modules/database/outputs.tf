output "identifier" {
  description = "RDS instance identifier (CloudWatch dimension)."
  value       = aws_db_instance.this.identifier
}

output "address" {
  description = "Host name of the instance."
  value       = aws_db_instance.this.address
}

output "port" {
  description = "Port of the instance."
  value       = aws_db_instance.this.port
}

output "database_name" {
  description = "Database the app uses."
  value       = aws_db_instance.this.db_name
}

output "master_username" {
  description = "Master user (migrations only)."
  value       = aws_db_instance.this.username
}

output "master_secret_arn" {
  description = "RDS-managed secret of the master user (JSON with username and password keys)."
  value       = aws_db_instance.this.master_user_secret[0].secret_arn
}
