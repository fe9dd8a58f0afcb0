output "app_name" {
  description = "CodeDeploy application."
  value       = aws_codedeploy_app.this.name
}

output "deployment_group_name" {
  description = "CodeDeploy deployment group of the service."
  value       = aws_codedeploy_deployment_group.this.deployment_group_name
}

output "deployment_group_arn" {
  description = "ARN of the deployment group."
  value       = aws_codedeploy_deployment_group.this.arn
}

output "alarm_arns" {
  description = "Alarms that roll a release back."
  value       = [for a in local.rollback_alarms : a.arn]
}

output "alarm_names" {
  description = "Alarms that roll a release back, by name (the deployment group's alarm configuration)."
  value       = [for a in local.rollback_alarms : a.alarm_name]
}
