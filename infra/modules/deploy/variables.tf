variable "name" {
  description = "Name prefix, <project>-<env>."
  type        = string
}

variable "cluster_name" {
  description = "ECS cluster of the service."
  type        = string
}

variable "service_name" {
  description = "ECS service CodeDeploy releases."
  type        = string
}

variable "target_group_names" {
  description = "Blue and green target group names (keys blue, green)."
  type        = map(string)
}

variable "target_group_arn_suffixes" {
  description = "Blue and green target group ARN suffixes (keys blue, green), for alarms."
  type        = map(string)
}

variable "alb_arn_suffix" {
  description = "ALB ARN suffix, for alarms."
  type        = string
}

variable "prod_listener_arn" {
  description = "Listener serving production traffic."
  type        = string
}

variable "test_listener_arn" {
  description = "Listener serving the replacement task set before the switch."
  type        = string
}

variable "deployment_config_name" {
  description = "How traffic shifts: canary, linear or all at once."
  type        = string
  default     = "CodeDeployDefault.ECSCanary10Percent5Minutes"
}

variable "ready_wait_minutes" {
  description = "How long green waits on the test listener for the smoke test to continue the deployment."
  type        = number
  default     = 30
}

variable "termination_wait_minutes" {
  description = "How long the old task set is kept after a successful switch (fast manual rollback)."
  type        = number
  default     = 15
}

variable "alarm_topic_arn" {
  description = "SNS topic the rollback alarms notify."
  type        = string
}

variable "max_5xx_percent" {
  description = "Share of a target group's requests answered 5xx (percent, per minute) that fails a release."
  type        = number
  default     = 5
}

variable "max_p99_latency_seconds" {
  description = "p99 target response time of a target group that fails a release."
  type        = number
  default     = 1.5
}

variable "min_requests_per_minute" {
  description = "A minute counts towards the 5xx-rate and p99 alarms only with at least this many requests to the target group, so a few cold requests cannot fail a release."
  type        = number
  default     = 20
}
