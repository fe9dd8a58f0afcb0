output "cluster_name" {
  description = "ECS cluster name."
  value       = aws_ecs_cluster.this.name
}

output "service_name" {
  description = "ECS service name."
  value       = aws_ecs_service.this.name
}

output "task_family" {
  description = "Task definition family deploys register new revisions in."
  value       = aws_ecs_task_definition.this["serve"].family
}

output "task_definition_arn" {
  description = "Terraform-managed serving revision; opsctl renders every release from it."
  value       = aws_ecs_task_definition.this["serve"].arn
}

output "migrate_task_definition_arn" {
  description = "Terraform-managed migration revision (family <task_family>-migrate, same container name)."
  value       = aws_ecs_task_definition.this["migrate"].arn
}

output "task_definition_families" {
  description = "Both families (serving, migration), for the deploy role's RunTask and RegisterTaskDefinition scope."
  value       = [for t in aws_ecs_task_definition.this : t.family]
}

output "scalable_target_arn" {
  description = "ARN of the service's Application Auto Scaling target; null when autoscaling is not created."
  value       = one(aws_appautoscaling_target.this[*].arn)
}

output "container_name" {
  description = "Name of the app container."
  value       = var.container_name
}

output "container_port" {
  description = "Port of the app container."
  value       = var.container_port
}

output "log_group_name" {
  description = "Log group of the app container."
  value       = aws_cloudwatch_log_group.app.name
}

output "execution_role_arn" {
  description = "Task execution role (deploys pass it to new task definitions)."
  value       = aws_iam_role.execution.arn
}

output "task_role_arn" {
  description = "Task role of the app."
  value       = aws_iam_role.task.arn
}

output "log_group_arn" {
  description = "ARN of the app log group."
  value       = aws_cloudwatch_log_group.app.arn
}
