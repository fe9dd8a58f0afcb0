variable "name" {
  description = "Name prefix, <project>-<env>."
  type        = string
}

variable "alarm_topic_arn" {
  description = "SNS topic the alarms notify."
  type        = string
}

variable "alb_arn_suffix" {
  description = "ALB ARN suffix (CloudWatch dimension)."
  type        = string
}

variable "cluster_name" {
  description = "ECS cluster name."
  type        = string
}

variable "service_name" {
  description = "ECS service name."
  type        = string
}

variable "db_identifier" {
  description = "RDS instance identifier."
  type        = string
}

variable "cache_replication_group_id" {
  description = "ElastiCache replication group ID; null when there is none."
  type        = string
  default     = null
}

variable "waf_acl_name" {
  description = "WAF web ACL name."
  type        = string
}

variable "deploy_alarm_arns" {
  description = "Release-rollback alarms (ARNs), shown on the dashboard."
  type        = list(string)
  default     = []
}
