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
  value       = aws_ecs_task_definition.this.family
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
