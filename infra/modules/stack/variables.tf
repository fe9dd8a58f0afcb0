# ---------------------------------------------------------------- identity
variable "project" {
  description = "Project name, first part of every resource name."
  type        = string
  default     = "mycandidate"
}

variable "env" {
  description = "Environment name (staging, prod), second part of every resource name."
  type        = string
}

# ---------------------------------------------------------------- network and edge
variable "vpc_cidr" {
  description = "VPC CIDR of the environment."
  type        = string
}

variable "az_count" {
  description = "Availability zones spanned (2 or 3)."
  type        = number
}

variable "single_nat_gateway" {
  description = "One shared NAT gateway instead of one per zone."
  type        = bool
}

variable "domain_name" {
  description = "Public host name of the site."
  type        = string
}

variable "route53_zone_id" {
  description = "Hosted zone that validates the certificate; null to validate by hand."
  type        = string
  default     = null
}

variable "test_listener_cidrs" {
  description = "CIDRs allowed to reach the blue/green test listener."
  type        = list(string)
  default     = []
}

variable "waf_rate_limit" {
  description = "Requests per client IP per 5 minutes before WAF blocks it."
  type        = number
  default     = 2000
}

variable "deletion_protection" {
  description = "Deletion protection on the ALB and the database."
  type        = bool
  default     = true
}

variable "log_retention_days" {
  description = "Retention of every log group and of ALB access logs."
  type        = number
  default     = 365
}

# ---------------------------------------------------------------- service
variable "image_tag" {
  description = "Image tag of the first task definition; releases then come from opsctl deploy."
  type        = string
  default     = "initial"
}

variable "task_cpu" {
  description = "Fargate task CPU units."
  type        = number
}

variable "task_memory" {
  description = "Fargate task memory in MiB."
  type        = number
}

variable "web_concurrency" {
  description = "Gunicorn workers per task."
  type        = number
}

variable "desired_count" {
  description = "Tasks at creation."
  type        = number
}

variable "autoscaling" {
  description = "Task count limits and target-tracking targets (requests_per_task: ALB requests per task per second)."
  type = object({
    min_capacity      = number
    max_capacity      = number
    cpu_target        = number
    requests_per_task = number
  })
}

variable "scheduled_floors" {
  description = "Election-day windows with a raised minimum task count (local times, 2026-05-29T05:00:00)."
  type = list(object({
    name         = string
    start        = string
    end          = string
    min_capacity = number
  }))
  default = []
}

variable "deployment_config_name" {
  description = "CodeDeploy traffic-shifting configuration."
  type        = string
  default     = "CodeDeployDefault.ECSCanary10Percent5Minutes"
}

# ---------------------------------------------------------------- data
variable "db_instance_class" {
  description = "RDS instance class."
  type        = string
}

variable "db_multi_az" {
  description = "Multi-AZ standby for the database."
  type        = bool
}

variable "db_allocated_storage_gb" {
  description = "Initial database storage."
  type        = number
  default     = 20
}

variable "db_backup_retention_days" {
  description = "Automated backup retention."
  type        = number
  default     = 14
}

variable "cache_node_type" {
  description = "ElastiCache node type."
  type        = string
}

variable "cache_node_count" {
  description = "Redis primary plus replicas."
  type        = number
}

# ---------------------------------------------------------------- delivery
variable "github_repository" {
  description = "GitHub repository (owner/name) allowed to deploy."
  type        = string
  default     = "mycandidate/mycandidate"
}

variable "github_environments" {
  description = "GitHub environments whose jobs may deploy here."
  type        = list(string)
}

variable "create_github_oidc_provider" {
  description = "Create the account's GitHub OIDC provider (false if another environment in the account has)."
  type        = bool
  default     = true
}

variable "state_bucket" {
  description = "Terraform state bucket (made by infra/bootstrap)."
  type        = string
}

variable "state_key" {
  description = "State object key of this environment."
  type        = string
}

variable "alarm_emails" {
  description = "Addresses subscribed to the alarm topic."
  type        = list(string)
  default     = []
}

# ---------------------------------------------------------------- emulator
variable "emulator" {
  description = "Leave out what the moto emulator cannot create: the ElastiCache replication group (member clusters) and Application Auto Scaling (tags). Only the emulator test sets it."
  type        = bool
  default     = false
}
