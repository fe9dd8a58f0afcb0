output "role_arn" {
  description = "Role GitHub Actions assumes to deploy (aws-actions/configure-aws-credentials role-to-assume)."
  value       = aws_iam_role.deploy.arn
}

output "provider_arn" {
  description = "GitHub OIDC identity provider of the account."
  value       = local.provider_arn
}

output "deploy_actions" {
  description = "Every action the deploy role allows, sorted (the policy is built from local.deploy_actions)."
  value       = sort(distinct(flatten(values(local.granted_actions))))
}
