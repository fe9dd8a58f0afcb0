output "alb_id" {
  description = "Security group of the ALB."
  value       = aws_security_group.alb.id
}

output "app_id" {
  description = "Security group of the app tasks (also for one-off tasks such as migrations)."
  value       = aws_security_group.app.id
}

output "database_id" {
  description = "Security group of the database."
  value       = aws_security_group.database.id
}

output "cache_id" {
  description = "Security group of the cache."
  value       = aws_security_group.cache.id
}
