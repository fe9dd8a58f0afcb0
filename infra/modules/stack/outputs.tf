# The names below are the contract opsctl deploy reads from `terraform output -json`.
data "aws_region" "current" {}

output "region" {
  description = "AWS region of the environment."
  value       = data.aws_region.current.name
}

output "cluster_name" {
  description = "ECS cluster name."
  value       = module.service.cluster_name
}

output "service_name" {
  description = "ECS service name."
  value       = module.service.service_name
}

output "task_family" {
  description = "Task definition family."
  value       = module.service.task_family
}

output "container_name" {
  description = "Name of the app container."
  value       = module.service.container_name
}

output "container_port" {
  description = "Port of the app container."
  value       = module.service.container_port
}

output "codedeploy_app_name" {
  description = "CodeDeploy application."
  value       = module.deploy.app_name
}

output "codedeploy_group_name" {
  description = "CodeDeploy deployment group."
  value       = module.deploy.deployment_group_name
}

output "blue_target_group_name" {
  description = "Blue target group."
  value       = module.edge.target_group_names["blue"]
}

output "green_target_group_name" {
  description = "Green target group."
  value       = module.edge.target_group_names["green"]
}

output "prod_listener_arn" {
  description = "Production HTTPS listener."
  value       = module.edge.prod_listener_arn
}

output "test_listener_arn" {
  description = "Blue/green test listener."
  value       = module.edge.test_listener_arn
}

output "test_listener_url" {
  description = "URL of the test listener."
  value       = module.edge.test_listener_url
}

output "alb_dns_name" {
  description = "DNS name of the ALB."
  value       = module.edge.alb_dns_name
}

output "ecr_repository_url" {
  description = "Image repository URL."
  value       = module.ecr.repository_url
}

output "log_group_name" {
  description = "App log group."
  value       = module.service.log_group_name
}

output "private_subnet_ids" {
  description = "Subnets for one-off tasks (migrations)."
  value       = module.network.private_subnet_ids
}

output "app_security_group_id" {
  description = "Security group for one-off tasks (migrations)."
  value       = module.security_groups.app_id
}

output "execution_role_arn" {
  description = "Task execution role new task definitions use."
  value       = module.service.execution_role_arn
}

output "task_role_arn" {
  description = "Task role new task definitions use."
  value       = module.service.task_role_arn
}

output "deploy_role_arn" {
  description = "Role GitHub Actions assumes to deploy."
  value       = module.github_oidc.role_arn
}

output "alarm_topic_arn" {
  description = "SNS topic of every alarm."
  value       = module.alerts.alarm_topic_arn
}

output "dashboard_name" {
  description = "CloudWatch dashboard."
  value       = module.monitoring.dashboard_name
}

output "certificate_validation_records" {
  description = "DNS records that validate the certificate when no Route 53 zone is given."
  value       = module.edge.certificate_validation_records
}
