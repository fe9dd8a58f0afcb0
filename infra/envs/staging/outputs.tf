# opsctl reads only `deploy` (or the SSM parameter holding the same object).
output "deploy" {
  description = "Deploy settings opsctl reads (contract C1)."
  value       = module.stack.deploy
}

output "deploy_parameter_name" {
  description = "SSM parameter with the same settings as JSON (opsctl.toml: parameter)."
  value       = module.stack.deploy_parameter_name
}

output "deploy_role_arn" {
  description = "Role the GitHub environment's deploy jobs assume (AWS_DEPLOY_ROLE_ARN)."
  value       = module.stack.deploy_role_arn
}

output "certificate_validation_records" {
  description = "DNS records to add at the DNS host when no Route 53 zone is given."
  value       = module.stack.certificate_validation_records
}
