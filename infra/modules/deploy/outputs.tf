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
  value = concat(
    [aws_cloudwatch_metric_alarm.target_5xx.arn, aws_cloudwatch_metric_alarm.p99_latency.arn],
    [for a in aws_cloudwatch_metric_alarm.unhealthy_hosts : a.arn],
  )
}
