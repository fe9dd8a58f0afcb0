output "deploy" {
  description = "Deploy settings opsctl reads (contract C1); also stored as JSON in the deploy_parameter_name SSM parameter."
  value       = local.deploy
}

output "deploy_parameter_name" {
  description = "SSM parameter holding jsonencode(deploy); opsctl.toml names it."
  value       = aws_ssm_parameter.deploy.name
}

output "deploy_role_arn" {
  description = "Role the GitHub environment's jobs assume to deploy (AWS_DEPLOY_ROLE_ARN of the workflow)."
  value       = module.github_oidc.role_arn
}

output "deploy_actions" {
  description = "Every action the deploy role allows (one list in modules/github_oidc)."
  value       = module.github_oidc.deploy_actions
}

output "certificate_validation_records" {
  description = "DNS records that validate the certificate; add them at the DNS host when no Route 53 zone is given."
  value       = module.edge.certificate_validation_records
}

output "dashboard_name" {
  description = "CloudWatch dashboard of the environment."
  value       = module.monitoring.dashboard_name
}
