output "deploy" {
  description = "Deploy settings opsctl reads (contract C1)."
  value       = module.stack.deploy
}

output "deploy_parameter_name" {
  description = "SSM parameter with the same settings as JSON."
  value       = module.stack.deploy_parameter_name
}

output "deploy_role_arn" {
  description = "Deploy role (its inline policy `release` is what opsctl may call)."
  value       = module.stack.deploy_role_arn
}

output "deploy_actions" {
  description = "Every action the deploy role allows."
  value       = module.stack.deploy_actions
}

output "zone_id" {
  description = "Route 53 zone of the example's domain."
  value       = aws_route53_zone.this.zone_id
}
