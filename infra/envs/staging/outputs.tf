# Read by opsctl deploy through `terraform output -json`; keep the names.

output "region" {
  description = "AWS region of the environment."
  value       = module.stack.region
}

output "cluster_name" {
  description = "ECS cluster name."
  value       = module.stack.cluster_name
}

output "service_name" {
  description = "ECS service name."
  value       = module.stack.service_name
}

output "task_family" {
  description = "Task definition family."
  value       = module.stack.task_family
}

output "container_name" {
  description = "Name of the app container."
  value       = module.stack.container_name
}

output "container_port" {
  description = "Port of the app container."
  value       = module.stack.container_port
}

output "codedeploy_app_name" {
  description = "CodeDeploy application."
  value       = module.stack.codedeploy_app_name
}

output "codedeploy_group_name" {
  description = "CodeDeploy deployment group."
  value       = module.stack.codedeploy_group_name
}

output "blue_target_group_name" {
  description = "Blue target group."
  value       = module.stack.blue_target_group_name
}

output "green_target_group_name" {
  description = "Green target group."
  value       = module.stack.green_target_group_name
}

output "prod_listener_arn" {
  description = "Production HTTPS listener."
  value       = module.stack.prod_listener_arn
}

output "test_listener_arn" {
  description = "Blue/green test listener."
  value       = module.stack.test_listener_arn
}

output "test_listener_url" {
  description = "URL of the test listener."
  value       = module.stack.test_listener_url
}

output "alb_dns_name" {
  description = "DNS name of the ALB."
  value       = module.stack.alb_dns_name
}

output "ecr_repository_url" {
  description = "Image repository URL."
  value       = module.stack.ecr_repository_url
}

output "log_group_name" {
  description = "App log group."
  value       = module.stack.log_group_name
}

output "private_subnet_ids" {
  description = "Subnets for one-off tasks (migrations)."
  value       = module.stack.private_subnet_ids
}

output "app_security_group_id" {
  description = "Security group for one-off tasks (migrations)."
  value       = module.stack.app_security_group_id
}

output "execution_role_arn" {
  description = "Task execution role new task definitions use."
  value       = module.stack.execution_role_arn
}

output "task_role_arn" {
  description = "Task role new task definitions use."
  value       = module.stack.task_role_arn
}

output "deploy_role_arn" {
  description = "Role GitHub Actions assumes to deploy."
  value       = module.stack.deploy_role_arn
}

output "alarm_topic_arn" {
  description = "SNS topic of every alarm."
  value       = module.stack.alarm_topic_arn
}

output "dashboard_name" {
  description = "CloudWatch dashboard."
  value       = module.stack.dashboard_name
}

output "certificate_validation_records" {
  description = "DNS records that validate the certificate when no Route 53 zone is given."
  value       = module.stack.certificate_validation_records
}
